"""`deckgen import` of a package deckgen built: the notes come back as they were written.

A colleague who has only the `.apkg` imports it into a course that was never built and gets
the course's notes files back (terms, questions, lists, cloze sentences, under their
headings, with their tags and variants); the first build gives the same note types, GUIDs
and fields, so students who studied the package see every note updated in place, nothing
new. Checked on the course in `source/` and on generated courses (hypothesis).
"""

from __future__ import annotations

import json
import sqlite3
import string
import tomllib
import zipfile
from pathlib import Path
from typing import Any

from anki.collection import Collection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.importing.run import Options, import_cards
from tests.helpers import (
    BUILD_TIME,
    build_tree,
    copy_course,
    export_deck,
    import_package,
    write_notes,
)

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108020000009077"
    "53de0000000c4944415408d763f8ffff3f0005fe02fea7d6a3b80000000049454e44ae426082"
)
"""A 1x1 PNG image."""
OTHER_COURSE = "6f0ab3e8-c939-4d31-8093-9e0096983a88"
"""The id `deckgen init` gave the colleague's new course."""


def package_tables(path: Path, scratch: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """A package's notes (GUID -> note type id, tags, fields) and note types (id -> name,
    fields, templates, CSS), read from its collection."""
    scratch.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path) as archive:
        archive.extract("collection.anki2", scratch)
    db = sqlite3.connect(scratch / "collection.anki2")
    models = json.loads(db.execute("select models from col").fetchone()[0])
    types = {
        key: (
            m["name"],
            [f["name"] for f in m["flds"]],
            [(t["name"], t["qfmt"], t["afmt"]) for t in m["tmpls"]],
            m["css"],
        )
        for key, m in models.items()
    }
    notes = {
        guid: (mid, sorted(tags.split()), flds.split("\x1f"))
        for guid, mid, tags, flds in db.execute("select guid, mid, tags, flds from notes")
    }
    db.close()
    return notes, types


def colleague_course(folder: Path, package: Path) -> Path:
    """A course `init` made (its own id, never built), with `package` imported into it."""
    source = write_notes(folder / "source", {}, vocabulary=(), course_id=OTHER_COURSE)
    imported = import_cards([package], source, Options())
    assert not any("kept under their note types" in line for line in imported.said)
    assert sum(f.flagged for f in imported.files) == 0, [f.text for f in imported.files]
    return source


def assert_same_package(original: Path, rebuilt: Path, scratch: Path) -> None:
    notes, types = package_tables(original, scratch / "a")
    again, again_types = package_tables(rebuilt, scratch / "b")
    assert again_types == types
    assert set(again) == set(notes)
    assert {g: n for g, n in again.items() if n != notes[g]} == {}


def test_the_course_comes_back_from_its_own_package(tmp_path: Path) -> None:
    source = copy_course(tmp_path)
    build_tree(source, tmp_path / "build")
    package = tmp_path / "build" / "sales-management.apkg"

    rebuilt = colleague_course(tmp_path / "colleague", package)
    course = tomllib.loads((source / "deckgen.toml").read_text())["course"]
    assert tomllib.loads((rebuilt / "deckgen.toml").read_text())["course"] == course
    files = sorted(p.relative_to(rebuilt).as_posix() for p in rebuilt.rglob("*.md"))
    assert files == sorted(p.relative_to(source).as_posix() for p in source.rglob("*.md"))
    assert not (rebuilt / "note-types").exists()  # deckgen's own syntax, not kept types
    text = (rebuilt / "01-proactive-selling.md").read_text()
    assert "- **Cross-selling**: Selling an additional product" in text
    assert "\n## " in text  # its sections
    result = build_tree(rebuilt, tmp_path / "colleague" / "build", build_time=BUILD_TIME + 86_400)
    assert not [w for w in result.warnings if w.code != "import-repair"]
    assert_same_package(package, tmp_path / "colleague" / "build" / package.name, tmp_path)

    # A student who studied the original gets every note updated in place, none new.
    student = Collection(str(tmp_path / "student.anki2"))
    try:
        import_package(student, package)
        log = import_package(student, tmp_path / "colleague" / "build" / package.name).log
        assert not log.new and not log.conflicting and not log.first_field_match
        assert len(log.updated) + len(log.duplicate) == 106
    finally:
        student.close()


_WORD = st.text(string.ascii_letters, min_size=1, max_size=8)
_PHRASE = st.lists(_WORD, min_size=1, max_size=5).map(" ".join)
_INLINE = st.one_of(
    _PHRASE,
    _PHRASE.map(lambda t: f"*{t}*"),
    _PHRASE.map(lambda t: f"`{t}`"),
    _PHRASE.map(lambda t: f"[{t}](https://example.org/{len(t)})"),
    _PHRASE.map(lambda t: f"**{t}**"),
    _PHRASE.map(lambda t: f"_{t}_"),
    st.sampled_from(["a & b", "x < y", "50% off", "it's", "S&P 500", "$5 and $10", "&amp;"]),
    st.sampled_from(["$x^2$", "\\(a_1\\)", "1. not a list", "# not a heading", "a\\\n  b"]),
    st.sampled_from(["\\*literal\\*", "<b>shown</b>", "`a|b`", "~~gone~~", "[x] box"]),
    st.sampled_from(["![a figure](<Figure 1.png>)", "![](hello.mp3)", "[hear it](hello.mp3)"]),
)
_TEXT = st.tuples(_PHRASE, st.lists(_INLINE, max_size=3)).map(lambda t: " ".join([t[0], *t[1]]))
"""Text that starts with a word: what opens a block in Markdown (`# `, `1. `) is inside it."""


