"""Release notes for people: what a student gets from a release, and how to import it.

Counts first; then "How to update" with exactly the import settings this release needs
(Anki's "Merge note types" only when a note type's fields or cards changed); then each
deck's notes, one entry per note (all its cards), as a student reads them, folded in
`<details>`; then media and the cards' look. Every text from the notes is escaped for
Markdown and HTML: the notes are the author's, the release page is GitHub's.
"""

from __future__ import annotations

import html
import re
from collections import Counter, defaultdict

from ..identity.removed import SEARCH
from .diff import Diff, NoteChange, word_diff

LATE = (
    "Skipped a release? Import only the newest one: it holds every note. On Anki older than "
    "25.02 (desktop 24.11 or earlier, and phone apps of that time), a note that an import "
    "updated takes the time of that import: if you imported an earlier release after this "
    "one was published, import this one with **Update notes: Always**, or its corrections "
    "are skipped."
)
"""What a late importer on an older Anki must do; no package can do it for them (measured:
tests/test_anki_versions.py::test_a_late_importer_on_anki_before_25_02_misses_a_correction)."""
_FIELD_NAMES = {"Front": "front", "Back": "answer", "Text": "text", "Extra": "extra"}
_MARKDOWN = re.compile(r"([\\`*_\[\]|#~])")


def to_markdown(diff: Diff, version: str | None = None, first: bool = False) -> str:
    """The release notes of `diff` (everything is new when `first`)."""
    title = version or "This release"
    by_deck: dict[str, list[NoteChange]] = defaultdict(list)
    for change in diff.changes:
        by_deck[change.deck].append(change)
    count = Counter(c.status for c in diff.changes)
    lines = [f"## {_md(title)}: what changes for students", ""]
    if first:
        total = sum(diff.decks.values())
        lines += [
            f"First release: **{total} notes** in {len(diff.decks)} "
            f"deck{'s' * (len(diff.decks) != 1)}.",
            "",
        ]
    else:
        lines += [_summary(diff, count), ""]
    lines += _deck_table(diff, by_deck, first)
    lines += _how_to_update(diff, count, first)
    undelivered = [c for c in diff.changes if c.status == "changed" and c.anki == "skipped"]
    if undelivered:
        lines += [
            "> **Warning for the author:** "
            f"{len(undelivered)} changed notes will not reach students: their time stamp is "
            "not newer. Run `deckgen build`, commit `deckgen.lock` and release again.",
            "",
        ]
    for deck, changes in sorted(by_deck.items()):
        lines += _deck_section(deck, changes, first)
    if diff.media:
        lines += ["### Images and sounds", ""]
        lines += [f"- {status}: `{_md(name)}`" for status, name in diff.media]
        lines.append("")
    if diff.note_types:
        lines += ["### How the cards look", ""]
        for note_type in diff.note_types:
            what = "fields or cards" if note_type.schema else "style or layout"
            lines.append(
                f"- {_md(note_type.name)}: its {what} changed; every card of it looks different."
            )
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def _summary(diff: Diff, count: Counter[str]) -> str:
    parts = [
        f"**{count['added']} new notes**",
        f"**{count['changed']} changed**",
        f"**{count['removed']} removed**",
    ]
    if diff.media:
        many = "s" * (len(diff.media) != 1)
        parts.append(f"{len(diff.media)} image or sound file{many} added, changed or removed")
    if diff.note_types:
        parts.append(f"a new look for {len(diff.note_types)} note type(s)")
    if not diff.changes and not diff.media and not diff.note_types:
        return "Nothing changes for students: no note, image or card style differs."
    return ", ".join(parts) + "."


def _deck_table(diff: Diff, by_deck: dict[str, list[NoteChange]], first: bool) -> list[str]:
    decks = sorted(set(diff.decks) | set(by_deck))
    if not decks:
        return []
    if first:
        rows = [f"| {_md(d)} | {diff.decks.get(d, 0)} |" for d in decks]
        return ["| Deck | Notes |", "| --- | ---: |", *rows, ""]
    lines = ["| Deck | Notes | New | Changed | Removed |", "| --- | ---: | ---: | ---: | ---: |"]
    for deck in decks:
        count = Counter(c.status for c in by_deck.get(deck, []))
        lines.append(
            f"| {_md(deck)} | {diff.decks.get(deck, 0)} | {count['added']} | "
            f"{count['changed']} | {count['removed']} |"
        )
    return [*lines, ""]


