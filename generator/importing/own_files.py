"""deckgen's own packages, back to notes files: each notes file its notes came from, its
notes in the order students meet them, each under its headings (`own` reads the notes)."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import replace
from urllib.parse import quote

from ..records import Kind
from ..slug import slug
from .markup import comment, escape_text
from .notes import item_markdown
from .own import OwnNote

_VARIANTS = ("basic", "reverse", "cloze", "typed")


def own_files(notes: list[OwnNote], taken: set[str]) -> dict[str, str]:
    """The notes files that say `notes`: one per notes file (and deck) they came from, their
    notes in the order students meet them, each under its headings."""
    groups: dict[tuple[str, str], list[OwnNote]] = defaultdict(list)
    for note in sorted(notes, key=lambda n: n.position):
        groups[(note.rel, note.deck)].append(note)
    used = {name.casefold() for name in taken}
    files: dict[str, str] = {}
    for (rel, deck), group in groups.items():
        # A section's notes together, where the section first comes (a studied note's
        # position may be unknown, or out of place).
        first: dict[tuple[str, ...], int] = {}
        for note in group:
            first.setdefault(note.sections, note.position)
        group.sort(key=lambda n: (first[n.sections], n.position))
        name = rel or _slug_name(deck)
        stem, n = name.removesuffix(".md"), 1
        while name.casefold() in used:
            n += 1
            name = f"{stem}-{n}.md"
        used.add(name.casefold())
        files[name] = _file(deck, group)
    return files


def _slug_name(deck: str) -> str:
    return slug(deck.split("::")[-1], 60, "deck") + ".md"


_CARDS = {
    Kind.COMPARISON: frozenset(),
    Kind.TERM: frozenset({"basic", "reverse", "typed"}),
    Kind.QUESTION: frozenset({"basic", "typed"}),
    Kind.ENUMERATION: frozenset({"basic", "cloze"}),
    Kind.CLOZE: frozenset({"cloze"}),
}
"""The variants that decide the cards of each kind of record (`cards.variants`)."""


def _tables(
    notes: list[OwnNote],
) -> tuple[dict[int, tuple[list[OwnNote], OwnNote | None]], set[int]]:
    """The comparison tables among `notes`, by the index of their first row: its rows (one
    after the other, under one heading, comparing the same things) and the note of its list
    of aspects (`parse.tables`: a `List` of the rows' aspects); and the indexes of the notes
    the tables say besides their first rows."""
    tables: dict[int, tuple[list[OwnNote], OwnNote | None]] = {}
    said: set[int] = set()
    start = last = -2
    for i, note in enumerate(notes):
        if note.kind is not Kind.COMPARISON:
            continue
        head = tables[start][0][0] if start in tables else None
        if (
            head
            and last == i - 1
            and (head.sections, _names(head))
            == (
                note.sections,
                _names(note),
            )
        ):
            tables[start][0].append(note)
            said.add(i)
        else:
            tables[i], start = ([note], None), i
        last = i
    for begin, (rows, _) in list(tables.items()):
        shown = tuple(aspect for row in rows for aspect in row.fields_aspect)
        for i, note in enumerate(notes):
            if (
                len(rows) >= 2
                and i not in said
                and note.kind is Kind.ENUMERATION
                and note.sections == rows[0].sections
                and note.items == shown
            ):
                tables[begin] = (rows, note)
                said.add(i)
                break
    return tables, said


def _names(note: OwnNote) -> tuple[str, ...]:
    return tuple(name for name, _, _ in note.table)


def _table(rows: list[OwnNote], aspects: OwnNote | None) -> list[str]:
    """A comparison table's lines: the things compared, then a row per aspect."""
    names = [html for html, _, _ in rows[0].table]
    default = f"What aspects compare {', '.join(names[:-1])} and {names[-1]}?"
    question = pin = ""
    if aspects is not None:
        question = aspects.card.front if aspects.front != default else ""
        if aspects.card.guid:
            pin = f" <!-- guid: {quote(aspects.card.guid, safe='')} -->"
    lines = [
        "| " + " | ".join([question + pin, *(md for _, md, _ in rows[0].table)]) + " |",
        "| " + " | ".join(["---"] * (len(names) + 1)) + " |",
    ]
    for row in rows:
        card = row.card
        cell = card.front + (f" <!-- guid: {quote(card.guid, safe='')} -->" if card.guid else "")
        cell += "".join(" " + comment(r) for r in dict.fromkeys(card.repairs))
        lines.append("| " + " | ".join([cell, *(side for _, _, side in row.table)]) + " |")
    return lines


def _file(deck: str, notes: list[OwnNote]) -> str:
    tables, said = _tables(notes)
    common = frozenset(notes[0].tags).intersection(*(n.tags for n in notes))
    variants = frozenset().union(*(n.variants for i, n in enumerate(notes) if i not in said))
    spoken = {
        n.language
        for i, n in enumerate(notes)
        if n.kind in (Kind.TERM, Kind.QUESTION, Kind.ENUMERATION) and i not in said
    }  # the kinds a file's `tts:` reads aloud
    lines = ["---", f"deck: {json.dumps(deck, ensure_ascii=False)}"]
    if common:
        lines.append(f"tags: [{', '.join(sorted(common))}]")
    lines.append(f"variants: [{', '.join(v for v in _VARIANTS if v in variants)}]")
    language = spoken.pop() if len(spoken) == 1 else ""
    if language:
        lines.append(f"tts: {json.dumps(language)}")
    lines += ["---", ""]
    path: list[tuple[str, frozenset[str]]] = []  # the open headings, each with the tags it gives
    for index, note in enumerate(notes):
        if index in said:
            continue
        repairs = list(note.card.repairs)
        want = frozenset(note.tags) - common
        wanted = note.sections[:6]  # Markdown has six levels of heading
        keep = 0
        while (
            keep < min(len(path), len(wanted))
            and path[keep][0] == wanted[keep]
            and path[keep][1] <= want
        ):
            keep += 1
        if keep == len(wanted) and (len(path) > keep or (path and path[-1][1] != want)):
            keep -= 1  # the same heading again, for tags of its own (or to close deeper ones)
        if keep >= 0:
            del path[keep:]
            given = path[-1][1] if path else frozenset()
            for heading in wanted[keep:]:
                lines += [""] * bool(lines[-1])
                lines += [f"{'#' * (len(path) + 1)} {escape_text(heading) or 'Notes'}", ""]
                mine = want if len(path) + 1 == len(wanted) else given
                if mine - given:
                    lines += [f"Tags: {', '.join(sorted(mine - given))}", ""]
                path.append((heading, mine))
                given = mine
        if tuple(h for h, _ in path) != note.sections:
            shown = " > ".join(note.sections) or "no heading"
            repairs.append(f"in the package it came under {shown}: move it there")
        elif (path[-1][1] if path else frozenset()) != want:
            repairs.append(
                f"in the package its tags were {' '.join(sorted(note.tags)) or 'none'}: give it "
                "a section of its own with a Tags: line"
            )
        differ = sorted((variants & _CARDS[note.kind]) ^ note.variants)
        if differ:
            repairs.append(
                f"in the package its {', '.join(differ)} cards were "
                + ("on" if set(differ) <= note.variants else "not all as this file makes them")
                + ": move it to a file whose variants make them"
            )
        card = replace(note.card, repairs=tuple(dict.fromkeys(repairs)))
        if index in tables:
            rows, aspects = tables[index]
            rows[0] = replace(rows[0], card=card)
            lines += [""] * bool(lines[-1]) + _table(rows, aspects) + [""]
            continue
        if note.tail.startswith("\n\n") and lines[-1]:
            lines.append("")  # a cloze with extra text is a loose item: apart from the others
        lines.append(item_markdown(card, after=note.tail))
    return "\n".join(lines) + "\n"
