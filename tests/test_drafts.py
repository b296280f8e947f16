"""A local build is not a release (issue #32, 2): a note no release shipped is simply gone
when it is deleted; only what a release shipped (a tag vX.Y.Z's lock, or a build with
--release) is shipped on, marked as removed."""

from __future__ import annotations

import subprocess
from pathlib import Path

from generator.review.apkg import read_packages
from tests.helpers import BUILD_TIME, build_tree, run_deckgen, write_notes

SAMPLE = "---\ndeck: Course\n---\n\n- **Flashcard**: A card.\n- **Interval**: Time until due.\n"
MINE = "---\ndeck: Course\n---\n\n- **Mitochondrion**: The cell's power plant.\n"


def git(cwd: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=T", "-c", "user.email=t@example.org", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
    )


def shipped(out: Path) -> list[str]:
    return sorted(note.front for note in read_packages(sorted(out.glob("*.apkg"))).values())


def test_sample_notes_replaced_before_the_first_release_are_simply_gone(tmp_path: Path) -> None:
    """init -> build -> replace the sample notes with one's own -> build: nothing of the
    samples is shipped, the lock forgets them, and the build says so."""
    repo = tmp_path / "course"
    source = write_notes(repo / "source", {"01-getting-started.md": SAMPLE})
    git(repo, "init", "-q", "-b", "main")
    assert run_deckgen("build", "-q", cwd=repo).returncode == 0
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "init")  # committed, built: still no release
    (source / "01-getting-started.md").unlink()
    (source / "cells.md").write_text(MINE, encoding="utf-8")
    built = run_deckgen("build", cwd=repo)
    assert built.returncode == 0, built.stderr
    assert "forgot 2 deleted notes no release shipped" in built.stdout
    assert "removed" not in built.stdout.split("\n")[1]
    assert shipped(repo / "build") == ["Mitochondrion"]
    lock = (source / "deckgen.lock").read_text(encoding="utf-8")
    assert "flashcard" not in lock and "interval" not in lock
    assert run_deckgen("removed", cwd=repo).stdout.startswith("no removed notes are shipped")


def test_what_a_tagged_release_shipped_is_shipped_on_marked(tmp_path: Path) -> None:
    repo = tmp_path / "course"
    source = write_notes(repo / "source", {"a.md": SAMPLE})
    git(repo, "init", "-q", "-b", "main")
    assert run_deckgen("build", "-q", cwd=repo).returncode == 0
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "first release")
    git(repo, "tag", "v1.0.0")
    # A draft written after the release, built, then deleted: forgotten; the released
    # note deleted with it: marked.
    (source / "a.md").write_text(SAMPLE + "- **Draft**: Never released.\n", encoding="utf-8")
    assert run_deckgen("build", "-q", cwd=repo).returncode == 0
    (source / "a.md").write_text(SAMPLE.replace("- **Interval**: Time until due.\n", ""))
    built = run_deckgen("build", cwd=repo)
    assert "1 note (and 1 removed, shipped marked)" in built.stdout
    assert "forgot 1 deleted note no release shipped" in built.stdout
    assert shipped(repo / "build") == ["Flashcard", "Interval"]


def test_a_build_with_release_counts_as_a_release_without_git(tmp_path: Path) -> None:
    source = write_notes(tmp_path / "source", {"a.md": SAMPLE})
    out = tmp_path / "build"
    build_tree(source, out, release="v1.0.0")
    assert (source / "deckgen.lock").read_text().count('"released": true') == 2
    (source / "a.md").write_text(SAMPLE.replace("- **Interval**: Time until due.\n", ""))
    result = build_tree(source, out, build_time=BUILD_TIME + 60)
    assert [note.record.front for note in result.notes if note.removed] == ["interval"]
    assert not result.analysis or not result.analysis.stamped.forgotten


def test_a_removed_note_no_release_ever_shipped_is_dropped_from_the_lock(tmp_path: Path) -> None:
    """A lock that marked a draft as removed (as an earlier deckgen did) stops shipping it."""
    source = write_notes(tmp_path / "source", {"a.md": SAMPLE})
    out = tmp_path / "build"
    build_tree(source, out)
    lock = source / "deckgen.lock"
    text = lock.read_text()
    marked = next(line for line in text.splitlines() if '"interval"' in line)
    entry = marked[:-1] + (
        ', "removed": {"since": 1700000000, "type": "deckgen Term", "fields": '
        '["Interval", "Time until due.", "y", "", "Course", "Course", "", "s"], "tags": []}}'
    )
    lock.write_text(text.replace(marked, entry))
    (source / "a.md").write_text(SAMPLE.replace("- **Interval**: Time until due.\n", ""))
    result = build_tree(source, out, build_time=BUILD_TIME + 60)
    assert not any(note.removed for note in result.notes)
    assert "interval" not in lock.read_text()
