"""The build, top to bottom: read; each file through parse, normalize, media, tags and
variants (and the confusion checks of a deck no other file shares); then, over every file,
duplicates, the confusions of decks over several files, stamp; package; write.

Each stage is one function from frozen records to new frozen records plus the problems it
found; every problem is collected and the build fails once, before anything is written.
The stages that need one file alone run per file (`cards.each_file`): a rebuild reads an
unchanged file's notes from the cache, and a large course is worked on every core. After
an edit, stamp takes an unchanged file's GUIDs and mods from what the last build stamped,
and the lock is the last build's with the changed lines replaced (`output.restamp`).

Import direction (a module imports only from its own folder and those before it):

    records, diagnostics, cloze, config, fingerprint, progress   (the shared vocabulary)
    -> parse/      notes files -> entries
    -> identity/   keys, GUIDs, ids, note types, lock, stamp: what collections remember
    -> cards/      entries -> records -> notes (normalize, media, tags, variants, each_file)
    -> output/     notes -> collection, packages, records.jsonl, atomic writes, state
    -> review/     packages read back: diff, verify, render, preview
    -> importing/  cards from elsewhere -> notes files (deckgen import)
    -> build.py    (this file), revisions.py, removals.py, live.py, course.py -> cli/

identity/ comes before cards/ because normalize computes each record's key and variants
fills the note types' fields; its stamp stage still runs after them.
tests/test_layout.py keeps this direction.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path

from .cards.each_deck import each_deck
from .cards.each_file import Settings, across_files, each_file
from .cards.file_cache import CacheUpdate, store
from .config import CONFIG_NAME, Config
from .course_table import CourseIdentity
from .diagnostics import BuildFailed, Diagnostic, Severity, shown_path
from .identity.course import preset_name, settings_with_id, settle
from .identity.ids import preset_id
from .identity.lock import format_lock, outdated, read_course, read_lock
from .identity.look import own_types
from .identity.stamp import Earlier, Stamped, stamp
from .links import deck_description
from .output.package import package, package_clashes, package_digests
from .output.records_file import RECORDS_NAME, dump_records
from .output.restamp import Files, files_of, remember, restamp
from .output.study import preset
from .output.uptodate import (
    fingerprint,
    in_place,
    input_digests,
    last_state,
    record_state,
    remove_stale,
    up_to_date,
)
from .output.write import exclusive, recover, write_all
from .parse.read import read_sources
from .parse.suppressions import Suppression, file_suppressions, suppress
from .progress import SILENT, Progress
from .records import Kind, Location, Note
from .review.preview import Key, Preview, preview_of
from .review.recall import NO_HISTORY, History, earlier_of

PREVIEW_NAME = "index.html"

Observer = Callable[[str, Sequence[object]], None]
"""Called with each stage's name and output (`entries`, `records`, `notes`), for tests and tools."""


@dataclass(frozen=True, slots=True)
class Analysis:
    """Every stage's result, checked: what a build writes (or, for `check`, would write)."""

    stamped: Stamped
    """The identity stage's full result, lock included."""
    media: dict[str, bytes]
    """Shipped media file name -> contents."""
    warnings: tuple[Diagnostic, ...]
    """Problems that did not stop the build."""
    cache_update: CacheUpdate
    """Each file's notes to remember for the next build, once every check has passed (`build`
    stores them before it packages, and keeps the keys alone)."""
    decks_update: CacheUpdate
    """Each deck's confusion checks, likewise."""
    record_lines: dict[str, tuple[str, bytes]]
    """Record key -> the GUID its file gave its note and the line of records.jsonl it made
    with it (`cards.each_file.Course.lines`)."""
    files: Files
    """The notes files stamped, in order (what the memo of `output.restamp` keeps)."""
    course: CourseIdentity
    """The course built (its id settled against the lock: `identity.course.settle`)."""
    lock_text: str | None = None
    """deckgen.lock's text, when patched from the last build's (`output.restamp`); None:
    formatted whole from `stamped.lock` when written."""
    suppressed: int = 0
    """Warnings the author answered (`parse.suppressions`), not among `warnings`."""

    @property
    def notes(self) -> tuple[Note, ...]:
        """The stamped notes, in package order."""
        return self.stamped.notes


