"""records.jsonl: the normalised records as JSON Lines, sorted and stable, for reviewing a change."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from ..identity.json_lines import records_line
from ..records import Note


def dump_records(notes: Iterable[Note]) -> bytes:
    """One line per record (with its notes' GUIDs and tags), sorted by deck and front."""
    by_record: dict[str, list[Note]] = defaultdict(list)  # record key (unique) -> its notes
    for note in notes:
        by_record[note.record.key].append(note)
    lines = [
        record_line(record_notes)
        for record_notes in sorted(
            by_record.values(), key=lambda ns: (ns[0].record.deck, ns[0].record.folded)
        )
    ]
    return ("\n".join(lines) + "\n").encode() if lines else b""


def record_line(notes: Sequence[Note]) -> str:
    """A record's line, with its notes' GUIDs and tags (json_lines.records_line)."""
    record = notes[0].record
    return records_line(
        back=record.back,
        deck=record.deck,
        front=record.front,
        items=record.items,
        kind=record.kind,
        guids=[(n.variant, n.guid) for n in sorted(notes, key=lambda n: n.variant)],
        pin=record.pin,
        section=record.section,
        source=f"{record.rel}:{record.location.line}",
        tags=sorted({tag for n in notes for tag in n.tags}),
    )
