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

from generator.course_table import CourseIdentity
from generator.identity.fold import first_seed, fold, key_of, plain, row_text
from generator.identity.ids import content_hash, course_type_id, deck_id, note_guid, preset_id
from generator.identity.json_lines import content_payload, lock_line, records_line
from generator.identity.look import course_type
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


def test_a_comparison_rows_identity_is_pinned() -> None:
    """A table's row: the things compared and its aspect, never its cells' text."""
    names = ["Transactional <i>selling</i>", "Key account management"]
    row = fold(plain(row_text("Overall  Objective", [plain(name) for name in names])))
    assert row == "transactional selling | key account management \u203a overall objective", COSTS
    assert note_guid(COURSE_ID, key_of("D", row, None)) == "N;yjO6jPY>", COSTS


COURSE_ID = "0f8fad5b-d9cb-469f-a165-70867728950e"
OTHER_COURSE = "5a0e2c1f-7b8d-4e3a-9c6f-2d1b0a9e8f7c"


@pytest.mark.parametrize(
    ("course", "seed", "guid"),
    [
        (COURSE_ID, "Sales Management::KAM\x1fshare of wallet", "e!oD_Am.|p"),
        (COURSE_ID, "id:culture", "l!6<wI]CW>"),
        # Another course, the same deck and front (two teachers' "Spanish"): another note.
        (OTHER_COURSE, "Sales Management::KAM\x1fshare of wallet", "uggP}Ct`pK"),
        (OTHER_COURSE, "id:culture", "t/-;-=]6B}"),
    ],
)
def test_note_guid_is_pinned(course: str, seed: str, guid: str) -> None:
    assert note_guid(course, seed) == guid, f"the GUID of {seed!r} changed: {COSTS}"


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
            ("Front", "Back", "y", "", "D \u203a S", "D", "de_DE", "source/a.md:1"),
            "0af675b47c033494",
        ),
        (Kind.QUESTION, ("Q?", "A", "", "D", "", "s"), "359de23a8553e888"),
        (Kind.CLOZE, ("{{c1::x}}", "", "", ""), "4ade21fa0b6aec3b"),
        (
            Kind.COMPARISON,
            ("Overall objective", "Transactional selling", "Key account management")
            + ("",) * 4
            + ("Sales", "Preferred supplier status")
            + ("",) * 4
            + ("D \u203a S", "source/a.md \u203a S"),
            "40b71905537c75f9",
        ),
    ],
)
def test_content_hash_is_pinned(kind: Kind, fields: tuple[str, ...], digest: str) -> None:
    note = Note(_record(kind), fields, ("kam", "culture"))
    assert content_hash(note) == digest, f"content hash of a {kind} note changed: {COSTS}"


@pytest.mark.parametrize(
    ("role", "model_id", "name", "version", "schema"),
    [
        ("deckgen Cloze", 4624810926594935, "Biology: Cells · Cloze", 1, "2b12bbacee6b162f"),
        (
            "deckgen Comparison",
            7131848520285475,
            "Biology: Cells · Comparison",
            1,
            "137adc3015a62020",
        ),
        ("deckgen List", 5710505997180080, "Biology: Cells · List", 1, "a12fdae782ed6131"),
        ("deckgen Question", 7472592665193985, "Biology: Cells · Question", 1, "99d142de8306fcec"),
        ("deckgen Term", 436832506153423, "Biology: Cells · Term", 1, "b54e84dadf8dcab3"),
    ],
)
def test_note_types_are_pinned(
    role: str, model_id: int, name: str, version: int, schema: str
) -> None:
    (note_type,) = [t for t in note_types() if t.role == role]
    course = CourseIdentity(COURSE_ID, "Biology: Cells")
    shipped = course_type(note_type, course)
    assert shipped.model_id == model_id == course_type_id(COURSE_ID, role), COSTS
    assert shipped.name == name  # shown to students; a new name updates their note type
    assert f"/* deckgen course: {COURSE_ID} */" in shipped.css  # `deckgen import` reads it
    assert (shipped.version, shipped.schema) == (note_type.version, note_type.schema)
    assert (note_type.version, note_type.schema) == (version, schema), (
        f"{role}: fields or templates added or removed: {COSTS}"
    )
    # Another course: the same role under another id, so the two never share a note type.
    other = course_type(note_type, CourseIdentity(OTHER_COURSE, "Biology: Cells"))
    assert other.model_id != shipped.model_id, COSTS


