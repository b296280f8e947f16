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


def test_a_student_meets_the_course_in_lecture_order_one_card_of_a_note_a_day(
    tmp_path: Path,
) -> None:
    """On a fresh collection with Anki's default options, the first day's 20 new cards come
    from the first 20 notes of the lecture (files in order, items in order), one card each."""
    import json
    from pathlib import PurePosixPath

    from anki.collection import Collection

    from tests.helpers import import_package

    out = tmp_path / "build"
    assert run_deckgen("build", "--source", str(LIVE_COURSE), "--out", str(out)).returncode == 0
    records = [json.loads(line) for line in (out / "records.jsonl").read_text().splitlines()]

    def place(record: dict[str, str]) -> tuple[tuple[str, ...], int]:
        rel, line = record["source"].rsplit(":", 1)
        return PurePosixPath(rel).parts, int(line)

    lecture = [r["guid"] for r in sorted(records, key=place)]
    collection = Collection(str(tmp_path / "student.anki2"))
    try:
        for package in sorted(out.glob("*.apkg")):
            import_package(collection, package)
        top = sorted(d.name for d in collection.decks.all_names_and_ids() if "::" not in d.name)
        decks = [name for name in top if name != "Default"]
        assert len(decks) == 1, "one package, one top deck: the first day is its first notes"
        collection.decks.select(collection.decks.id_for_name(decks[0]) or 0)
        queued = collection.sched.get_queued_cards(fetch_limit=100).cards
        new = [collection.get_card(q.card.id).note().guid for q in queued if q.queue == 0]
    finally:
        collection.close()
    assert len(new) == 20 and len(set(new)) == 20, "two cards of one note on the first day"
    assert set(new) == set(lecture[:20]), "the first day is not the lecture's first notes"
