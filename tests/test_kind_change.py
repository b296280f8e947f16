"""A note that changes kind (a term rewritten as a question, a term given items): Anki matches
notes by GUID and reports one it has under another note type as "conflicting", never updating
it (docs/anki.md). So a GUID never moves to another note type: a kept identity is an error
(`kind-changed`), a reworded front is a new note. Through the real importer.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from anki.collection import Collection

from tests.helpers import build_tree, import_package, run_deckgen, write_notes

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
