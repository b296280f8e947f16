"""The benchmark's tables: every step as measured (`table`), and the ratios the targets name
(`summary`: one row per size and corpus, each command's CPU time against its reference)."""

from __future__ import annotations

import statistics
import sys
from dataclasses import dataclass

ORDER = [
    "cold", "floor", "limit", "markdown-it", "no change", "edit", "check", "diff", "verify",
    "anki import", "preview", "browser", "watch", "stock", "import", "ankdown",
]  # fmt: skip
TIMED_IN_PAGE = {
    "browser": ("open until interactive", "search answered"),
    "watch": ("save until shown",),
}

Results = dict[tuple[int, str, str], list["Sample | None"]]


@dataclass(frozen=True)
class Sample:
    wall: float
    """Seconds from start to exit."""
    cpu: float
    """User + system seconds of the process and every child it waited for."""
    rss: float
    """Peak resident memory of the process tree, MB."""


def _median(samples: list[Sample | None]) -> Sample | None:
    done = [s for s in samples if s is not None]
    if not done or len(done) < len(samples):
        return None
    return Sample(*(statistics.median(getattr(s, f) for s in done) for f in ("wall", "cpu", "rss")))


LABELS = {
    "cold": "build, cold", "no change": "build, no change", "edit": "build, one edit",
    "floor": "floor: genanki, same notes", "limit": "limit: sqlite3 + zipfile",
    "markdown-it": "markdown-it alone parses the notes",
    "anki import": "Anki imports the build", "stock": "genanki writes the stock deck",
    "import": "import the stock deck", "ankdown": "ankdown, same records",
}  # fmt: skip
RELATIVE = {"verify": "anki import", "import": "stock", "ankdown": "cold"}


def table(
    size: int,
    corpora: list[str],
    results: Results,
    notes: dict[tuple[int, str, str], str],
    header: bool,
) -> None:
    """Every step of one size, as measured, against the floor and the limit."""
    if header:
        print(
            "| records | corpus | step | wall (s) | CPU (s) | RSS (MB) | wall / floor | "
            "CPU / floor | RSS / floor | wall / limit | CPU / limit | notes |"
        )
        print("| ---: | --- | --- |" + " ---: |" * 8 + " --- |")
    firsts = ["floor", "limit"]
    labels = (
        firsts
        + [s for s in ORDER if s not in TIMED_IN_PAGE and s not in firsts]
        + [label for labels in TIMED_IN_PAGE.values() for label in labels]
    )
    for corpus in corpora:
        floor = _median(results.get((size, corpus, "floor"), []))
        limit = _median(results.get((size, corpus, "limit"), []))
        for step in labels:
            samples = results.get((size, corpus, step))
            if not samples:
                continue
            m = _median(samples)
            note = notes.get((size, corpus, step), "")
            if m is None:
                cells = ["stopped"] + ["—"] * 7
                note = "ran past the time limit (--timeout)"
            elif m.cpu < 0:  # timed in the page
                cells = [f"{m.wall:.2f}"] + ["—"] * 7
            else:
                cells = [f"{m.wall:.2f}", f"{m.cpu:.2f}", f"{m.rss:.0f}"]
                for ref, fields in ((floor, ("wall", "cpu", "rss")), (limit, ("wall", "cpu"))):
                    cells += [
                        f"{getattr(m, f) / getattr(ref, f):.2f}x" if ref else "—" for f in fields
                    ]
                against = RELATIVE.get(step)
                ref = _median(results.get((size, corpus, against or ""), []))
                if against and ref:
                    a, b = (ref, m) if step == "ankdown" else (m, ref)
                    what = "deckgen cold / ankdown" if step == "ankdown" else LABELS[against]
                    note = (f"{note}; " if note else "") + (
                        f"{what}: {a.wall / b.wall:.2f}x wall, {a.cpu / b.cpu:.2f}x CPU"
                    )
            label = LABELS.get(step, step)
            print(f"| {size:,} | {corpus} | {label} | {' | '.join(cells)} | {note} |")
    sys.stdout.flush()


# The summary's columns: (heading, step, the reference it is divided by).
COLUMNS = (
    ("cold", "cold", "floor"), ("no change", "no change", "floor"),
    ("one edit", "edit", "floor"), ("check", "check", "floor"), ("diff", "diff", "floor"),
    ("verify / Anki's import", "verify", "anki import"), ("preview", "preview", "floor"),
    ("import / genanki", "import", "stock"), ("limit", "limit", "floor"),
    ("markdown-it", "markdown-it", "floor"),
    ("cold / ankdown", "cold", "ankdown"),
)  # fmt: skip
MEASURED = (*ORDER, *(label for labels in TIMED_IN_PAGE.values() for label in labels))


def summary(sizes: list[int], corpora: list[str], results: Results) -> None:
    """One row per size and corpus: the floor's CPU seconds, each command's CPU time over its
    reference (the floor unless named), the cold build's wall time and peak RSS over the floor's, and the
    preview's times in the browser. The targets of issue #30 read off this table."""
    heads = [head for head, _, _ in COLUMNS]
    print("\n| records | corpus | floor CPU (s) | " + " | ".join(heads), end="")
    print(" | cold wall | cold RSS | preview interactive (s) | `--watch` edit shown (s) |")
    print("| ---: | --- |" + " ---: |" * (len(heads) + 5))
    for size in sizes:
        for corpus in corpora:
            m = {step: _median(results.get((size, corpus, step), [])) for step in MEASURED}
            floor = m["floor"]
            cells = [f"{floor.cpu:.2f}" if floor else "—"]
            for _, step, against in COLUMNS:
                got, ref = m[step], m[against]
                cells.append(f"{got.cpu / ref.cpu:.2f}x" if got and ref else "—")
            cold = m["cold"]
            for field in ("wall", "rss"):
                ratio = getattr(cold, field) / getattr(floor, field) if cold and floor else None
                cells.append("—" if ratio is None else f"{ratio:.2f}x")
            for label in ("open until interactive", "save until shown"):
                shown = m[label]
                cells.append(f"{shown.wall:.2f}" if shown else "—")
            print(f"| {size:,} | {corpus} | " + " | ".join(cells) + " |")
    sys.stdout.flush()
