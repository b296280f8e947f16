"""Every course its own note types and GUIDs (`identity.course`, `identity.ids`): two courses in
one collection never touch each other's cards, and a course keeps its identity for ever."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from anki.collection import Collection

from generator.diagnostics import BuildFailed
from tests.helpers import (
    BUILD_TIME,
    TEST_COURSE_ID,
    build_tree,
    import_package,
    run_deckgen,
    write_notes,
)

SPANISH = """---
deck: Spanish
variants: [basic, reverse, cloze]
---

# Verbs

- **hablar**: to speak
- **comer**: to eat
- **Which verbs end in -ar?**
  - hablar
  - cantar
- Yo {{c1::hablo}} español.
- **What does "vivir" mean?** To live.
"""
OTHER_ID = "5a0e2c1f-7b8d-4e3a-9c6f-2d1b0a9e8f7c"


def two_courses(tmp_path: Path) -> tuple[Path, Path]:
    """Two teachers' "Spanish": the same deck and terms, each its own course; the second
    with a look of its own."""
    first = write_notes(tmp_path / "a" / "source", {"spanish.md": SPANISH})
    second = write_notes(tmp_path / "b" / "source", {"spanish.md": SPANISH}, course_id=OTHER_ID)
    (second / "look.css").write_text(".card { border: 4px solid red; }\n")
    toml = second / "deckgen.toml"
    toml.write_text(toml.read_text().replace('name = "Test"', 'name = "Spanish (Ruiz)"'))
    with toml.open("a") as toml:
        toml.write(
            '\n[style]\ncss = "look.css"\nheader = "Señora Ruiz"\nfooter = "¡Hasta luego!"\n'
        )
    build_tree(first, tmp_path / "a" / "build")
    build_tree(second, tmp_path / "b" / "build")
    return tmp_path / "a" / "build" / "spanish.apkg", tmp_path / "b" / "build" / "spanish.apkg"


def rendered(collection: Collection) -> dict[tuple[str, int], tuple[str, str, int]]:
    """Every card as the student sees it: (GUID, ordinal) -> question, answer, note type id."""
    found = {}
    for cid in collection.find_cards(""):
        card = collection.get_card(cid)
        note = card.note()
        found[(note.guid, card.ord)] = (card.question(), card.answer(), note.mid)
    return found


def test_two_courses_in_one_collection_share_nothing_and_change_nothing_of_each_other(
    tmp_path: Path, collection: Collection
) -> None:
    first, second = two_courses(tmp_path)
    import_package(collection, first)
    before = rendered(collection)
    log = import_package(collection, second).log
    # Every note of the second course is new: none updated, taken over or conflicting.
    assert (len(log.updated), len(log.duplicate), len(log.conflicting)) == (0, 0, 0)
    assert len(log.new) == 5
    after = rendered(collection)
    assert {key: after[key] for key in before} == before, "the second course changed the first"
    theirs = {key: value for key, value in after.items() if key not in before}
    assert len(theirs) == len(before)  # the same cards, under GUIDs of their own
    assert not {mid for *_, mid in before.values()} & {mid for *_, mid in theirs.values()}
    assert all("Señora Ruiz" in q for q, _, _ in theirs.values())
    assert not any("Señora Ruiz" in q + a or "red" in q + a for q, a, _ in before.values())
    names = {name.name for name in collection.models.all_names_and_ids()}
    assert {"Test · Term", "Spanish (Ruiz) · Term"} <= names  # Browse tells them apart
    # Importing the first course again (a later release) leaves the second as it is.
    import_package(collection, first)
    assert rendered(collection) == after


def test_a_folder_of_notes_without_an_id_gets_one_at_its_first_build(tmp_path: Path) -> None:
    source = write_notes(tmp_path / "source", {"a.md": SPANISH}, course_id=None)
    (source / "deckgen.toml").write_text("# the tags\n[tags]\n", encoding="utf-8")
    run = run_deckgen("build", "--source", str(source), "--out", str(tmp_path / "out"))
    assert run.returncode == 0, run.stderr
    text = (source / "deckgen.toml").read_text(encoding="utf-8")
    assert text.startswith("# the tags\n[tags]\n")  # what the teacher wrote stays
    course = tomllib.loads(text)["course"]
    assert course["name"] == tmp_path.name  # the folder above source/
    lock = (source / "deckgen.lock").read_text(encoding="utf-8")
    assert f'"course": "{course["id"]}"' in lock
    # The next build keeps it: nothing to do, the same GUIDs.
    again = run_deckgen("build", "--source", str(source), "--out", str(tmp_path / "out"))
    assert "up to date" in again.stdout
    assert (source / "deckgen.lock").read_text(encoding="utf-8") == lock


def test_a_lost_id_comes_back_from_the_lock(tmp_path: Path) -> None:
    source = write_notes(tmp_path / "source", {"a.md": SPANISH})
    build_tree(source, tmp_path / "out")
    lock = (source / "deckgen.lock").read_bytes()
    (source / "deckgen.toml").write_text('[course]\nname = "Spanish"\n', encoding="utf-8")
    build_tree(source, tmp_path / "out", build_time=BUILD_TIME + 5)
    course = tomllib.loads((source / "deckgen.toml").read_text(encoding="utf-8"))["course"]
    assert course == {"id": TEST_COURSE_ID, "name": "Spanish"}
    assert (source / "deckgen.lock").read_bytes().count(TEST_COURSE_ID.encode()) == 1
    assert b'"course": "' + TEST_COURSE_ID.encode() in lock


def test_a_changed_id_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    source = write_notes(tmp_path / "source", {"a.md": SPANISH})
    build_tree(source, tmp_path / "out")
    before = (source / "deckgen.lock").read_bytes()
    toml = source / "deckgen.toml"
    toml.write_text(toml.read_text().replace(TEST_COURSE_ID, OTHER_ID))
    with pytest.raises(BuildFailed) as failed:
        build_tree(source, tmp_path / "out", build_time=BUILD_TIME + 5)
    (problem,) = failed.value.diagnostics
    assert problem.code == "course-id" and str(problem.location).endswith("deckgen.toml:6:1")
    assert f'Restore id = "{TEST_COURSE_ID}"' in problem.message
    assert (source / "deckgen.lock").read_bytes() == before


def test_a_locked_build_without_an_id_says_what_to_do(tmp_path: Path) -> None:
    source = write_notes(tmp_path / "source", {"a.md": SPANISH}, course_id=None)
    run = run_deckgen("build", "--locked", "--source", str(source), "--out", str(tmp_path / "o"))
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert "deckgen.toml has no course id" in run.stderr
    assert "[course]" not in (source / "deckgen.toml").read_text()


@pytest.mark.parametrize(
    ("course", "says"),
    [
        ('[course]\nid = "sales"\n', "'id' must be the course id deckgen wrote"),
        ("[course]\nid = 7\n", "'id' must be the course id deckgen wrote"),
        ('[course]\nname = ""\n', "'name' must be text of 1 to 100 characters"),
        ('[course]\ncolour = "red"\n', "unknown key 'colour' in [course]"),
        ('course = "x"\n', "'course' must be a table"),
    ],
)
def test_a_bad_course_table_is_a_located_error(tmp_path: Path, course: str, says: str) -> None:
    source = write_notes(tmp_path / "source", {"a.md": SPANISH}, course_id=None)
    (source / "deckgen.toml").write_text(course, encoding="utf-8")
    run = run_deckgen("check", "--source", str(source))
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert "deckgen.toml:" in run.stdout + run.stderr and says in run.stdout + run.stderr
