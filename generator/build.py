"""The build, top to bottom: read; each file through parse, normalize, media, tags and
variants; across files, duplicates; the confusion checks of each deck; stamp; package; write.

Each stage is one function from frozen records to new frozen records plus the problems it
found; every problem is collected and the build fails once, before anything is written.
The stages that need one file alone are one pure function (`cards.each_file.work_on`),
whose results the per-file cache keeps for the next build (`cards.file_cache`). What the
last build left in the output folder, and this build's writes, are `output.uptodate`'s.

Import direction (a module imports only from its own folder and those before it):

    records, diagnostics, cloze, config, codec, fingerprint, progress   (the shared vocabulary)
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

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from .cards.across_files import across_files
from .cards.each_deck import each_deck
from .cards.each_file import Observer, Settings, each_file
from .cards.file_cache import NO_CACHE, Cache, Memory
from .config import Config
from .course_table import CourseIdentity
from .diagnostics import BuildFailed, Diagnostic, Severity, shown_path
from .identity.course import preset_name, settings_with_id, settle
from .identity.ids import preset_id
from .identity.lock import Lock, format_lock, outdated, read_course, read_lock
from .identity.look import own_types
from .identity.stamp import Earlier, Stamped, stamp
from .links import deck_description
from .output.package import package_clashes, packages
from .output.records_file import RECORDS_NAME, dump_records
from .output.study import preset
from .output.uptodate import output_folder
from .output.write import write_all
from .parse.read import read_sources
from .parse.suppressions import Suppression, file_suppressions, suppress
from .progress import SILENT, Progress
from .records import Kind, Location, Note, SourceFile
from .review.preview import Key, Preview, preview_of
from .review.recall import NO_HISTORY, History, earlier_of

PREVIEW_NAME = "index.html"


@dataclass(frozen=True, slots=True)
class Analysis:
    """Every stage's result, checked: what a build writes (or, for `check`, would write)."""

    stamped: Stamped
    """The identity stage's full result, lock included."""
    media: dict[str, bytes]
    """Shipped media file name -> contents."""
    warnings: tuple[Diagnostic, ...]
    """Problems that did not stop the build."""
    course: CourseIdentity
    """The course built (its id settled against the lock: `identity.course.settle`)."""
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
    cache: Cache = NO_CACHE,
    lock_of: Callable[[Path], Lock] = read_lock,
    checks: bool = True,
) -> Analysis:
    """Run every stage and check; raise BuildFailed with all problems at once. `earlier`
    says what the last build shipped of a note gone from the notes (None: this run writes no
    lock and so does not decide removals); `cache` keeps each file's result for the next
    build (`Cache.store`, once the build succeeds); `observe` sees each file's entries and
    records (every file is then worked here); `lock_of` reads the lock (`live.KeptLock`: kept
    while its file is the same). Without `checks`, the checks that compare records (a file's
    and a deck's: `each_file.checked`) are left out of the files worked and the decks: the
    notes, for `preview --watch` to show before it runs every check."""
    lock_path = shown_path(config.lock_path)
    course, problems = settle(
        config.course, read_course(config.lock_path), config.config_path, config.locked
    )
    config = replace(config, course=course)
    sources, found = read_sources(config.source)
    problems += found
    answered = suppressions(sources, config)
    progress.stage("files", len(sources))
    settings = Settings.of(config)
    files = each_file(sources, settings, cache, config.jobs, progress.advance, observe, checks)
    del sources  # each stage's input is freed once the next one has it: a smaller peak
    notes = across_files(files)
    media = {name: shipped.data for file in files for name, shipped in file.media.items()}
    del files
    problems += notes.problems
    progress.stage("confusions", len(notes.notes))
    problems += each_deck(notes, cache, config.language) if checks else []
    progress.stage("stamp", len(notes.notes))
    lock = lock_of(config.lock_path)
    release = config.release is not None and not config.locked
    stamped, found = stamp(
        notes.notes,
        notes.knowns,
        lock,
        config.build_time,
        config.now,
        lock_path,
        course,
        earlier,
        config.style,
        release,
    )
    problems += found
    problems += package_clashes(stamped.notes)
    if observe:
        observe("notes", stamped.notes)
    if config.locked:
        problems += outdated(lock, stamped.lock, stamped.notes, lock_path)
    problems, suppressed = suppress(problems, answered)
    if any(p.severity is Severity.ERROR or config.strict for p in problems):
        raise BuildFailed(problems, suppressed)
    warnings = tuple(sorted(problems, key=lambda p: p.sort_key))
    return Analysis(stamped, media, warnings, course, suppressed)


