"""Notes removed from the source: shipped marked, found by one search, forgotten after N
releases, and a release that names itself, through the real importer.

The student's side runs in the `anki` this suite imports; tests/test_anki_versions.py runs
the removal through the older versions students have.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from anki.collection import Collection

from generator.build import build
from generator.config import load_config
from generator.diagnostics import BuildFailed
from generator.identity.removed import SEARCH
from generator.review.apkg import read_build, read_packages
from generator.revisions import release_notes
from tests.helpers import (
    TEST_COURSE_ID,
    build_tree,
    import_package,
    run_deckgen,
    visible_text,
    write_notes,
)

T0, DAY = 1_700_000_000, 86_400
HEAD = "---\ndeck: Course::Selling\ntags: [kam]\n---\n\n# Selling\n\n"
NOTES = {
    "a.md": HEAD
    + "- **Trust**: Acting in good faith.\n"
    + "- **Upselling**: Selling a more expensive version.\n"
    + "- **What does a tender invite?** Offers from several suppliers.\n"
}


def without_upselling(text: str) -> str:
    return text.replace("- **Upselling**: Selling a more expensive version.\n", "")


def collection(tmp_path: Path, name: str) -> Any:
    return Collection(str(tmp_path / f"{name}.anki2"))


def counts(log: Any) -> tuple[int, int, int, int]:
    log = log.log
    return len(log.new), len(log.updated), len(log.duplicate), len(log.conflicting)


def study(col: Any) -> dict[int, tuple[int, int]]:
    """Answer every card once (Easy); each card's (reps, interval) afterwards."""
    col.decks.set_current(col.decks.id_for_name("Course::Selling"))
    for cid in col.find_cards(""):
        card = col.get_card(cid)
        card.start_timer()
        col.sched.answerCard(card, 4)
    return {cid: (col.get_card(cid).reps, col.get_card(cid).ivl) for cid in col.find_cards("")}


def found(col: Any, search: str = SEARCH) -> list[str]:
    return sorted(col.get_note(nid).fields[0] for nid in col.find_notes(search))


def test_a_removed_note_reaches_students_marked_and_one_search_finds_it(tmp_path: Path) -> None:
    source = write_notes(tmp_path / "source", NOTES)
    out = tmp_path / "build"
    build_tree(source, out, build_time=T0, release="v1.0.0")
    first = tmp_path / "r1.apkg"
    shutil.copy(out / "course.apkg", first)
    col = collection(tmp_path, "student")
    import_package(col, first)
    reviews = study(col)

    (source / "a.md").write_text(without_upselling(NOTES["a.md"]), encoding="utf-8")
    result = build_tree(source, out, build_time=T0 + DAY)  # the last build is in `out`
    assert not result.warnings
    assert '"removed": {"since": 1700086400' in (source / "deckgen.lock").read_text()
    assert "Upselling" not in (out / "records.jsonl").read_text(encoding="utf-8")
    second = tmp_path / "r2.apkg"
    shutil.copy(out / "course.apkg", second)

    new, updated, _, conflicting = counts(import_package(col, second))
    assert (new, updated, conflicting) == (0, 1, 0)  # only the removed note moved
    assert found(col) == ["Upselling"]
    assert found(col, "tag:deckgen::removed::2023-11-15") == ["Upselling"]
    (nid,) = col.find_notes(SEARCH)
    card = col.get_note(nid).cards()[0]
    assert "Removed from the course on 2023-11-15" in visible_text(card.question())
    assert "Selling a more expensive version." in visible_text(card.answer())
    assert {cid: (col.get_card(cid).reps, col.get_card(cid).ivl) for cid in reviews} == reviews
    assert found(col, "Removed") == ["Upselling"], "the other notes are untouched"

    notes = release_notes([str(first), str(second)], source, "v1.1.0", "markdown")
    assert (
        "**1 note was removed from the course.** A package cannot delete anything, so it stays"
        in notes
    )
    assert f"search `{SEARCH}` in Anki's Browse window" in notes
    assert "- removed: **Upselling**: Selling a more expensive version. (marked)" in notes
    assert "| Course::Selling | 2 | 0 | 0 | 1 |" in notes  # the deck has 2 notes left

    # A later release ships it again, unchanged: nothing to update; a new student gets it marked.
    text = without_upselling(NOTES["a.md"]).replace("good faith", "good faith, always")
    (source / "a.md").write_text(text, encoding="utf-8")
    build_tree(source, out, build_time=T0 + 2 * DAY)
    new, updated, _, _ = counts(import_package(col, out / "course.apkg"))
    assert (new, updated) == (0, 1)  # Trust's edit, and nothing else
    assert found(col) == ["Upselling"]
    newcomer = collection(tmp_path, "newcomer")
    import_package(newcomer, out / "course.apkg")
    assert found(newcomer) == ["Upselling"] and len(newcomer.find_notes("")) == 3
    notes = release_notes([str(second), str(out / "course.apkg")], source, None, "markdown")
    assert "removed" not in notes.split("### Course::Selling")[1], "marked once, not again"

    # The lock is what a locked release build needs: it passes and ships the same.
    again = tmp_path / "again"
    build(load_config(source, again, build_time=T0 + 3 * DAY, locked=True))
    assert (again / "course.apkg").read_bytes() == (out / "course.apkg").read_bytes()


