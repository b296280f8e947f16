"""Dump: the normalised records as JSON Lines, sorted and stable, for reviewing a change."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from json.encoder import encode_basestring as _string

from .records import Note


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
    """A record's line: json.dumps(entry, ensure_ascii=False, sort_keys=True) of

        {back, deck, front, items, kind, notes: {variant: guid}, [pin], section, source, tags}

    written out by hand with json's own string encoder, at half json.dumps' cost
    (tests/test_package.py checks the two agree).
    """
    record = notes[0].record
    guids = ", ".join(
        f"{_string(n.variant)}: {_string(n.guid)}" for n in sorted(notes, key=lambda n: n.variant)
    )
    pin = f', "pin": {_string(record.pin)}' if record.pin is not None else ""
    tags = sorted({tag for n in notes for tag in n.tags})
    return (
        f'{{"back": {_string(record.back)}, "deck": {_string(record.deck)}, '
        f'"front": {_string(record.front)}, "items": {_strings(record.items)}, '
        f'"kind": {_string(record.kind)}, "notes": {{{guids}}}{pin}, '
        f'"section": {_strings(record.section)}, "source": {_string(record.origin)}, '
        f'"tags": {_strings(tags)}}}'
    )


def _strings(values: Iterable[str]) -> str:
    return "[" + ", ".join([_string(v) for v in values]) + "]"
