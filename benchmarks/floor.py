"""The floor: raw genanki writing the same notes (same fields, same count) from an in-memory list.

    python -m benchmarks.floor COUNT [OUT] [marked]

Run as its own process by bench.py, so it pays the same interpreter start-up and imports.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import genanki

from benchmarks.synthetic import facts


def main(count: int, out: Path, marked: bool = False) -> None:
    fields = [{"name": n} for n in ("Front", "Back", "Context", "Source")]
    basic = genanki.Model(
        1,
        "Basic",
        fields=fields,
        templates=[{"name": "C", "qfmt": "{{Front}}", "afmt": "{{Back}}"}],
    )
    reverse = genanki.Model(
        2,
        "Reverse",
        fields=fields,
        templates=[{"name": "C", "qfmt": "{{Back}}", "afmt": "{{Front}}"}],
    )
    cloze = genanki.Model(
        3,
        "Cloze",
        fields=fields,
        templates=[{"name": "C", "qfmt": "{{cloze:Front}}", "afmt": "{{cloze:Front}}"}],
        model_type=genanki.Model.CLOZE,
    )
    notes: list[tuple[genanki.Model, list[str], str]] = []
    for i, fact in enumerate(facts(count, marked=marked)):
        context, source = "Bench \u203a Section", f"source/file.md:{i}"
        if fact.kind == "cloze":
            notes.append((cloze, [fact.front, "", context, source], f"c{i}"))
            continue
        tag = "ol" if fact.ordered else "ul"
        back = fact.back or f"<{tag}>" + "".join(f"<li>{x}</li>" for x in fact.items) + f"</{tag}>"
        notes.append((basic, [fact.front, back, context, source], f"b{i}"))
        if fact.kind == "term":
            notes.append((reverse, [back, fact.front, context, source], f"r{i}"))
        else:
            text = (
                "<ul>"
                + "".join(f"<li>{{{{c{n}::{x}}}}}</li>" for n, x in enumerate(fact.items, 1))
                + "</ul>"
            )
            notes.append((cloze, [fact.front + text, "", context, source], f"e{i}"))
    deck = genanki.Deck(10, "Bench")
    for model, values, guid in notes:
        deck.add_note(genanki.Note(model=model, fields=values, guid=guid))
    genanki.Package(deck).write_to_file(str(out), timestamp=1_700_000_000)
    print(len(notes))


if __name__ == "__main__":
    main(
        int(sys.argv[1]),
        Path(sys.argv[2]) if len(sys.argv) > 2 else Path(tempfile.mkdtemp()) / "floor.apkg",
        marked=sys.argv[3:] == ["marked"],
    )
