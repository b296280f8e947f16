"""How a student meets a course's new cards: each card's position, and the options preset.

Anki keeps a package's new-card positions (`due`) as they are on import (docs/anki.md,
section 15) and, with its default deck options, gathers each day's new cards deck by deck,
each deck's in position order, then shows them sorted by card type. So the positions here
are the course's study order:

- each note's first card comes in lecture order (files in order, items in order), so a term
  is met before the cards that use it;
- a note's other cards come at least `GAP` cards after the one before, in the same deck:
  with the default 20 new cards a day they fall on another day even when the student never
  imports the preset (which buries siblings). A deck of fewer notes than that cannot keep
  them apart by position alone (its new cards are gathered together): `meetings` says which.

The preset keeps Anki's own defaults but for the three burying switches; the deck description
says what importing it gives (`links.deck_description`).
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from pathlib import PurePosixPath
from typing import Any

from ..records import Note

GAP = 20
"""Cards between two of one note in a deck: Anki's default new cards a day."""


def study_order(cards: Sequence[Sequence[int]]) -> list[tuple[int, int]]:
    """The order a deck's new cards should come in, as (note, card ordinal) pairs, given each
    note's card ordinals (notes in lecture order): every note's first card in note order,
    each later card of a note `GAP` cards after its previous one, as soon as it may come
    (earliest first), before the next note's first card. Where nothing else is left to put
    between them, the rest of a note's cards come closer."""
    order: list[tuple[int, int]] = []
    waiting: list[tuple[int, int, int]] = []  # (slot it may come at, note, its card's rank)
    upcoming = iter(range(len(cards)))
    first = next(upcoming, None)
    while first is not None or waiting:
        if waiting and (waiting[0][0] <= len(order) or first is None):
            _, note, rank = heapq.heappop(waiting)
        else:
            assert first is not None
            note, rank = first, 0
            first = next(upcoming, None)
        if not cards[note]:
            continue
        order.append((note, cards[note][rank]))
        if rank + 1 < len(cards[note]):
            heapq.heappush(waiting, (len(order) - 1 + GAP, note, rank + 1))
    return order


def positions(notes: Sequence[Note], cards: Sequence[Sequence[int]]) -> list[dict[int, int]]:
    """Each note's card ordinal -> position, for one package's `notes` given each note's
    card ordinals `cards`: deck by deck in the order the lecture first reaches them, each
    deck's cards in `study_order`, the notes removed from the course after the deck's others."""

    folders: dict[str, tuple[str, ...]] = {}  # a file's path, split once, not once a note

    def lecture(at: int) -> tuple[bool, tuple[str, ...], int, str]:
        record = notes[at].record
        rel = record.rel
        parts = folders.get(rel) or folders.setdefault(rel, PurePosixPath(rel).parts)
        return (bool(notes[at].removed), parts, record.location.line, notes[at].guid)

    decks: dict[str, list[int]] = {}
    for at in sorted(range(len(notes)), key=lecture):
        decks.setdefault(notes[at].record.deck, []).append(at)
    found: list[dict[int, int]] = [{} for _ in notes]
    slot = 0
    for members in decks.values():
        for note, ordinal in study_order([cards[at] for at in members]):
            found[members[note]][ordinal] = slot
            slot += 1
    return found


def meetings(order: Sequence[tuple[int, int]], per_day: int = GAP) -> list[tuple[int, int]]:
    """The notes whose cards meet within `per_day` consecutive new cards of `order`, as
    (note, cards of it in that stretch), for a study plan: what burying would keep apart."""
    last_seen: dict[int, int] = {}
    met: dict[int, int] = {}
    for slot, (note, _) in enumerate(order):
        if note in last_seen and slot - last_seen[note] < per_day:
            met[note] = met.get(note, 1) + 1
        last_seen[note] = slot
    return sorted(met.items())


def preset(preset_id: int, name: str) -> dict[str, Any]:
    """The deck options preset a course's packages offer: Anki's defaults (anki 26.9.3's, as
    a new collection has them; tests/test_study.py compares), siblings buried."""
    chosen = {**ANKI_DEFAULTS, "id": preset_id, "name": name, "buryInterdayLearning": True}
    chosen["new"] = {**ANKI_DEFAULTS["new"], "bury": True}
    chosen["rev"] = {**ANKI_DEFAULTS["rev"], "bury": True}
    return chosen


ANKI_DEFAULTS: dict[str, Any] = {
    "answerAction": 0,
    "autoplay": True,
    "buryInterdayLearning": False,
    "desiredRetention": 0.9,
    "dyn": False,
    "easyDaysPercentages": [1.0] * 7,
    "fsrsParams5": [],
    "fsrsParams6": [],
    "fsrsWeights": [],
    "id": 1,
    "ignoreRevlogsBeforeDate": "",
    "interdayLearningMix": 0,
    "lapse": {"delays": [10.0], "leechAction": 1, "leechFails": 8, "minInt": 1, "mult": 0.0},
    "maxTaken": 60,
    "mod": 0,
    "name": "Default",
    "new": {
        "bury": False,
        "delays": [1.0, 10.0],
        "initialFactor": 2500,
        "ints": [1, 4, 0],
        "order": 1,
        "perDay": 20,
    },
    "newGatherPriority": 0,
    "newMix": 0,
    "newPerDayMinimum": 0,
    "newSortOrder": 0,
    "questionAction": 0,
    "replayq": True,
    "rev": {
        "bury": False,
        "ease4": 1.3,
        "hardFactor": 1.2,
        "ivlFct": 1.0,
        "maxIvl": 36500,
        "perDay": 200,
    },
    "reviewOrder": 0,
    "secondsToShowAnswer": 0.0,
    "secondsToShowQuestion": 0.0,
    "sm2Retention": 0.9,
    "stopTimerOnAnswer": False,
    "timer": 0,
    "usn": 0,
    "waitForAudio": True,
    "weightSearch": "",
}
"""Anki's default deck options (the Default preset of a new anki 26.9.3 collection)."""
