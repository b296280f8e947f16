"""Students keep their history across `deckgen import`: the point of the command.

A student imported the teacher's original deck and studied it. The teacher imports that deck
into deckgen and releases its first build; the student imports it: no new note, no new card,
no conflict, every review and every card's schedule as it was. Then the teacher edits a
definition in the Markdown and releases again: the student gets the edit as an update, and
still keeps every review. Proved with the real importer (Anki's GUI defaults: no merging of
note types), for a deck exported by Anki itself (note types whose fields and templates have
ids) and for one written by genanki (no ids).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import genanki
import pytest
from anki.collection import Collection

from tests.helpers import build_tree, empty_course, export_deck, import_package
from tests.helpers import run_deckgen as deckgen


def later() -> int:
    """A build time after everything done so far: Anki updates a note only from a newer mod,
    and the notes the teacher's Anki exported carry the time they were made. (Taken when the
    test builds, not when the module is imported: a test can start minutes later.)"""
    return int(time.time()) + 60


def anki_export(tmp_path: Path) -> Path:
    """A teacher's deck in Anki's stock note types, exported by Anki (ids on every field and
    template), with a sub-deck and tags."""
    teacher = Collection(str(tmp_path / "teacher.anki2"))
    deck = teacher.decks.id("Spanish") or 1
    sub = teacher.decks.id("Spanish::Verbs") or 1
    rows = [
        ("Basic", deck, {"Front": "Hola", "Back": "Hello"}),
        ("Basic", deck, {"Front": "Adiós", "Back": "Goodbye"}),
        ("Basic (and reversed card)", sub, {"Front": "hablar", "Back": "to speak"}),
        ("Basic (optional reversed card)", sub, {"Front": "comer", "Back": "to eat"}),
        (
            "Basic (optional reversed card)",
            sub,
            {"Front": "beber", "Back": "to drink", "Add Reverse": "y"},
        ),
        ("Basic (type in the answer)", deck, {"Front": "Perro", "Back": "Dog"}),
        ("Cloze", sub, {"Text": "Yo {{c1::hablo}} {{c2::español}}.", "Back Extra": "hablar"}),
    ]
    for model_name, did, fields in rows:
        model = teacher.models.by_name(model_name)
        assert model is not None
        note = teacher.new_note(model)
        for name, value in fields.items():
            note[name] = value
        note.tags = ["verbs"] if did == sub else ["greetings"]
        teacher.add_note(note, did)
    path = tmp_path / "spanish.apkg"
    export_deck(teacher, deck, path)
    teacher.close()
    return path


def genanki_export(tmp_path: Path) -> Path:
    """The same kind of deck written by genanki: its note types carry no field or template ids."""
    top, sub = genanki.Deck(2_001, "Spanish"), genanki.Deck(2_002, "Spanish::Verbs")
    top.add_note(genanki.Note(genanki.BASIC_MODEL, ["Hola", "Hello"], guid="g-hola"))
    top.add_note(genanki.Note(genanki.BASIC_MODEL, ["Adiós", "Goodbye"], guid="g-adios"))
    sub.add_note(
        genanki.Note(genanki.BASIC_AND_REVERSED_CARD_MODEL, ["hablar", "to speak"], guid="g-hablar")
    )
    sub.add_note(
        genanki.Note(genanki.CLOZE_MODEL, ["Yo {{c1::hablo}} {{c2::español}}.", ""], guid="g-yo")
    )
    path = tmp_path / "spanish.apkg"
    genanki.Package([top, sub]).write_to_file(str(path), timestamp=int(time.time()) - 86_400)
    return path


def schedule(col: Collection) -> dict[tuple[str, int], tuple[Any, ...]]:
    """Every card's scheduling state, by its note's GUID and its template ordinal."""
    return {
        (guid, ord_): rest
        for guid, ord_, *rest in col.db.all(
            "select n.guid, c.ord, c.id, c.did, c.type, c.queue, c.due, c.ivl, c.factor, "
            "c.reps, c.lapses, c.left from cards c join notes n on n.id = c.nid"
        )
    }


def study(col: Collection, reviews: int) -> None:
    """The student answers `reviews` cards, as the reviewer shows them."""
    col.decks.set_current(col.decks.id_for_name("Spanish") or 1)
    for _ in range(reviews):
        card = col.sched.getCard()
        assert card is not None
        col.sched.answerCard(card, 3)


@pytest.mark.parametrize("export", [anki_export, genanki_export], ids=["anki", "genanki"])
def test_a_student_keeps_every_review_across_the_import_and_gets_later_edits(
    export: Any, tmp_path: Path, collection: Collection
) -> None:
    original = export(tmp_path)
    import_package(collection, original)
    study(collection, 5)
    notes = collection.note_count()
    before = schedule(collection)
    revlog = collection.db.all("select * from revlog order by id")
    assert len(revlog) == 5

    # The teacher brings the deck into deckgen and releases its first build.
    root = empty_course(tmp_path)
    done = deckgen("import", str(original), cwd=root)
    assert done.returncode == 0, done.stderr
    first_release = later()  # the teacher builds after the student studied
    build_tree(root / "source", tmp_path / "r1", build_time=first_release)
    (package,) = (tmp_path / "r1").glob("*.apkg")
    log = import_package(collection, package).log
    assert (len(log.new), len(log.conflicting), len(log.duplicate)) == (0, 0, 0), log
    assert len(log.updated) == notes
    assert collection.note_count() == notes
    assert schedule(collection) == before, "a card was added, moved or rescheduled"
    assert collection.db.all("select * from revlog order by id") == revlog

    # The teacher edits one definition in the Markdown and releases again.
    notes_file = next(p for p in (root / "source").glob("*.md") if "Hello" in p.read_text())
    notes_file.write_text(notes_file.read_text().replace("Hello", "Hello (informal)"))
    checked = deckgen("check", "--strict", cwd=root)
    assert checked.returncode == 0, checked.stderr  # kept note types check clean
    build_tree(root / "source", tmp_path / "r2", build_time=first_release + 3_600)
    log = import_package(collection, tmp_path / "r2" / package.name).log
    assert (len(log.new), len(log.conflicting), len(log.updated)) == (0, 0, 1), log
    (nid,) = collection.find_notes('"Hello (informal)"')
    assert "Hola" in collection.get_note(nid).fields[0]
    assert schedule(collection) == before
    assert collection.db.all("select * from revlog order by id") == revlog


def test_a_new_student_gets_the_same_cards_as_the_original_deck_gave(
    tmp_path: Path, collection: Collection
) -> None:
    """deckgen's card rule for a kept note type is Anki's: a fresh import of the build gives
    exactly the cards a fresh import of the original gave."""
    original = anki_export(tmp_path)
    import_package(collection, original)
    expected = sorted(schedule(collection))

    root = empty_course(tmp_path)
    assert deckgen("import", str(original), cwd=root).returncode == 0
    build_tree(root / "source", tmp_path / "r1", build_time=later())
    (package,) = (tmp_path / "r1").glob("*.apkg")
    fresh = Collection(str(tmp_path / "fresh.anki2"))
    try:
        import_package(fresh, package)
        assert sorted(schedule(fresh)) == expected
        with_reverse = fresh.find_notes('"Front:beber"')
        assert [c.ord for c in fresh.get_note(with_reverse[0]).cards()] == [0, 1]
    finally:
        fresh.close()
