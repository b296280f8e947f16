"""The learning-quality checks' recall and precision on a labelled set (not a timed test).

    python -m tests.quality.measure [--verbose] [--held-out]

Each folder here is a course (`deckgen.toml` and notes) with a `labels.toml` written by
reading its cards as a student would, before looking at what the checks say:

- `sales/`: the course in `source/` as issue #34 found it (kept as it was);
- `spanish/`: a language course (Spanish for English speakers);
- `biology/`: a science course (cell biology);
- `held_out/economics/`: an economics course labelled for `same-fact` and
  `confusable-fronts` only, written before those checks were last changed and measured only
  after (`--held-out` prints its figures, apart: no threshold was set on it).

A label names a family (`check`, a diagnostic code, or `context`) and cards by their front.
A `problem` is one card (a family of single cards) or a group of cards every two of which
make the problem (a family of pairs); every card and pair not named in a problem is fine
(`fine` entries name the look-alikes where the line is, and are checked to exist). A label
marked `found_by = "check"` was written after a check's warning made the labeller read those
cards again (and agree): the script says how many there are, so a reader can discount them.

How each family is counted:

- pairs (`ambiguous-reverse`, `same-fact`, `confusable-fronts`): a warning is right when
  both cards it names lie in one problem group; a card of a problem group is found when a
  warning pairs it with another card of that group;
- single cards (`answer-too-long`, `yes-no-question`, `answer-repeats-question`,
  `item-gives-away`): a warning is right when its card is labelled a problem;
- `context`: not a warning but what deckgen hides. A card is found when every context part
  its label `shows` is left out of the context line its reverse card shows; a card with a
  part left out is right when it is labelled a problem.
"""

from __future__ import annotations

import html
import re
import sys
import tempfile
import tomllib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from generator.build import analyse
from generator.config import load_config
from generator.diagnostics import BuildFailed, Diagnostic
from generator.identity.fold import fold, plain
from generator.identity.note_types import note_type_of
from generator.records import Kind, Note, Record

HERE = Path(__file__).parent
PAIRS = ("ambiguous-reverse", "same-fact", "confusable-fronts")
SINGLES = ("answer-too-long", "yes-no-question", "answer-repeats-question", "item-gives-away")
FAMILIES = (*PAIRS, *SINGLES, "context")
_AT = re.compile(r"\(at (\S+):(\d+):\d+\)")
_SEPARATOR = " \u203a "


@dataclass
class Tally:
    """One family's counts over the set."""

    right: int = 0
    wrong: int = 0
    found: int = 0
    missed: int = 0
    notes: list[str] = field(default_factory=list)
    """What was wrong or missed, for --verbose."""

    @property
    def precision(self) -> float | None:
        said = self.right + self.wrong
        return self.right / said if said else None

    @property
    def recall(self) -> float | None:
        wanted = self.found + self.missed
        return self.found / wanted if wanted else None


@dataclass(frozen=True)
class Course:
    """A labelled course, built once."""

    name: str
    records: dict[str, Record]
    """Each record by its front (folded plain text)."""
    warnings: tuple[Diagnostic, ...]
    notes: tuple[Note, ...]
    labels: dict[str, list[dict[str, object]]]


def key(front: str) -> str:
    return fold(html.unescape(plain(front)))


def load(folder: Path) -> Course:
    seen: dict[str, list[object]] = defaultdict(list)  # each file's, in order
    with tempfile.TemporaryDirectory() as out:
        config = load_config(folder, Path(out), build_time=1_700_000_000)
        try:
            warnings = analyse(config, observe=lambda stage, items: seen[stage].extend(items))
            found = warnings.warnings
        except BuildFailed as failed:
            found = failed.diagnostics
    records = {key(r.front): r for r in seen["records"] if isinstance(r, Record)}
    notes = tuple(n for n in seen["notes"] if isinstance(n, Note))
    labels = tomllib.loads((folder / "labels.toml").read_text(encoding="utf-8"))
    course = Course(folder.name, records, tuple(found), notes, labels)
    for kind in ("problem", "fine"):
        for label in labels.get(kind, []):
            assert label["check"] in FAMILIES, f"{folder.name}: unknown check {label['check']}"
            for card in _cards(label):
                assert key(card) in records, f"{folder.name}: no card '{card}'"
    return course


def _cards(label: dict[str, object]) -> list[str]:
    cards = label["cards"]
    assert isinstance(cards, list)
    return [str(card) for card in cards]


def _problems(course: Course, check: str) -> list[set[str]]:
    return [
        {key(card) for card in _cards(label)}
        for label in course.labels.get("problem", [])
        if label["check"] == check
    ]


def _named(course: Course, diagnostic: Diagnostic) -> tuple[str, ...]:
    """The cards a warning names: the record at its location, and the one it is compared
    with (`(at path:line:col)` in its message)."""
    by_place = {(str(r.location.path), r.location.line): k for k, r in course.records.items()}
    cards = [by_place[(str(diagnostic.location.path), diagnostic.location.line)]]
    other = _AT.search(diagnostic.message)
    if other:
        cards.append(by_place[(other.group(1), int(other.group(2)))])
    return tuple(cards)


