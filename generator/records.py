"""The immutable records that flow through the pipeline, each carrying its source location."""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any


@dataclass(frozen=True, slots=True)
class Location:
    """A place in a source file, as a compiler reports it."""

    path: str
    """The file as the user names it (relative to the working directory where possible)."""
    line: int
    """1-based line number."""
    col: int = 1
    """1-based column number."""

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}"


def line_cols(text: str, offsets: Iterable[int]) -> list[tuple[int, int]]:
    """The 1-based (line, column) of each offset into `text`, in one pass over the text and a
    binary search each: many places in one long text stay linear (counting the lines before
    each place again was quadratic)."""
    starts = [0] + [m + 1 for m in _newlines(text)]
    found = []
    for at in offsets:
        line = bisect.bisect_right(starts, at) - 1
        found.append((line + 1, at - starts[line] + 1))
    return found


def _newlines(text: str) -> Iterable[int]:
    at = text.find("\n")
    while at >= 0:
        yield at
        at = text.find("\n", at + 1)


@dataclass(frozen=True, slots=True)
class SourceFile:
    """One Markdown file of notes, read and decoded."""

    path: str
    """The file as the user names it, for diagnostics."""
    rel: str
    """POSIX path relative to the source directory: stable across machines, shown on cards."""
    text: str
    """The decoded text, BOM removed, newlines normalised to \\n."""


@dataclass(frozen=True, slots=True)
class TagRef:
    """A topic tag as written in the notes, with where it was written."""

    name: str
    """The tag as the author wrote it."""
    location: Location
    """Where it was written: the metadata key or the section's `Tags:` line."""


@dataclass(frozen=True, slots=True)
class FileRef:
    """A file a notes file names in its metadata (a kept note type), with where it names it."""

    path: str
    """As written: a POSIX path relative to the notes file's folder."""
    location: Location
    """Where it was named: the metadata key."""


GUID_PREFIX = "guid:"
"""A pin that starts with this is an Anki GUID itself (written by `deckgen import`): the note
keeps the GUID it had in the deck it came from, and so its history in students' collections."""


class Kind(StrEnum):
    """What a record is, which decides the cards it can make."""

    TERM = "term"
    QUESTION = "question"
    ENUMERATION = "enumeration"
    CLOZE = "cloze"
    COMPARISON = "comparison"
    """A row of a comparison table: its aspect, and each compared thing's side of it."""


MAX_SIDES = 6
"""The most things a comparison table compares: its note type has a name field, a value field
and a card template for each (`identity.comparison_type`; a schema change to raise)."""


class Variant(StrEnum):
    """A kind of card a record can make; the file's or the course's `variants` choose them.

    All the cards of a record belong to one note (siblings, which Anki can bury together).
    """

    BASIC = "basic"
    """Term or question -> definition or answer; an enumeration's whole-list card."""
    REVERSE = "reverse"
    """Definition -> term (terms only)."""
    CLOZE = "cloze"
    """A cloze sentence's cards; an enumeration's card per item."""
    TYPED = "typed"
    """Type the answer: the term (from its definition) or a question's answer."""


@dataclass(frozen=True, slots=True)
class Entry:
    """A card-shaped piece of Markdown, before normalisation."""

    location: Location
    """Where the entry starts (the list item)."""
    rel: str
    """The file, POSIX path relative to the source directory (stable across machines)."""
    deck: str
    """Full deck name, `::`-separated."""
    section: tuple[str, ...]
    """The heading path above the entry, plain text."""
    front: str
    """HTML of the bold term or question, or of the whole sentence for a cloze."""
    back: str
    """HTML of the definition or answer; empty for an enumeration or a cloze sentence."""
    items: tuple[str, ...]
    """HTML of each enumerated item, empty unless the answer is a list."""
    ordered: bool
    """True when the enumeration is a numbered list (order matters)."""
    pin: str | None
    """An identity pinned with `<!-- id: ... -->`, or `guid:` and an Anki GUID pinned by
    `deckgen import` with `<!-- guid: ... -->`; else None."""
    topics: tuple[TagRef, ...]
    """Topic tags from the file's metadata and the enclosing sections."""
    variants: frozenset[Variant]
    """The variants the file asks for."""
    note_type: FileRef | None = None
    """The kept note type the file's notes are built as (`identity.kept`); None: deckgen's own."""
    tts: str | None = None
    """The language Anki reads the front aloud in (the file's `tts:`); None: silent."""
    fields: tuple[tuple[str, str], ...] = ()
    """In a file of a kept note type, the item's named fields (`Name: text` lines): (field
    name, HTML)."""
    columns: tuple[str, ...] = ()
    """A row of a comparison table: HTML of the names of the things compared (the header
    cells after the first), whose sides are `items`; empty for any other entry."""


