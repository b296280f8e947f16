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
        lines += [f"First release: **{_n(total, 'note')}** in {_n(len(diff.decks), 'deck')}.", ""]
    else:
        lines += [_summary(diff, count), ""]
    lines += _deck_table(diff, by_deck, first)
    lines += _how_to_update(diff, count, first)
    undelivered = [
        c for c in diff.changes if c.status == "changed" and c.anki == "skipped" and c.fields
    ]  # a note that only moved deck changes nothing an import updates
    if undelivered:
        lines += [
            f"> **Warning for the author:** {_n(len(undelivered), 'changed note')} will not "
            "reach students: their time stamp is not newer. Run `deckgen build`, commit "
            "`deckgen.lock` and release again.",
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
            if note_type.schema:
                lines.append(f"- {_md(note_type.name)}: its fields or cards changed.")
            else:
                lines.append(
                    f"- {_md(note_type.name)}: a new look (style or layout) for every card of "
                    "it; it arrives with the import, reviews kept."
                )
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def _n(number: int, noun: str) -> str:
    """`1 note`, `2 notes`."""
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _summary(diff: Diff, count: Counter[str]) -> str:
    if not diff.changes and not diff.media and not diff.note_types:
        return "Nothing changes for students: no note, image or card style differs."
    parts = [
        f"**{_n(count['added'], 'new note')}**",
        f"**{count['changed']} changed**",
        f"**{count['removed']} removed**",
    ]
    moved = sum(bool(c.moved_from) for c in diff.changes)
    if moved:
        parts.append(f"{_n(moved, 'note')} moved to another deck")
    emptied = sum(len(c.emptied) for c in diff.changes)
    if emptied:
        parts.append(f"{_n(emptied, 'card')} now empty")
    if diff.media:
        parts.append(f"{_n(len(diff.media), 'image or sound file')} added, changed or removed")
    if looks := sum(not t.schema for t in diff.note_types):
        parts.append(f"a new look for {_n(looks, 'note type')}")
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
    """The steps a student takes, numbered 1, 2, 3...: only those this release needs."""
    schema = [t.name for t in diff.note_types if t.schema]
    steps = [
        "Download the `.apkg` file below and open it: in Anki on a computer with "
        "File > Import, in AnkiDroid or AnkiMobile by opening the file with the app."
    ]
    if schema:
        conflicting = diff.anki.get("conflicting", 0)
        steps.append(
            '**Turn on "Merge note types"** in the import options for this release: the fields '
            f"or cards of {', '.join(_md(n) for n in schema)} changed. Without it, Anki leaves "
            f"{_n(conflicting, 'note')} as {'it was' if conflicting == 1 else 'they were'} (it "
            'calls them "conflicting"). Leave the other options as they are.'
        )
    else:
        steps.append(
            'Keep the import options as they are ("Update notes" and "Update note types": '
            '"If newer"; "Merge note types" off).'
        )
    if first:
        steps.append("The deck appears in your deck list; study it as any other.")
    else:
        steps.append(
            "Your reviews and schedules are kept: changed notes are updated in place and "
            "new notes and new cards arrive as new cards."
        )
    emptied = sum(len(c.emptied) for c in diff.changes)
    if emptied:
        are = "card is" if emptied == 1 else "cards are"
        steps.append(
            f'**{emptied} {are} now empty** (listed below as "now empty": a kind of card was '
            "switched off, or a list item or cloze removed). An import cannot delete a card, "
            "so it stays in your collection, blank. In Anki on a computer, **Tools > Empty "
            "Cards** lists empty cards and deletes them (sync, and they go from your phone "
            "too)."
        )
    moved = sum(bool(c.moved_from) for c in diff.changes)
    if moved:
        steps.append(
            f'**{_n(moved, "note")} moved to another deck** (listed below as "moved from"). '
            "An import does not move your cards: they stay in the deck they are in. To move "
            "them too, select them in Anki's Browse window and choose Cards > Change Deck."
        )
    marked = sum(c.marked for c in diff.changes)
    if marked:
        steps.append(
            f"**{_n(marked, 'note')} {'was' if marked == 1 else 'were'} removed from the "
            f"course.** A package cannot delete anything, so {'it stays' if marked == 1 else 'they stay'} "
            'in your collection, marked: each card shows "Removed from the course on" a date '
            f"above its question. To delete {'it' if marked == 1 else 'them all'}, search "
            f"`{SEARCH}` in Anki's Browse window, select every note it finds and delete "
            f"{'it' if marked == 1 else 'them'} (or keep {'it' if marked == 1 else 'them'}: "
            "the reviews are yours)."
        )
    if count["removed"] > marked:
        unmarked = count["removed"] - marked
        stays = "stays" if unmarked == 1 else "stay"
        steps.append(
            f"{_n(unmarked, 'note')} removed in this release {stays} in your collection "
            f"unmarked. {'It is' if unmarked == 1 else 'They are'} listed below; delete "
            f"{'it' if unmarked == 1 else 'them'} in Anki's Browse window if you no longer "
            "want it."
        )
    if not first:
        steps.append(LATE)
    title = "### How to import" if first else "### How to update"
    return [title, "", *(f"{i}. {step}" for i, step in enumerate(steps, 1)), ""]


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
    if change.moved_from:
        lines.append(
            f"  - moved from {_md(change.moved_from)} (your cards of it stay where they are)"
        )
    for field in change.fields:
        name = _FIELD_NAMES.get(field.name, field.name.replace("Item", "item "))
        if field.old.startswith("("):  # nothing to read changed: say what did
            lines.append(f"  - {_md(name)}: {_md(field.new.strip('()'))}")
        else:
            lines.append(f"  - {_md(name)}: {word_diff(_md(field.old), _md(field.new))}")
    lines += [f"  - new card: {_md(card)}" for card in change.new_cards]
    lines += [
        f"  - now empty: the card {_md(card)} (Tools > Empty Cards deletes it)"
        for card in change.emptied
    ]
    if change.tags:
        old, new = (" ".join(t) or "none" for t in change.tags)
        lines.append(f"  - tags: {_md(old)} -> {_md(new)}")
    if change.anki == "conflicting":
        lines.append('  - needs "Merge note types" (its note type changed)')
    return lines


def _md(text: str) -> str:
    """Plain text safe in Markdown and HTML: it says what it says, and nothing runs."""
    return _MARKDOWN.sub(r"\\\1", html.escape(text, quote=False))
