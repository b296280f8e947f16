"""Course checks: what CI asks of the notes in source/, and nothing more.

These (with tests/test_seeds.py) are the only tests that read the live course; every test of
the tool uses its own copy in tests/fixtures/course/. So a teacher who fixes a typo, adds or
removes a note sees red only for a real problem of the notes: one `deckgen check --strict`
reports, a lock not committed with them (`deckgen build --locked` in .ci/run), or a seed
fact lost.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from tests.helpers import LIVE_COURSE, run_deckgen

TESTS = Path(__file__).parent
COURSE_CHECKS = {"test_course_checks.py", "test_seeds.py"}


def test_the_course_passes_check_strict() -> None:
    done = run_deckgen("check", "--strict", "--source", str(LIVE_COURSE))
    assert done.returncode == 0, done.stderr


def test_only_the_course_checks_read_the_live_course() -> None:
    readers = [
        path.name
        for path in TESTS.glob("test_*.py")
        if re.search(r"LIVE_COURSE|ROOT / \"source\"", path.read_text(encoding="utf-8"))
    ]
    assert sorted(readers) == sorted(COURSE_CHECKS)


def test_a_teachers_edits_upset_only_what_they_should(tmp_path: Path) -> None:
    """A typo fixed, a note added, a note removed: check stays clean, the lock needs a build,
    and after `deckgen build` a locked build passes."""
    source = tmp_path / "source"
    shutil.copytree(LIVE_COURSE, source)
    notes = source / "01-proactive-selling.md"
    text = notes.read_text(encoding="utf-8")
    text = text.replace("Finding potential", "Finding potentail", 1)  # a typo in a heading
    text = re.sub(r"- \*\*Share of wallet\*\*:[^\n]*\n(  [^\n]*\n)*", "", text)  # a note removed
    text += "\n- **Sales funnel**: The stages a prospect passes through before buying.\n"
    notes.write_text(text, encoding="utf-8")
    out = tmp_path / "build"
    assert run_deckgen("check", "--strict", "--source", str(source)).returncode == 0
    locked = run_deckgen("build", "--locked", "--source", str(source), "--out", str(out))
    assert locked.returncode == 1 and "[lock-outdated]" in locked.stderr
    assert run_deckgen("build", "--source", str(source), "--out", str(out)).returncode == 0
    again = run_deckgen("build", "--locked", "--source", str(source), "--out", str(tmp_path / "b2"))
    assert again.returncode == 0, again.stderr
