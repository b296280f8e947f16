"""records.jsonl: the normalised records as JSON Lines, sorted and stable, for reviewing a change."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from ..identity.json_lines import record_json
from ..records import Note

RECORDS_NAME = "records.jsonl"


def dump_records(notes: Iterable[Note], lines: Mapping[str, bytes] | None = None) -> bytes:
    """One line per record (with its note's GUID and tags), sorted by deck and front; a
    removed note, shipped marked, has no record and no line. `lines`: GUID -> the line of
    the note stamped with it, made already (`identity.stamp.Stamped.lines`)."""
    live = sorted(
        (n for n in notes if not n.removed), key=lambda n: (n.record.deck, n.record.folded)
    )
    made = lines or {}
    return b"".join(
        (made.get(n.guid) or record_json(n.record, n.guid, n.tags)) + b"\n" for n in live
    )
