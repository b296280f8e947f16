"""Dump: the normalised records as JSON Lines, sorted and stable, for reviewing a change."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable

from .records import Note

_JSON = json.JSONEncoder(ensure_ascii=False, sort_keys=True)


def dump_records(notes: Iterable[Note]) -> bytes:
    """One line per record (with its notes' GUIDs and tags), sorted by deck and front."""
    by_record: dict[str, list[Note]] = defaultdict(list)  # record key (unique) -> its notes
    for note in notes:
        by_record[note.record.key].append(note)
    lines = []
    for record_notes in sorted(
        by_record.values(), key=lambda ns: (ns[0].record.deck, ns[0].record.folded)
    ):
        record = record_notes[0].record
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
        lines.append(_JSON.encode(entry))
    return ("\n".join(lines) + "\n").encode() if lines else b""
