"""The course's own look (`[style]` in deckgen.toml), through the real importer: a stylesheet
appended to deckgen's, a header and a footer around the fields, on every card. A change of look
is a note-type change that Anki applies in place: no note, card or review is lost.
"""

from __future__ import annotations

from pathlib import Path

from anki.collection import Collection
from click.testing import CliRunner

from generator.cli import main
from generator.course_table import CourseIdentity
from generator.identity.look import course_type, own_types
from generator.identity.note_types import note_types
from tests.helpers import (
    BUILD_TIME,
    TEST_COURSE_ID,
    build_tree,
    cards_as_anki_adds_them,
    import_package,
    preview_shows,
    run_forked,
    write_notes,
)

NOTES = (
    "---\ndeck: Styled\nvariants: [basic, reverse, typed, cloze]\n---\n\n# Selling\n\n"
    "- **Tender**: A formal invitation for suppliers to bid.\n"
    "- **What does a tender invite?** Bids from suppliers.\n"
    "- **Steps of a visit**\n  1. Prepare\n  2. Meet\n  3. Follow up\n"
    "- About {{c1::70%}} of sales come from {{c2::a few}} accounts.\n"
)
STYLE = (
    '[style]\ncss = "look/course.css"\nheader = "Sales 101 <spring>"\n'
    'footer = "Questions? Ask in the forum."\n'
)
COURSE_CSS = ".card { font-family: Georgia, serif; }\n.course-header { color: #0a60c2; }\n"


def styled_source(tmp_path: Path, style: str = STYLE) -> Path:
    source = write_notes(tmp_path / "source", {"a.md": NOTES})
    (source / "look").mkdir()
    (source / "look" / "course.css").write_text(COURSE_CSS, encoding="utf-8")
    config = source / "deckgen.toml"
    config.write_text(config.read_text(encoding="utf-8") + style, encoding="utf-8")
    return source


def test_every_card_wears_the_course_look(tmp_path: Path, collection: Collection) -> None:
    source = styled_source(tmp_path)
    build_tree(source, tmp_path / "out")
    import_package(collection, tmp_path / "out" / "styled.apkg")
    all_cards = [collection.get_card(cid) for cid in collection.find_cards("")]
    assert len(all_cards) == 3 + 2 + 4 + 2  # term 3, question 2, list 1 + 3 items, cloze 2
    for card in all_cards:
        css = card.note_type()["css"]
        assert css.endswith("/* The course's own style */\n" + COURSE_CSS)
        question, answer = card.question(), card.answer()
        header = '<div class="course-header">Sales 101 &lt;spring&gt;</div>'  # text, escaped
        assert question.count(header) == 1 and answer.count(header) == 1
        assert "course-footer" not in question.split("</style>")[-1]  # the CSS styles it
        footer = '<div class="course-footer">Questions? Ask in the forum.</div>'
        assert f'{footer}<div class="source">source/a.md ' in answer  # above the Source line


def test_the_look_keeps_ankis_card_rule(tmp_path: Path, collection: Collection) -> None:
    """Each note, added afresh by Anki with its styled note type, gets exactly the cards deckgen
    wrote: the header sits inside each card's switch, so no card appears that should not."""
    source = styled_source(tmp_path)
    (source / "a.md").write_text(NOTES.replace("reverse, typed, ", ""), encoding="utf-8")
    build_tree(source, tmp_path / "out")
    import_package(collection, tmp_path / "out" / "styled.apkg")
    assert cards_as_anki_adds_them(collection) == 4


def test_a_new_look_updates_note_types_in_place_and_keeps_reviews(
    tmp_path: Path, collection: Collection
) -> None:
    source = write_notes(tmp_path / "source", {"a.md": NOTES})
    build_tree(source, tmp_path / "r1")
    import_package(collection, tmp_path / "r1" / "styled.apkg")
    card = collection.get_card(collection.find_cards('"Front:Tender" card:1')[0])
    card.start_timer()
    collection.sched.answerCard(card, 3)
    before = (card.id, collection.get_card(card.id).ivl, collection.get_card(card.id).reps)
    assert before[2] == 1

    (source / "look").mkdir()
    (source / "look" / "course.css").write_text(COURSE_CSS, encoding="utf-8")
    config = source / "deckgen.toml"
    config.write_text(config.read_text(encoding="utf-8") + STYLE, encoding="utf-8")
    build_tree(source, tmp_path / "r2", build_time=BUILD_TIME + 86_400)
    log = import_package(collection, tmp_path / "r2" / "styled.apkg").log
    assert (len(log.new), len(log.updated), len(log.conflicting)) == (0, 0, 0)
    after = collection.get_card(card.id)
    assert (after.id, after.ivl, after.reps) == before
    assert after.note_type()["css"].endswith(COURSE_CSS)  # the note type was updated
    assert "course-header" in after.question()
    assert len(collection.find_notes("")) == 4

    # The schema is deckgen's own: the same ids and fields, so no "Merge note types".
    course = CourseIdentity(TEST_COURSE_ID, "Test")
    assert [(t.model_id, t.schema) for t in own_types(course, None).values()] == [
        (t.model_id, t.schema) for t in own_types(course, _style(source)).values()
    ]
    result = CliRunner().invoke(
        main, ["diff", "--release", "v1.1.0", str(tmp_path / "r1"), str(tmp_path / "r2")]
    )
    assert result.exit_code == 0, result.output
    assert "a new look for 4 note types" in result.output
    assert '"Merge note types" off' in result.output


def _style(source: Path) -> object:
    from generator.config import load_config

    config = load_config(source, source / "out", build_time=BUILD_TIME)
    assert config.style is not None
    return config.style


def test_without_a_style_the_note_types_are_deckgens_roles_under_the_courses_ids() -> None:
    course = CourseIdentity(TEST_COURSE_ID, "Test")
    for role, shipped in zip(
        note_types(), sorted(own_types(course, None).values(), key=lambda t: t.role), strict=True
    ):
        assert shipped == course_type(role, course)
        assert (shipped.fields, shipped.templates) == (role.fields, role.templates)


def test_the_preview_wears_the_look(tmp_path: Path) -> None:
    source = styled_source(tmp_path)
    run = run_forked("preview", "--source", str(source), "--out", str(tmp_path / "p"))
    assert run.returncode == 0, run.stderr
    page = preview_shows((tmp_path / "p" / "index.html").read_text(encoding="utf-8"))
    assert COURSE_CSS in page
    assert '<div class="course-header">Sales 101 &lt;spring&gt;</div>' in page
