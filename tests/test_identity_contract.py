"""The identity contract, pinned by literal values: what every student's collection remembers.

If one of these tests fails, deckgen now computes a different GUID, key, deck id, content hash
or note type for the same notes. Shipped to students, that means (docs/anki.md):

- a different fold, key or GUID: every note arrives as a NEW note; students get the whole
  course twice and their review history stays behind on the old notes;
- a different content hash: every note is re-stamped and re-imported, overwriting each
  student's own edits to every note;
- a different note type id, field or template: existing notes import as "conflicting" and
  are not updated at all.

Do not update a pinned value to make a test pass. If the change is deliberate, follow the
migration steps in generator/identity/__init__.py and update the pins in the same commit.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.identity.fold import first_seed, fold, key_of, plain
from generator.identity.ids import content_hash, deck_id, note_guid
from generator.identity.json_lines import content_payload, lock_line, records_line
from generator.identity.note_types import NOTE_TYPES
from generator.records import Kind, Location, Note, Record, Variant

COSTS = "changing it changes every student's collection: see this file's docstring"


@pytest.mark.parametrize(
    ("front", "folded"),
    [
        ("Share of wallet", "share of wallet"),
        ("  <b>Share</b>   OF Wallet: ", "share of wallet"),
        ("Customer\u2019s \u201cvalue\u201d \u2013 net", 'customer\'s "value" - net'),
        ("{{c1::Key}} accounts {{c2::matter::why}}", "key accounts matter"),
        ("Stra\u00dfe \ufb01le \u216b", "strasse file xii"),
    ],
)
def test_fold_is_pinned(front: str, folded: str) -> None:
    assert fold(plain(front)) == folded, f"fold({front!r}) changed: {COSTS}"


def test_key_and_first_seed_are_pinned() -> None:
    key = key_of("Sales Management::KAM", "share of wallet", None)
    assert key == "Sales Management::KAM\x1fshare of wallet", f"key changed: {COSTS}"
    assert key_of("D", "anything", "culture") == "id:culture", f"pinned key changed: {COSTS}"
    assert first_seed("Sales Management::KAM", "share of wallet", None) == key, COSTS


@pytest.mark.parametrize(
    ("seed", "variant", "guid"),
    [
        ("Sales Management::KAM\x1fshare of wallet", Variant.BASIC, "QcSDOyaS4["),
        ("Sales Management::KAM\x1fshare of wallet", Variant.REVERSE, "y3mzofLgbI"),
        ("Sales Management::KAM\x1fshare of wallet", Variant.CLOZE, "famHs_&t~b"),
        ("id:culture", Variant.BASIC, "e|3;E#eCp}"),
        ("id:culture", Variant.REVERSE, "hmCY+4@~MY"),
        ("id:culture", Variant.CLOZE, "D)zNkpyf]d"),
    ],
)
def test_note_guid_is_pinned(seed: str, variant: Variant, guid: str) -> None:
    assert note_guid(seed, variant) == guid, f"the GUID of {seed!r}/{variant} changed: {COSTS}"


@pytest.mark.parametrize(
    ("name", "number"),
    [
        ("Sales Management", 90839758300769),
        ("Sales Management::Key Account Management", 210061036237538),
        ("\u0420\u0443\u0441\u0441\u043a\u0438\u0439", 120539347539136),
    ],
)
def test_deck_id_is_pinned(name: str, number: int) -> None:
    # Anki matches decks by name, so a new id costs students nothing, but it changes every
    # package's bytes: releases would no longer be reproducible from old tags.
    assert deck_id(name) == number, f"deck id of {name!r} changed"


def _record() -> Record:
    return Record(
        kind=Kind.TERM,
        deck="D",
        front="Front",
        back="Back",
        items=(),
        ordered=False,
        section=(),
        topics=(),
        variants=frozenset(Variant),
        pin=None,
        location=Location("a.md", 1),
        rel="a.md",
    )


@pytest.mark.parametrize(
    ("variant", "fields", "digest"),
    [
        (Variant.BASIC, ("Front", "Back", "D \u203a S", "source/a.md:1"), "60199bf733774d28"),
        (Variant.REVERSE, ("Back", "Front", "D", "s"), "b680ff6a9f399cae"),
        (Variant.CLOZE, ("{{c1::x}}", "", "", ""), "4ade21fa0b6aec3b"),
    ],
)
def test_content_hash_is_pinned(variant: Variant, fields: tuple[str, ...], digest: str) -> None:
    note = Note(_record(), variant, fields, ("kam", "culture"))
    assert content_hash(note) == digest, f"content hash of a {variant} note changed: {COSTS}"


@pytest.mark.parametrize(
    ("variant", "name", "model_id", "version", "schema", "content"),
    [
        (Variant.BASIC, "deckgen Basic", 1764211001, 1, "68d1b6bcb807b9cf", "347a83f366b18cc5"),
        (
            Variant.REVERSE,
            "deckgen Reverse",
            1764211002,
            1,
            "60f5602b04488656",
            "09c3c405518a5669",
        ),
        (Variant.CLOZE, "deckgen Cloze", 1764211003, 1, "2b12bbacee6b162f", "77064544ab08d964"),
    ],
)
def test_note_types_are_pinned(
    variant: Variant, name: str, model_id: int, version: int, schema: str, content: str
) -> None:
    note_type = NOTE_TYPES[variant]
    assert (note_type.name, note_type.model_id) == (name, model_id), COSTS
    assert (note_type.version, note_type.schema) == (version, schema), (
        f"{name}: fields or templates added or removed: {COSTS}"
    )
    # Templates or CSS: every student's note type is replaced on the next import (fine, if
    # meant: the release notes must say so). Update this pin when the look changes on purpose.
    assert note_type.content == content, f"{name}: templates or CSS changed"


text = st.text()
texts = st.lists(st.text(), max_size=4)


@given(
    text,
    texts,
    texts,
    text,
    text,
    st.none() | text,
    st.none() | text,
    st.lists(st.tuples(st.sampled_from(sorted(Variant)), text, st.integers(0, 2**40)), max_size=3),
)
def test_the_hand_written_json_lines_are_json_dumps(
    type_name: str,
    fields: list[str],
    tags: list[str],
    deck: str,
    front: str,
    pin: str | None,
    seed: str | None,
    notes: list[tuple[str, str, int]],
) -> None:
    """All three writers of json_lines.py, on arbitrary text, against json.dumps."""
    assert content_payload(type_name, fields, tags) == json.dumps(
        [type_name, fields, tags], ensure_ascii=False
    )

    notes = list({variant: (variant, h, m) for variant, h, m in notes}.values())
    lock_entry: dict[str, object] = {"deck": deck, "front": front}
    if pin is not None:
        lock_entry["pin"] = pin
    if seed is not None:
        lock_entry["seed"] = seed
    lock_entry.update({variant: [h, m] for variant, h, m in notes})
    assert lock_line(deck, front, pin, seed, notes) == json.dumps(lock_entry, ensure_ascii=False)

    guids = sorted((variant, h) for variant, h, _ in notes)
    entry: dict[str, object] = {
        "back": type_name,
        "deck": deck,
        "front": front,
        "items": fields,
        "kind": "term",
        "notes": dict(guids),
        "section": tags,
        "source": f"{front}:3",
        "tags": fields,
    }
    if pin is not None:
        entry["pin"] = pin
    line = records_line(
        back=type_name,
        deck=deck,
        front=front,
        items=fields,
        kind="term",
        guids=guids,
        pin=pin,
        section=tags,
        source=f"{front}:3",
        tags=fields,
    )
    assert line == json.dumps(entry, ensure_ascii=False, sort_keys=True)
