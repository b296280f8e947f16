"""The JSON text deckgen writes by hand, in one place: one encoder, one equivalence test.

Three writers build JSON with json's own string encoder instead of `json.dumps`, at about
half its cost (100,000 records make 200,000 of each):

- `content_payload`: the text whose hash is a note's content hash. FROZEN: a different text
  re-stamps every note and overwrites every student's own edits on the next import.
- `lock_line`: one record of `deckgen.lock`. A different text is a different lock: every
  course's committed lock would read as out of date.
- `records_line`: one line of `build/records.jsonl`, a review artifact no collection sees;
  it lives here so that all three share the encoder and tests/test_identity_contract.py.

Each is byte-for-byte `json.dumps(..., ensure_ascii=False)` of the value its docstring gives.
"""

from __future__ import annotations

from collections.abc import Iterable
from json.encoder import encode_basestring as json_string

from ..records import Record


def content_payload(type_name: str, fields: Iterable[str], tags: Iterable[str]) -> str:
    """json.dumps([type_name, [fields], [tags]], ensure_ascii=False)."""
    return f"[{json_string(type_name)}, {_strings(fields)}, {_strings(tags)}]"


def lock_line(
    deck: str,
    front: str,
    pin: str | None,
    seed: str | None,
    content: str,
    mod: int,
    removed: tuple[int, str, Iterable[str], Iterable[str]] | None = None,
    released: bool = False,
    role: str | None = None,
) -> str:
    """json.dumps({deck, front, [pin], [seed], [type: role], note: [content, mod],
    [released: true], [removed: {since, type, fields, tags}]}, ensure_ascii=False), the keys
    in that order; `pin`, `seed`, `role` and `removed` are left out when None, `released`
    when False."""
    pin_text = f', "pin": {json_string(pin)}' if pin is not None else ""
    seed_text = f', "seed": {json_string(seed)}' if seed is not None else ""
    role_text = f', "type": {json_string(role)}' if role is not None else ""
    removed_text = ""
    if removed is not None:
        since, type_name, fields, tags = removed
        removed_text = (
            f', "removed": {{"since": {since}, "type": {json_string(type_name)}, '
            f'"fields": {_strings(fields)}, "tags": {_strings(tags)}}}'
        )
    released_text = ', "released": true' if released else ""
    return (
        f'{{"deck": {json_string(deck)}, "front": {json_string(front)}'
        f'{pin_text}{seed_text}{role_text}, "note": [{json_string(content)}, {mod}]'
        f"{released_text}{removed_text}}}"
    )


def records_line(
    *,
    back: str,
    columns: Iterable[str] = (),
    deck: str,
    front: str,
    items: Iterable[str],
    kind: str,
    guid: str,
    pin: str | None,
    section: Iterable[str],
    source: str,
    tags: Iterable[str],
) -> str:
    """json.dumps({back, [columns], deck, front, guid, items, kind, [pin], section, source,
    tags}, ensure_ascii=False, sort_keys=True); `pin` is left out when None, `columns` (the
    things a comparison compares) when empty."""
    pin_text = f', "pin": {json_string(pin)}' if pin is not None else ""
    names = list(columns)
    columns_text = f', "columns": {_strings(names)}' if names else ""
    return (
        f'{{"back": {json_string(back)}{columns_text}, "deck": {json_string(deck)}, '
        f'"front": {json_string(front)}, "guid": {json_string(guid)}, '
        f'"items": {_strings(items)}, "kind": {json_string(kind)}{pin_text}, '
        f'"section": {_strings(section)}, "source": {json_string(source)}, '
        f'"tags": {_strings(tags)}}}'
    )


def _strings(values: Iterable[str]) -> str:
    return "[" + ", ".join([json_string(v) for v in values]) + "]"


def record_json(record: Record, guid: str, tags: Iterable[str]) -> bytes:
    """A record's line of records.jsonl (`records_line`) with its note's GUID and tags, UTF-8."""
    return records_line(
        back=record.back,
        columns=record.columns,
        deck=record.deck,
        front=record.front,
        guid=guid,
        items=record.items,
        kind=record.kind,
        pin=record.pin,
        section=record.section,
        source=f"{record.rel}:{record.location.line}",
        tags=tags,
    ).encode()
