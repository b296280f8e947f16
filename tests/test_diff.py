"""`deckgen diff`: what changed between two builds, checked against what Anki's importer does."""

from __future__ import annotations

import dataclasses
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from anki.collection import Collection
from click.testing import CliRunner

from generator.cli import main
from generator.identity import note_types as models
from generator.records import Kind
from generator.review.apkg import packages_in, read_build, read_packages
from generator.review.diff import compare, word_diff
from generator.review.release_notes import to_markdown
from tests.helpers import (
    BUILD_TIME,
    build_tree,
    copy_course,
    git,
    import_package,
    write_notes,
)

PROACTIVE = "01-proactive-selling.md"
UPSELLING = "- **Upselling**: Selling more expensive items, upgrades or other add-ons to existing\n  customers.\n"


def edit(source: Path, name: str, old: str, new: str) -> None:
    path = source / name
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), encoding="utf-8")


def release_2(source: Path) -> None:
    edit(
        source, PROACTIVE, "How much of a customer's spending", "The share of a customer's spending"
    )
    edit(source, PROACTIVE, UPSELLING, "")
    edit(
        source,
        PROACTIVE,
        "- **White spot analysis**",
        "- **Value proposition**: What a customer gains.\n- **White spot analysis**",
    )
    edit(
        source,
        PROACTIVE,
        "## Finding potential\n",
        "## Finding potential\n\nSome prose moves the notes down.\n",
    )


@pytest.fixture
def releases(tmp_path: Path) -> tuple[Path, Path]:
    source = copy_course(tmp_path)
    (source / "deckgen.lock").unlink()
    build_tree(source, tmp_path / "r1", build_time=BUILD_TIME)
    release_2(source)
    build_tree(source, tmp_path / "r2", build_time=BUILD_TIME + 86400)
    return tmp_path / "r1", tmp_path / "r2"


def test_diff_lists_added_changed_and_removed_notes(releases: tuple[Path, Path]) -> None:
    old, new = (read_build(packages_in(p)) for p in releases)
    diff = compare(old, new)
    summary = sorted((c.status, c.front, c.note_type, c.anki) for c in diff.changes)
    assert summary == [
        ("added", "Value proposition", "Sales Management · Term", "new"),
        ("changed", "Share of wallet", "Sales Management · Term", "updated"),
        ("removed", "Upselling", "Sales Management · Term", "kept"),
    ]
    (basic,) = [c for c in diff.changes if c.front == "Share of wallet"]
    assert [(f.name, word_diff(f.old, f.new)) for f in basic.fields] == [
        (
            "Back",
            "~~How much~~ **The share** of a customer's spending within a category is with a specific company.",
        )
    ]
    assert diff.anki == {"new": 1, "updated": 1, "skipped": len(new.notes) - 2, "conflicting": 0}


def test_diff_predicts_what_the_real_importer_does(
    releases: tuple[Path, Path], collection: Collection
) -> None:
    old, new = releases
    diff = compare(read_build(packages_in(old)), read_build(packages_in(new)))
    import_package(collection, old / "sales-management.apkg")
    log = import_package(collection, new / "sales-management.apkg").log
    assert (len(log.new), len(log.updated), len(log.conflicting)) == (
        diff.anki["new"],
        diff.anki["updated"],
        0,
    )


def test_release_notes_are_written_for_students(releases: tuple[Path, Path]) -> None:
    result = CliRunner().invoke(
        main, ["diff", "--release", "v1.1.0", str(releases[0]), str(releases[1])]
    )
    assert result.exit_code == 0, result.output
    text = result.output
    assert text.startswith("## v1.1.0: what changes for students\n\n")
    assert "**1 new note**, **1 changed**, **1 removed**." in text  # counts first
    assert "| Sales Management::Proactive Selling | 21 | 1 | 1 | 1 |" in text
    how = text.index("### How to update")
    assert how < text.index("### Sales Management::Proactive Selling")
    assert '"Merge note types" off' in text and "Turn on" not in text
    assert "4. 1 note removed in this release stays in your collection unmarked" in text
    assert "5. Skipped a release? Import only the newest one" in text
    assert "**Update notes: Always**" in text  # for a late importer on Anki before 25.02
    deck = text[text.index("### Sales Management::Proactive Selling") :]
    assert deck.index("<details><summary>1 new, 1 changed, 1 removed</summary>") < deck.index(
        "</details>"
    )
    assert "- new: **Value proposition**: What a customer gains." in deck
    assert "  - answer: ~~How much~~ **The share** of a customer's spending" in deck
    assert "- removed: **Upselling**: Selling more expensive items" in deck
    assert "· Term" not in text  # note type names are for authors, not students
    as_json = CliRunner().invoke(
        main, ["diff", "--format", "json", str(releases[0]), str(releases[1])]
    )
    assert '"updated": 1' in as_json.output