@st.composite
def notes_file(draw: st.DrawFn, number: int) -> str:
    """A notes file of every kind of record, under headings with tags, in some variants."""
    variants = [
        "basic",
        *draw(st.lists(st.sampled_from(["reverse", "cloze", "typed"]), unique=True)),
    ]
    lines = ["---", f"deck: Course::Part {number}" if number % 2 else "deck: Course"]
    if draw(st.booleans()):
        lines.append("tags: [kam]")
    lines += [f"variants: [{', '.join(variants)}]"]
    if draw(st.booleans()):
        lines.append("tts: de_DE")
    lines += ["---", "", f"# Title {number}", ""]
    for s in range(draw(st.integers(1, 3))):
        level = draw(st.integers(2, 3))
        lines += [f"{'#' * level} Section {number} {s} {draw(_PHRASE)}", ""]
        if draw(st.booleans()):
            lines += [f"Tags: {draw(st.sampled_from(['culture', 'kpi', 'culture, kpi']))}", ""]
        for r in range(draw(st.integers(1, 4))):
            front = f"Front {number} {s} {r} {draw(_PHRASE)}"
            kinds = ["term", "question", "list", "ordered", "cloze", "extra"]
            kind = draw(st.sampled_from(kinds if r else kinds[:4]))  # a note in every file
            if kind == "term":
                lines.append(f"- **{front}**: {draw(_TEXT)}")
                shape = draw(
                    st.sampled_from(["", "tight", "loose", "paragraph", "numbered", "code"])
                )
                if shape == "tight":
                    lines += [f"  - {draw(_TEXT)}", f"  - {draw(_TEXT)}", f"    - {draw(_TEXT)}"]
                elif shape == "loose":
                    lines += ["", f"  - {draw(_TEXT)}", "", f"    {draw(_TEXT)}", ""]
                    lines += [f"  - {draw(_TEXT)}", ""]
                elif shape == "paragraph":
                    lines += ["", f"  {draw(_TEXT)}", ""]
                elif shape == "code":
                    lines += ["", "  ```python", f"  x = {draw(_PHRASE)!r}  # <b>", "  ```", ""]
                elif shape == "numbered":
                    lines += ["", f"  3. {draw(_TEXT)}", f"  4. {draw(_TEXT)}", ""]
            elif kind == "question":
                lines.append(f"- **{front}?** {draw(_TEXT)}")
            elif kind in ("list", "ordered"):
                lines.append(f"- **{front}**")
                items = draw(st.lists(_TEXT, min_size=2, max_size=4))
                lines += [
                    f"  {i}. {t}" if kind == "ordered" else f"  - {t}"
                    for i, t in enumerate(items, 1)
                ]
            else:
                lines.append(f"- {front} is {{{{c1::{draw(_PHRASE)}}}}} {draw(_TEXT)}")
                if kind == "extra":
                    lines += ["", f"  {draw(_TEXT)}", ""] * draw(st.integers(1, 2))
        lines.append("")
    return "\n".join(lines)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(files=st.integers(1, 3).flatmap(lambda n: st.tuples(*(notes_file(i) for i in range(n)))))
def test_any_course_comes_back_from_its_own_package(tmp_path_factory: Any, files: Any) -> None:
    tmp = tmp_path_factory.mktemp("own")
    named = {f"{'part/' * (i % 2)}{i:02d}-notes.md": text for i, text in enumerate(files)}
    source = write_notes(tmp / "source", named, vocabulary=("kam", "culture", "kpi"))
    for folder in (source, source / "part"):
        folder.mkdir(exist_ok=True)
        (folder / "Figure 1.png").write_bytes(PNG)
        (folder / "hello.mp3").write_bytes(b"ID3 a sound")
    build_tree(source, tmp / "build")
    (package,) = (tmp / "build").glob("*.apkg")

    rebuilt = colleague_course(tmp / "colleague", package)
    build_tree(rebuilt, tmp / "colleague" / "build")
    assert_same_package(package, tmp / "colleague" / "build" / package.name, tmp)


def test_a_course_exported_from_anki_comes_back_the_same(tmp_path: Path) -> None:
    """The package a student exports from Anki (schema 18, read through the anki package, its
    cards' positions as Anki gave them on import) gives the notes files deckgen's own does."""
    source = copy_course(tmp_path)
    build_tree(source, tmp_path / "build")
    package = tmp_path / "build" / "sales-management.apkg"
    student = Collection(str(tmp_path / "student.anki2"))
    try:
        import_package(student, package)
        deck = student.decks.id_for_name("Sales Management")
        assert deck is not None
        exported = export_deck(student, deck, tmp_path / "exported.apkg")
    finally:
        student.close()
    direct = colleague_course(tmp_path / "direct", package)
    through_anki = colleague_course(tmp_path / "anki", exported)
    texts = {p.relative_to(direct): p.read_text() for p in direct.rglob("*.md")}
    assert {p.relative_to(through_anki): p.read_text() for p in through_anki.rglob("*.md")} == texts