def _how_to_update(diff: Diff, count: Counter[str], first: bool) -> list[str]:
    schema = [t.name for t in diff.note_types if t.schema]
    lines = [
        "### How to update" if not first else "### How to import",
        "",
        "1. Download the `.apkg` file below and open it: in Anki on a computer with "
        "File > Import, in AnkiDroid or AnkiMobile by opening the file with the app.",
    ]
    if schema:
        names = ", ".join(_md(n) for n in schema)
        lines.append(
            '2. **Turn on "Merge note types"** in the import options for this release: '
            f"the fields or cards of {names} changed. Without it, Anki leaves "
            f"{diff.anki.get('conflicting', 0)} notes as they were (it calls them "
            '"conflicting"). Leave the other options as they are.'
        )
    else:
        lines.append(
            '2. Keep the import options as they are ("Update notes" and "Update note types": '
            '"If newer"; "Merge note types" off).'
        )
    if first:
        lines.append("3. The deck appears in your deck list; study it as any other.")
    else:
        lines.append(
            "3. Your reviews and schedules are kept: changed notes are updated in place and "
            "new notes arrive as new cards."
        )
    if not first:
        lines.append(f"4. {LATE}")
    marked = sum(c.marked for c in diff.changes)
    if marked:
        lines.append(
            f"5. **{marked} note{' was' if marked == 1 else 's were'} removed from the course.** "
            "A package cannot delete "
            "anything, so they stay in your collection, marked: each card shows "
            '"Removed from the course on" a date above its question. To delete them all, '
            f"search `{SEARCH}` in Anki's Browse window, select every note it finds and "
            "delete them (or keep them: their reviews are yours)."
        )
    if count["removed"] > marked:
        lines.append(
            f"{'6' if marked else '5'}. {count['removed'] - marked} notes removed in this "
            "release stay in your collection unmarked. They are listed below; delete them in "
            "Anki's Browse window if you no longer want them."
        )
    return [*lines, ""]


def _deck_section(deck: str, changes: list[NoteChange], first: bool) -> list[str]:
    count = Counter(c.status for c in changes)
    label = ", ".join(
        f"{count[s]} {w}"
        for s, w in (("added", "new"), ("changed", "changed"), ("removed", "removed"))
        if count[s]
    )
    lines = [f"### {_md(deck)}", "", f"<details><summary>{html.escape(label)}</summary>", ""]
    order = {"added": 0, "changed": 1, "removed": 2}
    for change in sorted(changes, key=lambda c: (order[c.status], c.front.casefold())):
        lines += _entry(change, first)
    return [*lines, "", "</details>", ""]


def _entry(change: NoteChange, first: bool) -> list[str]:
    front, answer = _md(change.front), _md(change.answer)
    said = f"**{front}**" + (f": {answer}" if answer else "")
    if change.status == "added":
        return [f"- {said}" if first else f"- new: {said}"]
    if change.status == "removed":
        return [f"- removed: {said}" + (" (marked)" if change.marked else "")]
    lines = [f"- changed: **{front}**"]
    for field in change.fields:
        name = _FIELD_NAMES.get(field.name, field.name.replace("Item", "item "))
        lines.append(f"  - {_md(name)}: {word_diff(_md(field.old), _md(field.new))}")
    if change.tags:
        old, new = (" ".join(t) or "none" for t in change.tags)
        lines.append(f"  - tags: {_md(old)} -> {_md(new)}")
    if change.anki == "conflicting":
        lines.append('  - needs "Merge note types" (its note type changed)')
    return lines


def _md(text: str) -> str:
    """Plain text safe in Markdown and HTML: it says what it says, and nothing runs."""
    return _MARKDOWN.sub(r"\\\1", html.escape(text, quote=False))