def measure(courses: Iterable[Course]) -> dict[str, Tally]:
    tallies = {family: Tally() for family in FAMILIES}
    for course in courses:
        for check in PAIRS:
            _pairs(course, check, tallies[check])
        for check in SINGLES:
            _singles(course, check, tallies[check])
        _context(course, tallies["context"])
    return tallies


def _pairs(course: Course, check: str, tally: Tally) -> None:
    groups = _problems(course, check)
    said = {frozenset(_named(course, d)) for d in course.warnings if d.code == check}
    found: set[str] = set()
    for pair in said:
        if len(pair) == 2 and any(pair <= group for group in groups):
            tally.right += 1
            found |= pair
        else:
            tally.wrong += 1
            tally.notes.append(f"{course.name}: wrong: {' / '.join(sorted(pair))}")
    for card in set().union(*groups) if groups else set():
        if card in found:
            tally.found += 1
        else:
            tally.missed += 1
            tally.notes.append(f"{course.name}: missed: {card}")


def _singles(course: Course, check: str, tally: Tally) -> None:
    wanted = set().union(*_problems(course, check)) if _problems(course, check) else set()
    said = {_named(course, d)[0] for d in course.warnings if d.code == check}
    _count(course.name, said, wanted, tally)


def _count(name: str, said: set[str], wanted: set[str], tally: Tally) -> None:
    tally.right += len(said & wanted)
    tally.wrong += len(said - wanted)
    tally.found += len(said & wanted)
    tally.missed += len(wanted - said)
    tally.notes += [f"{name}: wrong: {card}" for card in sorted(said - wanted)]
    tally.notes += [f"{name}: missed: {card}" for card in sorted(wanted - said)]


def _context(course: Course, tally: Tally) -> None:
    shows = {
        key(_cards(label)[0]): {fold(str(part)) for part in label.get("shows", [])}  # type: ignore[attr-defined]
        for label in course.labels.get("problem", [])
        if label["check"] == "context"
    }
    hidden: dict[str, set[str]] = {}
    for note in course.notes:
        if note.record.kind is not Kind.TERM or note.record.note_type is not None:
            continue
        names = note_type_of(note).field_names
        fields = dict(zip(names, note.fields, strict=True))
        if not fields.get("Reverse"):
            continue
        shown = set(_parts(fields["ReverseContext"]))
        left_out = {part for part in _parts(fields["Context"]) if part not in shown}
        if left_out:
            hidden[key(note.record.front)] = left_out
    for card in hidden:
        if card in shows:
            tally.right += 1
        else:
            tally.wrong += 1
            tally.notes.append(f"{course.name}: wrong: {card} (hid {sorted(hidden[card])})")
    for card, parts in shows.items():
        if parts <= hidden.get(card, set()):
            tally.found += 1
        else:
            tally.missed += 1
            tally.notes.append(f"{course.name}: missed: {card} (shows {sorted(parts)})")


def _parts(context: str) -> list[str]:
    text = re.sub(r"\[anki:tts[^\]]*\].*?\[/anki:tts\]", "", context)
    return [fold(html.unescape(part)) for part in text.split(_SEPARATOR) if part]


def table(tallies: dict[str, Tally]) -> str:
    lines = [
        "| check | problems | warnings | precision | recall |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for family, t in tallies.items():
        lines.append(
            f"| `{family}` | {t.found + t.missed} | {t.right + t.wrong} | "
            f"{_percent(t.precision)} | {_percent(t.recall)} |"
        )
    return "\n".join(lines)


def _percent(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"


def courses(held_out: bool = False) -> list[Course]:
    """The labelled courses: the three the checks were tuned on, or the held-out ones."""
    where = HERE / "held_out" if held_out else HERE
    return [load(folder) for folder in sorted(where.iterdir()) if (folder / "labels.toml").exists()]


def labelled(found: Iterable[Course]) -> set[str]:
    """The families the courses label (a held-out course labels only some)."""
    return {
        str(label["check"])
        for course in found
        for kind in ("problem", "fine")
        for label in course.labels.get(kind, [])
    }


def main(argv: Sequence[str]) -> int:
    found = courses(held_out="--held-out" in argv)
    families = labelled(found)
    tallies = {f: t for f, t in measure(found).items() if f in families}
    print(table(tallies))
    late = sum(
        label.get("found_by") == "check"
        for course in found
        for kind in ("problem", "fine")
        for label in course.labels.get(kind, [])
    )
    labels = sum(
        len(course.labels.get(kind, [])) for course in found for kind in ("problem", "fine")
    )
    print(
        f"\n{labels} labels in {len(found)} courses; {late} written after a check pointed at them"
    )
    if "--verbose" in argv:
        for family, tally in tallies.items():
            for note in tally.notes:
                print(f"{family}: {note}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
