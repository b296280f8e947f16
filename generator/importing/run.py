"""`deckgen import`: read every source, plan every file, then write them all or none.

Nothing is written until every source has been read and every file planned: the notes,
the kept note types, the media and deckgen.toml's new tags go to disk in one journaled write
(`output.write`), so an import that fails, or is killed, leaves the course as it was.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..config import CONFIG_NAME, LOCK_NAME
from ..diagnostics import UsageError
from ..output.write import recover, write_all
from .anki_text import anki_text
from .cards import Found
from .course_types import KeptTypes
from .notes import NOTE_TYPES, NotesFile, counted, write_notes
from .outline_notes import outline
from .own import Joining, own_files
from .package import read_package
from .page import PAGE_COUNTER, flashcard_page
from .settings import adopt_course, course_id, declare_tags, top_deck, under_top
from .table import term_rows
from .text import lines_of

PACKAGES = (".apkg", ".colpkg")
MAX_TEXT = 64 << 20
FORMATS = ("auto", "package", "csv", "anki-text", "page", "outline")
"""What `--format` may name; `auto` tells them apart by name and content."""


@dataclass(frozen=True, slots=True)
class Options:
    """How to import."""

    deck: str | None = None
    """Put every note in this deck; None: the source's own (under the course's top deck, for a
    text source)."""
    header: bool | None = None
    """A CSV's first row is a header (True), a card (False), or recognised (None)."""
    format: str = "auto"
    """One of FORMATS."""


@dataclass(frozen=True, slots=True)
class Imported:
    """What an import wrote, and what it said about each source."""

    files: list[NotesFile]
    """The notes files written."""
    folder: Path
    """The notes folder they were written to."""
    written: list[Path]
    """Every other file written: kept note types, media, deckgen.toml."""
    said: list[str]
    """What each reader mapped, kept, flagged or left out."""
    tags: list[str]
    """Tags newly declared in deckgen.toml."""

    def report(self) -> list[str]:
        """What `deckgen import` prints."""
        lines = list(self.said)
        lines += [
            f"wrote {self.folder / f.name} ({f.notes} notes, {f.flagged} flagged)"
            for f in self.files
        ]
        lines += [f"wrote {path}" for path in self.written]
        if self.tags:
            lines.append(f"declared tags in {self.folder / CONFIG_NAME}: {' '.join(self.tags)}")
        notes = sum(f.notes for f in self.files)
        flagged = sum(f.flagged for f in self.files)
        repairs = sum(f.repairs for f in self.files)
        lines.append(
            f"imported {notes} notes: {notes - flagged} as they were, {flagged} flagged with "
            f"{repairs} suggested repairs (`deckgen check` lists them), 0 dropped"
        )
        return lines


def import_cards(sources: list[Path], folder: Path, options: Options) -> Imported:
    """Import every source into the notes folder `folder`."""
    recover(folder)  # an import killed after its commit point is completed first
    found: list[Found] = []
    top = top_deck(folder)
    kept = KeptTypes(folder)
    joining = Joining(course_id(folder), (folder / LOCK_NAME).exists())
    with tempfile.TemporaryDirectory(prefix="deckgen-import-") as scratch:
        for source in sources:
            found.append(_read(source, options, top, kept, Path(scratch), joining))
        if not any(f.cards or f.files or f.own for f in found):
            raise UsageError("error: the sources hold no cards deckgen can import")
        whole = {name: text for f in found for name, text in f.files.items()}
        whole.update(own_files([note for f in found for note in f.own], set(whole)))
        files = write_notes([c for f in found for c in f.cards], set(whole), top)
        files += [counted(name, text) for name, text in whole.items()]
        plan: dict[Path, bytes] = {folder / f.name: f.text.encode() for f in files}
        existing = sorted(str(path) for path in plan if path.exists())
        if existing:
            raise UsageError("error: not overwriting notes that exist: " + ", ".join(existing))
        others: dict[Path, bytes] = {}
        for f in found:
            for name, text in f.note_types.items():
                others[folder / NOTE_TYPES / name] = text.encode()
            for name, source_file in f.media.items():
                others[folder / "media" / name] = source_file.read_bytes()
        clash = [str(p) for p, data in others.items() if p.exists() and p.read_bytes() != data]
        if clash:
            raise UsageError(
                "error: not overwriting files that exist and differ: " + ", ".join(sorted(clash))
            )
        others = {p: data for p, data in others.items() if not p.exists()}
        tags = {tag for f in found for c in f.cards for tag in c.tags} | {
            tag for f in found for tag in f.tags
        }
        config, declared = declare_tags(tags, folder)
        said = [line for f in found for line in f.said]
        if joining.adopted is not None:
            config = adopt_course(config, joining.adopted.course, joining.adopted.name, folder)
            said.append(
                f"the course takes the id and name of deckgen course '{joining.adopted.name}' "
                f"({joining.adopted.course}), whose notes these are: a build gives its students' "
                "notes and note types the same identity, so they keep every review"
            )
        if declared or joining.adopted is not None:
            others[folder / CONFIG_NAME] = config.encode()
        write_all({**plan, **others}, folder)
    return Imported(files, folder, sorted(others), said, declared)


def _read(
    source: Path, options: Options, top: str, kept: KeptTypes, scratch: Path, joining: Joining
) -> Found:
    if not source.is_file():
        raise UsageError(f"{source}: error: no such file")
    kind = options.format
    if kind == "auto" and source.suffix.lower() in PACKAGES:
        kind = "package"
    if kind == "package":
        return read_package(source, options.deck, scratch, joining)
    text = _text(source)
    lines = lines_of(text)
    if kind == "auto":
        kind = _kind(source, lines)
    deck = options.deck or under_top(top, _deck_of(source))
    if kind == "page":
        return flashcard_page(source, lines, options.deck, top)
    if kind == "outline":
        return outline(source, lines, options.deck, top)
    if kind == "anki-text":
        return anki_text(source, lines, deck, kept)
    return term_rows(source, text, deck, options.header)


def _kind(source: Path, lines: list[str]) -> str:
    """Which reader a text source is for."""
    head = [line for line in lines[:20] if line.strip()]
    if head and PAGE_COUNTER.match(head[0].strip()):
        return "page"
    if any(line.startswith(("#separator:", "#html:", "#columns:", "#notetype")) for line in head):
        return "anki-text"
    suffix = source.suffix.lower()
    if suffix in (".csv", ".tsv") or (
        head and sum("\t" in line for line in head) >= 0.8 * len(head)
    ):
        return "csv"
    return "outline"  # lecture notes as typed: .md, .txt


def _text(source: Path) -> str:
    if source.stat().st_size > MAX_TEXT:
        raise UsageError(f"{source}: error: over {MAX_TEXT} bytes: not a card export")
    data = source.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UsageError(
            f"{source}: error: not UTF-8 (byte {exc.start}); save it as UTF-8"
        ) from None


def _deck_of(source: Path) -> str:
    """A deck name from a file name: `spanish_verbs.csv` -> `Spanish Verbs`."""
    words = source.stem.replace("_", " ").replace("-", " ").split()
    return " ".join(w[:1].upper() + w[1:] for w in words) or "Imported"
