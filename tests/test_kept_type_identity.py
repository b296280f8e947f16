"""A kept note type (`deckgen import`) is known to the lock by its id, as Anki knows it: renamed
(its id, fields and templates unchanged), students' notes update as before; another kept type
that only shares its name is another note type, and moving notes to it is `kind-changed`.
Through the real importer.
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path
from typing import Any

import genanki
import pytest
from anki.collection import Collection

from generator.diagnostics import BuildFailed
from tests.helpers import build_tree, empty_course, import_package, run_deckgen

DAY = 86_400


def counts(result: Any) -> tuple[int, int, int]:
    log = result.log
    return len(log.new), len(log.updated), len(log.conflicting)


def imported(tmp_path: Path) -> tuple[Path, Path, Collection, int]:
    """A course made by `deckgen import` of a two-note deck of a kept type, released (v1.0.0)
    and imported by a student; the kept type's id."""
    deck = genanki.Deck(2_001, "Spanish")
    deck.add_note(genanki.Note(genanki.BASIC_MODEL, ["Hola", "Hello"], guid="g-hola"))
    deck.add_note(genanki.Note(genanki.BASIC_MODEL, ["Adiós", "Goodbye"], guid="g-adios"))
    original = tmp_path / "spanish.apkg"
    genanki.Package(deck).write_to_file(str(original), timestamp=time.time() - DAY)
    root = empty_course(tmp_path)
    done = run_deckgen("import", str(original), cwd=root)
    assert done.returncode == 0, done.stderr
    source, out = root / "source", tmp_path / "build"
    first = int(time.time()) + 60  # newer than the notes genanki wrote
    build_tree(source, out, build_time=first, release="v1.0.0")
    col = Collection(str(tmp_path / "student.anki2"))
    (package,) = out.glob("*.apkg")
    assert counts(import_package(col, package)) == (2, 0, 0)
    kept = json.loads((source / "note-types" / "basic-genanki.json").read_text("utf-8"))
    return source, package, col, int(kept["id"])


def test_a_kept_note_type_renamed_updates_as_before(tmp_path: Path) -> None:
    source, package, col, model_id = imported(tmp_path)
    assert f'"type": "kept {model_id}"' in (source / "deckgen.lock").read_text("utf-8")
    path = source / "note-types" / "basic-genanki.json"
    path.write_text(path.read_text("utf-8").replace('"Basic (genanki)"', '"Spanish card"'), "utf-8")
    notes = source / "spanish.md"
    notes.write_text(notes.read_text("utf-8").replace("Hello", "Hello (informal)"), "utf-8")
    result = build_tree(source, package.parent, build_time=int(time.time()) + 120)
    assert not result.warnings
    assert counts(import_package(col, package)) == (0, 1, 0)
    (nid,) = col.find_notes('"Hello (informal)"')
    assert col.get_note(nid).note_type()["id"] == model_id  # type: ignore[index]


def test_notes_moved_to_another_kept_type_of_the_same_name_are_kind_changed(
    tmp_path: Path,
) -> None:
    source, package, col, model_id = imported(tmp_path)
    path = source / "note-types" / "basic-genanki.json"
    other = source / "note-types" / "basic-other.json"
    other.write_text(path.read_text("utf-8").replace(str(model_id), str(model_id + 1)), "utf-8")
    notes = source / "spanish.md"
    notes.write_text(notes.read_text("utf-8").replace("basic-genanki", "basic-other"), "utf-8")
    lock = (source / "deckgen.lock").read_text("utf-8")
    with pytest.raises(BuildFailed) as failed:
        build_tree(source, package.parent, build_time=int(time.time()) + 120)
    problems = failed.value.diagnostics
    assert [p.code for p in problems] == ["kind-changed"] * 2
    assert all(p.location.path.endswith("spanish.md") for p in problems)

    # What the check spares students: built all the same (a lock that does not say the
    # types), Anki calls both notes conflicting and never updates them.
    (source / "deckgen.lock").write_text(re.sub(r', "type": "[^"]*"', "", lock), "utf-8")
    build_tree(source, package.parent, build_time=int(time.time()) + 120)
    assert counts(import_package(col, package)) == (0, 0, 2)


def test_a_lock_that_names_a_kept_type_by_its_name_still_builds(tmp_path: Path) -> None:
    source, package, _, model_id = imported(tmp_path)
    lock = source / "deckgen.lock"
    typed = lock.read_text("utf-8")
    named = typed.replace(f'"type": "kept {model_id}"', '"type": "Basic (genanki)"')
    assert named != typed
    lock.write_text(named, "utf-8")
    out = str(package.parent)
    checked = run_deckgen("build", "--locked", "--source", str(source), "--out", out)
    assert checked.returncode == 1 and "Traceback" not in checked.stderr
    (said,) = [line for line in checked.stderr.splitlines() if "[lock-outdated]" in line]
    assert "does not say which note type 2 note(s) are" in said
    build_tree(source, package.parent, build_time=int(time.time()) + 120)
    assert lock.read_text("utf-8") == typed
