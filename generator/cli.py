"""The command line: options in, a typed Config to the library, diagnostics and exit codes out.

The library is imported inside each command so that `deckgen --help` starts fast.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from . import __version__
from .progress import gc_paused

if TYPE_CHECKING:
    from .config import Config
    from .progress import Progress

F = TypeVar("F", bound=Callable[..., Any])

EXIT_PROBLEMS = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130


def _source_option(function: F) -> F:
    return click.option(
        "--source",
        type=click.Path(path_type=Path, file_okay=False),
        default=None,
        help="Directory of Markdown notes, with deckgen.toml and deckgen.lock "
        "[default: the course this folder is in].",
    )(function)


def _strict_option(function: F) -> F:
    return click.option("--strict", is_flag=True, help="Treat warnings as errors.")(function)


class _Deckgen(click.Group):
    """The command group, with the one error boundary of deckgen: every command runs inside it.

    The library raises; here, and only here, exceptions become text and exit statuses:
    UsageError -> 2; BuildFailed -> the diagnostics and 1; CannotWrite and any other
    OSError -> `path: error: ...` and 1; Ctrl-C -> 130. No traceback reaches a user for
    bad input, a bad path or an interruption.
    """

    def invoke(self, ctx: click.Context) -> Any:
        from .diagnostics import BuildFailed, CannotWrite, UsageError

        try:
            return super().invoke(ctx)
        except UsageError as exc:
            click.echo(f"deckgen: {exc}", err=True)
            raise click.exceptions.Exit(EXIT_USAGE) from None
        except BuildFailed as failed:
            from .report import report

            report(failed.diagnostics, "text")
            raise click.exceptions.Exit(EXIT_PROBLEMS) from None
        except BrokenPipeError:  # `deckgen diff ... | head`: the reader has gone; so do we
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115  nothing more reaches the pipe
            raise click.exceptions.Exit(EXIT_PROBLEMS) from None
        except CannotWrite as exc:
            click.echo(f"{exc.path}: error: cannot write: {exc.reason}", err=True)
            raise click.exceptions.Exit(EXIT_PROBLEMS) from None
        except OSError as exc:
            where = exc.filename if exc.filename is not None else "deckgen"
            click.echo(f"{where}: error: {exc.strerror or exc}", err=True)
            raise click.exceptions.Exit(EXIT_PROBLEMS) from None
        except KeyboardInterrupt:
            click.echo("deckgen: interrupted", err=True)
            raise click.exceptions.Exit(EXIT_INTERRUPTED) from None


def _show_version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        from .fingerprint import byte_versions

        click.echo(f"deckgen {__version__} ({byte_versions()})")
        ctx.exit()


@click.group(cls=_Deckgen, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--version",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=_show_version,
    help="Show deckgen's version and the versions its packages' bytes depend on.",
)
def main() -> None:
    """Build Anki decks (.apkg) from Markdown lecture notes kept in Git.

    Notes live in SOURCE (default: source/) as Markdown files, each opening with a
    metadata block naming its deck. `deckgen build` writes one package per top-level
    deck into OUT (default: build/), ready to import into Anki, AnkiDroid or AnkiMobile.
    """


@main.command()
@_source_option
@click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Directory to write the .apkg packages and records.jsonl to "
    "[default: build/ beside the notes].",
)
@click.option(
    "--locked",
    is_flag=True,
    help="Fail, naming what changed, if deckgen.lock is out of date (for CI releases).",
)
@_strict_option
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but problems.")
@click.option("-v", "--verbose", is_flag=True, help="Print each stage with its time.")
def build(
    source: Path | None, out: Path | None, locked: bool, strict: bool, quiet: bool, verbose: bool
) -> None:
    """Check the notes, then write the decks, records and lock.

    Nothing is written if any error is found: the previous build/ stays as it was.
    The time stamped on changed notes is SOURCE_DATE_EPOCH if set, else now.
    """
    from .build import build as run_build

    config = _config(source, out, locked=locked, strict=strict)
    progress = _progress(quiet=quiet, verbose=verbose)
    try:
        with gc_paused():
            result = run_build(config, progress)
    finally:
        progress.done()
    from .report import report

    report(result.warnings, "text", summary=False)
    if quiet:
        return
    if result.up_to_date:
        click.echo(f"{config.out}: up to date")
        return
    for path in result.packages:
        click.echo(f"wrote {path}")
    click.echo(
        f"{_count(len(result.notes), 'note')} in {_count(len(result.packages), 'package')}; "
        f"{_count(len(result.warnings), 'warning')}"
    )


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


@main.command()
@_source_option
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json", "github"]),
    default="text",
    show_default=True,
    help="text: path:line:col lines; json: for tools; github: GitHub Actions annotations.",
)
@_strict_option
def check(source: Path | None, output_format: str, strict: bool) -> None:
    """Check the notes and report every problem, writing nothing.

    Exit status: 0 clean, 1 problems found (warnings only with --strict), 2 usage error.
    """
    from .build import check as run_check
    from .diagnostics import Severity

    config = _config(source, None, locked=False, strict=False)
    with gc_paused():
        diagnostics = run_check(config)
    from .report import report

    report(diagnostics, output_format)
    failing = [d for d in diagnostics if d.severity is Severity.ERROR or strict]
    sys.exit(EXIT_PROBLEMS if failing else 0)


@main.command()
@click.argument("builds", nargs=-1, required=True, metavar="[OLD] NEW")
@_source_option
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["markdown", "json"]),
    default="markdown",
    show_default=True,
    help="markdown: release notes for students and teachers; json: for tools.",
)
@click.option(
    "--release",
    default=None,
    help="The release's tag (v1.3.0): its title, and OLD when only NEW is given (the highest "
    "earlier vX.Y.Z tag; none: a first release).",
)
def diff(
    builds: tuple[str, ...], source: Path | None, output_format: str, release: str | None
) -> None:
    """Release notes: what changes for students from OLD to NEW, and how to import it.

    OLD and NEW: a .apkg, a build directory, or a git revision of the notes (built on the
    fly); NEW alone: a first release. Counts, the import settings this release needs, and
    per deck each note added, changed or removed; then media and card styles that changed.
    """
    from .course import find_source
    from .revisions import release_notes

    if len(builds) > 2:
        raise click.UsageError("give at most two builds: OLD and NEW")
    notes = source or find_source(Path.cwd()) or Path("source")  # only a git revision needs it
    click.echo(release_notes(builds, notes, release, output_format), nl=False)


@main.command()
@click.argument("build_dir", type=click.Path(path_type=Path), required=False)
def verify(build_dir: Path | None) -> None:
    """Import every package in BUILD_DIR into a scratch Anki collection and report: notes,
    cards per note type and deck, tags, empty cards, duplicates, notes Anki would flag.
    Needs anki (pip install anki==26.9.3). Exit status 1 on any empty card or duplicate."""
    from .course import course_source, default_out
    from .review.verify import verify as run_verify

    if build_dir is None:
        build_dir = default_out(course_source(None, Path.cwd()), Path.cwd())
    seen = run_verify(build_dir)
    for line in seen.report():
        click.echo(line)
    if not seen.ok:
        click.echo("verify failed: empty cards or duplicates", err=True)
        sys.exit(EXIT_PROBLEMS)


@main.command()
@_source_option
@click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Directory to write index.html to [default: build/preview/ beside the notes].",
)
@click.option("--open", "open_browser", is_flag=True, help="Open the preview in a browser.")
def preview(source: Path | None, out: Path | None, open_browser: bool) -> None:
    """Write an HTML page of every card, front and back, as Anki shows it: one file, no
    network; filter by deck and tag, search, night mode, phone width. Nothing else is
    written; the lock is untouched."""
    from .build import preview as run_preview

    config = _config(source, None, locked=False, strict=False)
    page = run_preview(config, out or config.out / "preview")
    click.echo(f"wrote {page}")
    if open_browser:
        click.launch(str(page))


@main.command()
@click.argument("directory", type=click.Path(path_type=Path, file_okay=False), default=Path("."))
@click.option(
    "--title", default=None, help="The course's top-level deck [default: the folder's name]."
)
@click.option(
    "--deckgen-spec",
    default=None,
    help="How the course's CI installs deckgen, as a pip requirement "
    "[default: how this deckgen was installed].",
)
def init(directory: Path, title: str | None, deckgen_spec: str | None) -> None:
    """Start a course in DIRECTORY: notes, settings, CI and release workflows, a README.

    Nothing that exists is overwritten. Then `cd DIRECTORY && deckgen build`.
    """
    from .course import deckgen_spec as detected_spec
    from .course import init_course

    spec = deckgen_spec if deckgen_spec is not None else detected_spec()
    name = title or directory.resolve().name.replace("-", " ").replace("_", " ").title()
    for path in init_course(directory, name, spec):
        click.echo(f"wrote {path}")
    if not spec:
        why = "this deckgen runs from a local folder, which CI cannot install"
        click.echo(f"note: {why}: set DECKGEN_SPEC (or init --deckgen-spec)", err=True)
    here = directory.resolve() == Path.cwd().resolve()
    click.echo("next: deckgen build" if here else f"next: cd {directory} && deckgen build")


@main.command()
@_source_option
def stats(source: Path | None) -> None:
    """Print the deck tree the notes make, with notes and cards per deck, as Markdown."""
    from .build import analyse
    from .review.stats import deck_tree, markdown_table

    config = _config(source, None, locked=False, strict=False)
    click.echo(markdown_table(deck_tree(analyse(config).notes)), nl=False)


@main.command("import")
@click.argument("sources", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False))
@click.option("--deck", default=None, help="Put every note in this deck [default: the source's].")
@click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Folder to write the notes to [default: the course's notes, or ./source].",
)
def import_(sources: tuple[Path, ...], deck: str | None, out: Path | None) -> None:
    """Turn existing cards into deckgen notes: Anki packages (.apkg, .colpkg), Anki's text
    export, CSV or TSV term lists, flashcard-page exports. Notes from a package keep their
    GUIDs and note types: students keep their reviews with Anki's default import settings.
    Repairs worth a look are left as comments that `deckgen check` reports."""
    from .course import find_source
    from .importing.run import import_cards

    folder = out or find_source(Path.cwd()) or Path("source")
    for line in import_cards(list(sources), folder, deck).report(folder):
        click.echo(line)


def _progress(*, quiet: bool, verbose: bool) -> Progress:
    """A bar on a terminal; nothing in CI logs, pipes or with --quiet; stage times with --verbose."""
    from .progress import choose

    pause = os.environ.get("DECKGEN_TEST_PAUSE")  # stage:marker, for tests (see PauseAt)
    return choose(quiet=quiet, verbose=verbose, terminal=sys.stderr.isatty(), pause=pause)


def _config(source: Path | None, out: Path | None, *, locked: bool, strict: bool) -> Config:
    from .config import build_time, load_config
    from .course import course_source, default_out

    source = course_source(source, Path.cwd())
    out = out if out is not None else default_out(source, Path.cwd())
    return load_config(
        source,
        out,
        build_time=build_time(os.environ.get("SOURCE_DATE_EPOCH")),
        locked=locked,
        strict=strict,
    )
