"""The imported card: what every reader makes of a note, before it is written as Markdown."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..records import Kind


@dataclass(frozen=True, slots=True)
class ImportedCard:
    """One note from elsewhere, as a deckgen record will hold it."""

    deck: str
    """The full deck name, `::`-separated."""
    kind: Kind
    """Term, question, enumeration (never made here) or cloze."""
    front: str
    """Markdown of the term, the question or the cloze sentence."""
    back: str = ""
    """Markdown of the definition or answer; a cloze note's extra text."""
    reverse: bool = False
    """The note had a reverse card."""
    typed: bool = False
    """The note was typed in (Anki's "type in the answer")."""
    guid: str | None = None
    """The note's GUID in the deck it came from, kept so students keep their history."""
    tags: tuple[str, ...] = ()
    """Its tags, sorted."""
    repairs: tuple[str, ...] = field(default=())
    """What the author should look at: each becomes a located `import-repair` warning."""
    origin: str = ""
    """Where it came from (`file:line` or `package: note type`), for messages."""
    note_type: str | None = None
    """The kept note type's file name in `note-types/` (notes from an Anki package), so the
    note stays a note of its own type in students' collections; None for text exports."""