def suppressions(sources: Sequence[SourceFile], config: Config) -> list[Suppression]:
    """The warnings the author answered: in the notes, and the course's `[check] ignore`."""
    answered = [s for source in sources for s in file_suppressions(source)]
    if config.ignore:
        answered.append(Suppression(Location(shown_path(config.config_path), 1), config.ignore))
    return answered


def check(config: Config) -> tuple[list[Diagnostic], int]:
    """Every problem a build would report, without writing anything; and how many warnings
    the author's suppressions answered."""
    try:
        analysis = analyse(config, cache=Cache(config.cache_dir))  # read, never written
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
    offer = preset_name(config.course)
    about = deck_description(config.release, config.build_time, config.repository, offer)
    with output_folder(config.source, config.out, about) as last:
        fresh = last.current()
        if fresh is not None and not (config.strict and fresh.warnings):
            return Result(None, fresh.paths, fresh.warnings)
        course, _ = settle(config.course, read_course(config.lock_path), config.config_path)
        config = replace(config, course=course)  # analyse reports what settle finds
        earlier = None if config.locked else earlier_of(config.out, course, history)
        cache = Cache(config.cache_dir)
        analysis = analyse(config, progress, earlier=earlier, cache=cache)
        cache.store()  # every check passed: each entry is right for its key, come what may
        progress.stage("package", len(analysis.notes))
        notes, mods, media = analysis.notes, analysis.stamped.model_mods, analysis.media
        offered = preset(preset_id(course.id), offer)
        made = packages(notes, mods, media, offered, about, last.in_place)
        files = {config.out / name: data for name, data in made.written.items()}
        files[config.out / RECORDS_NAME] = dump_records(notes)
        files[config.lock_path] = format_lock(analysis.stamped.lock).encode()
        if not course.stored:
            files[config.config_path] = settings_with_id(config.config_path, course)
        progress.stage("write", len(files))
        outputs = last.write(files, made.kept, analysis.warnings, made.digests, progress.checkpoint)
        unchanged = tuple(sorted(config.out / name for name in made.kept))
        return Result(analysis, outputs, analysis.warnings, unchanged)


def preview(config: Config, out: Path) -> tuple[Path, tuple[Diagnostic, ...]]:
    """Check everything, then write the HTML preview of every card (and nothing else); the
    page's path and the warnings (a build's)."""
    shown, warnings = course_preview(config)
    write_all({out / PREVIEW_NAME: shown.page().encode()}, out)
    return out / PREVIEW_NAME, warnings


def course_preview(
    config: Config,
    memo: dict[Key, tuple[str, int]] | None = None,
    lock_of: Callable[[Path], Lock] = read_lock,
    memory: Memory | None = None,
    checks: bool = True,
) -> tuple[Preview, tuple[Diagnostic, ...]]:
    """Check everything; the preview of every card, and the warnings. With a `memo` (`preview
    --watch`, which calls again after each save: see `review.preview.preview_of`), the files'
    notes are cached as a build caches them, so the next call works only on the files that
    changed; without one, the last build's cache is read and nothing is written. `lock_of`
    reads the lock, `memory` keeps the cache's entries between calls (`file_cache.Cache`),
    and without `checks` the checks that compare records are left for the next call (see
    `analyse`)."""
    cache = Cache(config.cache_dir, memory)
    analysis = analyse(config, cache=cache, lock_of=lock_of, checks=checks)
    if memo is not None and checks:
        cache.store()
    courses = sorted({note.record.deck.split("::")[0] for note in analysis.notes})
    name = " · ".join(courses) or config.source.resolve().name  # the top-level decks
    css = own_types(analysis.course, config.style)[Kind.TERM].css  # all of them have the same
    return preview_of(analysis.notes, analysis.media, name, css, memo), analysis.warnings
