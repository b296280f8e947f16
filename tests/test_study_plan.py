"""The study plan `deckgen stats` prints: per deck the new cards, the days they take at 20 a
day, and the notes whose cards meet on one day, held to what the real scheduler shows a
student with Anki's default options."""

from __future__ import annotations

import collections
import math
from pathlib import Path

from anki.collection import Collection

from tests.helpers import build_tree, import_package, run_forked, write_notes
from tests.test_study import study


def test_stats_says_what_the_scheduler_shows(tmp_path: Path, collection: Collection) -> None:
    """At the end of a deck, a note's later cards cannot be 20 cards apart (a long list's
    item cards, the last terms' reverse cards): the plan names every note the scheduler
    shows twice on one day (and may name one whose cards, within 20 new cards of each
    other, fall either side of a day's end), and says how many days it all takes."""
    lines = ["---\ndeck: Course\nvariants: [basic, reverse, cloze]\n---\n"]
    lines += [f"- **Term {n:02}**: The meaning of term {n}." for n in range(30)]
    lines.append("- **Which parts has the last thing?**")
    lines += [f"  - Part {n}" for n in range(8)]
    source = write_notes(tmp_path / "source", {"a.md": "\n".join(lines) + "\n"})
    build_tree(source, tmp_path / "out")
    import_package(collection, tmp_path / "out" / "course.apkg")
    cards = collection.card_count()
    days = study(collection, math.ceil(cards / 20) + 2)
    assert sum(map(len, days)) == cards
    met = {
        front
        for day in days
        for front, count in collections.Counter(f.split("#")[0] for f in day).items()
        if count > 1
    }
    assert "Which parts has the last thing?" in met

    printed = run_forked("stats", "--source", str(source)).stdout
    assert f"| Course | {cards} | {math.ceil(cards / 20)} |" in printed
    assert sum(1 for day in days if day) == math.ceil(cards / 20)
    named = {
        line.removeprefix("- Course: ").rsplit(" (", 1)[0]
        for line in printed.splitlines()
        if line.startswith("- Course: ")
    }
    assert met <= named, named - met
    assert len(named - met) <= 1, named - met  # here Term 29: its two cards straddle a day
