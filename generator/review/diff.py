"""Diff: what changed between two builds, and what Anki will do with it on import.

Anki's rules (docs/anki.md): a note is matched by GUID; it is
"conflicting" (and left alone) if its note type gained or lost a field or template, whatever
its `mod`; otherwise skipped unless the incoming `mod` is strictly newer. A package never
deletes a note.
"""

from __future__ import annotations

import difflib
import json
import re
from collections import Counter
from dataclasses import asdict, dataclass, field

from ..cards.media import IMAGE
from ..cloze import OPEN, deletions, replace_deletions
from ..identity.fold import plain
from ..identity.note_types import location_fields
from ..identity.removed import TAG as REMOVED_TAG
from .apkg import Build, PackagedNote

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
    """What the card asks, as a student reads it (a cloze's deletions as [...])."""
    note_type: str
    """Its note type."""
    anki: str
    """What Anki does with it on import: new, updated, skipped, conflicting, or kept (removed)."""
    fields: tuple[FieldChange, ...] = ()
    """The fields that changed (location fields are left out)."""
    tags: tuple[tuple[str, ...], tuple[str, ...]] | None = None
    """(old, new) tags, when they changed."""
    answer: str = ""
    """The answer, as a student reads it (a cloze's deletions, a list's items)."""
    marked: bool = False
    """A removed note shipped marked (`identity.removed`): a student finds it by search."""
    new_cards: tuple[str, ...] = ()
    """Cards a note students have gains (a card type switched on, an item or deletion added)."""
    emptied: tuple[str, ...] = ()
    """Cards it loses: a package cannot delete them, so students keep them, empty."""
    moved_from: str = ""
    """The deck it was in, when it moved: students' cards stay where they are."""


@dataclass(frozen=True, slots=True)
class TypeChange:
    """A note type whose look (stylesheet, templates) or fields and cards changed."""

    name: str
    """The note type's name (in the newer build)."""
    look: bool
    """Its stylesheet or templates changed: every card of it looks different."""
    schema: bool
    """A field or template was added or removed: its notes import as conflicting unless the
    student turns on Anki's "Merge note types"."""


@dataclass(frozen=True, slots=True)
class Diff:
    """The whole comparison."""

    changes: tuple[NoteChange, ...]
    """Every added, changed and removed note, by deck and front."""
    anki: dict[str, int]
    """How many notes of the newer build Anki imports as new, updated, skipped, conflicting."""
    media: tuple[tuple[str, str], ...] = ()
    """(added, changed or removed, file name) of each media file that changed."""
    note_types: tuple[TypeChange, ...] = ()
    """Note types whose look or schema changed."""
    decks: dict[str, int] = field(default_factory=dict)
    """Notes per deck in the newer build (removed notes shipped marked left out)."""


