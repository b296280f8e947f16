"""Notes removed from the source: shipped on, marked, so that students can find and delete them.

A package cannot delete anything from a collection (docs/anki.md, section 13). So when a
record leaves the notes, its note goes on being shipped under its GUID, with a newer `mod`,
the tag `deckgen::removed::<date>` and the line "Removed from the course on <date>" above
every card. One search, `SEARCH`, then finds every removed note in a student's collection.
The lock holds what students last received of it (`lock.Removed`), since the notes no
longer do; `deckgen removed --forget` drops it after it was shipped marked.

FROZEN: the tag, the marker and the fields they go in are what students' collections hold.
"""

from __future__ import annotations

import time

from ..records import Kind, Location, Note, Record
from .lock import LockedRecord, Removed
from .note_types import BY_KIND, note_type_of

TAG = "deckgen::removed"
"""The parent of every removed note's tag."""
SEARCH = f"tag:{TAG}::*"
"""The Anki Browser search that finds every removed note (the release notes give it)."""
LABEL = "Removed from the course on {day}"
"""What each card of a removed note shows above its question."""
MARKED_FIELDS = ("Context", "ReverseContext")
"""The fields the label goes in: the line above every card's question in deckgen's own note
types. (A note type without them gets it before its first field.)"""

_KINDS = {note_type.role: kind for kind, note_type in BY_KIND.items()}
ROLES = frozenset(_KINDS)
"""The note types a removed note can be shipped as: the course's own, by role."""


def day(since: int) -> str:
    """The date of a removal, as tag and label show it (UTC)."""
    return time.strftime("%Y-%m-%d", time.gmtime(since))


def tag_for(since: int) -> str:
    """The tag a note removed at `since` carries."""
    return f"{TAG}::{day(since)}"


def shippable(role: str, fields: tuple[str, ...]) -> bool:
    """True for a note a removed note can be shipped as: of one of the course's own note types
    (a kept type is read from its file, which only a live notes file names), with its fields."""
    kind = _KINDS.get(role)
    return kind is not None and len(fields) == len(BY_KIND[kind].fields)


def unmarked(
    entry: LockedRecord,
    role: str,
    fields: tuple[str, ...],
    tags: tuple[str, ...],
    lock_path: str,
) -> Note:
    """The note students last received of `entry`, rebuilt from a package's fields."""
    return Note(_record(entry, role, lock_path), fields, tags)


def marked(entry: LockedRecord, lock_path: str, guid: str = "") -> Note:
    """The removed note `entry.removed` as shipped: labelled, tagged, with its mod."""
    gone = entry.removed
    assert gone is not None
    record = _record(entry, gone.note_type, lock_path)
    note_type = BY_KIND[record.kind]
    label = LABEL.format(day=day(gone.since))
    fields = list(gone.fields)
    names = [name for name, _ in note_type.fields]
    places = [names.index(name) for name in MARKED_FIELDS if name in names] or [0]
    for place in places:
        before = fields[place]
        fields[place] = f"<b>{label}</b>" + (f" \u203a {before}" if before else "")
    tags = tuple(sorted({*gone.tags, tag_for(gone.since)}))
    return Note(record, tuple(fields), tags, guid, entry.mod, None, gone.since)


def removal(last: Note, since: int) -> Removed:
    """What the lock keeps of a note found gone at `since`: what students last received."""
    return Removed(since, note_type_of(last).known_as, last.fields, last.tags)


def _record(entry: LockedRecord, role: str, lock_path: str) -> Record:
    """A stand-in record for a note the notes no longer hold: its deck, front and identity
    from the lock, its place the lock's line."""
    return Record(
        kind=_KINDS.get(role, Kind.TERM),
        deck=entry.deck,
        front=entry.front,
        back="",
        items=(),
        ordered=False,
        section=(),
        topics=(),
        variants=frozenset(),
        pin=entry.pin,
        location=Location(lock_path, entry.line or 1),
        rel="",
        folded=entry.front,
        key=entry.key,
    )
