"""`deckgen import`: read every source, then write the notes, the media and the tag vocabulary."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..diagnostics import UsageError
from .cards import ImportedCard
from .notes import NOTE_TYPES, declare_tags, write_notes
from .package import copy_media, read_package
from .text import read_text

PACKAGES = (".apkg", ".colpkg")
MAX_TEXT = 64 << 20


@dataclass(frozen=True, slots=True)
class Imported:
    """What an import wrote."""

    files: list[tuple[Path, int]]
    """Each notes file written, with its number of notes."""
    media: list[Path]
    """Media files copied next to the notes."""
    note_types: list[Path]
    """Kept note types written next to the notes."""
    tags: list[str]
    """Tags newly declared in deckgen.toml."""
    skipped: dict[str, int]
    """Note type -> notes not imported."""
    repairs: int
    """How many repairs the notes suggest."""

    def report(self, folder: Path) -> list[str]:
        """What `deckgen import` prints."""
        lines = [f"wrote {path} ({count} notes)" for path, count in self.files]
        lines += [f"copied {path}" for path in self.media]
        lines += [f"kept note type {path}" for path in self.note_types]
        if self.tags:
            lines.append(f"declared tags in {folder / 'deckgen.toml'}: {' '.join(self.tags)}")
        lines += [
            f"not imported: {count} notes of note type '{name}' (no term, answer or cloze)"
            for name, count in sorted(self.skipped.items())
        ]
        lines.append(f"{self.repairs} suggested repairs: run `deckgen check` to see them")
        return lines


def import_cards(sources: list[Path], folder: Path, deck: str | None) -> Imported:
    """Import every source into the notes folder `folder`."""
    cards: list[ImportedCard] = []
    media: dict[str, Path] = {}
    skipped: dict[str, int] = {}
    note_types: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="deckgen-import-") as scratch:
        for source in sources:
            if not source.is_file():
                raise UsageError(f"{source}: error: no such file")
            if source.suffix.lower() in PACKAGES:
                found = read_package(source, deck, Path(scratch))
                cards += found.cards
                media.update(found.media)
                note_types.update(found.note_types)
                for name, count in found.skipped.items():
                    skipped[name] = skipped.get(name, 0) + count
            else:
                cards += read_text(source, _text(source), deck or _deck_of(source))
        if not cards:
            raise UsageError("error: the sources hold no cards deckgen can import")
        kept = _note_type_files(note_types, folder / NOTE_TYPES)  # refused before any write
        files = write_notes(cards, folder)
        for path, text in kept.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        copied = copy_media(media, folder / "media")
    tags = declare_tags({tag for card in cards for tag in card.tags}, folder)
    repairs = sum(len(card.repairs) for card in cards)
    return Imported(files, copied, list(kept), tags, skipped, repairs)


def _note_type_files(texts: dict[str, str], folder: Path) -> dict[Path, str]:
    """The kept note type files to write; refused where a different one exists."""
    targets = {folder / name: text for name, text in sorted(texts.items())}
    differ = [str(p) for p, text in targets.items() if p.exists() and p.read_text() != text]
    if differ:
        raise UsageError("error: not overwriting note types that exist: " + ", ".join(differ))
    return targets


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
