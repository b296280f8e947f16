"""Each file: one notes file through every stage that needs nothing but that file.

`work_on` is one pure function: parse -> normalize -> media -> tags -> variants (`worked`),
then the checks that compare its records (`checked`: the items, each card, the confusions),
giving a row per note (the note and the words the confusion checks compare), the file's
problems, the media its notes show, and the confusion checks of its deck, which are the
deck's when no other file shares it (`preview --watch` shows the notes of `worked` first).
Its result depends only on the file's text and place, the settings and the media it shows,
so `each_file` reads it from the cache (`file_cache.py`) when none of these changed, and
works on the rest in `jobs` processes when the caller asks for more than one. build.py then
runs the stages that need every file at once: duplicates across files (`across_files.py`),
the confusions of decks over several files, stamp.

A file that names a kept note type (`note-type:`) is worked in the build's own process, with
its one `KeptTypes` (two files must not bring two note types with one id), and is never
cached: its note type lives in another file.
"""

from __future__ import annotations

import dataclasses
import gc
import hashlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from itertools import repeat
from pathlib import Path

from .. import codec
from ..config import Config
from ..diagnostics import Diagnostic, UsageError
from ..identity.stamp import Known, known
from ..parse.walk import parse_file
from ..records import Note, Record, SourceFile, Variant
from . import file_cache
from .confusions import compared_words, confusions, items_give_away
from .kept_types import KeptTypes
from .media import MediaFile, collect_media, shipped_name
from .normalize import normalize
from .one_card import one_card
from .tags import tag
from .variants import variants

Observer = Callable[[str, Sequence[object]], None]
"""Called with a stage's name and what it made of one file (`entries`, `records`), for the
golden tests and tools."""


@dataclass(frozen=True, slots=True)
class Settings:
    """What the per-file stages read besides the file: all of it is in the cache key."""

    source: Path
    """The notes folder, resolved (media paths, the Source field's folder name)."""
    variants: frozenset[Variant]
    """The course's default variants."""
    vocabulary: frozenset[str]
    """The declared topic tags."""
    repository: str | None
    """The course's repository (the Source field's report link)."""
    course: str
    """The course id (`config.CourseIdentity`)."""
    language: str = "en"
    """The language the notes are written in (`config.Config.language`)."""

    @classmethod
    def of(cls, config: Config) -> Settings:
        return cls(
            config.source.resolve(),
            config.variants,
            config.vocabulary,
            config.repository,
            config.course.id,
            config.language,
        )


@dataclass(frozen=True, slots=True)
class Row:
    """One note of a file, and what the stages across files need of it."""

    note: Note
    """The note, not yet stamped (its record says where it was written)."""
    words: tuple[str, ...]
    """Its record's words as the confusion checks compare them (`confusions.compared_words`)."""
    known: Known
    """Its GUID and content hash as the stamp stage gives them (`identity.stamp.known`)."""


@dataclass(frozen=True, slots=True)
class FileNotes:
    """What working on one file gives."""

    rows: tuple[Row, ...]
    """A row per note, in the order the notes are written."""
    problems: tuple[Diagnostic, ...]
    """Every problem the per-file stages found in it."""
    alone: tuple[Diagnostic, ...]
    """The confusion checks of its notes: its deck's, when no other file has notes in that
    deck (a file's notes are all in the deck its metadata names)."""
    media: dict[str, MediaFile]
    """Shipped name -> the file its notes show."""
    kept: bool = False
    """True when it names a kept note type (never cached)."""
    key: str = ""
    """Its cache key (`file_cache.key`); empty when it is not cached."""


def work_on(
    source: SourceFile,
    settings: Settings,
    kept_types: KeptTypes | None,
    observe: Observer | None = None,
) -> FileNotes | None:
    """Every per-file stage on `source`; None when it names a kept note type and
    `kept_types` is None (a worker process: the build's own process will work on it)."""
    made = worked(source, settings, kept_types, observe)
    return None if made is None else checked(made, settings.language)


