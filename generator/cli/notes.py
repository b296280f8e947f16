"""Commands on the notes: check them, build the decks, preview the cards, count them."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..progress import gc_paused
from .options import (
    EXIT_PROBLEMS,
    config_for,
    count,
    jobs_option,
    out_option,
    progress_for,
    source_option,
    strict_option,
)


@click.command()
@source_option
@out_option(
    "Directory to write the .apkg packages and records.jsonl to [default: build/ beside the notes]."
)
@click.option(
    "--locked",
    is_flag=True,
    help="Fail, naming what changed, if deckgen.lock is out of date (for CI releases).",
)
@click.option(
    "--release",
    default=None,
    metavar="TAG",
    help="Build release TAG (v1.3.0): each deck's description names it, with the date "
    "(SOURCE_DATE_EPOCH, else today) and, with `repository` set, a link to its notes.",
)
@strict_option
@jobs_option
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but problems.")
@click.option("-v", "--verbose", is_flag=True, help="Print each stage with its time.")
def build(
    source: Path | None,
    out: Path | None,
    locked: bool,
    release: str | None,
    strict: bool,
    jobs: int | None,
    quiet: bool,
    verbose: bool,
) -> None:
    """Check the notes, then write the decks, records and lock.

    Nothing is written if any error is found: the previous build/ stays as it was.
    The time stamped on changed notes is SOURCE_DATE_EPOCH if set, else now.
    """
    from ..build import build as run_build
    from ..revisions import history

    config = config_for(source, out, locked=locked, strict=strict, release=release, jobs=jobs)
    progress = progress_for(quiet=quiet, verbose=verbose)
    try:
        with gc_paused():
            result = run_build(config, progress, history(config.source))
    finally:
        progress.done()
    from ..report import report

    report(result.warnings, "text", summary=False)
    if quiet:
        return
    if result.up_to_date:
        click.echo(f"{config.out}: up to date")
        return
    for path in result.packages:
        click.echo(f"{'unchanged' if path in result.unchanged else 'wrote'} {path}")
    gone = sum(1 for note in result.notes if note.removed)
    shipped = f" (and {gone} removed, shipped marked)" if gone else ""
    click.echo(
        f"{count(len(result.notes) - gone, 'note')}{shipped} in "
        f"{count(len(result.packages), 'package')}; {count(len(result.warnings), 'warning')}"
    )
    drafts = result.analysis.stamped.forgotten if result.analysis else ()
    if drafts:
        click.echo(
            f"forgot {count(len(drafts), 'deleted note')} no release shipped (drafts: a release "
            "is a tag vX.Y.Z or a build with --release): "
            + "; ".join(f"{entry.deck} \u203a {entry.front}" for entry in drafts[:5])
            + ("; ..." if len(drafts) > 5 else "")
        )


@click.command()
@source_option
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json", "github"]),
    default="text",
    show_default=True,
    help="text: path:line:col lines; json: for tools; github: GitHub Actions annotations.",
)
@strict_option
def check(source: Path | None, output_format: str, strict: bool) -> None:
    """Check the notes and report every problem, writing nothing.

    Exit status: 0 clean, 1 problems found (warnings only with --strict), 2 usage error.
    """
    from ..build import check as run_check
    from ..diagnostics import Severity

    config = config_for(source, None, locked=False, strict=False)
    with gc_paused():
        diagnostics, suppressed = run_check(config)
    from ..report import report

    report(diagnostics, output_format)
    if suppressed and output_format == "text":
        click.echo(f"{count(suppressed, 'warning')} suppressed (deckgen: ignore)", err=True)
    failing = [d for d in diagnostics if d.severity is Severity.ERROR or strict]
    sys.exit(EXIT_PROBLEMS if failing else 0)


@click.command()
@source_option
@out_option("Directory to write index.html to [default: build/preview/ beside the notes].")
@click.option("--open", "open_browser", is_flag=True, help="Open the preview in a browser.")
@click.option(
    "--watch",
    is_flag=True,
    help="Serve the preview on 127.0.0.1, rebuild it on every change to the notes and update "
    "the open page.",
)
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8765,
    show_default=True,
    help="Port to serve on with --watch (0: any free one).",
)
def preview(
    source: Path | None, out: Path | None, open_browser: bool, watch: bool, port: int
) -> None:
    """Write an HTML page of every card, front and back, as Anki shows it: one file, no
    network; filter by deck and tag, search, night mode, phone width. Nothing else is
    written; the lock is untouched. With --watch, keep it up to date while you write."""
    if watch:
        from ..course import course_source, default_out
        from ..live import serve

        root = course_source(source, Path.cwd())
        folder = out or default_out(root, Path.cwd()) / "preview"

        def say(message: str, problem: bool) -> None:
            click.echo(message, err=problem)
            if open_browser and message.startswith("serving the preview at "):
                _open(message.split()[4])

        # The configuration is read again at each rebuild: deckgen.toml may change too.
        serve(lambda: config_for(root, None, locked=False, strict=False), root, folder, port, say)
        return
    from ..build import preview as run_preview
    from ..report import report

    config = config_for(source, None, locked=False, strict=False)
    page, warnings = run_preview(config, out or config.out / "preview")
    report(warnings, "text", summary=False)
    click.echo(f"wrote {page}")
    if open_browser:
        _open(page.resolve().as_uri(), page)


def _open(address: str, shown: object = None) -> None:
    import webbrowser

    try:  # finds none on a machine without a display or a browser: say so, quietly
        webbrowser.get().open(address)
    except webbrowser.Error:
        click.echo(f"no web browser found here: open {shown or address} in one", err=True)


@click.command()
@source_option
def stats(source: Path | None) -> None:
    """Print the deck tree the notes make, with notes and cards per deck, and the study plan
    (new cards, days at 20 a day, notes whose cards meet on one day), as Markdown."""
    from ..build import analyse
    from ..cards.file_cache import Cache
    from ..review.stats import deck_tree, markdown_table, plan_markdown, study_plan

    config = config_for(source, None, locked=False, strict=False)
    notes = analyse(config, cache=Cache(config.cache_dir)).notes  # read, never written
    click.echo(markdown_table(deck_tree(notes)) + "\n" + plan_markdown(study_plan(notes)), nl=False)
