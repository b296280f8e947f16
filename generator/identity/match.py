"""Which lock entry each record continues: the same identity, or a front moved or reworded.

A record that continues an entry keeps its seed, and so its GUID (`stamp`): a spelling fix
in a front, a note moved to another deck, a pin added or dropped keep students' history.
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from collections.abc import Iterable

from ..records import Record
from .fold import renamed_parts
from .lock import Lock, LockedRecord

RENAME_RATIO = 0.8
"""How alike a reworded front must be to its old self to keep the old identity."""
RENAME_BUDGET = 250_000
"""Most front pairs compared when looking for renames (keeps a huge rewrite linear)."""


def match(records: list[Record], roles: list[str], lock: Lock) -> dict[str, LockedRecord]:
    """Each record's entry in the lock, by record key: by identity key, else by a reworded or
    moved front, always of a note of the same note type (`roles`, the records'
    `NoteType.known_as`; an entry of a lock without types is not checked).

    Anki never updates a note whose GUID it has under another note type ("conflicting",
    docs/anki.md): a front that changed type as well is a new note, and its old entry leaves as
    a removed one. An entry of another type at a record's own key is left to the other steps
    (notes of one front swapped between decks each keep their own); one no record claims in the
    end is the record's kind changed under a kept identity, which `stamp` refuses."""
    by_key = {entry.key: entry for entry in lock.records}
    matched: dict[str, LockedRecord] = {}
    unmatched: list[tuple[Record, str]] = []
    for record, role in zip(records, roles, strict=True):
        entry = by_key.get(record.key)
        if entry is None or entry.shipped_as not in (None, role):
            unmatched.append((record, role))
        else:
            matched[record.key] = by_key.pop(record.key)
    if not unmatched or not by_key:
        return matched
    vanished = by_key  # lock entries no current record claims: candidates for renames
    by_front: dict[str, list[LockedRecord]] = defaultdict(list)
    by_deck: dict[str, list[LockedRecord]] = defaultdict(list)
    for entry in vanished.values():
        by_front[entry.front].append(entry)
        if entry.removed is None:  # a removed note comes back only under its own front
            by_deck[entry.deck].append(entry)
    budget = RENAME_BUDGET
    for record, role in unmatched:
        front = record.folded
        fitting = (None, role)  # an entry of a lock without types: not checked
        # A front unchanged but moved to another deck, or newly pinned / unpinned.
        same = [e for e in by_front.get(front, []) if e.key in vanished and e.shipped_as in fitting]
        if len(same) == 1:
            best: LockedRecord | None = same[0]
        else:
            deck = by_deck.get(record.deck, [])
            candidates = [e for e in deck if e.key in vanished and e.shipped_as in fitting]
            best, budget = _closest(front, candidates, budget)
        if best is not None:
            matched[record.key] = vanished.pop(best.key)
    return matched


def _closest(
    front: str, candidates: Iterable[LockedRecord], budget: int
) -> tuple[LockedRecord | None, int]:
    best: LockedRecord | None = None
    best_ratio = RENAME_RATIO
    for entry in candidates:
        if budget <= 0:
            break
        budget -= 1
        matcher = difflib.SequenceMatcher(None, *renamed_parts(front, entry.front))
        if matcher.real_quick_ratio() >= best_ratio and matcher.quick_ratio() >= best_ratio:
            ratio = matcher.ratio()
            if ratio >= best_ratio:
                best, best_ratio = entry, ratio
    return best, budget
