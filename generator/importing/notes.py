"""Imported cards -> deckgen notes files: one per deck (and per set of cards its notes had).

A deck's notes go to `<deck>.md`; notes that had a reverse or a typed card go to a file of
their own (`<deck>-reversed.md`), because `variants` are per file, and so do notes of each
kept note type (`<deck>-<note type>.md` where a deck has several), because a file names one.
Notes with the same tags share a section with a `Tags:` line.

What would stop the first build is written so that it does not, and flagged: a front defined
twice in a deck (the second pinned with its own id), a term with no definition (a flagged line,
not a card).
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from urllib.parse import quote

from ..parse.invisible import INVISIBLE
from ..records import Kind
from ..slug import slug
from .cards import ImportedCard
from .markup import BREAK, comment, escape_text

NOTE_TYPES = "note-types"
"""The folder, beside the notes, of the kept note types (`identity.kept`)."""
INDENT = "  "
"""A list item's continuation lines (after `- `)."""


def _line_name(name: str) -> bool:
    """A field name a `Name: text` line can hold (`parse.fields.FIELD_LINE`): letters, digits
    and a little punctuation, which Markdown reads as plain text."""
    return bool(name) and name[0].isalnum() and all(c.isalnum() or c in " ().,'/-" for c in name)


Group = tuple[str, str, bool, bool]
"""The cards of one notes file: deck, kept note type file ("" for none), reversed, typed."""


@dataclass(frozen=True, slots=True)
class NotesFile:
    """A notes file to write."""

    name: str
    """Its file name, beside the other notes."""
    text: str
    """Its Markdown: no invisible character (`parse.invisible`, which `check` refuses) is
    written; they showed nothing on the cards they came from."""
    notes: int
    """How many cards it holds (its flagged lines included)."""
    flagged: int
    """How many of them carry a suggested repair."""
    repairs: int
    """How many repair comments it holds."""


def write_notes(cards: Iterable[ImportedCard], taken: set[str], top: str = "") -> list[NotesFile]:
    """The notes files for `cards`, none named as one in `taken` (the names already used); a
    file is named by its deck below the course's `top` deck."""
    groups: dict[Group, list[ImportedCard]] = defaultdict(list)
    first: dict[tuple[str, str], ImportedCard] = {}
    seen: Counter[tuple[str, str]] = Counter()
    for card in cards:
        if not card.guid and card.key:  # a GUID is its own identity: no duplicate
            other = first.setdefault((card.deck, card.key), card)
            seen[(card.deck, card.key)] += 1
            if other is not card:
                card = replace(
                    card,
                    guid=None,
                    repairs=(
                        *card.repairs,
                        f"defined twice: also at {other.origin}; merge them, or keep both and "
                        "word the fronts apart",
                    ),
                )
                card = replace(card, origin=f"{card.origin}#{seen[(card.deck, card.key)]}")
        reverse = card.reverse and card.kind is Kind.TERM
        typed = card.typed and card.kind is not Kind.CLOZE
        groups[(card.deck, card.note_type or "", reverse, typed)].append(card)
    names = _file_names(sorted(groups), taken, top)
    return [_file(names[key], key, groups[key], first) for key in sorted(groups)]


def counted(name: str, text: str) -> NotesFile:
    """A notes file written whole (the outline reader's), its items and comments counted, and
    each comparison table's notes: a row each, and the list of its aspects."""
    outside = re.sub(r"^\|.*\n", "", text, flags=re.MULTILINE)  # the tables' lines left out
    items = re.split(r"^- ", outside, flags=re.MULTILINE)[1:]
    flagged = sum("<!-- deckgen: " in item for item in items)
    notes = len(items)
    for body in re.findall(r"^\| --- \|.*\n((?:\|.*\n)*)", text, flags=re.MULTILINE):
        rows = body.splitlines()
        notes += len(rows) + (len(rows) >= 2)
        flagged += sum("<!-- deckgen: " in row for row in rows)
    text = INVISIBLE.sub("", text)
    return NotesFile(name, text, notes, flagged, text.count("<!-- deckgen: "))