def test_first_release_notes_list_every_note_and_how_to_import(releases: tuple[Path, Path]) -> None:
    result = CliRunner().invoke(main, ["diff", str(releases[0])])
    assert result.exit_code == 0, result.output
    text = result.output
    assert text.startswith("## This release: what changes for students\n\n")
    assert "First release: **106 notes** in 5 decks." in text
    assert "| Sales Management::Proactive Selling | 21 |" in text
    assert "### How to import" in text
    # A cloze is shown as a student reads it: [...] with its answers.
    assert (
        "- **Often about \\[...\\] of a company's sales come from \\[...\\].**: "
        "70%; only a few customers" in text
    )


def test_media_and_card_style_changes_are_announced(tmp_path: Path) -> None:
    files = {
        "a.md": "---\ndeck: D\ntags: [kam]\n---\n\n- **T**: A ![](p.png)\n- **U**: B\n",
        "p.png": "one",
    }
    source = write_notes(tmp_path / "source", files)
    build_tree(source, tmp_path / "r1")
    (source / "p.png").write_text("two")
    (source / "q.png").write_text("new")
    edit(source, "a.md", "- **U**: B", "- **U**: B ![](q.png)")
    build_tree(source, tmp_path / "r2", build_time=BUILD_TIME + 60)
    old, new = (read_build(packages_in(tmp_path / r)) for r in ("r1", "r2"))
    changed_style = dataclasses.replace(
        new, note_types={i: dataclasses.replace(t, look="x") for i, t in new.note_types.items()}
    )
    text = to_markdown(compare(old, changed_style))
    assert "### Images and sounds" in text
    names = {n for _, n in compare(old, new).media}
    assert len(names) == 3 and all(n.endswith(".png") for n in names)  # p (old, new), q
    assert "- changed: **U**\n  - answer: image ~~none~~ **q-" in text
    assert "- Test · Term: a new look (style or layout) for every card of it" in text


def test_release_notes_escape_what_the_notes_say(tmp_path: Path) -> None:
    files = {
        "a.md": "---\ndeck: D\ntags: [kam]\n---\n\n- **A | B**: &lt;img src=x onerror=1&gt; *x*\n"
    }
    source = write_notes(tmp_path / "source", files)
    build_tree(source, tmp_path / "r1")
    text = to_markdown(
        compare(read_build([]), read_build(packages_in(tmp_path / "r1"))), first=True
    )
    assert "<img" not in text and "&lt;img src=x onerror=1&gt; x" in text
    assert "**A \\| B**" in text


def test_a_change_that_would_not_reach_students_is_called_out(tmp_path: Path) -> None:
    """Two builds without a shared lock: the newer content carries an older mod."""
    first, second = copy_course(tmp_path / "a"), copy_course(tmp_path / "b")
    for source in (first, second):
        (source / "deckgen.lock").unlink()
    build_tree(first, tmp_path / "a" / "build", build_time=BUILD_TIME + 100)
    release_2(second)
    build_tree(second, tmp_path / "b" / "build", build_time=BUILD_TIME)
    old, new = (read_build(packages_in(tmp_path / x / "build")) for x in "ab")
    text = to_markdown(compare(old, new))
    assert "**Warning for the author:** 1 changed note will not reach students" in text


