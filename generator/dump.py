"""Dump: the normalised records as JSON Lines, sorted and stable, for reviewing a change."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable

from .records import Note, Record


def dump_records(notes: Iterable[Note]) -> bytes:
    """One line per record (with its notes' GUIDs and tags), sorted by deck and front."""
    by_record: dict[Record, list[Note]] = defaultdict(list)
    for note in notes:
        by_record[note.record].append(note)
    lines = []
    for record, record_notes in sorted(
        by_record.items(), key=lambda kv: (kv[0].deck, kv[0].folded)
    ):
        entry = {
            "deck": record.deck,
            "kind": record.kind.value,
            "front": record.front,
            "back": record.back,
            "items": list(record.items),
            "section": list(record.section),
            "tags": sorted({t for n in record_notes for t in n.tags}),
            "notes": {
                n.variant.value: n.guid for n in sorted(record_notes, key=lambda n: n.variant)
            },
            "source": record.origin,
        }
        if record.pin is not None:
            entry["pin"] = record.pin
        lines.append(json.dumps(entry, ensure_ascii=False, sort_keys=True))
    return ("\n".join(lines) + "\n").encode() if lines else b""
