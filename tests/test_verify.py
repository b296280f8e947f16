"""`deckgen verify`: import a build into a scratch Anki collection and report what Anki sees."""

from __future__ import annotations

import tempfile
from pathlib import Path

import genanki
import pytest
from anki.notes import NoteFieldsCheckResult
from click.testing import CliRunner

from generator.cli import main
from generator.course_table import CourseIdentity
from generator.identity.genanki_model import genanki_model
from generator.identity.look import course_type
from generator.identity.note_types import CLOZE, QUESTION
from generator.review.verify import open_scratch, verify
from tests.helpers import (
    BUILD_TIME,
    TEST_COURSE_ID,
    build_tree,
    copy_course,
    git,
    import_package,
    write_notes,
)


def test_verify_reports_a_good_build(tmp_path: Path) -> None:
    build_tree(copy_course(tmp_path), tmp_path / "build")
    result = CliRunner().invoke(main, ["verify", str(tmp_path / "build")])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "packages: sales-management.apkg" in lines
    assert "notes: 106" in lines
    assert "  Sales Management · List: 114" in lines
    assert "  Sales Management::Key Account Management: 174" in lines
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


def test_verify_flags_exactly_what_ankis_field_check_flags_note_by_note(tmp_path: Path) -> None:
    """verify asks Anki's field check only about notes it could flag: the answer equals
    asking about every note (duplicates, empty fronts, deletions where none belong, cloze
    notes without one)."""
    course = CourseIdentity(TEST_COURSE_ID, "Test")
    question, cloze = (genanki_model(course_type(t, course)) for t in (QUESTION, CLOZE))
    deck = genanki.Deck(1234, "Checked")
    rows = [
        (question, ["<b></b>", "x", "", "", ""]),
        (question, ["Twin", "a", "", "", ""]),
        (question, ["<i>Twin</i>", "b", "", "", ""]),
        (question, ["Has {{c1::a deletion}}", "c", "", "", ""]),
        (question, ["Fine", "d", "", "", ""]),
        (cloze, ["No deletion here", "", "", ""]),
        (cloze, ["A {{c1::fine}} one", "{{c2::extra}}", "", ""]),
        (cloze, ["A {{c1::good}} one", "", "", ""]),
    ]
    for i, (model, fields) in enumerate(rows):
        fields += [""] * (len(model.fields) - len(fields))
        deck.add_note(genanki.Note(model=model, fields=fields, guid=f"g{i}"))
    out = tmp_path / "build"
    out.mkdir()
    genanki.Package(deck).write_to_file(str(out / "checked.apkg"), timestamp=1_700_000_000)

    seen = verify([out / "checked.apkg"])
    with tempfile.TemporaryDirectory() as tmp:
        col = open_scratch(Path(tmp))
        import_package(col, out / "checked.apkg")
        every = [col.get_note(n) for n in col.find_notes("")]
        states = sorted(NoteFieldsCheckResult.Name(n.fields_check()).lower() for n in every)
        col.close()
    said = sorted(
        [line.split(":")[0] for line in seen.flagged]
        + ["duplicate"] * sum(d.startswith("duplicate first field") for d in seen.duplicates)
    )
    assert said == [s for s in states if s != "normal"]
    assert said == [
        "duplicate",
        "duplicate",
        "empty",
        "field_not_cloze",
        "missing_cloze",
        "notetype_not_cloze",
    ]


def test_verify_from_the_last_release_shows_what_its_students_get(tmp_path: Path) -> None:
    """Students studied release 1 (every card answered); release 2 edits a definition, adds a
    note, switches reverse cards off and moves a note to another deck. verify --from says
    what the real importer does to their collection."""
    a = "---\ndeck: C::A\ntags: [kam]\nvariants: [basic, reverse]\n---\n\n"
    b = "---\ndeck: C::B\ntags: [kam]\nvariants: [basic]\n---\n\n"
    alpha, gamma = "- **Alpha**: First letter.\n", "- **Gamma**: Third letter.\n"
    source = write_notes(tmp_path / "source", {"a.md": a + alpha + gamma, "b.md": b})
    build_tree(source, tmp_path / "r1")
    (source / "a.md").write_text(a.replace("basic, reverse", "basic") + alpha.replace("F", "The f"))
    (source / "b.md").write_text(b + gamma + "- **Delta**: Fourth letter.\n")
    build_tree(source, tmp_path / "r2", build_time=BUILD_TIME + 86400)

    result = CliRunner().invoke(
        main, ["verify", "--from", str(tmp_path / "r1"), str(tmp_path / "r2")]
    )
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "cards reviewed before the upgrade: 4" in lines
    assert lines[lines.index("new notes: 1") + 1].endswith("Delta")
    assert "updated notes: 2" in lines  # both lost their reverse card
    assert "empty cards (Tools > Empty Cards): 2" in lines  # both reverse cards
    assert "moved notes (students' cards stay where they are): 1" in lines
    assert any(
        line.endswith("Gamma: stays in C::A (this release puts it in C::B)") for line in lines
    )
    assert "reviews lost: 0" in lines and "conflicting notes" in result.output