@pytest.mark.parametrize(
    ("role", "content"),
    [
        ("deckgen Cloze", "46f506891d852ecc"),
        ("deckgen Comparison", "7e7467d8410ddc84"),
        ("deckgen List", "a34c00ac530aba5e"),
        ("deckgen Question", "c396ffb80f9b213f"),
        ("deckgen Term", "6842ac7a333d5f9d"),
    ],
)
def test_note_type_looks_are_pinned(role: str, content: str) -> None:
    # Templates or CSS: every student's note type is replaced on the next import (fine, if
    # meant: the release notes must say so). Update this pin when the look changes on purpose.
    (note_type,) = [t for t in note_types() if t.role == role]
    assert note_type.content == content, f"{role}: templates or CSS changed"


def test_no_course_ships_a_retired_or_shared_id() -> None:
    # The first note model's ids (lock format 1) and the fixed ids every course shared
    # (lock format 2) may live in early collections: never again.
    retired = {1764211001, 1764211002, 1764211003, 1764211011, 1764211012, 1764211013}
    roles = [t.role for t in note_types()]
    assert roles == [
        "deckgen Cloze",
        "deckgen Comparison",
        "deckgen List",
        "deckgen Question",
        "deckgen Term",
    ]
    assert all(t.model_id == 0 for t in note_types()), "a role is never shipped as it is"
    for course in (COURSE_ID, OTHER_COURSE):
        assert not {course_type_id(course, role) for role in roles} & retired


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
    # With its note's type (`LockedRecord.role`) and released: the keys in the lock's order.
    typed = {k: v for k, v in lock_entry.items() if k != "note"}
    typed = {**typed, "type": type_name, "note": [content, mod], "released": True}
    typed["removed"] = typed.pop("removed")
    assert lock_line(deck, front, pin, seed, content, mod, gone, True, type_name) == json.dumps(
        typed, ensure_ascii=False
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
    if tags:  # a comparison's columns: written only when there are some
        entry["columns"] = tags
    line = records_line(
        back=type_name,
        columns=tags,
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


def test_the_preset_id_is_pinned() -> None:
    # Anki keeps an imported preset by its id: a new id would add a second preset to every
    # collection that imported the first.
    assert preset_id(COURSE_ID) == 7260278667417443, COSTS
    assert preset_id(OTHER_COURSE) != preset_id(COURSE_ID)


def test_a_kept_note_type_is_written_with_its_decks_ids_and_mod(tmp_path: Path) -> None:
    """A kept note type (deckgen import) must reach the package with exactly the ids and mod
    of the deck it came from: Anki matches the student's notes by them (docs/anki.md, 11)."""
    from generator.identity.genanki_model import genanki_model
    from generator.identity.kept import FORMAT, kept_json, load_kept

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
    fields = ("Trust", "Good faith.", "y", "", "Selling", "Selling", "", "source/a.md › Selling")
    entry = LockedRecord(
        "Course::Selling", "trust", None, "seed", "c", 1_700_086_400, 0,
        Removed(1_700_086_400, "deckgen Term", fields, ("kam",)),
    )  # fmt: skip
    note = removed.marked(entry, "source/deckgen.lock", "guid")
    label = "<b>Removed from the course on 2023-11-15</b> › Selling"
    assert note.fields == ("Trust", "Good faith.", "y", "", label, label, "", fields[7])
    assert note.tags == ("deckgen::removed::2023-11-15", "kam")
    assert (note.guid, note.mod, note.removed) == ("guid", 1_700_086_400, 1_700_086_400)
    assert content_hash(note) == "59ac7d8bce88c910"
