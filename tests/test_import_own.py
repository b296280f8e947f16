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

import pytest
from anki.collection import Collection, DeckIdLimit, ExportAnkiPackageOptions
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.importing.run import Options, import_cards
from tests.helpers import (
    BUILD_TIME,
    build_tree,
    copy_course,
    examples,
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
        if draw(st.booleans()):  # a comparison table
            things = draw(st.lists(_PHRASE, min_size=2, max_size=3, unique_by=str.casefold))
            asked = draw(st.sampled_from(["", f"How do they differ ({number} {s})?", "Aspect"]))
            lines += ["", f"| {asked} | " + " | ".join(f"{t} {number} {s}" for t in things) + " |"]
            lines.append("| --- " * (len(things) + 1) + "|")
            for r in range(draw(st.integers(1, 3))):
                sides = [draw(_PHRASE) for _ in things]
                lines.append(f"| Aspect {r} {draw(_PHRASE)} | " + " | ".join(sides) + " |")
            lines.append("")
        lines.append("")
    return "\n".join(lines)


@settings(
    max_examples=examples(dev=10, ci=40),
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


@pytest.mark.parametrize(("scheduling", "legacy"), [(False, False), (True, False), (True, True)])
def test_a_course_exported_from_anki_comes_back_the_same(
    tmp_path: Path, scheduling: bool, legacy: bool
) -> None:
    """The package a student exports from Anki (schema 18, read through the anki package)
    gives the notes files deckgen's own does: also after studying 60 cards and exporting
    with scheduling, in today's format and in the older one deckgen reads directly (a studied
    card's place is its original position; Anki's leech and marked tags are the student's)."""
    source = copy_course(tmp_path)
    build_tree(source, tmp_path / "build")
    package = tmp_path / "build" / "sales-management.apkg"
    student = Collection(str(tmp_path / "student.anki2"))
    try:
        import_package(student, package)
        (deck,) = [
            d.id
            for d in student.decks.all_names_and_ids()
            if "::" not in d.name and d.name != "Default"
        ]
        if scheduling:
            student.decks.set_current(deck)
            # 60 new cards a day: never only learning cards, which Anki does not show past
            # its 4 AM rollover (the test failed when run within minutes of 04:00)
            config = student.decks.config_dict_for_deck_id(deck)
            config["new"]["perDay"] = 60
            student.decks.update_config(config)
            for _ in range(60):
                card = student.sched.getCard()
                assert card is not None
                student.sched.answerCard(card, 1 + _ % 4)
            note = student.get_note(student.find_notes("")[3])
            note.tags += ["leech", "marked"]
            student.update_note(note)
        exported = tmp_path / "exported.apkg"
        student.export_anki_package(
            out_path=str(exported),
            options=ExportAnkiPackageOptions(
                with_scheduling=scheduling, with_deck_configs=False, with_media=True, legacy=legacy
            ),
            limit=DeckIdLimit(deck),
        )
    finally:
        student.close()
    direct = colleague_course(tmp_path / "direct", package)
    through_anki = colleague_course(tmp_path / "anki", exported)
    texts = {p.relative_to(direct): p.read_text() for p in direct.rglob("*.md")}
    assert {p.relative_to(through_anki): p.read_text() for p in through_anki.rglob("*.md")} == texts


def test_answers_that_start_with_a_block_and_a_students_export_come_back(tmp_path: Path) -> None:
    """Definitions that are a code block, display math or a quote; a student's export with
    their scheduling and Anki's own tags (leech, marked)."""
    notes = """---
deck: Blocks
---

# Blocks

## Code

- **Hello world in Python**:

  ```python
  print("hi")
  ```
- **Math block**:

  $$
  a^2
  $$
- **Einstein**: the formula

  \\[E=mc^2\\]
- **What does a quote look like?**

  > a quote
  >
  > in two paragraphs
"""
    source = write_notes(tmp_path / "source", {"01-blocks.md": notes}, vocabulary=())
    build_tree(source, tmp_path / "build")
    package = tmp_path / "build" / "blocks.apkg"
    rebuilt = colleague_course(tmp_path / "colleague", package)
    build_tree(rebuilt, tmp_path / "colleague" / "build")
    assert_same_package(package, tmp_path / "colleague" / "build" / package.name, tmp_path)


def test_an_import_into_a_folder_of_a_built_course_keeps_the_note_types(tmp_path: Path) -> None:
    source = copy_course(tmp_path)
    build_tree(source, tmp_path / "build")
    other = write_notes(
        tmp_path / "other" / "source",
        {"a.md": "---\ndeck: Other\n---\n\n- **Term**: definition\n"},
        vocabulary=(),
        course_id=OTHER_COURSE,
    )
    build_tree(other, tmp_path / "other" / "build")
    imported = import_cards(
        [tmp_path / "build" / "sales-management.apkg"], other / "imported", Options()
    )
    assert any("which has been built already" in line for line in imported.said)
    assert not (other / "imported" / "deckgen.toml").exists()
    assert tomllib.loads((other / "deckgen.toml").read_text())["course"]["id"] == OTHER_COURSE


def test_the_course_look_and_repository_come_back(tmp_path: Path) -> None:
    """A course with its own stylesheet, header and footer and a repository (whose error
    report link is in every Source field) comes back with them: the same note types and
    fields."""
    source = write_notes(
        tmp_path / "source",
        {"01-look.md": "---\ndeck: Look\n---\n\n# Look\n\n- **Term**: its definition\n"},
        vocabulary=(),
    )
    (source / "look.css").write_text(".card { color: navy; }\n")
    settings = (source / "deckgen.toml").read_text()
    (source / "deckgen.toml").write_text(
        'repository = "https://github.com/example/course"\n'
        + settings
        + '\n[style]\ncss = "look.css"\nheader = "Cells & <more>"\nfooter = "Ask [us]"\n'
    )
    build_tree(source, tmp_path / "build")
    package = tmp_path / "build" / "look.apkg"
    rebuilt = colleague_course(tmp_path / "colleague", package)
    config = tomllib.loads((rebuilt / "deckgen.toml").read_text())
    assert config["repository"] == "https://github.com/example/course"
    assert config["style"]["header"] == "Cells & <more>"
    build_tree(rebuilt, tmp_path / "colleague" / "build")
    assert_same_package(package, tmp_path / "colleague" / "build" / package.name, tmp_path)