def test_a_note_put_back_comes_back_unmarked(tmp_path: Path) -> None:
    source = write_notes(tmp_path / "source", NOTES)
    out = tmp_path / "build"
    col = collection(tmp_path, "student")
    for number, text in enumerate([NOTES["a.md"], without_upselling(NOTES["a.md"]), NOTES["a.md"]]):
        (source / "a.md").write_text(text, encoding="utf-8")
        build_tree(source, out, build_time=T0 + number * DAY)
        import_package(col, out / "course.apkg")
    assert found(col) == []
    assert '"removed"' not in (source / "deckgen.lock").read_text(encoding="utf-8")
    (nid,) = col.find_notes("Upselling")
    assert "Removed" not in visible_text(col.get_note(nid).cards()[0].question())


def test_a_removed_note_that_showed_an_image_keeps_it_for_students_who_have_it(
    tmp_path: Path,
) -> None:
    """Its fields still name the file; no note shows the file any more, so no release ships
    it again, and a student who had the note keeps the file from the release that did."""
    shown = NOTES["a.md"].replace("more expensive version.", "more expensive version. ![u](up.png)")
    source = write_notes(tmp_path / "source", {"a.md": shown})
    (source / "up.png").write_bytes(b"\x89PNG upselling")
    out = tmp_path / "build"
    build_tree(source, out, build_time=T0, release="v1.0.0")
    col = collection(tmp_path, "student")
    import_package(col, out / "course.apkg")
    (name,) = os.listdir(col.media.dir())

    (source / "a.md").write_text(without_upselling(NOTES["a.md"]), encoding="utf-8")
    result = build_tree(source, out, build_time=T0 + DAY)
    assert not result.warnings and len(result.notes) == 3
    assert read_build([out / "course.apkg"]).media == {}
    new, updated, _, conflicting = counts(import_package(col, out / "course.apkg"))
    assert (new, updated, conflicting) == (0, 1, 0)
    (nid,) = col.find_notes(SEARCH)
    assert f'<img src="{name}"' in col.get_note(nid).cards()[0].answer()
    assert os.listdir(col.media.dir()) == [name]
    newcomer = collection(tmp_path, "newcomer")
    import_package(newcomer, out / "course.apkg")
    assert found(newcomer) == ["Upselling"]
    # Unchanged: the next build leaves the package in place.
    assert build_tree(source, out, build_time=T0 + 2 * DAY).up_to_date


def test_without_an_earlier_build_the_note_is_not_marked_and_the_author_is_told(
    tmp_path: Path,
) -> None:
    source = write_notes(tmp_path / "source", NOTES)
    build_tree(source, tmp_path / "one", build_time=T0, release="v1.0.0")
    (source / "a.md").write_text(without_upselling(NOTES["a.md"]), encoding="utf-8")
    result = build_tree(source, tmp_path / "elsewhere", build_time=T0 + DAY)
    (warning,) = result.warnings
    assert warning.code == "removed-unmarked" and "'upselling'" in warning.message
    assert str(warning.location).startswith(str(source / "deckgen.lock"))
    assert "removed" not in (source / "deckgen.lock").read_text(encoding="utf-8")
    # `check` decides nothing about removals (it writes no lock): no warning there.
    assert run_deckgen("check", "--strict", "--source", str(source)).returncode == 0


