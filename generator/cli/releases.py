"""Commands for releases: what changed between two builds, and what Anki makes of a build."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .options import EXIT_PROBLEMS, source_option


@click.command()
@click.argument("builds", nargs=-1, required=True, metavar="[OLD] NEW")
@source_option
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
    from ..course import find_source
    from ..revisions import release_notes

    if len(builds) > 2:
        raise click.UsageError("give at most two builds: OLD and NEW")
    notes = source or find_source(Path.cwd()) or Path("source")  # only a git revision needs it
    click.echo(release_notes(builds, notes, release, output_format), nl=False)


@click.command()
@click.argument("build_dir", type=click.Path(path_type=Path), required=False)
def verify(build_dir: Path | None) -> None:
    """Import every package in BUILD_DIR into a scratch Anki collection and report: notes,
    cards per note type and deck, tags, empty cards, duplicates, notes Anki would flag.
    Needs anki (pip install anki==26.9.3). Exit status 1 on any empty card or duplicate."""
    from ..course import course_source, default_out
    from ..review.verify import verify as run_verify

    if build_dir is None:
        build_dir = default_out(course_source(None, Path.cwd()), Path.cwd())
    seen = run_verify(build_dir)
    for line in seen.report():
        click.echo(line)
    if not seen.ok:
        click.echo("verify failed: empty cards or duplicates", err=True)
        sys.exit(EXIT_PROBLEMS)


@click.command()
@source_option
@click.option(
    "--forget",
    "releases",
    type=click.IntRange(min=1),
    default=None,
    metavar="N",
    help="Stop shipping the removed notes that N or more releases shipped marked "
    "(students keep them, marked; new students no longer get them).",
)
def removed(source: Path | None, releases: int | None) -> None:
    """List the notes removed from the source that are still shipped, marked as removed,
    with the date and the releases (git tags) that shipped them; --forget N drops them from
    deckgen.lock once N releases have. Students find them with `tag:deckgen::removed::*`."""
    from ..removals import forget, removed_notes, report
    from .options import config_for

    config = config_for(source, None, locked=False, strict=False)
    if releases is None:
        for line in report(removed_notes(config)):
            click.echo(line)
        return
    dropped = forget(config, releases)
    for gone in dropped:
        click.echo(f"forgot {gone.line()}")
    click.echo(f"{len(dropped)} removed note(s) forgotten; build and commit deckgen.lock")
