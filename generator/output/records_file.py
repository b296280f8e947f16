"""records.jsonl: the normalised records as JSON Lines, sorted and stable, for reviewing a change."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from ..identity.json_lines import record_json
from ..records import Note

RECORDS_NAME = "records.jsonl"


def dump_records(
    notes: Iterable[Note], made: Mapping[str, tuple[str, bytes]] | None = None
) -> bytes:
    """One line per record (with its note's GUID and tags), sorted by deck and front; a
    removed note, shipped marked, has no record and no line. `made`: record key -> the GUID
    and line its file made (`cards.each_file`), taken when the note is shipped with that
    GUID (else the lock keeps another for it, and its line is made here)."""
    live = [note for note in notes if not note.removed]
    lines: list[bytes] = []
    for note in sorted(live, key=lambda n: (n.record.deck, n.record.folded)):
        guid, line = made.get(note.record.key, ("", b"")) if made else ("", b"")
        lines.append(line if guid == note.guid else record_json(note.record, note.guid, note.tags))
    lines.append(b"")  # each line ends with a newline
    return b"\n".join(lines) if len(lines) > 1 else b""
