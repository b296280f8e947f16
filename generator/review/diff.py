"""Diff: what changed between two builds, and what Anki will do with it on import.

Anki's rules (docs/anki.md): a note is matched by GUID; it is
"conflicting" (and left alone) if its note type gained or lost a field or template, whatever
its `mod`; otherwise skipped unless the incoming `mod` is strictly newer. A package never
deletes a note.
"""

from __future__ import annotations

import difflib
import json
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass

from ..identity.fold import plain
from ..identity.note_types import LOCATION_FIELDS
from .apkg import PackagedNote

ACTIONS = ("new", "updated", "skipped", "conflicting")


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One field whose text changed."""

    name: str
    """The field's name."""
    old: str
    """Its visible text before."""
    new: str
    """Its visible text after."""


@dataclass(frozen=True, slots=True)
class NoteChange:
    """A note added, changed or removed between two builds."""

    status: str
    """added, changed or removed."""
    deck: str
    """The note's deck (in the newer build, or the older one for a removed note)."""
    front: str
    """The visible text of its first field."""
    note_type: str
    """Its note type."""
    anki: str
    """What Anki does with it on import: new, updated, skipped, conflicting, or kept (removed)."""
    fields: tuple[FieldChange, ...] = ()
    """The fields that changed (location fields are left out)."""
    tags: tuple[tuple[str, ...], tuple[str, ...]] | None = None
    """(old, new) tags, when they changed."""


@dataclass(frozen=True, slots=True)
class Diff:
    """The whole comparison."""

    changes: tuple[NoteChange, ...]
    """Every added, changed and removed note, by deck and front."""
    anki: dict[str, int]
    """How many notes of the newer build Anki imports as new, updated, skipped, conflicting."""


def compare(old: dict[str, PackagedNote], new: dict[str, PackagedNote]) -> Diff:
    """Compare two builds note by note (GUID by GUID)."""
    changes: list[NoteChange] = []
    counts: Counter[str] = Counter({action: 0 for action in ACTIONS})
    for guid, note in new.items():
        before = old.get(guid)
        action = _action(before, note)
        counts[action] += 1
        if before is None:
            changes.append(
                NoteChange("added", note.deck, plain(note.front), note.note_type, action)
            )
            continue
        fields = tuple(
            FieldChange(name, plain(a), plain(b))
            for (name, a), (_, b) in zip(before.fields, note.fields, strict=False)
            if a != b and name not in LOCATION_FIELDS
        )
        tags = (before.tags, note.tags) if before.tags != note.tags else None
        if fields or tags or action == "conflicting":
            changes.append(
                NoteChange(
                    "changed", note.deck, plain(note.front), note.note_type, action, fields, tags
                )
            )
    for guid, note in old.items():
        if guid not in new:
            changes.append(
                NoteChange("removed", note.deck, plain(note.front), note.note_type, "kept")
            )
    changes.sort(key=lambda c: (c.deck, c.status, c.front.casefold(), c.note_type))
    return Diff(tuple(changes), dict(counts))


def _action(before: PackagedNote | None, note: PackagedNote) -> str:
    if before is None:
        return "new"
    if before.schema != note.schema:
        return "conflicting"  # measured: whatever the note's mod
    return "updated" if note.mod > before.mod else "skipped"


def to_json(diff: Diff) -> str:
    return json.dumps(
        {"anki": diff.anki, "changes": [asdict(c) for c in diff.changes]},
        indent=2,
        ensure_ascii=False,
    )


def to_markdown(diff: Diff) -> str:
    """Release notes: a summary table, removed notes first, then each deck's changes."""
    by_deck: dict[str, list[NoteChange]] = defaultdict(list)
    for change in diff.changes:
        by_deck[change.deck].append(change)
    a = diff.anki
    lines = [
        "## Changes to the decks",
        "",
        f"On import with Anki's default settings: **{a['new']} new**, **{a['updated']} updated**, "
        f"{a['skipped']} unchanged (skipped), {a['conflicting']} conflicting.",
        "",
    ]
    if not diff.changes:
        return "\n".join([*lines, "No note was added, changed or removed.", ""])
    lines += ["| Deck | Added | Changed | Removed |", "| --- | ---: | ---: | ---: |"]
    for deck, changes in sorted(by_deck.items()):
        count = Counter(c.status for c in changes)
        lines.append(f"| {deck} | {count['added']} | {count['changed']} | {count['removed']} |")
    removed = [c for c in diff.changes if c.status == "removed"]
    if removed:
        lines += [
            "",
            f"### Removed notes ({len(removed)})",
            "",
            "A package cannot delete notes: these stay in students' collections until they delete them.",
            "",
        ]
        lines += [f"- {c.deck}: **{c.front}** ({c.note_type})" for c in removed]
    for deck, changes in sorted(by_deck.items()):
        shown = [c for c in changes if c.status != "removed"]
        if not shown:
            continue
        lines += ["", f"### {deck}", ""]
        for change in shown:
            lines.append(
                f"- {change.status}: **{change.front}** ({change.note_type}){_note(change)}"
            )
            lines += [f"  - {f.name}: {word_diff(f.old, f.new)}" for f in change.fields]
            if change.tags:
                lines.append(
                    f"  - tags: {' '.join(change.tags[0]) or '-'} -> {' '.join(change.tags[1]) or '-'}"
                )
    return "\n".join(lines) + "\n"


def _note(change: NoteChange) -> str:
    if change.status == "changed" and change.anki == "skipped":
        return ": **not delivered** (its mod is not newer; run `deckgen build` and commit the lock)"
    if change.anki == "conflicting":
        return ": **conflicting** (its note type changed; students must import with 'Merge note types')"
    return ""


def word_diff(old: str, new: str) -> str:
    """`~~removed~~ **added**` word by word, as Markdown."""
    a, b = old.split(), new.split()
    out: list[str] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(" ".join(a[i1:i2]))
            continue
        if i2 > i1:
            out.append(f"~~{' '.join(a[i1:i2])}~~")
        if j2 > j1:
            out.append(f"**{' '.join(b[j1:j2])}**")
    return " ".join(out)
