"""Commands that start a course: a new one (`init`), or one from existing cards (`import`)."""

from __future__ import annotations

from pathlib import Path

import click

from .options import out_option


@click.command()
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

    Joins what is there (a repository made on GitHub, say): nothing that exists is
    overwritten, .gitignore gets the lines it lacks, and each kept file is named. Then
    `cd DIRECTORY && deckgen build`.
    """
    from ..course import deckgen_spec as detected_spec
    from ..course import init_course

    spec = deckgen_spec if deckgen_spec is not None else detected_spec()
    name = title or directory.resolve().name.replace("-", " ").replace("_", " ").title()
    said = {"kept": " (it was there: left as it is)", "appended to": " (the lines it lacked)"}
    for done, path in init_course(directory, name, spec):
        click.echo(f"{done} {path}{said.get(done, '')}")
    if not spec:
        why = "this deckgen runs from a local folder, which CI cannot install"
        click.echo(f"note: {why}: set DECKGEN_SPEC (or init --deckgen-spec)", err=True)
    here = directory.resolve() == Path.cwd().resolve()
    click.echo("next: deckgen build" if here else f"next: cd {directory} && deckgen build")


@click.command("import")
@click.argument("sources", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--deck",
    default=None,
    help="Put every note in this deck [default: the source's own title or name; a text "
    "source's goes under the course's top deck].",
)
@click.option(
    "--header/--no-header",
    default=None,
    help="A CSV's first row names its columns, or is a card [default: recognised].",
)
@click.option(
    "--format",
    "format_",
    type=click.Choice(["auto", "package", "csv", "anki-text", "page", "outline"]),
    default="auto",
    show_default=True,
    help="What the sources are: Anki packages, CSV/TSV tables, Anki's text export, a "
    "flashcard page's export, or lecture notes typed as an outline [default: told apart by "
    "name and content; .md and other .txt files are outlines].",
)
@out_option("Folder to write the notes to [default: the course's notes, or ./source].")
def import_(
    sources: tuple[Path, ...], deck: str | None, header: bool | None, format_: str, out: Path | None
) -> None:
    """Turn existing cards and notes into deckgen notes: Anki packages (.apkg, .colpkg), Anki's
    text export, CSV or TSV tables, flashcard-page exports, and lecture notes as people type
    them (headings and bullets, Term: definition, T or F:). Notes from a package keep their GUIDs and note types: students keep their
    reviews with Anki's default import settings. Nothing is dropped: what needs a look is left
    as a comment that `deckgen check` reports. Nothing is written unless all of it is."""
    from ..course import find_source
    from ..importing.run import Options, import_cards

    folder = out or find_source(Path.cwd()) or Path("source")
    options = Options(deck=deck, header=header, format=format_)
    for line in import_cards(list(sources), folder, options).report():
        click.echo(line)