def test_a_note_type_schema_change_is_predicted_conflicting(
    releases: tuple[Path, Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    collection: Collection,
) -> None:
    new = releases[1]
    source = tmp_path / "source"
    extra = models.Template("Extra", 5_310_205_199, "{{Back}}", "{{FrontSide}}", ("Back",))
    changed = dataclasses.replace(models.TERM, templates=(*models.TERM.templates, extra), version=2)
    monkeypatch.setitem(models.BY_KIND, Kind.TERM, changed)
    build_tree(source, tmp_path / "r3", build_time=BUILD_TIME + 2 * 86400)
    diff = compare(read_build(packages_in(new)), read_build(packages_in(tmp_path / "r3")))
    import_package(collection, new / "sales-management.apkg")
    log = import_package(collection, tmp_path / "r3" / "sales-management.apkg").log
    # A template was added: Anki refuses to update every existing note of that type.
    terms = sum(
        1
        for n in read_packages(packages_in(new)).values()
        if n.note_type == "Sales Management · Term"
    )
    assert diff.anki["conflicting"] == len(log.conflicting) == terms
    notes = to_markdown(diff)
    assert '2. **Turn on "Merge note types"** in the import options for this release' in notes
    assert f"Anki leaves {terms} notes as they were" in notes
    assert "- Sales Management · Term: its fields or cards changed" in notes


def test_diff_against_a_git_revision_builds_the_notes_at_that_revision(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = tmp_path / "repo"
    source = copy_course(repo)
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@t",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@t",
    }
    for args in (["init", "-q"], ["add", "."], ["commit", "-qm", "release 1"]):
        subprocess.run(["git", *args], cwd=repo, env=env, check=True)
    release_2(source)
    build_tree(source, repo / "build")
    monkeypatch.chdir(repo)
    result = CliRunner().invoke(main, ["diff", "HEAD", "build"])
    assert result.exit_code == 0, result.output
    assert "**1 new note**, **1 changed**, **1 removed**" in result.output
    bad = CliRunner().invoke(main, ["diff", "no-such-revision", "build"])
    assert bad.exit_code == 2
    assert "no-such-revision: error: not a file, a build directory or a git revision" in bad.output
    # A revision is never read as an option by git (it would truncate the file).
    victim = repo / "victim.txt"
    victim.write_text("keep me")
    trick = CliRunner().invoke(main, ["diff", "--", f"--output={victim}", "build"])
    assert trick.exit_code == 2
    assert victim.read_text() == "keep me"


def test_a_folder_named_like_the_previous_tag_never_replaces_the_tag(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`diff --release` compares with the previous release's tag, whatever lies in the folder
    (issue #31); a name given by hand that is both a folder and a tag is refused as ambiguous."""
    repo = tmp_path / "repo"
    source = copy_course(repo)
    git(repo, "init", "-q")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "release 1")
    git(repo, "tag", "v1.0.0")
    release_2(source)
    build_tree(source, repo / "build")
    shutil.copytree(repo / "build", repo / "v1.0.0")  # looks like "nothing changed"
    monkeypatch.chdir(repo)
    result = CliRunner().invoke(main, ["diff", "--release", "v1.1.0", "build"])
    assert result.exit_code == 0, result.output
    assert "**1 changed**, **1 removed**" in result.output
    ambiguous = CliRunner().invoke(main, ["diff", "v1.0.0", "build"])
    assert ambiguous.exit_code == 2
    assert "v1.0.0: error: both a path and a git revision" in ambiguous.output
    for spec in ("./v1.0.0", "refs/tags/v1.0.0"):
        assert CliRunner().invoke(main, ["diff", spec, "build"]).exit_code == 0


def test_release_notes_tell_students_what_to_do_about_each_kind_of_change(
    tmp_path: Path, collection: Collection
) -> None:
    """A reverse card switched off (empty cards: Tools > Empty Cards), a note moved to another
    deck (students' cards stay), a new look, a removed note: each said in a student's words,
    with plurals and steps numbered right, and checked against what the real importer does."""
    a = "---\ndeck: C::A\ntags: [kam]\nvariants: [basic, reverse]\n---\n\n"
    b = "---\ndeck: C::B\ntags: [kam]\n---\n\n"
    terms = "- **Alpha**: First letter.\n- **Beta**: Second letter.\n- **Gamma**: Third letter.\n"
    source = write_notes(tmp_path / "source", {"a.md": a + terms, "b.md": b + "- **Delta**: D.\n"})
    build_tree(source, tmp_path / "r1")
    first = to_markdown(
        compare(read_build([]), read_build(packages_in(tmp_path / "r1"))), first=True
    )
    assert "First release: **4 notes** in 2 decks." in first
    assert re.findall(r"^(\d+)\. ", first, re.MULTILINE) == ["1", "2", "3"]

    moved, kept = "- **Gamma**: Third letter.\n", "- **Alpha**: First letter.\n"
    (source / "a.md").write_text(a.replace("basic, reverse", "basic") + kept)  # Beta removed
    (source / "b.md").write_text(b + "- **Delta**: D.\n" + moved)
    config = source / "deckgen.toml"
    config.write_text(config.read_text() + '[style]\nheader = "New look"\n')
    build_tree(source, tmp_path / "r2", build_time=BUILD_TIME + 86400)
    text = to_markdown(compare(*(read_build(packages_in(tmp_path / r)) for r in ("r1", "r2"))))

    assert "**0 new notes**, **2 changed**, **1 removed**, 1 note moved to another deck" in text
    assert "1 card now empty" in text and "a new look for 1 note type" in text
    steps = re.findall(r"^(\d+)\. (.*)$", text, re.MULTILINE)
    assert [n for n, _ in steps] == [str(i) for i in range(1, len(steps) + 1)]
    assert "**1 card is now empty**" in text and "**Tools > Empty Cards**" in text
    assert "**1 note moved to another deck**" in text and "Cards > Change Deck" in text
    assert "1 note removed in this release stays in your collection unmarked" in text
    assert "Reverse" not in text.replace("Definition to term", "")  # never the switch field
    assert "  - now empty: the card Definition to term (Tools > Empty Cards deletes it)" in text
    assert "  - moved from C::A (your cards of it stay where they are)" in text
    assert "a new look (style or layout) for every card of it" in text

    assert "Warning for the author" not in text  # a move alone changes nothing to update
    # What the notes say is what Anki does: one empty card, and the moved note's cards stay.
    import_package(collection, tmp_path / "r1" / "c.apkg")
    import_package(collection, tmp_path / "r2" / "c.apkg")
    assert sum(len(n.card_ids) for n in collection.get_empty_cards().notes) == 1
    gamma = collection.find_cards('"Front:Gamma"')
    assert {collection.decks.name(collection.get_card(c).did) for c in gamma} == {"C::A"}
