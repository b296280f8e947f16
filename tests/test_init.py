"""`deckgen init` starts a course that builds at once; every command finds the course it runs in."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from anki.collection import Collection
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.cli import main
from tests.helpers import git, import_package, workflow_findings
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
    roles = ("Term", "Question", "List", "Cloze")
    assert kinds == {f"Spanish Vocabulary · {role}" for role in roles}
    assert collection.find_notes('"deck:Spanish Vocabulary::Getting Started" tag:basics')


def test_init_joins_a_repository_made_on_github_and_any_title_builds(
    tmp_path: Path, collection: Collection
) -> None:
    """GitHub makes a repository with a README.md and a .gitignore: init keeps both, appends
    what the .gitignore lacks, and says so; a title with YAML's and TOML's signs builds."""
    repo = tmp_path / "biology"
    repo.mkdir()
    (repo / "README.md").write_text("# biology\nMine.\n")
    (repo / ".gitignore").write_text("__pycache__/\n/.venv")  # no final newline
    git(repo, "init", "-q")
    title = "Biology: Cells # 1, \"the\" [basics] {x} \\ 'why'"
    done = deckgen("init", "--title", title, cwd=repo)
    assert done.returncode == 0, done.stderr
    assert "kept README.md (it was there: left as it is)" in done.stdout.splitlines()
    assert "appended to .gitignore (the lines it lacked)" in done.stdout.splitlines()
    assert "wrote source/deckgen.toml" in done.stdout.splitlines()
    assert (repo / "README.md").read_text() == "# biology\nMine.\n"
    assert (repo / ".gitignore").read_text() == "__pycache__/\n/.venv\nbuild/\n"
    built = deckgen("build", cwd=repo)
    assert built.returncode == 0, built.stderr
    assert deckgen("check", "--strict", cwd=repo).returncode == 0
    (package,) = (repo / "build").glob("*.apkg")
    import_package(collection, package)
    assert collection.decks.by_name(f"{title}::Getting Started") is not None
    # Run again, it writes nothing and adds no example to the course that is there now.
    (repo / "source" / "01-getting-started.md").rename(repo / "source" / "mine.md")
    again = deckgen("init", cwd=repo)
    assert again.returncode == 0, again.stderr
    assert not any(line.startswith(("wrote", "appended")) for line in again.stdout.splitlines())
    assert not (repo / "source" / "01-getting-started.md").exists()


@settings(max_examples=settings.default.max_examples // 2)
@given(st.text(min_size=1, max_size=40))
def test_any_title_makes_a_course_that_builds_or_is_refused_with_a_reason(title: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        runner = CliRunner()
        done = runner.invoke(main, ["init", tmp, "--title", title, "--deckgen-spec", "x"])
        if done.exit_code != 0:
            assert done.exit_code == 2 and "--title: error: " in done.output, done.output
            assert not list(Path(tmp).iterdir())  # nothing half-written
            return
        checked = runner.invoke(main, ["check", "--strict", "--source", f"{tmp}/source"])
        assert checked.exit_code == 0, (title, checked.output)


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
    assert 'deckgen verify --release "$GITHUB_REF_NAME" build' in release