def test_verify_release_upgrades_from_the_previous_release_tag(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = tmp_path / "course"
    a = "---\ndeck: C\ntags: [kam]\n---\n\n- **Alpha**: First letter.\n"
    source = write_notes(repo / "source", {"a.md": a})
    git(repo, "init", "-q")
    build_tree(source, repo / "build")
    git(repo, "add", "source")
    git(repo, "commit", "-qm", "one")
    monkeypatch.chdir(repo)
    first = CliRunner().invoke(main, ["verify", "--release", "v1.0.0", "build"])
    assert first.output == "v1.0.0 is the first release: no earlier release to upgrade from\n"
    git(repo, "tag", "v1.0.0")
    (source / "a.md").write_text(a + "- **Beta**: Second letter.\n")
    build_tree(source, repo / "build", build_time=BUILD_TIME + 60)
    (repo / "v1.0.0").mkdir()  # a folder named like the tag is not the tag
    second = CliRunner().invoke(main, ["verify", "--release", "v1.1.0", "build"])
    assert second.exit_code == 0, second.output
    assert "cards reviewed before the upgrade: 2" in second.output
    assert "new notes: 1\n  Beta\n" in second.output


def test_verify_from_fails_on_a_change_the_import_would_skip(tmp_path: Path) -> None:
    """Two builds without a shared lock: the newer text carries an older time, so Anki skips
    it and students never get the fix; verify --from says so and fails."""
    a = "---\ndeck: C\ntags: [kam]\n---\n\n- **Alpha**: First letter.\n"
    first, second = (write_notes(tmp_path / x / "source", {"a.md": a}) for x in "ab")
    build_tree(first, tmp_path / "a" / "build", build_time=BUILD_TIME + 100)
    (second / "a.md").write_text(a.replace("First", "The first"))
    build_tree(second, tmp_path / "b" / "build", build_time=BUILD_TIME)
    old, new = (str(tmp_path / x / "build") for x in "ab")
    result = CliRunner().invoke(main, ["verify", "--from", old, new])
    assert result.exit_code == 1
    assert "changed notes the import skipped (not newer): 1\n  Alpha\n" in result.output


def test_verify_from_passes_a_renamed_heading(tmp_path: Path) -> None:
    """A renamed heading changes a note's Context line but not its content (the README lets
    authors rename headings): the import skips the note by design, and verify --from does not
    fail the release for it. A changed answer with an older time still fails it (above)."""
    a = "---\ndeck: C\ntags: [kam]\n---\n\n# Letters\n\n- **Alpha**: First letter.\n"
    source = write_notes(tmp_path / "source", {"a.md": a})
    build_tree(source, tmp_path / "r1")
    (source / "a.md").write_text(a.replace("# Letters", "# The alphabet"))
    build_tree(source, tmp_path / "r2", build_time=BUILD_TIME + 86400)
    old, new = (str(tmp_path / x) for x in ("r1", "r2"))
    assert "The alphabet" in (tmp_path / "r2" / "records.jsonl").read_text(encoding="utf-8")
    result = CliRunner().invoke(main, ["verify", "--from", old, new])
    assert result.exit_code == 0, result.output
    assert "changed notes the import skipped (not newer): 0" in result.output


def test_verify_from_reads_a_kept_types_context_field_as_what_its_note_says(tmp_path: Path) -> None:
    """A vocabulary deck's own "Context" field holds an example sentence, not where the note
    lives (only deckgen's own note types have location fields): a changed sentence the import
    would skip is reported, and fails verify, like any changed field."""
    from generator.identity.kept import kept_json

    model = {
        "id": 1_600_000_004_321,
        "name": "Vocab",
        "flds": [{"name": "Word"}, {"name": "Meaning"}, {"name": "Context"}],
        "tmpls": [{"name": "Card 1", "qfmt": "{{Word}}", "afmt": "{{Meaning}}<br>{{Context}}"}],
    }
    roles = {"prompt": "Word", "answer": "Meaning", "reverse": None}
    head = "---\ndeck: C\nnote-type: note-types/vocab.json\n---\n\n- **bank**: a financial institution\n"
    builds = []
    for name, sentence, time in (("a", "deposit money", 100), ("b", "sit by the river", 0)):
        source = write_notes(
            tmp_path / name,
            {"a.md": head + f"  Context: She went to the bank to {sentence}.\n",
             "note-types/vocab.json": kept_json(model, roles)},
        )  # fmt: skip
        build_tree(source, tmp_path / f"{name}-build", build_time=BUILD_TIME + time)
        builds.append(str(tmp_path / f"{name}-build"))
    result = CliRunner().invoke(main, ["verify", "--from", *builds])
    assert result.exit_code == 1, result.output
    assert "changed notes the import skipped (not newer): 1\n  bank\n" in result.output
