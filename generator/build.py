"""The build, top to bottom: read, parse, normalize, media, variants, tag, stamp, package, write."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

from .cache import CacheUpdate, parse_cached, store
from .config import Config
from .diagnostics import BuildFailed, Diagnostic, Severity
from .dump import dump_records
from .lock import format_lock, read_lock
from .media import collect_media
from .normalize import normalize
from .package import package
from .preview import preview_page
from .progress import SILENT, Progress
from .read import read_sources, shown_path
from .records import Note
from .stamp import Stamped, outdated, stamp
from .tags import tag
from .variants import variants
from .write import write_all

RECORDS_NAME = "records.jsonl"
PREVIEW_NAME = "index.html"


@dataclass(frozen=True, slots=True)
class Result:
    """What a build made (or, for `check`, would make)."""

    stamped: Stamped
    """The identity stage's full result, lock included."""
    media: dict[str, bytes]
    """Shipped media file name -> contents."""
    warnings: tuple[Diagnostic, ...]
    """Problems that did not stop the build."""
    cache_update: CacheUpdate
    """Parse results to remember for the next build, once this one has succeeded."""
    written: tuple[Path, ...] = ()
    """The files written (packages, records, lock); empty for a check."""

    @property
    def notes(self) -> tuple[Note, ...]:
        """The stamped notes, in package order."""
        return self.stamped.notes


def analyse(config: Config, progress: Progress = SILENT) -> Result:
    """Run every stage and check; raise BuildFailed with all problems at once."""
    lock_path = shown_path(config.lock_path)
    sources, problems = read_sources(config.source)
    progress.stage("parse", len(sources))
    entries, found, cache_update = parse_cached(
        sources, config.variants, config.cache_dir, progress.advance
    )
    del sources
    problems += found
    progress.stage("normalize", len(entries))
    records, found = normalize(entries)
    del entries  # each stage's input is freed once the next one has it: a smaller peak
    problems += found
    records, media, found = collect_media(records, config.source)
    problems += found
    progress.stage("variants", len(records))
    notes, found = variants(records, config.source.resolve().name)
    problems += found
    progress.stage("tags", len(notes))
    notes, found = tag(notes, config.vocabulary)
    problems += found
    progress.stage("stamp", len(notes))
    lock = read_lock(config.lock_path)
    stamped, found = stamp(notes, lock, config.build_time, lock_path)
    problems += found
    if config.locked:
        problems += outdated(lock, stamped.lock, stamped.notes, lock_path)
    if any(p.severity is Severity.ERROR or config.strict for p in problems):
        raise BuildFailed(problems)
    return Result(stamped, media, tuple(problems), cache_update)


def check(config: Config) -> list[Diagnostic]:
    """Every problem a build would report, without writing anything."""
    try:
        return list(analyse(config).warnings)
    except BuildFailed as failed:
        return list(failed.diagnostics)


def build(config: Config, progress: Progress = SILENT) -> Result:
    """Check everything, then write packages, records and lock, all or nothing."""
    result = analyse(config, progress)
    progress.stage("package", len(result.notes))
    with ThreadPoolExecutor(1, thread_name_prefix="deckgen-zip") as pool:
        zipping = package(result.notes, result.stamped.model_mods, result.media, pool)
        files = {
            config.out / RECORDS_NAME: dump_records(result.notes),
            config.lock_path: format_lock(result.stamped.lock).encode(),
        }
        files.update({config.out / name: job.result() for name, job in zipping.items()})
    progress.stage("write", len(files))
    write_all(files)
    store(config.cache_dir, result.cache_update)
    return replace(result, written=tuple(sorted(files)))


def preview(config: Config, out: Path) -> Path:
    """Check everything, then write the HTML preview of every card (and nothing else)."""
    result = analyse(config)
    page = out / PREVIEW_NAME
    write_all(
        {page: preview_page(result.notes, result.media, config.source.resolve().name).encode()}
    )
    return page
