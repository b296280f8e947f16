"""Stats: the deck tree a build makes, with notes and cards per deck (subdecks included),
and the study plan a student gets.

`deckgen stats` prints both as Markdown: the deck table the course's README shows, so the
numbers are regenerated from the notes, never typed in; and per deck the new cards, the days
they take at Anki's default 20 new cards a day, and the notes whose cards come within one
day's new cards of each other, in the order the packages give them (`output.study`). Cards
are counted by deckgen's card rule, which tests/test_note_model.py holds to Anki's own.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from ..identity.fold import plain
from ..identity.note_types import note_type_of
from ..output.study import GAP, meetings, positions
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


class DeckPlan(NamedTuple):
    """How a student meets one deck's new cards."""

    deck: str
    cards: int
    """New cards."""
    days: int
    """Days they take at GAP (Anki's default 20) new cards a day."""
    met: tuple[tuple[Note, int], ...]
    """Notes whose cards come within one day's new cards of each other, and how many of
    theirs do: without sibling burying, a student sees them on one day."""


def study_plan(notes: Sequence[Note]) -> list[DeckPlan]:
    """Each deck's plan, in the order the packages give the decks their positions (notes
    removed from the notes are left out, as in `deck_tree`)."""
    kept = [note for note in notes if not note.removed]
    cards = [note_type_of(n).ordinals(n.fields, bool(n.tags)) for n in kept]
    slots = positions(kept, cards)
    order = sorted(
        (slot, at, ordinal) for at, mine in enumerate(slots) for ordinal, slot in mine.items()
    )
    decks: dict[str, list[tuple[int, int]]] = {}
    for _, at, ordinal in order:  # positions keep each deck's cards together
        decks.setdefault(kept[at].record.deck, []).append((at, ordinal))
    return [
        DeckPlan(
            deck,
            len(seen),
            math.ceil(len(seen) / GAP),
            tuple((kept[at], count) for at, count in meetings(seen)),
        )
        for deck, seen in decks.items()
    ]


def plan_markdown(plans: Iterable[DeckPlan]) -> str:
    plans = list(plans)
    lines = [f"| Deck | New cards | Days at {GAP} a day |", "| --- | ---: | ---: |"]
    lines += [f"| {p.deck} | {p.cards} | {p.days} |" for p in plans]
    met = [(p.deck, note, count) for p in plans for note, count in p.met]
    met.sort(key=lambda m: (m[0], m[1].record.rel, m[1].record.location.line))
    if not met:
        lines += ["", f"No two cards of one note come within {GAP} new cards of each other."]
        return "\n".join(lines) + "\n"
    lines += [
        "",
        f"Notes whose cards come within {GAP} new cards of each other (one day, unless "
        "siblings are buried):",
        "",
    ]
    lines += [
        f"- {deck}: {plain(note.record.front)} ({count} cards, {note.record.rel}:"
        f"{note.record.location.line})"
        for deck, note, count in met
    ]
    return "\n".join(lines) + "\n"
