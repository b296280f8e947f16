"""A note that changes kind (a term rewritten as a question, a term given items): Anki matches
notes by GUID and reports one it has under another note type as "conflicting", never updating
it (docs/anki.md). So a GUID never moves to another note type: a kept identity is an error
(`kind-changed`), a reworded front is a new note. Through the real importer.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from anki.collection import Collection

from generator.diagnostics import BuildFailed
from generator.identity.removed import SEARCH
from tests.helpers import build_tree, import_package, outputs, run_deckgen, write_notes

T0, DAY = 1_700_000_000, 86_400
HEAD = "---\ndeck: Course::Selling\ntags: [kam]\n---\n\n# Selling\n\n"
TRUST = "- **Trust**: Acting in good faith.\n"
PINNED_TERM = "- **Value selling**: Pitching by the benefit a customer gets. <!-- id: value -->\n"
PINNED_QUESTION = (
    "- **What does the salesperson do in value selling?** Shows the value the customer gets."
    " <!-- id: {pin} -->\n"
)


def counts(result: Any) -> tuple[int, int, int, int]:
    log = result.log
    return len(log.new), len(log.updated), len(log.duplicate), len(log.conflicting)


def fronts(col: Any, search: str) -> list[str]:
    return sorted(re.sub(r"<[^>]+>", "", col.get_note(n).fields[0]) for n in col.find_notes(search))


def released(tmp_path: Path, notes: str) -> tuple[Path, Path, Any]:
    """A course released with `notes` (v1.0.0), and a student who imported it."""
    source = write_notes(tmp_path / "source", {"a.md": HEAD + notes})
    out = tmp_path / "build"
    build_tree(source, out, build_time=T0, release="v1.0.0")
    col = Collection(str(tmp_path / "student.anki2"))
    assert counts(import_package(col, out / "course.apkg"))[0] == 2
    return source, out, col


def test_a_pinned_term_rewritten_as_a_question_is_an_error_until_it_gets_a_new_pin(
    tmp_path: Path,
) -> None:
    source, out, col = released(tmp_path, TRUST + PINNED_TERM)
    (source / "a.md").write_text(HEAD + TRUST + PINNED_QUESTION.format(pin="value"), "utf-8")
    lock, shipped = (source / "deckgen.lock").read_bytes(), outputs(out)

    with pytest.raises(BuildFailed) as failed:
        build_tree(source, out, build_time=T0 + DAY)
    (problem,) = failed.value.diagnostics
    assert problem.code == "kind-changed"
    assert (problem.location.path.endswith("a.md"), problem.location.line) == (True, 9)
    assert "was a Term note and is now a Question" in problem.message
    assert "pin it under a new name" in problem.message and "marked removed" in problem.message
    cli = run_deckgen("build", "--source", str(source), "--out", str(out))
    assert cli.returncode == 1 and "Traceback" not in cli.stderr
    assert re.search(
        r"a\.md:9:\d+: error: this note was a Term note .*\[kind-changed\]$", cli.stderr, re.M
    )
    assert (source / "deckgen.lock").read_bytes() == lock and outputs(out) == shipped

    # The author's fix: a new identity. Students get the question as a new note; the term
    # they have is marked removed (its note type unchanged: updated, not conflicting).
    (source / "a.md").write_text(HEAD + TRUST + PINNED_QUESTION.format(pin="value-q"), "utf-8")
    result = build_tree(source, out, build_time=T0 + DAY)
    assert not result.warnings
    second = tmp_path / "r2.apkg"
    shutil.copy(out / "course.apkg", second)
    new, updated, _, conflicting = counts(import_package(col, second))
    assert (new, updated, conflicting) == (1, 1, 0)
    assert fronts(col, SEARCH) == ["Value selling"]
    assert fronts(col, "-" + SEARCH) == [
        "Trust",
        "What does the salesperson do in value selling?",
    ]
    text = (source / "deckgen.lock").read_text(encoding="utf-8")
    assert '"pin": "value-q", "type": "deckgen Question"' in text
    assert '"pin": "value", "type": "deckgen Term"' in text and '"removed"' in text


def test_a_term_given_items_under_its_unchanged_front_is_an_error_until_it_is_pinned(
    tmp_path: Path,
) -> None:
    source, out, col = released(tmp_path, TRUST + "- **Value selling**: Selling on value.\n")
    items = "\n  - Ask about the customer's goals.\n  - Price by the benefit delivered.\n"
    (source / "a.md").write_text(HEAD + TRUST + "- **Value selling**" + items, "utf-8")
    with pytest.raises(BuildFailed) as failed:
        build_tree(source, out, build_time=T0 + DAY)
    (problem,) = failed.value.diagnostics
    assert problem.code == "kind-changed" and "was a Term note and is now a List" in problem.message

    # Pinned under a new name, its front unchanged: a new note all the same, not the term's.
    pinned = "- **Value selling** <!-- id: value-steps -->" + items
    (source / "a.md").write_text(HEAD + TRUST + pinned, "utf-8")
    build_tree(source, out, build_time=T0 + DAY)
    new, updated, _, conflicting = counts(import_package(col, out / "course.apkg"))
    assert (new, updated, conflicting) == (1, 1, 0)
    assert fronts(col, SEARCH) == ["Value selling"]


def test_a_reworded_front_of_another_kind_is_a_new_note(tmp_path: Path) -> None:
    term = "- **Value-based selling**: Selling on the value the customer gets.\n"
    source, out, col = released(tmp_path, TRUST + term)
    question = "- **What is value-based selling?** Selling on the value the customer gets.\n"
    (source / "a.md").write_text(HEAD + TRUST + question, "utf-8")  # 80% alike
    result = build_tree(source, out, build_time=T0 + DAY)
    assert not result.warnings
    new, updated, _, conflicting = counts(import_package(col, out / "course.apkg"))
    assert (new, updated, conflicting) == (1, 1, 0)  # the question, the term marked removed
    assert fronts(col, SEARCH) == ["Value-based selling"]
    assert "What is value-based selling?" in fronts(col, "-" + SEARCH)

    # Never released: a draft, forgotten, and the question is a new note all the same.
    drafts = write_notes(tmp_path / "drafts", {"a.md": HEAD + TRUST + term})
    build_tree(drafts, tmp_path / "draft-build", build_time=T0)
    (drafts / "a.md").write_text(HEAD + TRUST + question, "utf-8")
    result = build_tree(drafts, tmp_path / "draft-build", build_time=T0 + DAY)
    assert result.analysis is not None
    assert [e.front for e in result.analysis.stamped.forgotten] == ["value-based selling"]
    text = (drafts / "deckgen.lock").read_text(encoding="utf-8")
    assert "value-based selling" not in text.replace("what is value-based selling?", "")
    assert '"front": "what is value-based selling?", "type": "deckgen Question"' in text


def test_a_lock_an_earlier_deckgen_wrote_without_types_still_builds(tmp_path: Path) -> None:
    source, out, _ = released(tmp_path, TRUST + PINNED_TERM)
    lock = source / "deckgen.lock"
    typed = lock.read_text(encoding="utf-8")
    untyped = re.sub(r', "type": "[^"]*"', "", typed)
    lock.write_text(untyped, encoding="utf-8")
    records = (out / "records.jsonl").read_bytes()

    checked = run_deckgen("build", "--locked", "--source", str(source), "--out", str(out))
    assert checked.returncode == 1 and "Traceback" not in checked.stderr
    (said,) = [line for line in checked.stderr.splitlines() if "[lock-outdated]" in line]
    assert "does not say which note type 2 note(s) are" in said
    build_tree(source, out, build_time=T0 + DAY)
    assert untyped != typed and lock.read_text(encoding="utf-8") == typed  # types added, only
    assert (out / "records.jsonl").read_bytes() == records  # the same GUIDs

    # A type the lock does not know is not checked: the pinned term may become a question.
    lock.write_text(untyped, encoding="utf-8")
    (source / "a.md").write_text(HEAD + TRUST + PINNED_QUESTION.format(pin="value"), "utf-8")
    build_tree(source, out, build_time=T0 + DAY)
    assert '"pin": "value", "type": "deckgen Question"' in lock.read_text(encoding="utf-8")


MOVES = "---\ndeck: C::{deck}\ntags: [kam]\n---\n\n# {deck}\n\n"
PRICING_TERM = "- **Pricing**: Setting what a customer pays.\n"
PRICING_LIST = "- **Pricing**\n  - Cost plus.\n  - Value based.\n"
MARGIN = "- **Margin**: What is left of the price once costs are paid.\n"


def guids(out: Path) -> dict[tuple[str, str], str]:
    """Each note's GUID in the last build, by its front and kind."""
    lines = (out / "records.jsonl").read_text(encoding="utf-8").splitlines()
    return {(r["front"], r["kind"]): r["guid"] for r in map(json.loads, lines)}


