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
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.identity.fold import first_seed, fold, key_of, plain
from generator.identity.ids import content_hash, deck_id, note_guid
from generator.identity.json_lines import content_payload, lock_line, records_line
from generator.identity.note_types import note_types
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
    ("seed", "guid"),
    [
        ("Sales Management::KAM\x1fshare of wallet", "r+P/D/n+38"),
        ("id:culture", "r*xW{?}DCb"),
    ],
)
def test_note_guid_is_pinned(seed: str, guid: str) -> None:
    assert note_guid(seed) == guid, f"the GUID of {seed!r} changed: {COSTS}"


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


def _record(kind: Kind) -> Record:
    return Record(
        kind=kind,
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
    ("kind", "fields", "digest"),
    [
        (
            Kind.TERM,
            ("Front", "Back", "y", "", "D \u203a S", "D", "source/a.md:1"),
            "98ebe71975e7ed04",
        ),
        (Kind.QUESTION, ("Q?", "A", "", "D", "s"), "e61b0ef09705f86d"),
        (Kind.CLOZE, ("{{c1::x}}", "", "", ""), "4ade21fa0b6aec3b"),
    ],
)
def test_content_hash_is_pinned(kind: Kind, fields: tuple[str, ...], digest: str) -> None:
    note = Note(_record(kind), fields, ("kam", "culture"))
    assert content_hash(note) == digest, f"content hash of a {kind} note changed: {COSTS}"


@pytest.mark.parametrize(
    ("name", "model_id", "version", "schema", "content"),
    [
        ("deckgen Cloze", 1764211003, 1, "2b12bbacee6b162f", "42c2249845832eae"),
        ("deckgen List", 1764211013, 1, "7c8766e626906ab2", "6e727ed3edac1d1b"),
        ("deckgen Question", 1764211012, 1, "32326947a9105328", "aa6aa5ea1db79e5a"),
        ("deckgen Term", 1764211011, 1, "50a5f14d77917d45", "1077ef6b43ec76d0"),
    ],
)
def test_note_types_are_pinned(
    name: str, model_id: int, version: int, schema: str, content: str
) -> None:
    (note_type,) = [t for t in note_types() if t.name == name]
    assert note_type.model_id == model_id, COSTS
    assert (note_type.version, note_type.schema) == (version, schema), (
        f"{name}: fields or templates added or removed: {COSTS}"
    )
    # Templates or CSS: every student's note type is replaced on the next import (fine, if
    # meant: the release notes must say so). Update this pin when the look changes on purpose.
    assert note_type.content == content, f"{name}: templates or CSS changed"


def test_the_first_note_models_ids_are_never_reused() -> None:
    # deckgen Basic and deckgen Reverse (lock format 1) may live in an early collection.
    assert not {t.model_id for t in note_types()} & {1764211001, 1764211002}
    names = [t.name for t in note_types()]
    assert names == ["deckgen Cloze", "deckgen List", "deckgen Question", "deckgen Term"]


text = st.text()
texts = st.lists(st.text(), max_size=4)


@given(
    text, texts, texts, text, text, st.none() | text, st.none() | text, text, st.integers(0, 2**40)
)
def test_the_hand_written_json_lines_are_json_dumps(
    type_name: str,
    fields: list[str],
    tags: list[str],
    deck: str,
    front: str,
    pin: str | None,
    seed: str | None,
    content: str,
    mod: int,
) -> None:
    """All three writers of json_lines.py, on arbitrary text, against json.dumps."""
    assert content_payload(type_name, fields, tags) == json.dumps(
        [type_name, fields, tags], ensure_ascii=False
    )

    lock_entry: dict[str, object] = {"deck": deck, "front": front}
    if pin is not None:
        lock_entry["pin"] = pin
    if seed is not None:
        lock_entry["seed"] = seed
    lock_entry["note"] = [content, mod]
    assert lock_line(deck, front, pin, seed, content, mod) == json.dumps(
        lock_entry, ensure_ascii=False
    )
    gone = (mod, type_name, fields, tags)  # a removed note's line (identity.removed)
    lock_entry["removed"] = {"since": mod, "type": type_name, "fields": fields, "tags": tags}
    assert lock_line(deck, front, pin, seed, content, mod, gone) == json.dumps(
        lock_entry, ensure_ascii=False
    )

    entry: dict[str, object] = {
        "back": type_name,
        "deck": deck,
        "front": front,
        "guid": content,
        "items": fields,
        "kind": "term",
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
        guid=content,
        items=fields,
        kind="term",
        pin=pin,
        section=tags,
        source=f"{front}:3",
        tags=fields,
    )
    assert line == json.dumps(entry, ensure_ascii=False, sort_keys=True)