@dataclass(frozen=True, slots=True)
class Result:
    """What `build` did."""

    analysis: Analysis | None
    """The stages' results; None when the outputs were already up to date."""
    outputs: tuple[Path, ...]
    """Every output, in place: packages, records.jsonl and the lock."""
    warnings: tuple[Diagnostic, ...]
    """Problems that did not stop the build (remembered from the last build when up to date)."""
    unchanged: tuple[Path, ...] = ()
    """Packages left in place: what they hold did not change (among `outputs`)."""

    @property
    def up_to_date(self) -> bool:
        return self.analysis is None

    @property
    def notes(self) -> tuple[Note, ...]:
        """The notes built; empty when nothing had to be built."""
        return self.analysis.notes if self.analysis else ()

    @property
    def packages(self) -> tuple[Path, ...]:
        return tuple(p for p in self.outputs if p.suffix == ".apkg")


def analyse(
    config: Config,
    progress: Progress = SILENT,
    observe: Observer | None = None,
    earlier: Earlier | None = None,
) -> Analysis:
    """Run every stage and check; raise BuildFailed with all problems at once. `earlier`
    says what the last build shipped of a note gone from the notes (None: this run writes no
    lock and so does not decide removals)."""
    lock_path = shown_path(config.lock_path)
    identity, problems = settle(
        config.course, read_course(config.lock_path), config.config_path, config.locked
    )
    config = replace(config, course=identity)
    sources, found = read_sources(config.source)
    problems += found
    answered = [s for source in sources for s in file_suppressions(source)]
    if config.ignore:
        answered.append(Suppression(Location(shown_path(config.config_path), 1), config.ignore))
    progress.stage("files", len(sources))
    settings = Settings(
        config.source.resolve(),
        config.variants,
        config.vocabulary,
        config.repository,
        identity.id,
        config.language,
    )
    # Observed: every file worked on here, none read from the cache, so each stage is seen.
    cache = None if observe else config.cache_dir
    files, cache_update = each_file(sources, settings, cache, progress.advance, config.jobs)
    del sources
    if observe:
        observe("entries", [entry for file in files for entry in file.entries or ()])
        observe("records", [record for file in files for record in file.records or ()])
    course = across_files(files)
    media = {name: shipped.data for file in files for name, shipped in file.media.items()}
    del files  # each stage's input is freed once the next one has it: a smaller peak
    problems += course.problems
    progress.stage("confusions", len(course.notes))
    found, decks_update = each_deck(
        course, None if observe else config.deck_cache_dir, config.language
    )
    problems += found
    progress.stage("stamp", len(course.notes))
    files_stamped = files_of(course)
    # A build after an edit stamps the changed files' notes, from what the last one left.
    again = None
    if earlier is not None and not config.locked and not config.release and not observe:
        again = restamp(course, files_stamped, config, settings, earlier)
    notes, contents, guids, lines = course.notes, course.contents, course.guids, course.lines
    del course
    if again is None:
        lock = read_lock(config.lock_path)
        stamped, found = stamp(
            notes,
            contents,
            guids,
            lock,
            config.build_time,
            config.now,
            lock_path,
            identity,
            earlier,
            config.style,
            release=config.release is not None and not config.locked,
        )
    else:
        stamped, found = again.stamped, again.problems
    problems += found
    problems += package_clashes(stamped.notes)
    if observe:
        observe("notes", stamped.notes)
    if config.locked:  # (never restamped)
        problems += outdated(lock, stamped.lock, stamped.notes, lock_path)
    problems, suppressed = suppress(problems, answered)
    if any(p.severity is Severity.ERROR or config.strict for p in problems):
        raise BuildFailed(problems, suppressed)
    return Analysis(
        stamped,
        media,
        tuple(sorted(problems, key=lambda p: p.sort_key)),
        cache_update,
        decks_update,
        lines,
        files_stamped,
        identity,
        None if again is None else again.lock,
        suppressed,
    )


def check(config: Config) -> tuple[list[Diagnostic], int]:
    """Every problem a build would report, without writing anything; and how many warnings
    the author's suppressions answered."""
    try:
        analysis = analyse(config)
        return list(analysis.warnings), analysis.suppressed
    except BuildFailed as failed:
        return list(failed.diagnostics), failed.suppressed