def git(cwd: Path, *args: str) -> str:
    run = subprocess.run(
        ["git", "-c", "user.name=T", "-c", "user.email=t@example.org", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=True,
    )
    return run.stdout


def course_repo(tmp_path: Path) -> Path:
    """A course in git with one committed build (lock), released as v1.0.0, and no build/
    folder."""
    repo = tmp_path / "course"
    source = write_notes(repo / "source", NOTES)
    (repo / ".gitignore").write_text("build/\n")
    git(repo, "init", "-q", "-b", "main")
    assert run_deckgen("build", "-q", cwd=repo).returncode == 0
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "first")
    git(repo, "tag", "v1.0.0")
    shutil.rmtree(repo / "build")
    assert (source / "deckgen.lock").exists()
    return repo


def test_a_note_removed_in_a_fresh_clone_is_marked_from_git(tmp_path: Path) -> None:
    """A teacher deletes a note on GitHub's web editor, then builds in a fresh clone: no
    build/ to say what students have; the commit that last wrote the lock does."""
    repo = course_repo(tmp_path)
    notes = repo / "source" / "a.md"
    notes.write_text(without_upselling(notes.read_text()), encoding="utf-8")
    git(repo, "commit", "-qam", "Remove Upselling (web edit; the lock not rebuilt)")
    built = run_deckgen("build", cwd=repo)
    assert built.returncode == 0, built.stderr
    assert "2 notes (and 1 removed, shipped marked) in 1 package; 0 warnings" in built.stdout
    (marked,) = [
        n
        for n in read_packages([repo / "build" / "course.apkg"]).values()
        if n.front == "Upselling"
    ]
    assert any(tag.startswith("deckgen::removed::") for tag in marked.tags)


def test_removed_notes_are_forgotten_after_the_releases_the_author_chose(tmp_path: Path) -> None:
    repo = course_repo(tmp_path)
    notes = repo / "source" / "a.md"
    notes.write_text(without_upselling(notes.read_text()), encoding="utf-8")
    assert run_deckgen("build", "-q", cwd=repo).returncode == 0
    git(repo, "commit", "-qam", "Remove Upselling")
    listed = run_deckgen("removed", cwd=repo).stdout
    assert re.search(
        r"\d{4}-\d\d-\d\d  Course::Selling › Upselling  \(shipped marked in: no release yet\)",
        listed,
    )
    assert f"students find them with: {SEARCH}" in listed
    refused = run_deckgen("removed", "--forget", "1", cwd=repo)
    assert "0 removed note(s) forgotten" in refused.stdout  # no release has shipped it yet
    assert run_deckgen("removed", "--forget", "0", cwd=repo).returncode == 2
    git(repo, "tag", "v1.1.0")
    git(repo, "tag", "v1.2.0-rc.1")  # a pre-release never counts
    assert "(shipped marked in: v1.1.0)" in run_deckgen("removed", cwd=repo).stdout
    assert "0 removed note(s) forgotten" in run_deckgen("removed", "--forget", "2", cwd=repo).stdout
    student = collection(tmp_path, "student")
    import_package(student, repo / "build" / "course.apkg")
    forgot = run_deckgen("removed", "--forget", "1", cwd=repo)
    assert "forgot " in forgot.stdout and "1 removed note(s) forgotten" in forgot.stdout
    assert '"removed"' not in (repo / "source" / "deckgen.lock").read_text()
    assert run_deckgen("build", "-q", cwd=repo).returncode == 0
    shipped = read_packages([repo / "build" / "course.apkg"])
    assert sorted(n.front for n in shipped.values()) == ["Trust", "What does a tender invite?"]
    import_package(student, repo / "build" / "course.apkg")
    assert found(student) == ["Upselling"], "a student who had it keeps it, marked"
    assert run_deckgen("build", "--locked", "--out", str(tmp_path / "ci"), cwd=repo).returncode == 0


