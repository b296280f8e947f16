"""`deckgen init` starts a course that builds at once; every command finds the course it runs in."""

from __future__ import annotations

from pathlib import Path

import pytest
from anki.collection import Collection

from tests.helpers import import_package, workflow_findings
from tests.helpers import run_deckgen as deckgen


@pytest.fixture
def course(tmp_path: Path) -> Path:
    root = tmp_path / "spanish-vocabulary"
    root.mkdir()
    done = deckgen("init", cwd=root)
    assert done.returncode == 0, done.stderr
    return root


def test_init_then_build_works_at_once_and_check_is_clean(
    course: Path, collection: Collection
) -> None:
    assert sorted(p.relative_to(course).as_posix() for p in course.rglob("*") if p.is_file()) == [
        ".github/workflows/ci.yml",
        ".github/workflows/release.yml",
        ".gitignore",
        ".pre-commit-config.yaml",
        "README.md",
        "source/01-getting-started.md",
        "source/deckgen.toml",
    ]
    built = deckgen("build", cwd=course)
    assert built.returncode == 0, built.stderr
    assert built.stdout.splitlines()[0] == "wrote build/spanish-vocabulary.apkg"
    checked = deckgen("check", "--strict", cwd=course)
    assert (checked.returncode, checked.stderr) == (0, "no problems found\n")
    log = import_package(collection, course / "build" / "spanish-vocabulary.apkg").log
    assert len(log.new) == 6
    kinds = {collection.get_note(n).note_type()["name"] for n in collection.find_notes("")}  # type: ignore[index]
    assert kinds == {"deckgen Term", "deckgen Question", "deckgen List", "deckgen Cloze"}
    assert collection.find_notes('"deck:Spanish Vocabulary::Getting Started" tag:basics')


def test_init_refuses_to_overwrite_and_names_what_is_there(course: Path) -> None:
    (course / "README.md").write_text("mine\n")
    again = deckgen("init", cwd=course)
    assert again.returncode == 2
    assert "not overwriting what is there" in again.stderr and "README.md" in again.stderr
    assert (course / "README.md").read_text() == "mine\n"


def test_commands_find_the_course_from_any_folder_in_it(course: Path) -> None:
    deep = course / "source" / "drafts"
    deep.mkdir()
    built = deckgen("build", cwd=deep)
    assert built.returncode == 0, built.stderr
    assert (course / "build" / "spanish-vocabulary.apkg").exists()
    assert deckgen("verify", cwd=deep).returncode == 0


def test_outside_a_course_deckgen_says_how_to_start_one(tmp_path: Path) -> None:
    done = deckgen("build", cwd=tmp_path)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "not in a course" in done.stderr and "deckgen init" in done.stderr


def test_the_new_courses_workflows_pass_githubs_schema_and_zizmor(course: Path) -> None:
    assert workflow_findings(*(course / ".github" / "workflows").iterdir()) == ""
    ci = (course / ".github" / "workflows" / "ci.yml").read_text()
    assert "deckgen build --locked" in ci and "persist-credentials: false" in ci
    release = (course / ".github" / "workflows" / "release.yml").read_text()
    assert 'deckgen diff --release "$GITHUB_REF_NAME" build > notes.md' in release