def build(
    config: Config,
    progress: Progress = SILENT,
    history: History = NO_HISTORY,
) -> Result:
    """Check everything, then write packages, records and lock, all or nothing.

    A note gone from the notes is shipped marked as removed, from what the packages in the
    output folder hold of it, else from `earlier(course)` (revisions.py: the notes at the
    commit that last wrote the lock, built).

    A course whose deckgen.toml has no course id yet gets one (the lock's, else a new one),
    written into deckgen.toml with the other outputs.

    When nothing changed since the last build (same inputs, same deckgen, outputs untouched)
    nothing is done, and the last build's warnings are returned. One build at a time writes
    to an output directory; a second one waits for it.
    """
    with exclusive(config.out):
        recover(config.out)  # a build killed after its commit point is completed first
        digests = input_digests(config.source)  # the inputs as this build reads them
        offer = preset_name(config.course)
        about = deck_description(config.release, config.build_time, config.repository, offer)
        digests["deck description"] = about.encode()
        previous = last_state(config.out)
        fresh = up_to_date(config.out, fingerprint(digests, config.out))
        if fresh is not None and not (config.strict and fresh.warnings):
            return Result(None, fresh.outputs, fresh.warnings)
        course, _ = settle(config.course, read_course(config.lock_path), config.config_path)
        config = replace(config, course=course)  # analyse reports what settle finds
        earlier = None if config.locked else earlier_of(config.out, course, history)
        analysis = analyse(config, progress, earlier=earlier)
        settings_text = None if course.stored else settings_with_id(config.config_path, course)
        # Every check passed: the caches are stored now (each entry is right for its key
        # whatever happens next), and their bytes are not held while packaging.
        store(config.cache_dir, analysis.cache_update)
        store(config.deck_cache_dir, analysis.decks_update)
        analysis = replace(
            analysis,
            cache_update=analysis.cache_update.written(),
            decks_update=analysis.decks_update.written(),
        )
        progress.stage("package", len(analysis.notes))
        mods = analysis.stamped.model_mods
        # Each package's hash says whether it is the same as last time (left in place, not
        # rewritten); with no last build, it is made while the packages are deflated.
        offered = preset(preset_id(course.id), offer)
        digests_of = partial(package_digests, analysis.notes, mods, analysis.media, offered, about)
        contents = digests_of() if previous is not None else None
        kept = in_place(previous, config.out, contents) if contents is not None else set()
        with ThreadPoolExecutor(1, thread_name_prefix="deckgen-zip") as pool:
            zipping = package(analysis.notes, mods, analysis.media, pool, offered, about, kept)
            contents = digests_of() if contents is None else contents
            lock_text = analysis.lock_text
            lock = (
                lock_text if lock_text is not None else format_lock(analysis.stamped.lock)
            ).encode()
            files = {
                config.out / RECORDS_NAME: dump_records(analysis.notes, analysis.record_lines),
                config.lock_path: lock,
            }
            files.update({config.out / name: job.result() for name, job in zipping.items()})
            if settings_text is not None:
                files[config.config_path] = settings_text
        progress.stage("write", len(files))
        write_all(files, config.out, progress.checkpoint)
        outputs = tuple(
            sorted({*files, *(config.out / name for name in kept)} - {config.config_path})
        )
        remove_stale(previous, config.out, outputs)
        # The state describes the inputs this build read, and the lock it wrote: an input
        # edited while the build ran makes the next build run again.
        digests[config.lock_path.relative_to(config.source).as_posix()] = hashlib.sha256(
            lock
        ).digest()
        if settings_text is not None:
            digests[CONFIG_NAME] = hashlib.sha256(settings_text).digest()
        state = fingerprint(digests, config.out)
        record_state(config.out, state, outputs, analysis.warnings, contents)
        remember(config.stamps_path, analysis.files, analysis.stamped, lock)
        unchanged = tuple(sorted(config.out / name for name in kept))
        return Result(analysis, outputs, analysis.warnings, unchanged)


def preview(config: Config, out: Path) -> Path:
    """Check everything, then write the HTML preview of every card (and nothing else)."""
    write_all({out / PREVIEW_NAME: course_preview(config).page().encode()}, out)
    return out / PREVIEW_NAME


def course_preview(config: Config, memo: dict[Key, tuple[str, int]] | None = None) -> Preview:
    """Check everything; the preview of every card. With a `memo` (`preview --watch`, which
    calls again after each save: see `review.preview.preview_of`), the files' notes are
    cached as a build caches them, so the next call works only on the files that changed."""
    analysis = analyse(config)
    if memo is not None:
        store(config.cache_dir, analysis.cache_update)
        store(config.deck_cache_dir, analysis.decks_update)
    courses = sorted({note.record.deck.split("::")[0] for note in analysis.notes})
    name = " · ".join(courses) or config.source.resolve().name  # the top-level decks
    css = own_types(analysis.course, config.style)[Kind.TERM].css  # all of them have the same
    return preview_of(analysis.notes, analysis.media, name, css, memo)
