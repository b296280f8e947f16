"""records.jsonl: the normalised records as JSON Lines, sorted and stable, for reviewing a change."""

from __future__ import annotations

import io
from collections.abc import Iterable

from ..identity.json_lines import records_line
from ..records import Note


def dump_records(notes: Iterable[Note]) -> bytes:
    """One line per record (with its note's GUID and tags), sorted by deck and front; a
    removed note, shipped marked, has no record and no line."""
    live = [note for note in notes if not note.removed]
    out = io.BytesIO()  # line by line: the lines are never all held as text as well
    for note in sorted(live, key=lambda n: (n.record.deck, n.record.folded)):
        out.write(record_line(note).encode())
        out.write(b"\n")
    return out.getvalue()


def record_line(note: Note) -> str:
    """A record's line, with its note's GUID and tags (json_lines.records_line)."""
    record = note.record
    return records_line(
        back=record.back,
        deck=record.deck,
        front=record.front,
        guid=note.guid,
        items=record.items,
        kind=record.kind,
        pin=record.pin,
        section=record.section,
        source=f"{record.rel}:{record.location.line}",
        tags=note.tags,
    )