@pytest.mark.parametrize(
    "removed",
    [
        '"x"',
        '{"since": 1, "type": "deckgen Term", "fields": [], "tags": []}',
        '{"since": 1, "type": "deckgen Term", "fields": [1], "tags": []}',
        '{"since": -1, "type": "deckgen Term", "fields": ["a"], "tags": []}',
        '{"since": 1, "type": "deckgen Term", "fields": ["a"], "tags": ["two words"]}',
        '{"since": 1, "type": "deckgen Term", "fields": ["a"], "tags": []}',
        '{"since": 1, "type": "Basic", "fields": ["a", "b"], "tags": []}',
        '{"since": 1, "type": "deckgen Term", "fields": ["'
        + "x" * (1 << 17 + 1)
        + '"], "tags": []}',
    ],
    ids=[
        "not-an-object",
        "no-fields",
        "not-text",
        "bad-time",
        "bad-tag",
        "too-few-fields",
        "not-our-type",
        "huge-field",
    ],
)
def test_a_tampered_removed_entry_is_a_located_error(tmp_path: Path, removed: str) -> None:
    source = write_notes(tmp_path / "source", NOTES)
    lock = source / "deckgen.lock"
    line = (
        '{"deck": "Course::Gone", "front": "x", "note": ["0123456789abcdef", 1], '
        '"released": true, "removed": %s}'
    )
    lock.write_text(
        '{"deckgen-lock": 3, "course": "' + TEST_COURSE_ID + '"}\n' + line % removed + "\n",
        encoding="utf-8",
    )
    with pytest.raises(BuildFailed) as failed:
        build_tree(source, tmp_path / "out")
    (problem,) = failed.value.diagnostics
    assert problem.code == "lock" and problem.location.line == 2


def test_a_release_names_itself_and_cards_link_to_an_error_report(tmp_path: Path) -> None:
    text = NOTES["a.md"].replace("**Trust**", '**Trust & "faith" <b>x</b>**')
    source = write_notes(tmp_path / "source", {"a.md": text})
    toml = source / "deckgen.toml"
    toml.write_text('repository = "https://github.com/school/selling/"\n' + toml.read_text())
    col = collection(tmp_path, "student")
    for release, when in (("v1.2.0", T0), ("v1.3.0", T0 + DAY)):
        out = tmp_path / release
        build(load_config(source, out, build_time=when, release=release))
        import_package(col, out / "course.apkg")
        for name in ("Course", "Course::Selling"):
            description = col.decks.by_name(name)["desc"]
            day = "2023-11-14" if release == "v1.2.0" else "2023-11-15"
            assert f"<p>Release {release} of {day}.</p>" in description
            link = f'href="https://github.com/school/selling/releases/tag/{release}"'
            assert link in description and "Report an error" in description
    (nid,) = col.find_notes('"Trust*"')
    answer = col.get_note(nid).cards()[0].answer()
    (href,) = re.findall(r'href="([^"]*)">Report an error</a>', answer)
    assert href.startswith("https://github.com/school/selling/issues/new?title=Error%20on%20the")
    # The front as the card shows it (the author's "<b>x</b>" is text: #14), URL-encoded.
    assert "Trust%20%26%20%22faith%22%20%3Cb%3Ex%3C%2Fb%3E" in href
    assert "source%2Fa.md%20%E2%80%BA%20Selling" in href
    assert "<" not in href and '"' not in href
    unreleased = tmp_path / "local"
    build(load_config(source, unreleased, build_time=T0 + 2 * DAY))
    import_package(col, unreleased / "course.apkg")
    assert "not a published release" in col.decks.by_name("Course")["desc"]


@pytest.mark.parametrize(
    "value",
    [
        '"http://github.com/a/b"',
        '"https://github.com/a/b?x=1"',
        '"https://x/a b"',
        "3",
        '"javascript:alert(1)"',
    ],
)
def test_a_repository_that_is_not_an_https_address_is_a_located_error(
    tmp_path: Path, value: str
) -> None:
    source = write_notes(tmp_path / "source", NOTES)
    toml = source / "deckgen.toml"
    toml.write_text(f"repository = {value}\n" + toml.read_text())
    checked = run_deckgen("check", "--source", str(source))
    assert checked.returncode == 1 and "[config]" in checked.stderr
    assert re.search(r"deckgen\.toml:\d+:1: error: 'repository' must be", checked.stderr)
    assert "Traceback" not in checked.stderr
