"""records.jsonl: the normalised records as JSON Lines, sorted and stable, for reviewing a change."""

from __future__ import annotations

from collections.abc import Iterable

from ..identity.json_lines import record_json
from ..records import Note

RECORDS_NAME = "records.jsonl"


def dump_records(notes: Iterable[Note]) -> bytes:
    """One line per record (with its note's GUID and tags), sorted by deck and front; a
    removed note, shipped marked, has no record and no line."""
    live = sorted(
        (n for n in notes if not n.removed), key=lambda n: (n.record.deck, n.record.folded)
    )
    return b"".join(record_json(n.record, n.guid, n.tags) + b"\n" for n in live)