@dataclass(frozen=True, slots=True)
class Worked:
    """A file through every per-file stage but the checks that compare its records with each
    other (`checked` adds them): its notes, as the watch shows them before those checks."""

    records: tuple[Record, ...]
    """Its records, tagged: what the checks read."""
    notes: FileNotes
    """Its notes and the other stages' problems (`alone` empty)."""


def worked(
    source: SourceFile,
    settings: Settings,
    kept_types: KeptTypes | None,
    observe: Observer | None = None,
) -> Worked | None:
    """The stages of `work_on` before the checks (None as it says)."""
    entries, problems = parse_file(source, settings.variants)
    kept = any(entry.note_type is not None for entry in entries)
    if kept and kept_types is None:
        return None
    records, found = normalize(entries)
    problems += found
    records, media, found = collect_media(records, settings.source)
    problems += found
    records, found = tag(records, settings.vocabulary)
    problems += found
    if observe is not None:
        observe("entries", entries)
        observe("records", records)
    notes, found = variants(
        records, settings.source, settings.repository, kept_types, settings.language
    )
    problems += found
    language, course = settings.language, settings.course
    rows = tuple(
        Row(note, compared_words(note.record, language), known(note, course)) for note in notes
    )
    return Worked(tuple(records), FileNotes(rows, tuple(problems), (), media, kept))


def checked(made: Worked, language: str) -> FileNotes:
    """`made` with the checks that compare its records: a list's items that give each other
    away, each card's own, and the confusions of its notes."""
    records, notes = made.records, made.notes
    problems = [*items_give_away(records, language), *one_card(records, language)]
    alone = confusions(
        [row.note.record for row in notes.rows], [row.words for row in notes.rows], language
    )
    return replace(notes, problems=notes.problems + tuple(problems), alone=tuple(alone))


def each_file(
    sources: Sequence[SourceFile],
    settings: Settings,
    cache: file_cache.Cache,
    jobs: int = 1,
    on_file: Callable[[], None] = lambda: None,
    observe: Observer | None = None,
    checks: bool = True,
) -> list[FileNotes]:
    """Each file's `FileNotes`, in `sources`' order: from `cache` when the file, the settings
    and its media are unchanged, else worked, in up to `jobs` processes (`workers`). Without
    `checks`, a file worked here is not `checked` (nor cached; `cache.hold` keeps its
    `Worked`, which the next call with them then checks)."""
    keys = [file_key(source, settings) for source in sources]
    found = [_load(cache, key, settings) for key in keys]
    todo = [source for source, hit in zip(sources, found, strict=True) if hit is None]
    jobs = 1 if observe is not None else jobs
    # Every worker's entry is in, and the workers gone, before any is decoded: the notes
    # decoded beside the workers were a build's peak memory (an entry is a fifth of its notes').
    sent: list[bytes | None] = []
    for entry in _in_processes(todo, settings, jobs):
        sent.append(entry)
        if entry is not None:
            on_file()
    done = iter(sent)
    kept_types = KeptTypes(settings.source)
    results: list[FileNotes] = []
    for key, source, hit in zip(keys, sources, found, strict=True):
        counted = False
        if hit is None:
            entry = next(done, None)
            counted = entry is not None
            value = _decoded(entry) if entry is not None else None
            hit = _with_media(value, settings.source) if value is not None else None
            if hit is None:
                hit = _here(source, settings, kept_types, observe, cache, key, checks)
                if checks and not hit.kept:
                    held = _held(hit)
                    cache.keep(key, codec.encode(held, _Entry), held)
            elif entry is not None:
                cache.keep(key, entry, value)
        results.append(hit if hit.kept else replace(hit, key=key))
        if not counted:
            on_file()
    return results


def _here(
    source: SourceFile,
    settings: Settings,
    kept_types: KeptTypes,
    observe: Observer | None,
    cache: file_cache.Cache,
    key: str,
    checks: bool,
) -> FileNotes:
    """A file worked in this process; what `each_file` says of `checks`."""
    held = f"{key}.worked"
    made = cache.held(held, Worked) if observe is None else None
    if made is None and checks:
        result = work_on(source, settings, kept_types, observe)
        assert result is not None
        return result
    if made is None:
        made = worked(source, settings, kept_types, observe)
        assert made is not None
        if not made.notes.kept:  # (its note type lives in another file: worked afresh)
            cache.hold(held, made)
    return checked(made, settings.language) if checks else made.notes


