"""Restamp (generator/output/restamp.py): a build after an edit stamps only the changed files'
notes and patches the last build's lock. Every output must be byte for byte what stamping
the whole course gives, through any history of edits: that is what lets it replace the
whole stamp stage.
"""

from __future__ import annotations

import marshal
import shutil
from pathlib import Path

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from generator.build import Result, build
from generator.config import load_config
from generator.diagnostics import BuildFailed
from tests.helpers import BUILD_TIME, write_notes

DECKS = ("Course::Selling", "Course::Culture", "Course::Value")
WORDS = ("account", "value", "offer", "trust", "tender", "culture", "margin", "buyer", "price")


def note_line(front: str, back: str, pin: str | None) -> str:
    comment = f" <!-- id: {pin} -->" if pin else ""
    return f"- **{front}**: {back}{comment}\n"


def render(files: dict[str, tuple[str, list[tuple[str, str, str | None]]]]) -> dict[str, str]:
    """Notes files from (deck, [(front, back, pin)]) by file name."""
    return {
        name: f"---\ndeck: {deck}\ntags: [kam]\n---\n\n# Part\n\n"
        + "".join(note_line(*note) for note in notes)
        for name, (deck, notes) in files.items()
    }


def build_at(source: Path, out: Path, round_: int) -> Result:
    config = load_config(
        source, out, build_time=BUILD_TIME + 100 * round_, now=BUILD_TIME + 100 * round_
    )
    return build(config)


def outputs(root: Path) -> dict[str, bytes]:
    """Everything a build leaves for students and reviewers: lock, records and packages."""
    found = {"deckgen.lock": (root / "source" / "deckgen.lock").read_bytes()}
    for path in sorted((root / "build").glob("*")):
        if path.is_file() and not path.name.startswith("."):
            found[path.name] = path.read_bytes()
    return found


def shown(result: Result | BuildFailed, root: Path) -> list[str]:
    problems = result.diagnostics if isinstance(result, BuildFailed) else result.warnings
    return [str(p).replace(str(root), "<root>") for p in problems]


def both_ways(root: Path, round_: int) -> bool:
    """Build `root` (restamped when it can be) and a copy without the memo (stamped whole);
    assert the two leave the same outputs and report the same problems. True when the build
    in `root` was restamped."""
    whole = root.parent / f"{root.name}-whole"
    shutil.rmtree(whole, ignore_errors=True)
    shutil.copytree(root, whole)
    (whole / "build" / ".cache" / "stamps").unlink(missing_ok=True)
    results: list[Result | BuildFailed] = []
    for where in (root, whole):
        try:
            results.append(build_at(where / "source", where / "build", round_))
        except BuildFailed as failed:
            results.append(failed)
    again, stamped = results
    assert shown(again, root) == shown(stamped, whole)
    assert outputs(root) == outputs(whole)
    if isinstance(stamped, Result):
        assert isinstance(again, Result)
        assert stamped.analysis is not None and stamped.analysis.lock_text is None
        # None: nothing changed, the build in `root` was up to date.
        return again.analysis is not None and again.analysis.lock_text is not None
    return False


word = st.sampled_from(WORDS) | st.sampled_from(WORDS).map(str.title)  # records sort folded
front = st.lists(word, min_size=1, max_size=3).map(" ".join)
Course = dict[str, tuple[str, list[tuple[str, str, str | None]]]]


@st.composite
def histories(draw: st.DrawFn) -> tuple[Course, list[list[tuple[str, int, int, str]]]]:
    """A course of four files and rounds of edits, each a few (kind, file, note, text)."""
    fronts = draw(st.lists(front, min_size=4, max_size=16, unique_by=str.casefold))
    course: Course = {}
    for n in range(4):
        deck = draw(st.sampled_from(DECKS))
        notes = [
            (f, draw(st.sampled_from(WORDS)), draw(st.none() | st.just(f"pin{n}-{j}")))
            for j, f in enumerate(fronts[n::4])
        ]
        course[f"f{n}.md"] = (deck, notes)
    kinds = ("edit", "reword", "add", "delete", "move", "drop-file", "new-file", "restore")
    edit = st.tuples(
        st.sampled_from(kinds), st.integers(0, 5), st.integers(0, 5), front | st.just("")
    )
    rounds = draw(st.lists(st.lists(edit, min_size=1, max_size=2), min_size=1, max_size=3))
    return course, rounds


