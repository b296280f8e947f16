"""Each file: one notes file through every stage that needs nothing but that file.

parse -> normalize -> media -> tags -> the item check -> variants, and what the whole-course
stages after it need of each note: the words the confusion checks compare and the identity
stage's content hash; and the confusion checks of the file's deck, which are the deck's
when no other file shares it. A file's result depends only on its text, the settings and the media
it shows, so a rebuild reads it from the cache (`file_cache.py`) when none of these changed,
and a large course is worked on every core. build.py then runs the stages that need every
file at once: duplicates across files (`across_files`), the confusions of decks over
several files, stamp.

A file that names a kept note type (`note-type:`) is worked here, in this process, with the
build's one `KeptTypes` (two files must not bring two note types with one id), and is never
cached: its note type lives in another file.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace
from itertools import repeat
from pathlib import Path
from typing import NamedTuple

from ..diagnostics import Diagnostic, UsageError
from ..identity.fold import plain
from ..identity.ids import content_hash, note_guid
from ..identity.json_lines import record_json
from ..parse.walk import parse_file
from ..records import Entry, Note, Record, SourceFile, Variant
from . import file_cache
from .confusions import compared_words, confusions, items_give_away
from .kept_types import KeptTypes
from .media import MediaFile, collect_media
from .normalize import duplicate, normalize
from .one_card import one_card
from .tags import tag
from .variants import variants


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
    """The course id (`config.CourseIdentity`), which every GUID is made from."""
    language: str = "en"
    """The language the notes are written in (`config.Config.language`)."""


@dataclass(frozen=True, slots=True)
class FileNotes:
    """One file's notes and problems, and what the later stages need of each note."""

    notes: tuple[Note, ...]
    """Its notes, not yet stamped, in the order they are written."""
    problems: tuple[Diagnostic, ...]
    """Every problem the per-file stages found in it."""
    media: dict[str, MediaFile]
    """Shipped name -> the file its notes show."""
    words: tuple[tuple[str, ...], ...]
    """Each note's record's `confusions.compared_words`."""
    contents: tuple[str, ...]
    """Each note's `identity.ids.content_hash`."""
    guids: tuple[str, ...]
    """Each note's `identity.ids.note_guid` of its record's key: its GUID unless the lock
    keeps another seed for it (a reworded front) or it is pinned to an imported GUID."""
    lines: tuple[bytes, ...]
    """Each note's line of records.jsonl with that GUID (`identity.json_lines.record_json`)."""
    alone: tuple[Diagnostic, ...]
    """The confusion checks of its notes (`confusions.confusions`): its deck's, when no other
    file has notes in that deck (a file's notes are all in the deck its metadata names)."""
    kept: bool = False
    """True when it names a kept note type (never cached)."""
    key: str = ""
    """Its cache key (`file_cache.key`); empty when it is not cached."""
    digest: bytes = b""
    """The SHA-256 of its cache entry's payload: what names this result (the notes of one
    key change when a media file does); empty when it is not cached."""
    entries: tuple[Entry, ...] | None = None
    """The parse stage's entries, when worked in this process (for `build.analyse`'s observer)."""
    records: tuple[Record, ...] | None = None
    """The tags stage's records, likewise."""


def work_on(
    source: SourceFile, settings: Settings, kept_types: KeptTypes | None, keep: bool = False
) -> FileNotes | None:
    """Every per-file stage on `source`; None when it names a kept note type and
    `kept_types` is None (a worker process: the build's own process will work on it).
    `keep`: the result holds the entries and records too."""
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
    problems += items_give_away(records, settings.language)
    problems += one_card(records, settings.language)
    notes, found = variants(
        records, settings.source, settings.repository, kept_types, settings.language
    )
    problems += found
    guids = tuple(note_guid(settings.course, note.record.key) for note in notes)
    words = tuple(compared_words(note.record, settings.language) for note in notes)
    return FileNotes(
        notes,
        tuple(problems),
        media,
        words,
        tuple(content_hash(note) for note in notes),
        guids,
        tuple(record_json(n.record, guid, n.tags) for n, guid in zip(notes, guids, strict=True)),
        tuple(confusions([note.record for note in notes], words, settings.language)),
        kept,
        entries=tuple(entries) if keep else None,
        records=records if keep else None,
    )