@dataclass(frozen=True, slots=True)
class Record:
    """A normalised term/definition record: one fact, one kind."""

    kind: Kind
    """What the record is."""
    deck: str
    """Full deck name, `::`-separated."""
    front: str
    """The prompt as HTML (NFC, whitespace collapsed)."""
    back: str
    """The answer as HTML; for an enumeration the rendered list, for a cloze or a comparison
    empty."""
    items: tuple[str, ...]
    """Enumerated items as HTML, in order; for a comparison each thing's side of its aspect
    (`front`), in the order of `columns`."""
    ordered: bool
    """True when the enumeration's order matters."""
    section: tuple[str, ...]
    """The heading path above the record."""
    topics: tuple[TagRef, ...]
    """Topic tags with where each was declared."""
    variants: frozenset[Variant]
    """The variants the record's file asks for."""
    pin: str | None
    """An identity pinned by the author, else None."""
    location: Location
    """Where the record was written."""
    rel: str
    """The file, POSIX path relative to the source directory (with `location.line`, the
    card's Source field)."""
    tags: tuple[str, ...] = ()
    """Anki tags, sorted: the declared topic tags; set by the tag stage."""
    folded: str = ""
    """The front as identity sees it (`identity.fold`), computed once by normalize."""
    key: str = ""
    """The record's identity key (`identity.key_of`), computed once by normalize."""
    note_type: FileRef | None = None
    """The kept note type the record's note is built as; None: deckgen's own for its kind."""
    tts: str | None = None
    """The language of the file's `tts:`; see `spoken_language`."""
    fields: tuple[tuple[str, str], ...] = ()
    """A note of a kept note type: its named fields (field name, HTML), each cleaned."""
    columns: tuple[str, ...] = ()
    """A comparison (a table's row): the names of the things compared as HTML, each one's
    side of the aspect (`front`) in `items`, in the same order; empty for any other kind."""

    @property
    def spoken_language(self) -> str | None:
        """The language Anki reads this record's front aloud in, on the cards that ask it: a
        term, question or list of deckgen's own note types (a cloze sentence read aloud would
        say its deletions; a comparison's prompt is its aspect and a side's name); None: silent."""
        if self.kind in (Kind.CLOZE, Kind.COMPARISON) or self.note_type is not None:
            return None
        return self.tts


@dataclass(frozen=True, slots=True)
class Note:
    """The Anki note made from a record: its fields (which switch its cards on), tags and
    identity. Its note type follows from the record's kind (`identity.note_types`), or is the
    kept one the record's file names."""

    record: Record
    """The record the note comes from (and so its source location)."""
    fields: tuple[str, ...]
    """Field values in the order of the note type's fields."""
    tags: tuple[str, ...] = ()
    """Anki tags, sorted: the record's."""
    guid: str = ""
    """Anki GUID; set by the identity stage."""
    mod: int = 0
    """Seconds since the epoch when the note's content last changed; set by the identity stage."""
    note_type: Any = None
    """The note type (an `identity.note_types.NoteType`) the note is built as when it is not
    deckgen's own plain one for the record's kind: a kept type (set by the variants stage), or
    deckgen's own in the course's look (`identity.look`, set after the stamp stage). (Typed
    loosely: this module comes before identity/.)"""
    removed: int = 0
    """When its record was found gone from the notes (the note is shipped marked:
    `identity.removed`); 0 for a note of the notes."""
