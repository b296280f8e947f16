"""`deckgen import` of lecture notes as people type them: every line on a card or flagged.

The seed the course was made from (tests/fixtures/seeds/001_*.txt) imports into a course that
checks without an error, builds, and imports into a real Anki collection; each of its lines is
on a card (any field a student sees) or on a line of the notes that `deckgen check` flags.
"""

from __future__ import annotations

import re
from pathlib import Path

from anki.collection import Collection

from tests.helpers import run_deckgen as deckgen
from tests.helpers import visible_text
from tests.test_import_cases import course, imported

SEED = next((Path(__file__).parent / "fixtures" / "seeds").glob("001_*.txt"))


def words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text.casefold().replace("’", "'")))


def flagged_parts(notes: str) -> list[str]:
    """The parts of a notes file `deckgen check` flags: each item with a repair comment, and
    each table row with one."""
    return [item for item in re.split(r"\n(?=- |\| )", notes) if "<!-- deckgen: " in item]


def test_the_seed_lecture_notes_import_with_every_line_on_a_card_or_flagged(
    tmp_path: Path, collection: Collection
) -> None:
    root = course(tmp_path, sample=True)
    said, checked, _ = imported(root, str(SEED), collection=collection)
    assert "deck 'Biology::Key Account Management and International Selling'" in said
    assert "13 lists, 1 terms, 1 true-or-false questions, 1 comparisons" in said
    assert "0 dropped" in said
    notes = (root / "source" / "key-account-management-and-international-selling.md").read_text()
    cards = [
        words(" ".join(collection.get_note(nid).fields))
        for nid in collection.find_notes('"deck:Biology::Key Account*"')
    ]
    flagged = [words(part) for part in flagged_parts(notes)]
    assert len(cards) == 21  # 15, and the comparison's five rows and its list of aspects
    missing = [
        line
        for line in SEED.read_text(encoding="utf-8").splitlines()
        if line.strip() and not any(words(line) <= unit for unit in cards + flagged)
    ]
    assert missing == []
    # What was joined and what was not (the seed's wrapped lines).
    assert "- These customers (accounts) are therefore crucial for the company’s profits" in notes
    assert "field salespeople\n" in notes and "key account status\n- **How to select" in notes
    assert "- **Key account management is not a sales technique: what is it?** An " in notes
    assert "| Overall objective | sales | preferred supplier status |" in notes
    # The comparison builds a note per row, each side asked with the other shown.
    (row,) = collection.find_notes('"Aspect:Overall objective"')
    front, back = (visible_text(c.question()) for c in collection.get_note(row).cards())
    assert front.endswith(
        "Transactional selling \u2014 Overall objective: ? "
        "Key account management: preferred supplier status"
    )
    assert back.endswith(
        "Key account management \u2014 Overall objective: ? Transactional selling: sales"
    )
    assert "- E.g., pricing, products, services, distribution, …\n" in notes
    assert "    - Across countries (cross-cultural differences)" in notes  # nested under its item
    assert "[import-repair]" in checked


def test_outline_forms_become_cards(tmp_path: Path, collection: Collection) -> None:
    notes = tmp_path / "Cell biology.txt"
    notes.write_text(
        "Cell Biology Lecture Notes\n"
        "Osmosis: water moving across a membrane\n"
        "Diffusion – particles spreading out\n"
        "True or false: the nucleus is an organelle\n"
        "True, it is membrane-bound\n"
        "T or F: mitochondria are small\n"
        "True\n"
        "parts of a cell\n"
        + "".join(f"* part {n}\n" for n in range(1, 24))
        + "A sentence of prose that is neither a list nor a term.\n",
        encoding="utf-8",
    )
    root = course(tmp_path)
    _, checked, _ = imported(root, str(notes), collection=collection)
    text = (root / "source" / "cell-biology.md").read_text()
    assert "- **Osmosis**: water moving across a membrane\n" in text
    assert "- **Diffusion**: particles spreading out\n" in text
    assert "- **Why is it true that the nucleus is an organelle?** It is membrane-bound" in text
    assert "- **True or false: mitochondria are small?** True <!-- deckgen: " in text
    assert "coin toss" in checked
    assert "- **Parts of a cell** <!-- deckgen: " in text and "- **Parts of a cell (2)**" in text
    assert "- A sentence of prose" in text and "[not-a-card]" in checked
    assert len(collection.find_notes("")) == 6


def test_markdown_notes_keep_their_headings(tmp_path: Path) -> None:
    notes = tmp_path / "week1.md"
    notes.write_text(
        "# Week 1\n\n## Cells\n\nNucleus: holds the DNA\n\n## Organelles\n\n- Ribosome\n"
        "- Golgi apparatus\n",
        encoding="utf-8",
    )
    root = course(tmp_path)
    _, _, result = imported(root, str(notes), "--deck", "Biology::Week 1")
    text = (root / "source" / "biology-week-1.md").read_text()
    assert 'deck: "Biology::Week 1"' in text
    assert "## Cells\n\n- **Nucleus**: holds the DNA" in text
    assert "- **Organelles**\n  - Ribosome\n  - Golgi apparatus" in text
    assert {n.record.front for n in result.notes} == {"Nucleus", "Organelles"}


def test_a_comparison_with_a_side_missing_imports_flagged_and_builds(
    tmp_path: Path, collection: Collection
) -> None:
    notes = tmp_path / "pets.txt"
    notes.write_text(
        "Pets\ncats and dogs\nCats\n- food: meat\n- sound: meow\n- size: small\n"
        "Dogs\n- food: everything\n- sound: woof\n",
        encoding="utf-8",
    )
    root = course(tmp_path)
    said, checked, _ = imported(root, str(notes), collection=collection)
    assert "imported 5 notes: 4 as they were, 1 flagged" in said  # a term, 3 rows, aspects
    text = (root / "source" / "pets.md").read_text()
    assert "| Size <!-- deckgen: pets.txt:3: the notes give no Dogs side of 'size'" in text
    assert "| small | (not in the notes) |" in text and "[import-repair]" in checked
    assert len(collection.find_notes('"Aspect:_*"')) == 3


def test_a_failed_outline_leaves_nothing(tmp_path: Path) -> None:
    root = course(tmp_path)
    (tmp_path / "notes.txt").write_text("a\n- b\n- c\n", encoding="utf-8")
    (tmp_path / "bad.csv").write_bytes(b"\xff\xfe not utf-8")
    done = deckgen("import", str(tmp_path / "notes.txt"), str(tmp_path / "bad.csv"), cwd=root)
    assert done.returncode == 2 and "not UTF-8" in done.stderr
    assert sorted(p.name for p in (root / "source").iterdir()) == ["deckgen.toml"]