def test_the_bury_preset_id_is_pinned() -> None:
    # Anki keeps an imported preset by its id: a new id would add a second preset to every
    # collection that imported the first.
    from generator.identity.ids import BURY_PRESET_ID, BURY_PRESET_NAME

    assert (BURY_PRESET_ID, BURY_PRESET_NAME) == (1764211100, "deckgen: bury siblings"), COSTS


def test_a_kept_note_type_is_written_with_its_decks_ids_and_mod(tmp_path: Path) -> None:
    """A kept note type (deckgen import) must reach the package with exactly the ids and mod
    of the deck it came from: Anki matches the student's notes by them (docs/anki.md, 11)."""
    from generator.identity.kept import FORMAT, kept_json, load_kept
    from generator.identity.note_types import genanki_model

    assert FORMAT == "deckgen kept note type 1", COSTS
    model = {
        "id": 1_795_449_324_284,
        "name": "Basic (and reversed card)",
        "mod": 1_700_000_123,
        "flds": [{"name": "Front", "id": -510_998_883_490_198_028}, {"name": "Back", "id": 7}],
        "tmpls": [
            {"name": "Card 1", "id": 4_013_130_056_570_522_400, "qfmt": "{{Front}}", "afmt": "a"},
            {"name": "Card 2", "qfmt": "{{Back}}", "afmt": "b"},
        ],
        "css": ".card {}",
    }
    path = tmp_path / "t.json"
    path.write_text(kept_json(model, {"prompt": "Front", "answer": "Back", "reverse": None}))
    kept = load_kept(path)
    written = genanki_model(kept).to_json(0, 1)
    assert kept.kept is not None and kept.kept.mod == 1_700_000_123, COSTS
    assert written["id"] == "1795449324284", COSTS
    assert [f.get("id") for f in written["flds"]] == [-510_998_883_490_198_028, 7], COSTS
    assert [t.get("id") for t in written["tmpls"]] == [4_013_130_056_570_522_400, None], COSTS
    assert [t["name"] for t in written["tmpls"]] == ["Card 1", "Card 2"], COSTS
    assert written["css"] == ".card {}" and written["type"] == 0, COSTS


def test_a_removed_note_is_marked_exactly_so() -> None:
    """What a removed note's cards show and the tag a student searches for (identity.removed)."""
    from generator.identity import removed
    from generator.identity.lock import LockedRecord, Removed

    assert (removed.TAG, removed.SEARCH) == ("deckgen::removed", "tag:deckgen::removed::*")
    assert removed.tag_for(1_700_086_400) == "deckgen::removed::2023-11-15"
    fields = ("Trust", "Good faith.", "y", "", "Selling", "Selling", "source/a.md › Selling")
    entry = LockedRecord(
        "Course::Selling", "trust", None, "seed", "c", 1_700_086_400, 0,
        Removed(1_700_086_400, "deckgen Term", fields, ("kam",)),
    )  # fmt: skip
    note = removed.marked(entry, "source/deckgen.lock", "guid")
    label = "<b>Removed from the course on 2023-11-15</b> › Selling"
    assert note.fields == ("Trust", "Good faith.", "y", "", label, label, fields[6])
    assert note.tags == ("deckgen::removed::2023-11-15", "kam")
    assert (note.guid, note.mod, note.removed) == ("guid", 1_700_086_400, 1_700_086_400)
    assert content_hash(note) == "d5d47afd32763117"