def file_key(source: SourceFile, settings: Settings) -> str:
    """A file's cache key: its text and place, and every setting."""
    values = [getattr(settings, f.name) for f in dataclasses.fields(settings)]
    shown = [",".join(sorted(v)) if isinstance(v, frozenset) else str(v) for v in values]
    return file_cache.key(source.path, source.rel, source.text, *shown)


@dataclass(frozen=True, slots=True)
class _Entry:
    """A file's result as cached: its media by name, path and SHA-256, read again on use."""

    notes: FileNotes
    """The result, its media left out."""
    media: tuple[tuple[str, str, str], ...]


def _held(result: FileNotes) -> _Entry:
    """`result` as cached."""
    shown = tuple(
        (name, media.path, hashlib.sha256(media.data).hexdigest())
        for name, media in sorted(result.media.items())
    )
    return _Entry(replace(result, media={}), shown)


def _decoded(entry: bytes) -> _Entry | None:
    try:
        return codec.decode(entry, _Entry)
    except ValueError:
        return None


def _load(cache: file_cache.Cache, key: str, settings: Settings) -> FileNotes | None:
    found = cache.load(key, _Entry)
    return None if found is None else _with_media(found, settings.source)


def _with_media(entry: _Entry, source: Path) -> FileNotes | None:
    """The result, with its media, if each is still inside `source` with the same bytes."""
    media: dict[str, MediaFile] = {}
    for name, rel, digest in entry.media:
        try:
            path = (source / rel).resolve()
            if not path.is_relative_to(source):
                return None
            data = path.read_bytes()
        except (OSError, RuntimeError):  # RuntimeError: a symbolic link loop
            return None
        if hashlib.sha256(data).hexdigest() != digest:
            return None
        if shipped_name(path.stem, path.suffix, data) != name:
            return None
        media[name] = MediaFile(rel, data)
    return replace(entry.notes, media=media)


PARALLEL_BYTES = 2_000_000
"""Notes to work on (bytes) over which files are worked in several processes: below it,
starting them costs more than it saves (markdown-it reads about 2 MB a second)."""


def _in_processes(
    sources: list[SourceFile], settings: Settings, jobs: int
) -> Iterator[bytes | None]:
    """Each file's entry, in order, as it is done, from up to `jobs` processes when there
    is enough to do. None for a file the caller works on itself: every file when there is
    little to do or one job, and a file naming a kept note type. A worker that dies
    (memory, a signal) fails the command, saying so."""
    workers = min(len(sources), jobs)
    done = 0
    if workers >= 2 and sum(len(s.text) for s in sources) >= PARALLEL_BYTES:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor
        from concurrent.futures.process import BrokenProcessPool

        # forkserver: a fresh process imports deckgen once, and each worker is forked from
        # it (fork would copy a process with threads; a worker importing all afresh cost
        # 0.3 s of CPU).
        methods = multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
        if context.get_start_method() == "forkserver":
            context.set_forkserver_preload([__name__])
        try:
            with ProcessPoolExecutor(workers, mp_context=context) as pool:
                # One file a task: the last results do not wait on a long batch.
                for entry in pool.map(_worker, sources, repeat(settings)):
                    done += 1
                    yield entry
        except BrokenProcessPool as exc:
            raise UsageError(
                f"error: a worker process died ({exc}); run again with --jobs 1"
            ) from None
    yield from repeat(None, len(sources) - done)


def _worker(source: SourceFile, settings: Settings) -> bytes | None:
    # A worker is deckgen's own process: the cyclic collector is paused while it works on a
    # file (the stages make no cycles; scanning their many objects cost a third of the time).
    gc.disable()
    try:
        result = work_on(source, settings, None)
        return None if result is None else codec.encode(_held(result), _Entry)
    finally:
        gc.enable()
