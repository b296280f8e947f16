"""End to end: the course notes build into decks that Anki imports as a student would see them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from anki.collection import Collection

from tests.helpers import COURSE, build_tree, copy_course, import_package, visible_text

DECKS = {
    "Sales Management::Sales Optimization Levers",
    "Sales Management::Key Account Management",
    "Sales Management::Proactive Selling",
    "Sales Management::Value-Based Selling",
    "Sales Management::International Selling and Culture",
}


@pytest.fixture
def imported(tmp_path: Path, collection: Collection) -> Collection:
    result = build_tree(copy_course(tmp_path), tmp_path / "build")
    packages = [p for p in result.outputs if p.suffix == ".apkg"]
    assert [p.name for p in packages] == ["sales-management.apkg"]
    response = import_package(collection, packages[0])
    assert len(response.log.new) == len(result.notes)
    assert not response.log.duplicate and not response.log.conflicting
    return collection


def test_every_card_shows_a_question_and_an_answer(imported: Collection) -> None:
    card_ids = imported.find_cards("")
    assert len(card_ids) > 200
    for cid in card_ids:
        card = imported.get_card(cid)
        question, answer = visible_text(card.question()), visible_text(card.answer())
        assert question, f"blank question on card {cid}"
        assert len(answer) > len(question) or "[...]" in question, (
            f"answer adds nothing: {answer!r}"
        )


def test_forward_reverse_and_cloze_cards_render_as_a_student_sees_them(
    imported: Collection,
) -> None:
    def card_for(query: str) -> tuple[str, str]:
        cids = imported.find_cards(query)
        assert len(cids) == 1, (query, cids)
        card = imported.get_card(cids[0])
        return visible_text(card.question()), visible_text(card.answer())

    question, answer = card_for('note:"Sales Management · Term" "Front:Share of wallet" card:1')
    assert question.endswith("Share of wallet")
    assert "How much of a customer's spending within a category" in answer
    assert "source/01-proactive-selling.md › Finding potential" in answer  # no line: never stale

    question, answer = card_for('note:"Sales Management · Term" "Front:Share of wallet" card:2')
    assert question.startswith("Proactive Selling › Finding potential How much of a customer")
    assert "Which term is this?" in question
    assert answer.endswith("source/01-proactive-selling.md › Finding potential")
    assert "Share of wallet" in answer

    question, answer = card_for(
        'note:"Sales Management · List" "Front:*Hofstede*" card:4'
    )  # item 3
    assert "What are Hofstede's six cultural dimensions?" in question
    assert "[...]" in question and "Uncertainty avoidance" not in question
    assert "Uncertainty avoidance" in answer and "Power distance" in question


def test_questions_get_no_reverse_card(imported: Collection) -> None:
    assert not imported.find_notes('note:"Sales Management · Term" "Front:*?"')
    (nid,) = imported.find_notes(
        'note:"Sales Management · Question" "Front:What is KAM\'s essence?"'
    )
    assert [card.ord for card in imported.get_note(nid).cards()] == [0]


def test_an_enumeration_is_one_note_a_whole_list_card_and_a_card_per_item(
    imported: Collection,
) -> None:
    (nid,) = imported.find_notes(
        'note:"Sales Management · List" "Front:*implement key account management*"'
    )
    note = imported.get_note(nid)
    assert sorted(card.ord for card in note.cards()) == [0, 1, 2, 3, 4]  # the list, 4 items
    assert note["Ordered"] == "y" and "<ol>" in note.cards()[0].question()  # ordered steps


def test_topic_tags_are_present(imported: Collection) -> None:
    tags = set(imported.tags.all())
    assert {"kam", "proactive_selling", "value_selling", "culture"} <= tags
    assert imported.find_notes("tag:culture tag:hofstede")


def test_decks_nest_as_declared(imported: Collection) -> None:
    names = {d.name for d in imported.decks.all_names_and_ids()}
    assert DECKS | {"Sales Management"} <= names
    for deck in DECKS:
        assert imported.find_cards(f'"deck:{deck}"'), f"no cards in {deck}"


def test_note_types_keep_their_fixed_ids(imported: Collection) -> None:
    from generator.config import load_config
    from generator.identity.look import own_types

    course = load_config(COURSE, COURSE / "build", build_time=0).course
    shipped = {imported.get_note(nid).mid for nid in imported.find_notes("")}
    for note_type in own_types(course, None).values():
        if note_type.model_id not in shipped:
            continue  # a package holds the note types its notes use (tests/test_comparison.py)
        model = imported.models.get(note_type.model_id)  # type: ignore[arg-type]
        assert model is not None and model["name"] == note_type.name
        # Fields and templates keep their ids too, so a later merge can match them.
        assert [(f["name"], f["id"]) for f in model["flds"]] == list(note_type.fields)
        assert [(t["name"], t["id"]) for t in model["tmpls"]] == [
            (t.name, t.template_id) for t in note_type.templates
        ]


def test_course_builds_without_warnings(tmp_path: Path) -> None:
    result = build_tree(copy_course(tmp_path), tmp_path / "build")
    assert result.warnings == ()


def test_committed_lock_is_up_to_date(tmp_path: Path) -> None:
    """`deckgen build --locked` passes on the repository's notes: the lock was committed."""
    source = copy_course(tmp_path)
    before = (source / "deckgen.lock").read_bytes()
    build_tree(source, tmp_path / "build", locked=True)
    assert (source / "deckgen.lock").read_bytes() == before
    assert (COURSE / "deckgen.lock").read_bytes() == before


def test_deckgen_stats_counts_what_anki_imports(imported: Collection) -> None:
    from tests.helpers import run_deckgen

    table = run_deckgen("stats", "--source", str(COURSE)).stdout.splitlines()
    assert table[:2] == ["| Deck | Notes | Cards |", "| --- | ---: | ---: |"]
    table = table[: table.index("")]  # the deck tree; the study plan follows
    rows = [re.match(r"^\| (.+?) \| (\d+) \| (\d+) \|$", line) for line in table[2:]]
    assert len(rows) == 6 and all(rows)
    for row in rows:
        assert row is not None
        deck, notes, cards = row.group(1), int(row.group(2)), int(row.group(3))
        assert len(imported.find_notes(f'"deck:{deck}"')) == notes, deck
        assert len(imported.find_cards(f'"deck:{deck}"')) == cards, deck
