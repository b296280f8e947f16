"""Stats: the deck tree a build makes, with notes and cards per deck (subdecks included).

`deckgen stats` prints it as the Markdown table the course's README shows, so the numbers
are regenerated from the notes, never typed in. Cards are counted by deckgen's card rule,
which tests/test_note_model.py holds to Anki's own.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from ..identity.note_types import note_type_of
from ..records import Note


def deck_tree(notes: Iterable[Note]) -> list[tuple[str, int, int]]:
    """(deck, notes, cards) for every deck and each of its parents, in tree order; notes
    removed from the notes (shipped marked) are not counted."""
    note_count: Counter[str] = Counter()
    card_count: Counter[str] = Counter()
    for note in notes:
        if note.removed:
            continue
        cards = len(note_type_of(note).ordinals(note.fields, bool(note.tags)))
        parts = note.record.deck.split("::")
        for depth in range(1, len(parts) + 1):
            name = "::".join(parts[:depth])
            note_count[name] += 1
            card_count[name] += cards
    order = sorted(note_count, key=lambda name: name.split("::"))
    return [(name, note_count[name], card_count[name]) for name in order]


def markdown_table(rows: Iterable[tuple[str, int, int]]) -> str:
    lines = ["| Deck | Notes | Cards |", "| --- | ---: | ---: |"]
    lines += [f"| {name} | {notes} | {cards} |" for name, notes, cards in rows]
    return "\n".join(lines) + "\n"
