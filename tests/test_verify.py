"""`deckgen verify`: import a build into a scratch Anki collection and report what Anki sees."""

from __future__ import annotations

from pathlib import Path

import genanki
from click.testing import CliRunner

from generator.cli import main
from generator.course_table import CourseIdentity
from generator.identity.genanki_model import genanki_model
from generator.identity.look import course_type
from generator.identity.note_types import QUESTION
from tests.helpers import TEST_COURSE_ID, build_tree, copy_course


def test_verify_reports_a_good_build(tmp_path: Path) -> None:
    build_tree(copy_course(tmp_path), tmp_path / "build")
    result = CliRunner().invoke(main, ["verify", str(tmp_path / "build")])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "packages: sales-management.apkg" in lines
    assert "notes: 122" in lines
    assert "  Sales Management · List: 130" in lines
    assert "  Sales Management::Key Account Management: 212" in lines
    assert "empty cards: 0" in lines and "duplicates: 0" in lines and "flagged: 0" in lines
    assert any(line.startswith("tags: ") and " kam " in line for line in lines)


def test_verify_fails_on_a_broken_package(tmp_path: Path) -> None:
    """A hand-made package: a card whose front is only a line break, and two notes with one front."""
    deck = genanki.Deck(1234, "Broken")
    model = genanki_model(course_type(QUESTION, CourseIdentity(TEST_COURSE_ID, "Test")))
    for guid, front in (
        ("blank", "<br>"),
        ("twin-1", "Share of wallet"),
        ("twin-2", "Share of wallet"),
    ):
        deck.add_note(
            genanki.Note(model=model, fields=[front, "An answer", "", "", "", ""], guid=guid)
        )
    out = tmp_path / "build"
    out.mkdir()
    genanki.Package(deck).write_to_file(str(out / "broken.apkg"), timestamp=1_700_000_000)

    result = CliRunner().invoke(main, ["verify", str(out)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert "empty cards: 1" in lines
    assert "  Test · Question: <br>" in lines
    assert "duplicates: 2" in lines
    assert lines.count("  duplicate first field: Test · Question: Share of wallet") == 2
    assert "verify failed: empty cards or duplicates" in lines


def test_verify_without_packages_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["verify", str(tmp_path)])
    assert result.exit_code == 2
    assert "no .apkg packages in this directory" in result.output
