"""The learning-quality checks: their figures on the labelled set (tests/quality/), and what
a student sees when deckgen hides a give-away, on the real importer.

The figures themselves are measured by `python -m tests.quality.measure` (the README shows
them); here they are floors a change must not fall through.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from anki.collection import Collection

from generator.cards.words import languages
from generator.language import LANGUAGES
from tests.helpers import build_tree, import_package, run_deckgen, visible_text, write_notes
from tests.quality.measure import FAMILIES, courses, measure

PRECISION = 0.8
"""Every check: a warning an author can trust (a false alarm steers the notes wrong)."""
RECALL = {"confusable-fronts": 0.6}
"""Recall floors below 80%, where the checks cannot see meaning (synonyms: no well-kept
thesaurus installs from PyPI without a download of its own): the README says so."""


@pytest.fixture(scope="module")
def tallies() -> dict[str, object]:
    return dict(measure(courses()))


@pytest.mark.parametrize("family", FAMILIES)
def test_each_check_keeps_its_precision_and_recall_on_the_labelled_set(
    family: str, tallies: dict[str, object]
) -> None:
    tally = tallies[family]
    precision, recall = tally.precision, tally.recall  # type: ignore[attr-defined]
    assert precision is not None and precision >= PRECISION, tally
    assert recall is not None and recall >= RECALL.get(family, 0.8), tally


def test_the_held_out_course_names_only_cards_it_has() -> None:
    """The held-out course (`measure.py --held-out`) is measured apart and has no floor: its
    figures are reported, never tuned to; loading it checks that its labels name its cards."""
    (course,) = courses(held_out=True)
    assert {"same-fact", "confusable-fronts"} <= {
        str(label["check"]) for label in course.labels["problem"]
    }


def test_the_languages_a_course_may_be_in_are_those_the_checks_know() -> None:
    assert languages() == LANGUAGES


def test_the_course_language_picks_the_stemmer(tmp_path: Path) -> None:
    """In Spanish, "hablaban" and "hablar" are one verb: the same fact on two notes is found
    only when the course says its notes are Spanish."""
    notes = {
        "a.md": "---\ndeck: Verbos\n---\n\n- **hablar**: Decir palabras en voz alta.\n"
        "- Los niños {{c1::hablaban}} palabras en voz alta.\n"
    }
    source = write_notes(tmp_path / "source", notes)
    english = run_deckgen("check", "--source", str(source))
    assert "[same-fact]" not in english.stderr
    config = source / "deckgen.toml"
    config.write_text('language = "es"\n' + config.read_text(encoding="utf-8"), encoding="utf-8")
    spanish = run_deckgen("check", "--source", str(source))
    assert "a.md:6:3: warning: 'Los niños hablaban palabras en voz alta.' asks a fact" in (
        spanish.stderr
    )


def test_a_card_judged_false_asks_the_fact_its_correction_states(tmp_path: Path) -> None:
    """A true/false card judged false asks what its correction states: the definition
    that says so is the same fact (its "not" agrees with the verdict); a definition of
    another word is not."""
    notes = {
        "a.md": "---\ndeck: Words\n---\n\n"
        "- **embarazada**: Pregnant; a false friend, not embarrassed.\n"
        "- **avergonzado**: Embarrassed or ashamed.\n"
        "- **Does embarazada mean embarrassed (true or false)?** False: it means pregnant.\n"
    }
    checked = run_deckgen("check", "--source", str(write_notes(tmp_path / "source", notes)))
    same = [line for line in checked.stderr.splitlines() if "[same-fact]" in line]
    assert len(same) == 1 and "a.md:7:3:" in same[0] and "a.md:5:3)" in same[0], same


def test_a_heading_that_gives_the_term_away_is_left_off_the_reverse_card(
    tmp_path: Path, collection: Collection
) -> None:
    """Stems, acronyms and reordered words: the heading above a reverse card that, with the
    definition, spells out the term is left out of the card's context line; the forward card
    keeps the whole context line, and a heading that gives nothing away stays."""
    notes = (
        "---\ndeck: Grammar\n---\n\n# Spanish\n\n## Gerunds\n\n"
        "- **gerund**: The -ndo form of a verb, used after estar.\n\n"
        "## Pronouns: direct objects\n\n"
        "- **Direct object pronouns**: me, te, lo, la: they replace what receives the action.\n\n"
        "## Key performance indicators\n\n"
        "- **Customer KPIs**: Growth of the customer wallet.\n\n"
        "## Measures\n\n"
        "- **Account team KPIs**: Contribution to knowledge and number of contact points.\n"
    )
    source = write_notes(tmp_path / "source", {"a.md": notes})
    build_tree(source, tmp_path / "out")
    import_package(collection, tmp_path / "out" / "grammar.apkg")
    shown = {}
    for card_id in collection.find_cards("card:2"):  # the reverse cards
        card = collection.get_card(card_id)
        shown[card.note()["Front"]] = visible_text(card.question())
    assert "Gerunds" not in shown["gerund"] and "Spanish" in shown["gerund"]
    assert "direct objects" not in shown["Direct object pronouns"]
    assert "Key performance indicators" not in shown["Customer KPIs"]
    assert "Measures" in shown["Account team KPIs"]
    forward = collection.get_card(collection.find_cards('"Front:gerund" card:1')[0])
    assert "Gerunds" in visible_text(forward.question())