def _file_names(keys: list[Group], taken: set[str], top: str) -> dict[Group, str]:
    """Each group's file name: the deck's; with the kept note type's where the deck has several
    files, and -reversed / -typed; a number where that is taken too."""
    in_deck = Counter(key[0] for key in keys)
    base = {
        key: slug(key[0].removeprefix(f"{top}::") if top else key[0], 60, "deck")
        + (f"-{slug(key[1][:-5], 40, 'type')}" if key[1] and in_deck[key[0]] > 1 else "")
        + "-reversed" * key[2]
        + "-typed" * key[3]
        for key in keys
    }
    names: dict[Group, str] = {}
    used = {name.casefold() for name in taken}
    for key in keys:
        stem = base[key]
        name, n = f"{stem}.md", 1
        while name.casefold() in used:
            n += 1
            name = f"{stem}-{n}.md"
        used.add(name.casefold())
        names[key] = name
    return names


def _file(
    name: str, group: Group, cards: list[ImportedCard], first: dict[tuple[str, str], ImportedCard]
) -> NotesFile:
    deck, note_type, reverse, typed = group
    variants = ["basic", "cloze"] + ["reverse"] * reverse + ["typed"] * typed
    lines = [
        "---",
        f"deck: {json.dumps(deck, ensure_ascii=False)}",
        f"variants: [{', '.join(variants)}]",
    ]
    if note_type:
        # The deck's own note type, kept so students' notes update in place: keep this line.
        lines.append(f"note-type: {NOTE_TYPES}/{note_type}")
    lines += ["---", "", f"# {_heading(deck.split('::')[-1])}", ""]
    sections: dict[tuple[str, ...], list[ImportedCard]] = defaultdict(list)
    for card in cards:
        sections[card.tags].append(card)
    flagged = repairs = 0
    for tags, section in sorted(sections.items()):
        if tags:
            lines += [f"## {_heading(', '.join(tags))}", "", f"Tags: {', '.join(tags)}", ""]
        for card in section:
            pin = None
            if not card.guid and card.key and first[(card.deck, card.key)] is not card:
                pin = slug(card.key, 40, "note") + "-" + card.origin.rpartition("#")[2]
            item = item_markdown(card, pin)
            lines.append(item)
            written = item.count("<!-- deckgen: ")  # (`comment` breaks any other "<!--")
            flagged += written > 0
            repairs += written
        lines.append("")
    text = INVISIBLE.sub("", "\n".join(lines))
    return NotesFile(name, text, len(cards), flagged, repairs)


def _not_a_card(card: ImportedCard) -> bool:
    """No front, or a term with no definition of deckgen's own note types: a line, not a
    card. (A list's first line is its front alone: its items follow.)"""
    lacks_back = card.kind in (Kind.TERM, Kind.QUESTION) and not card.back and not card.note_type
    return not card.front or lacks_back


def item_markdown(card: ImportedCard, pin: str | None = None, after: str = "") -> str:
    """The list item that says `card`, its GUID, `id:` pin and repairs as comments at the end
    of its first paragraph, then `after` (Markdown: the blocks that follow it in the item)."""
    comments = ""
    if card.guid:
        comments += f" <!-- guid: {quote(card.guid, safe='')} -->"
    if pin:
        comments += f" <!-- id: {pin} -->"
    for repair in dict.fromkeys(card.repairs):
        comments += " " + comment(repair)
    named = ""
    for field, value in card.fields:
        if _line_name(field):
            named += f"\n{INDENT}" + _lines(f"{field}: {value}")
        else:  # a name Markdown would read as markup: the text at least stays in sight
            comments += " " + comment(f"field '{field}' (not on the card): {value}")
    if _not_a_card(card) and not after:
        text = " ".join(part for part in (card.front, card.back) if part)
        return _lines(f"- {text}") + comments + named + after
    if card.kind is Kind.CLOZE:
        extra = f"\n\n{INDENT}{_lines(card.back)}" if card.back else ""
        return _lines(f"- {card.front}") + comments + named + extra + after
    question = card.front.rstrip().endswith("?") and not re.match(r"[:\u2013\u2014-]", card.back)
    separator = " " if question else ": "
    front = card.front
    if re.fullmatch(
        r"\*(?:[^*\\]|\\.)+\*", front, re.DOTALL
    ):  # all in italics: `***x***` is not bold
        front = f"_{front[1:-1]}_"
    rest = f"{separator}{card.back}" if card.back else ":" * (bool(after) and not question)
    return _lines(f"- **{front}**{rest}") + comments + named + after


def _lines(text: str) -> str:
    """`markup.BREAK`s as hard line breaks of one list item."""
    return text.replace(BREAK, "\\\n" + INDENT)


def _heading(text: str) -> str:
    return escape_text(" ".join(text.split())) or "Notes"