def each_file(
    sources: Sequence[SourceFile],
    settings: Settings,
    directory: Path | None,
    on_file: Callable[[], None] = lambda: None,
    jobs: int = 1,
) -> tuple[list[FileNotes], file_cache.CacheUpdate]:
    """Each file's `FileNotes`, in `sources`' order: from the cache in `directory` when the
    file, the settings and its media are unchanged (None: no cache, every file worked here,
    with its entries and records kept), else worked (on every core when there is a lot).

    Nothing is written: `file_cache.store` writes the update once every check has passed,
    so a check or a failed build leaves build/ alone."""
    keys = [file_cache.key(source, settings) for source in sources]
    found = [
        None if directory is None else file_cache.load(directory / key, settings) for key in keys
    ]
    todo = [source for source, hit in zip(sources, found, strict=True) if hit is None]
    # Each worked file's result is decoded as it arrives, while the workers go on.
    encoded = _work_on_all(todo, settings, jobs) if directory is not None else repeat(None)
    kept_types = KeptTypes(settings.source)
    results: list[FileNotes] = []
    fresh: dict[str, bytes] = {}
    for key, source, hit in zip(keys, sources, found, strict=True):
        if hit is None:
            data = next(encoded, None)
            hit = file_cache.decode(data, settings) if data is not None else None
            if hit is None:
                hit = work_on(source, settings, kept_types, keep=directory is None)
                assert hit is not None
                data = None if hit.kept or directory is None else file_cache.encode(hit)
                if data is not None:
                    hit = replace(hit, digest=data[: file_cache.SUM])
            if data is not None:
                fresh[key] = data
        results.append(hit if hit.kept or directory is None else replace(hit, key=key))
        on_file()
    used = frozenset(key for key, result in zip(keys, results, strict=True) if not result.kept)
    return results, file_cache.CacheUpdate(fresh, used)


class Course(NamedTuple):
    """Every file's notes, in order, with what the later stages need of each."""

    notes: list[Note]
    words: list[tuple[str, ...]]
    """Each note's `FileNotes.words`."""
    contents: list[str]
    """Each note's `FileNotes.contents`."""
    guids: list[str]
    """Each note's `FileNotes.guids`."""
    lines: dict[str, tuple[str, bytes]]
    """Each note's record key -> its `FileNotes.guids` and `FileNotes.lines`."""
    files: list[int]
    """The index of the file each note comes from (in `keys` and `alone`)."""
    keys: list[str]
    """Each file's `FileNotes.key`."""
    digests: list[bytes]
    """Each file's `FileNotes.digest`."""
    alone: list[tuple[Diagnostic, ...]]
    """Each file's `FileNotes.alone`."""
    problems: list[Diagnostic]
    """Each file's problems, and the duplicates across files."""
    complete: bool
    """True when no note was dropped as a duplicate of another file's."""


def across_files(files: Iterable[FileNotes]) -> Course:
    """Every file's notes and problems, in order; a note whose identity an earlier file's
    note has is dropped, with the error that `normalize` gives a duplicate within one file."""
    course = Course([], [], [], [], {}, [], [], [], [], [], True)
    first_seen: dict[str, Record] = {}
    for index, file in enumerate(files):
        course.problems.extend(file.problems)
        course.keys.append(file.key)
        course.digests.append(file.digest)
        course.alone.append(file.alone)
        for note, compared, content, guid, line in zip(
            file.notes, file.words, file.contents, file.guids, file.lines, strict=True
        ):
            record = note.record
            other = first_seen.setdefault(record.key, record)
            if other is not record:
                course.problems.append(duplicate(record, other, plain(record.front)))
                course = course._replace(complete=False)
                continue
            course.notes.append(note)
            course.words.append(compared)
            course.contents.append(content)
            course.guids.append(guid)
            course.lines[record.key] = (guid, line)
            course.files.append(index)
    return course


PARALLEL_BYTES = 2_000_000
"""Notes to work on (bytes) over which files are worked in several processes: below it,
starting them costs more than it saves (markdown-it reads about 2 MB a second)."""


def _work_on_all(
    sources: list[SourceFile], settings: Settings, jobs: int
) -> Iterator[bytes | None]:
    """Each file's result, encoded, in order, as it is done: in up to `jobs` processes when
    there is enough to do. None for a file the caller works on itself: every file when there
    is little to do, or one process, and a file naming a kept note type. A worker that dies
    (memory, a signal) fails the command, saying so."""
    workers = min(len(sources), jobs)
    done = 0
    if workers >= 2 and sum(len(s.text) for s in sources) >= PARALLEL_BYTES:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        # forkserver: a fresh process imports deckgen once (fork would copy a process with
        # threads).
        methods = multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
        try:
            with ProcessPoolExecutor(workers, mp_context=context) as pool:
                # One file a task: the last results do not wait on a long batch.
                for data in pool.map(_encoded, sources, repeat(settings)):
                    done += 1
                    yield data
        except BrokenProcessPool as exc:
            raise UsageError(
                f"error: a worker process died ({exc}); run again with --jobs 1"
            ) from None
    yield from repeat(None, len(sources) - done)


def _encoded(source: SourceFile, settings: Settings) -> bytes | None:
    # A worker is deckgen's own process: the cyclic collector is paused while it works on a
    # file (the stages make no cycles; scanning their many objects cost a third of the time).
    gc.disable()
    try:
        result = work_on(source, settings, None)
        return None if result is None else file_cache.encode(result)
    finally:
        gc.enable()
