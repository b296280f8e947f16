"""The legacy `req` list of deckgen's own note types, as genanki computes it, written out.

Anki before 2.1.28 decides which cards a note gets from a note type's `req`: for each
template, the fields that must all (or any one of which must) be non-empty. genanki finds it
by rendering every front once per field with chevron: for `deckgen List`'s 21 templates and
25 fields that is over a thousand renders, 0.7 s of every build. The values do not change
unless the fronts do, so they are written here; tests/test_note_model.py checks them against
genanki's own computation, for deckgen's note types and for them in a course's look (whose
header is text, never a field, and so changes no `req`).
"""

from __future__ import annotations

from typing import Any

_LIST_CARD, _ITEM_CARDS = 21, 22
"""`deckgen List`'s fields `ListCard` and `ItemCards` (`Item1`..`Item20` are 1..20)."""

LEGACY_REQ: dict[int, list[list[Any]]] = {
    1_764_211_011: [[0, "any", [0, 4]], [1, "all", [2]], [2, "all", [3]]],  # deckgen Term
    1_764_211_012: [[0, "any", [0, 3]], [1, "all", [2]]],  # deckgen Question
    1_764_211_013: [  # deckgen List: the whole list, then one card per item
        [0, "all", [1, _LIST_CARD]],
        *([item, "all", [item, _ITEM_CARDS]] for item in range(1, 21)),
    ],
    1_764_211_003: [[0, "all", [2]]],  # deckgen Cloze (Anki makes cloze cards by number)
}
"""Note type id -> its `req`, exactly as genanki 0.13 computes it."""