def apply(course: Course, edits: list[tuple[str, int, int, str]], gone: list) -> Course:
    """The course after `edits` (in one or two files; the rest stay as they were)."""
    course = {name: (deck, list(notes)) for name, (deck, notes) in course.items()}
    names = sorted(course)
    for kind, file, at, text in edits:
        name = names[file % len(names)]
        notes = course[name][1]
        j = at % len(notes) if notes else 0
        if kind == "edit" and notes:
            f, b, pin = notes[j]
            notes[j] = (f, f"{b} {text or 'more'}", pin)
        elif kind == "reword" and notes:
            f, b, pin = notes[j]
            notes[j] = (f + "s", b, pin)
        elif kind == "add":
            notes.append((f"{text or 'new'} {at}", "added", None))
        elif kind == "delete" and notes:
            gone.append(notes.pop(j))
        elif kind == "move" and notes:
            other = course[names[(file + 1) % len(names)]][1]
            other.append(notes.pop(j))
        elif kind == "drop-file" and len(course) > 3:
            gone.extend(course.pop(name)[1])
            names.remove(name)
        elif kind == "new-file":
            course[f"g{at}.md"] = (DECKS[at % len(DECKS)], [(f"{text or 'fresh'} g", "x", None)])
        elif kind == "restore" and gone:
            notes.append(gone.pop())
    return course


@settings(max_examples=settings.default.max_examples)
@given(histories())
def test_a_restamped_build_leaves_what_stamping_the_whole_course_leaves(
    tmp_path_factory: pytest.TempPathFactory,
    history: tuple[Course, list[list[tuple[str, int, int, str]]]],
) -> None:
    course, rounds = history
    root = tmp_path_factory.mktemp("course")
    source = root / "source"
    files = render(course)
    write_notes(source, files)
    try:
        build_at(source, root / "build", 0)
    except BuildFailed:
        return  # a first course with a duplicate or a collision: nothing to restamp from
    gone: list = []
    for number, edits in enumerate(rounds, 1):
        course = apply(course, edits, gone)
        for path in source.glob("*.md"):
            path.unlink()
        write_notes(source, render(course))
        event("restamped" if both_ways(root, number) else "stamped whole")


COURSE = {
    f"f{n}.md": (DECKS[n % 2], [(f"term {n} {j}", f"{WORDS[j]} {n}", None) for j in range(5)])
    for n in range(4)
}


def built(tmp_path: Path) -> Path:
    """A course of four files, built once (round 0)."""
    root = tmp_path / "course"
    write_notes(root / "source", render(COURSE))
    build_at(root / "source", root / "build", 0)
    return root


def edit_one_definition(root: Path, name: str = "f2.md") -> None:
    path = root / "source" / name
    path.write_text(path.read_text().replace("trust", "trust, edited"))


def test_an_edit_rebuild_stamps_the_edited_files_notes_and_patches_one_lock_line(
    tmp_path: Path,
) -> None:
    root = built(tmp_path)
    before = (root / "source" / "deckgen.lock").read_text().splitlines()
    edit_one_definition(root)
    assert both_ways(root, 1)  # restamped, and the same as stamping whole
    after = (root / "source" / "deckgen.lock").read_text().splitlines()
    changed = [(a, b) for a, b in zip(before, after, strict=True) if a != b]
    assert len(changed) == 1 and '"front": "term 2 3"' in changed[0][1]
    assert str(BUILD_TIME + 100) in changed[0][1]  # its mod moved to this build's time


@pytest.mark.parametrize(
    "tamper",
    [
        "lock edited",  # e.g. an older lock checked out of git
        "old cache entry gone",
        "memo damaged",
        "memo of another shape",
    ],
)
def test_a_build_whose_memo_does_not_hold_stamps_the_whole_course(
    tmp_path: Path, tamper: str
) -> None:
    root = built(tmp_path)
    edit_one_definition(root)
    lock, cache = root / "source" / "deckgen.lock", root / "build" / ".cache" / "notes"
    memo = root / "build" / ".cache" / "stamps"
    if tamper == "lock edited":
        lock.write_text(lock.read_text().replace("term 1 1", "term 1 1 (old)"))
    elif tamper == "old cache entry gone":  # f2.md's, the edited file's: its old lock lines
        for entry in cache.iterdir():
            if b"f2.md" in entry.read_bytes():
                entry.unlink()
    elif tamper == "memo damaged":
        data = bytearray(memo.read_bytes())
        data[-5] ^= 1
        memo.write_bytes(bytes(data))
    else:  # a valid checksum over a payload that is not a memo
        from generator.cards.file_cache import sealed

        memo.write_bytes(sealed(marshal.dumps((1, "not", "a", "memo", [], []))))
    assert not both_ways(root, 1)  # stamped whole, and the same as with no memo at all
    edit_one_definition(root, "f3.md")
    assert both_ways(root, 2)  # that build left a memo: the next one restamps
