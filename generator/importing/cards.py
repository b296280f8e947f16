"""The imported card, and what one source gives an import: the records every reader makes."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..records import Kind

if TYPE_CHECKING:
    from .own import OwnNote


@dataclass(frozen=True, slots=True)
class ImportedCard:
    """One note from elsewhere, as a deckgen record will hold it."""

    deck: str
    """The full deck name, `::`-separated."""
    kind: Kind
    """Term, question or cloze; a list only from deckgen's own packages (`own`: its items
    follow the line this card writes; the outline reader writes its lists itself)."""
    front: str
    """Markdown of the term, the question or the cloze sentence (`markup.BREAK` between
    lines)."""
    back: str = ""
    """Markdown of the definition or answer; a cloze note's extra text. Empty for a term
    deckgen's own note types cannot make a card of: it is written as a flagged line."""
    reverse: bool = False
    """The note had a reverse card."""
    typed: bool = False
    """The note was typed in (Anki's "type in the answer")."""
    guid: str | None = None
    """The note's GUID in the deck it came from, kept so students keep their history."""
    tags: tuple[str, ...] = ()
    """Its tags, sorted, each one deckgen can declare (`markup.tag_name`)."""
    repairs: tuple[str, ...] = field(default=())
    """What the author should look at: each becomes a located `import-repair` warning."""
    origin: str = ""
    """Where it came from (`file:line` or `package: note type`), for messages."""
    note_type: str | None = None
    """The kept note type's file name in `note-types/` (notes from an Anki package), so the
    note stays a note of its own type in students' collections; None for deckgen's own."""
    fields: tuple[tuple[str, str], ...] = ()
    """The other non-empty fields of a note of a kept note type: (field name, Markdown)."""
    key: str = ""
    """The front as identity folds it (`identity.fold`), from the deck's own text: two cards
    of one deck with one key and no GUID would be a duplicate."""


@dataclass(frozen=True, slots=True)
class Found:
    """What one source gave the import."""

    source: Path
    """The file read."""
    cards: list[ImportedCard] = field(default_factory=list)
    """Its notes, to be written grouped by deck and note type (`notes.write_notes`)."""
    files: dict[str, str] = field(default_factory=dict)
    """Notes files the reader wrote whole (the outline reader): name -> Markdown."""
    media: dict[str, Path] = field(default_factory=dict)
    """Media file name (in media/) -> the file to copy."""
    note_types: dict[str, str] = field(default_factory=dict)
    """Kept note type file name (in note-types/) -> its text (`identity.kept.kept_json`)."""
    own: list[OwnNote] = field(default_factory=list)
    """Notes of deckgen's own note types, written back as the notes files they came from
    (`own.own_files`)."""
    said: list[str] = field(default_factory=list)
    """What the reader mapped, kept, flagged or left out, one line each, for the report."""
    tags: set[str] = field(default_factory=set)
    """Tags its notes files use (declared in deckgen.toml)."""