def compare(old: Build, new: Build) -> Diff:
    """Compare two builds note by note (GUID by GUID), note type by id, media by name."""
    changes: list[NoteChange] = []
    counts: Counter[str] = Counter({action: 0 for action in ACTIONS})
    for guid, note in new.notes.items():
        before = old.notes.get(guid)
        action = _action(before, note)
        counts[action] += 1
        front, answer = shown(note)
        if marked(note):  # removed from the notes, shipped marked (identity.removed)
            if before is None or not marked(before):
                changes.append(
                    NoteChange(
                        "removed",
                        note.deck,
                        front,
                        note.note_type,
                        action,
                        answer=answer,
                        marked=True,
                    )
                )
            continue
        if before is None:
            changes.append(
                NoteChange("added", note.deck, front, note.note_type, action, answer=answer)
            )
            continue
        where = location_fields(tuple(name for name, _ in note.fields))
        pairs = [
            (name, a, b)
            for (name, a), (_, b) in zip(before.fields, note.fields, strict=False)
            if a != b and name not in where
        ]
        # A switch (a field no template shows) is told by the cards it makes or empties.
        fields = tuple(_field_change(n, a, b) for n, a, b in pairs if n not in note.switches)
        new_cards = tuple(c for c in note.cards if c not in before.cards)
        emptied = tuple(c for c in before.cards if c not in note.cards)
        if len(fields) < len(pairs) and not new_cards and not emptied:
            fields += (FieldChange("layout", "(as it was)", "(shown differently)"),)
        tags = (before.tags, note.tags) if before.tags != note.tags else None
        moved = before.deck if before.deck != note.deck else ""
        if fields or tags or new_cards or emptied or moved or action == "conflicting":
            changes.append(
                NoteChange(
                    "changed",
                    note.deck,
                    front,
                    note.note_type,
                    action,
                    fields,
                    tags,
                    answer,
                    new_cards=new_cards,
                    emptied=emptied,
                    moved_from=moved,
                )
            )
    for guid, note in old.notes.items():
        if guid not in new.notes and not marked(note):  # a marked one is marked for good
            front, answer = shown(note)
            changes.append(
                NoteChange("removed", note.deck, front, note.note_type, "kept", answer=answer)
            )
    changes.sort(key=lambda c: (c.deck, c.status, c.front.casefold(), c.note_type))
    media = sorted(
        [("added", n) for n in new.media if n not in old.media]
        + [("changed", n) for n in new.media if n in old.media and old.media[n] != new.media[n]]
        + [("removed", n) for n in old.media if n not in new.media],
        key=lambda change: (change[1], change[0]),
    )
    types = [
        TypeChange(t.name, t.look != old.note_types[i].look, t.schema != old.note_types[i].schema)
        for i, t in sorted(new.note_types.items(), key=lambda item: item[1].name)
        if i in old.note_types
        and (t.look != old.note_types[i].look or t.schema != old.note_types[i].schema)
    ]
    decks = Counter(note.deck for note in new.notes.values() if not marked(note))
    return Diff(
        tuple(changes), dict(counts), tuple(media), tuple(types), dict(sorted(decks.items()))
    )


def marked(note: PackagedNote) -> bool:
    """True for a removed note shipped marked: it has the removed tag."""
    return any(tag.startswith(f"{REMOVED_TAG}::") for tag in note.tags)


def shown(note: PackagedNote) -> tuple[str, str]:
    """What a note asks and answers, as plain text a student reads: a cloze's deletions as
    [...] with their answers; a list's items joined; a comparison's aspect, then each thing
    compared with its side."""
    first = note.front
    if OPEN.search(first):
        answers = [plain(d.answer) for d in deletions(first)]
        return plain(replace_deletions(first, lambda _: "[...]")), "; ".join(dict.fromkeys(answers))
    items = [plain(v) for k, v in note.fields if re.fullmatch(r"Item\d+", k) and v.strip()]
    if items:
        return plain(first), "; ".join(items)
    named = dict(note.fields)  # a comparison's row: each thing compared and its side
    sides = [
        f"{plain(named.get('Name' + k[5:], ''))}: {plain(v)}"
        for k, v in note.fields
        if re.fullmatch(r"Value\d+", k) and v.strip()
    ]
    if sides:
        return plain(first), "; ".join(sides)
    return plain(first), plain(note.fields[1][1]) if len(note.fields) > 1 else ""


def _field_change(name: str, old: str, new: str) -> FieldChange:
    """The change of a field's visible text; or, where that is the same, of its images or
    its formatting."""
    before, after = plain(old), plain(new)
    if before == after:
        images = ([m[2] for m in IMAGE.finditer(old)], [m[2] for m in IMAGE.finditer(new)])
        if images[0] != images[1]:
            before = "image " + (", ".join(images[0]) or "none")
            after = "image " + (", ".join(images[1]) or "none")
        else:
            before, after = "(formatting)", "(formatting changed)"
    return FieldChange(name, before, after)


def _action(before: PackagedNote | None, note: PackagedNote) -> str:
    if before is None:
        return "new"
    if before.schema != note.schema:
        return "conflicting"  # measured: whatever the note's mod
    return "updated" if note.mod > before.mod else "skipped"


def to_json(diff: Diff) -> str:
    return json.dumps(
        {
            "anki": diff.anki,
            "changes": [asdict(c) for c in diff.changes],
            "media": [{"status": s, "name": n} for s, n in diff.media],
            "note_types": [asdict(t) for t in diff.note_types],
            "decks": diff.decks,
        },
        indent=2,
        ensure_ascii=False,
    )


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