def test_two_notes_of_one_front_swapped_between_decks_each_keep_their_own_guid(
    tmp_path: Path,
) -> None:
    files = {"a.md": MOVES.format(deck="A") + PRICING_TERM, "b.md": MOVES.format(deck="B")}
    files["b.md"] += PRICING_LIST
    source, out = write_notes(tmp_path / "source", files), tmp_path / "build"
    build_tree(source, out, build_time=T0, release="v1.0.0")
    col = Collection(str(tmp_path / "student.anki2"))
    assert counts(import_package(col, out / "c.apkg"))[0] == 2
    before = guids(out)

    (source / "a.md").write_text(MOVES.format(deck="A") + PRICING_LIST, "utf-8")
    (source / "b.md").write_text(MOVES.format(deck="B") + PRICING_TERM, "utf-8")
    result = build_tree(source, out, build_time=T0 + DAY)
    assert not result.warnings
    assert guids(out) == before  # each note its own GUID, in the other deck
    new, _, _, conflicting = counts(import_package(col, out / "c.apkg"))
    assert (new, conflicting) == (0, 0)


def test_a_note_moved_onto_a_removed_note_of_another_kind_keeps_its_guid(tmp_path: Path) -> None:
    files = {"a.md": MOVES.format(deck="A") + MARGIN + PRICING_TERM}
    files["b.md"] = MOVES.format(deck="B") + MARGIN + PRICING_LIST
    source, out = write_notes(tmp_path / "source", files), tmp_path / "build"
    build_tree(source, out, build_time=T0, release="v1.0.0")
    col = Collection(str(tmp_path / "student.anki2"))
    assert counts(import_package(col, out / "c.apkg"))[0] == 4
    term = guids(out)[("Pricing", "term")]
    (source / "b.md").write_text(MOVES.format(deck="B") + MARGIN, "utf-8")
    build_tree(source, out, build_time=T0 + DAY, release="v1.1.0")
    assert counts(import_package(col, out / "c.apkg"))[1] == 1  # the list, marked
    assert fronts(col, SEARCH) == ["Pricing"]

    # The unchanged term moves to the deck where the list was removed: the same note.
    (source / "a.md").write_text(MOVES.format(deck="A") + MARGIN, "utf-8")
    (source / "b.md").write_text(MOVES.format(deck="B") + MARGIN + PRICING_TERM, "utf-8")
    result = build_tree(source, out, build_time=T0 + 2 * DAY)
    assert guids(out)[("Pricing", "term")] == term
    # The lock holds one note per deck and front: the removed list is no longer shipped, and
    # students keep it as the last release left it (marked).
    (warned,) = result.warnings
    assert warned.code == "removed-unmarked" and "another kind" in warned.message
    lock = (source / "deckgen.lock").read_text(encoding="utf-8")
    assert '"removed"' not in lock and lock.count('"front": "pricing"') == 1
    new, _, _, conflicting = counts(import_package(col, out / "c.apkg"))
    assert (new, conflicting) == (0, 0)
    assert fronts(col, SEARCH) == ["Pricing"]  # the list, still marked
    assert len(col.find_notes("Pricing")) == 2
