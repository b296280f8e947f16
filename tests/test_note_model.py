"""One note per record, through the real importer and scheduler (anki 26.9.3).

Every card of a record is a sibling of the others, so Anki buries them together; variants
switch cards on and off inside the same note; cards do not give their answers away; the
card rule deckgen writes is Anki's own.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from anki.collection import Collection

from generator.course_table import CourseIdentity
from generator.diagnostics import BuildFailed
from generator.identity.ids import preset_id
from generator.identity.look import own_types
from tests.helpers import (
    BUILD_TIME,
    TEST_COURSE_ID,
    build_tree,
    cards_as_anki_adds_them,
    copy_course,
    import_package,
    visible_text,
)
from tests.helpers import write_notes as write_source

TERMS = (
    "## Culture\n\n"
    "- **Culture**: The lens through which individuals see the world.\n"
    "- **Power distance**: How far the less powerful accept that power is unequal.\n"
    "- **Trust**: Confidence that a partner will act in good faith.\n"
    "- **Tender**: A formal invitation for suppliers to bid.\n"
    "- **What does a tender invite?** Bids from suppliers.\n"
    "- **Steps of a visit**\n  1. Prepare\n  2. Meet\n  3. Follow up\n"
)


def notes_file(variants: str) -> str:
    return f"---\ndeck: Course::Culture\ntags: [culture]\nvariants: [{variants}]\n---\n\n{TERMS}"


def built(tmp_path: Path, variants: str, build_time: int = BUILD_TIME, name: str = "out") -> Path:
    source = write_source(tmp_path / "source", {"a.md": notes_file(variants)})
    build_tree(source, tmp_path / name, build_time=build_time)
    return tmp_path / name / "course.apkg"


def study_one_day(col: Collection, limit: int = 200) -> list[tuple[int, int]]:
    """Answer every card the scheduler shows today with Easy; (note id, ordinal) in order."""
    shown = []
    for _ in range(limit):
        card = col.sched.getCard()
        if card is None:
            break
        shown.append((card.nid, card.ord))
        col.sched.answerCard(card, 4)
    return shown


def deck_options(col: Collection, **changes: object) -> None:
    did = col.decks.id_for_name("Course::Culture")
    assert did is not None
    config = col.decks.config_dict_for_deck_id(did)
    config["new"]["perDay"] = 100
    for key, value in changes.items():
        section, _, name = key.partition("__")
        if name:
            config[section][name] = value
        else:
            config[section] = value
    col.decks.update_config(config)
    col.decks.set_current(did)


def test_every_record_is_one_note_and_its_cards_are_siblings(
    tmp_path: Path, collection: Collection
) -> None:
    build = tmp_path / "build"
    build_tree(copy_course(tmp_path), build)
    records = (build / "records.jsonl").read_text(encoding="utf-8").splitlines()
    import_package(collection, build / "sales-management.apkg")
    assert collection.note_count() == len(records)
    guids = {json.loads(line)["guid"] for line in records}
    assert {collection.get_note(nid).guid for nid in collection.find_notes("")} == guids
    # A term's forward and reverse cards, and a list's whole-list and item cards, share a note.
    (term,) = collection.find_notes('"Front:Share of wallet"')
    assert [c.ord for c in collection.get_note(term).cards()] == [0, 1]
    (hofstede,) = collection.find_notes('"Front:*Hofstede*"')
    assert sorted(c.ord for c in collection.get_note(hofstede).cards()) == list(range(7))


def test_with_burying_on_no_two_cards_of_a_note_come_on_one_day(
    tmp_path: Path, collection: Collection
) -> None:
    import_package(collection, built(tmp_path, "basic, reverse, typed, cloze"))
    deck_options(collection, new__bury=True, rev__bury=True, buryInterdayLearning=True)
    shown = study_one_day(collection)
    notes = [nid for nid, _ in shown]
    assert len(notes) == len(set(notes)) == collection.note_count() == 6
    assert {ordinal for _, ordinal in shown} == {0}  # the forward cards come first


def test_with_anki_defaults_a_days_forward_cards_come_before_reverse_and_typed(
    tmp_path: Path, collection: Collection
) -> None:
    import_package(collection, built(tmp_path, "basic, reverse, typed"))
    deck_options(collection, new__bury=False, rev__bury=False)
    shown = study_one_day(collection)
    # 4 terms x 3 cards, a question x 2, a list's whole-list card: every card, today.
    assert len(shown) == collection.card_count() == 4 * 3 + 2 + 1
    ordinals = [ordinal for _, ordinal in shown]
    assert ordinals == sorted(ordinals), "new cards are shown card type by card type"


def test_the_package_offers_a_preset_with_burying_on(
    tmp_path: Path, collection: Collection
) -> None:
    from anki import import_export_pb2 as iepb
    from anki.collection import ImportAnkiPackageOptions, ImportAnkiPackageRequest

    options = ImportAnkiPackageOptions(
        merge_notetypes=False,
        update_notes=iepb.IMPORT_ANKI_PACKAGE_UPDATE_CONDITION_IF_NEWER,
        update_notetypes=iepb.IMPORT_ANKI_PACKAGE_UPDATE_CONDITION_IF_NEWER,
        with_scheduling=False,
        with_deck_configs=True,  # "Import any deck presets", which the student ticks
    )
    collection.import_anki_package(
        ImportAnkiPackageRequest(package_path=str(built(tmp_path, "basic")), options=options)
    )
    did = collection.decks.id_for_name("Course::Culture")
    assert did is not None
    config = collection.decks.config_dict_for_deck_id(did)
    assert config["id"] == preset_id(TEST_COURSE_ID) and config["name"] == "Test: bury siblings"
    assert config["new"]["bury"] and config["rev"]["bury"] and config["buryInterdayLearning"]
    # Everything else is Anki's own default (no warning about 100 reviews a day, no leech
    # suspended): the preset only buries siblings.
    default = collection.decks.get_config(1)
    assert default is not None
    switches = ("id", "name", "mod", "usn", "buryInterdayLearning")
    ours = {k: v for k, v in config.items() if k not in switches}
    theirs = {k: v for k, v in default.items() if k not in switches}
    ours["new"] = {**ours["new"], "bury": False}
    ours["rev"] = {**ours["rev"], "bury": False}
    assert ours == theirs


def test_without_asking_for_presets_the_students_own_options_stay(
    tmp_path: Path, collection: Collection
) -> None:
    import_package(collection, built(tmp_path, "basic"))
    did = collection.decks.id_for_name("Course::Culture")
    assert did is not None
    assert collection.decks.config_dict_for_deck_id(did)["id"] == 1


def test_switching_reverse_and_typed_on_updates_notes_adds_cards_and_keeps_reviews(
    tmp_path: Path, collection: Collection
) -> None:
    import_package(collection, built(tmp_path, "basic", name="one"))
    collection.decks.set_current(collection.decks.id_for_name("Course::Culture") or 0)
    reviewed = study_one_day(collection)
    assert len(reviewed) == 6
    before = {
        cid: (card.ivl, card.due, card.reps, card.type)
        for cid in collection.find_cards("")
        if (card := collection.get_card(cid))
    }
    revlog = collection.db.scalar("select count() from revlog")

    later = built(tmp_path, "basic, reverse, typed, cloze", BUILD_TIME + 86400, name="two")
    log = import_package(collection, later).log
    assert (len(log.new), len(log.duplicate), len(log.conflicting)) == (0, 0, 0)
    assert len(log.updated) == 6  # 4 terms, the question, the list (its items get numbers)
    for cid, state in before.items():
        card = collection.get_card(cid)
        assert (card.ivl, card.due, card.reps, card.type) == state
    assert collection.db.scalar("select count() from revlog") == revlog == 6
    (culture,) = collection.find_notes('"Front:Culture"')
    assert [c.ord for c in collection.get_note(culture).cards()] == [0, 1, 2]
    assert collection.card_count() == 4 * 3 + 2 + 4  # the list gained a card per item


def test_the_context_never_shows_the_answer_on_reverse_and_typed_cards(
    tmp_path: Path, collection: Collection
) -> None:
    import_package(collection, built(tmp_path, "basic, reverse, typed"))
    (nid,) = collection.find_notes('"Front:Culture"')
    forward, reverse, typed = (visible_text(c.question()) for c in collection.get_note(nid).cards())
    assert forward.startswith("Culture Culture")  # deck leaf, then the term: fine here
    assert "Culture" not in reverse and "Which term is this?" in reverse
    assert "Culture" not in typed and "Type the term." in typed
    (other,) = collection.find_notes('"Front:Trust"')
    assert visible_text(collection.get_note(other).cards()[1].question()).startswith("Culture ")


def test_deckgens_card_rule_is_ankis_own(tmp_path: Path, collection: Collection) -> None:
    """Each note of every variant mix, added afresh by Anki, gets exactly the cards deckgen wrote."""
    mixes = ["basic", "basic, reverse", "basic, typed", "basic, reverse, typed", "cloze"]
    mixes += ["basic, cloze", "basic, reverse, typed, cloze"]
    for i, mix in enumerate(mixes):
        import_package(collection, built(tmp_path / str(i), mix, BUILD_TIME + i))
    clozes = "---\ndeck: Clozes\n---\n\n- About {{c1::70%}} of sales come from {{c2::a few}}.\n"
    clozes += "\n| | TS | KAM | Team |\n|-|-|-|-|\n| Aim | Sales | Partnership | Service |\n"
    write_source(tmp_path / "clozes", {"a.md": clozes})
    build_tree(tmp_path / "clozes", tmp_path / "clozes-out")
    import_package(collection, tmp_path / "clozes-out" / "clozes.apkg")
    assert cards_as_anki_adds_them(collection) >= 7
    course = CourseIdentity(TEST_COURSE_ID, "Test")
    assert {t.name for t in own_types(course, None).values()} == {
        collection.get_note(nid).note_type()["name"]
        for nid in collection.find_notes("")  # type: ignore[index]
    }


@pytest.mark.parametrize("old", [1, 2])
def test_a_lock_of_an_earlier_format_is_refused(tmp_path: Path, old: int) -> None:
    source = write_source(tmp_path / "source", {"a.md": notes_file("basic")})
    (source / "deckgen.lock").write_text(f'{{"deckgen-lock": {old}}}\n', encoding="utf-8")
    with pytest.raises(BuildFailed) as failed:
        build_tree(source, tmp_path / "out")
    (problem,) = failed.value.diagnostics
    assert problem.code == "lock" and str(problem.location).endswith("deckgen.lock:1:1")
    assert f"lock format {old}" in problem.message and "delete deckgen.lock" in problem.message
    assert "the same in every course" in problem.message
    assert not (tmp_path / "out").exists()


def test_the_written_out_legacy_req_is_what_genanki_computes() -> None:
    """identity/genanki_model.py spares every build genanki's chevron renders: its table must be
    exactly genanki's result, for deckgen's note types and for them in a course's look."""
    import genanki

    from generator.config import Style
    from generator.identity.genanki_model import LEGACY_REQ, genanki_model

    style = Style(css=".card { color: red; }", header="Header", footer="Footer")
    course = CourseIdentity(TEST_COURSE_ID, "Test")
    for note_type in [*own_types(course, None).values(), *own_types(course, style).values()]:
        shipped = genanki_model(note_type)
        fresh = genanki.Model(
            note_type.model_id,
            note_type.name,
            fields=shipped.fields,
            templates=shipped.templates,
            css=shipped.css,
            model_type=shipped.model_type,
        )
        assert shipped._req == fresh._req == LEGACY_REQ[note_type.role], note_type.name
