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
@click.argument("new", required=False, metavar="[NEW]")
@click.option(
    "--from",
    "old",
    default=None,
    metavar="OLD",
    help="Upgrade a collection that studied OLD (a .apkg, a build directory or a git "
    "revision) to NEW, and report what the students of OLD get.",
)
@click.option(
    "--release",
    default=None,
    metavar="TAG",
    help="With NEW the build of release TAG: OLD is the release before it (the highest "
    "earlier vX.Y.Z tag; none: nothing to upgrade from).",
)
@source_option
def verify(new: str | None, old: str | None, release: str | None, source: Path | None) -> None:
    """Import NEW (default: the course's build/) into a scratch Anki collection and report
    notes, cards per note type and deck, tags, empty cards, duplicates and flagged notes.

    With --from OLD: import OLD, answer every card once, import NEW, and report the notes
    it adds, updates and leaves conflicting, empty cards, notes whose cards stay in another
    deck, and any review lost. Needs anki (pip install anki==26.9.3; with pipx: pipx inject
    deckgen-md anki==26.9.3). Exit status 1 on an empty card or a duplicate (a review lost
    or a duplicate with --from)."""
    from ..course import course_source, default_out, find_source
    from ..revisions import Spec, packages_of, previous_release

    notes = source or find_source(Path.cwd()) or Path("source")  # only a revision needs it
    if new is None:
        new = str(default_out(course_source(source, Path.cwd()), Path.cwd()))
    if old is not None and release is not None:
        raise click.UsageError("give --from OLD or --release TAG, not both")
    before = Spec(old) if old is not None else None
    if release is not None:
        previous = previous_release(release, notes)
        if previous is None:
            click.echo(f"{release} is the first release: no earlier release to upgrade from")
            return
        before = Spec(f"refs/tags/{previous}", revision=True)
    with packages_of(Spec(new), notes) as after:
        if before is None:
            from ..review.verify import verify as run_verify

            seen = run_verify(after)
            lines, ok, failed = seen.report(), seen.ok, "empty cards or duplicates"
        else:
            from ..review.upgrade import upgrade

            with packages_of(before, notes) as earlier:
                went = upgrade(earlier, after)
            lines, ok, failed = went.report(), went.ok, "reviews lost or duplicates"
    for line in lines:
        click.echo(line)
    if not ok:
        click.echo(f"verify failed: {failed}", err=True)
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
