"""What every command shares: the --source and --strict options, exit codes, and the one
way a command turns its options into a Config."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

if TYPE_CHECKING:
    from ..config import Config
    from ..progress import Progress

F = TypeVar("F", bound=Callable[..., Any])

EXIT_PROBLEMS = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130


def source_option(function: F) -> F:
    return click.option(
        "--source",
        type=click.Path(path_type=Path, file_okay=False),
        default=None,
        help="Directory of Markdown notes, with deckgen.toml and deckgen.lock "
        "[default: the course this folder is in].",
    )(function)


def out_option(what: str) -> Callable[[F], F]:
    """`--out DIR`: where a command writes `what` (its help text)."""
    return click.option(
        "--out", type=click.Path(path_type=Path, file_okay=False), default=None, help=what
    )


def jobs_option(function: F) -> F:
    return click.option(
        "-j",
        "--jobs",
        type=click.IntRange(min=1),
        default=None,
        help="Worker processes for a large course [default: one per core].",
    )(function)


def strict_option(function: F) -> F:
    return click.option("--strict", is_flag=True, help="Treat warnings as errors.")(function)


def count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def progress_for(*, quiet: bool, verbose: bool) -> Progress:
    """A bar on a terminal; nothing in CI logs, pipes or with --quiet; stage times with --verbose."""
    from ..progress import choose

    return choose(quiet=quiet, verbose=verbose, terminal=sys.stderr.isatty())


def config_for(
    source: Path | None,
    out: Path | None,
    *,
    locked: bool,
    strict: bool,
    release: str | None = None,
    jobs: int | None = None,
) -> Config:
    """The Config of the course `source` is in (or names), for a command: the build time from
    SOURCE_DATE_EPOCH, and `jobs` worker processes (None: one per core)."""
    from ..config import build_time, load_config
    from ..course import course_source, default_out

    source = course_source(source, Path.cwd())
    out = out if out is not None else default_out(source, Path.cwd())
    return load_config(
        source,
        out,
        build_time=build_time(os.environ.get("SOURCE_DATE_EPOCH")),
        locked=locked,
        strict=strict,
        release=release,
        jobs=(os.cpu_count() or 1) if jobs is None else jobs,
    )
