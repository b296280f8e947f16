"""Anki's "Notes in Plain Text" export (File > Export): `#separator:`, `#html:`,
`#notetype`, `#deck`, `#tags` and `#guid column:` headers, then a row per note, its fields
HTML when `#html:true`.

Its GUIDs are kept only when the course already keeps the note type they belong to (from an
import of the deck's package): without it, students who have the notes would get every one
as "conflicting" and never an update, so they are dropped, said once.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import replace
from pathlib import Path

from ..diagnostics import UsageError
from ..identity.fold import fold
from ..records import Kind
from .cards import Found, ImportedCard
from .course_types import Kept, KeptTypes
from .markup import deck_name, field_markdown, plain_markdown
from .text import check_order, rows, tags_of

SEPARATORS = {"tab": "\t", "comma": ",", "semicolon": ";", "pipe": "|", "space": " ", "colon": ":"}
_COLUMN = re.compile(r"[0-9]{1,4}")


def anki_text(path: Path, lines: list[str], deck: str, kept: KeptTypes) -> Found:
    """Anki's "Notes in Plain Text" export, with its headers."""
    found = Found(path)
    headers: dict[str, tuple[int, str]] = {}
    start = 0
    for number, line in enumerate(lines):
        if not line.startswith("#") or ":" not in line:
            start = number
            break
        key, _, value = line[1:].partition(":")
        headers[key.strip().casefold()] = (number + 1, value.strip())
    else:
        start = len(lines)
    separator = SEPARATORS.get(_header(headers, "separator", "tab").casefold())
    if separator is None:
        separator = _header(headers, "separator", "\t")[:1] or "\t"
    html = _header(headers, "html", "false").casefold() == "true"

    def column(name: str) -> int | None:
        line, value = headers.get(f"{name} column", (0, ""))
        if not value:
            return None
        if not _COLUMN.fullmatch(value) or int(value) < 1:
            raise UsageError(
                f"{path}:{line}: error: '#{name} column:{value}' is not a column number"
            )
        return int(value) - 1

    at = {name: column(name) for name in ("guid", "notetype", "deck", "tags")}
    special = {c for c in at.values() if c is not None}
    body = io.StringIO("\n".join(lines[start:]))
    reader = csv.reader(body, delimiter=separator)
    guids = dropped = 0
    for row_line, cells in rows(path, reader, start):
        if not any(cell.strip() for cell in cells):
            continue

        def cell(index: int | None, cells: list[str] = cells) -> str:
            return cells[index] if index is not None and index < len(cells) else ""

        fields = [value for i, value in enumerate(cells) if i not in special]
        note_type = cell(at["notetype"]) or _header(headers, "notetype", "")
        guid = cell(at["guid"]) or None
        keeps = kept.named(note_type) if guid else None
        if guid and keeps is None:
            guid, dropped = None, dropped + 1
        guids += guid is not None
        base = ImportedCard(
            deck=deck_name(cell(at["deck"]) or _header(headers, "deck", "")) or deck,
            kind=Kind.TERM,
            front="",
            guid=guid,
            tags=tags_of((cell(at["tags"]) + " " + _header(headers, "tags", "")).split()),
            origin=f"{path}:{row_line}",
        )
        found.cards.append(_note(base, fields, note_type, keeps, html=html))
    if dropped:
        found.said.append(
            f"{path.name}: its {dropped} GUIDs were dropped: a text export does not carry its "
            "note types, so students who have these notes would get every one as "
            "'conflicting' and never an update. They get them as new notes; to keep their "
            "history, import the deck's .apkg"
        )
    if guids:
        found.said.append(
            f"{path.name}: {guids} notes keep their GUIDs with the course's kept note types"
        )
    return found


def _note(
    base: ImportedCard, fields: list[str], note_type: str, keeps: Kept | None, *, html: bool
) -> ImportedCard:
    """A row's fields as a card: along the course's kept note type of that name when the row
    keeps its GUID, else as deckgen's own note (its kind from the note type's name)."""
    repairs: list[str] = []

    def convert(text: str, *, braces: bool = False, front: bool = False) -> str:
        converted, more = (
            field_markdown(text, _no_media, braces=cloze, front=front)
            if html
            else plain_markdown(text, braces=cloze)
        )
        repairs.extend(more)
        return converted

    if keeps is not None:
        file, kept = keeps
        roles = kept.kept
        assert roles is not None
        values = (fields + [""] * len(kept.fields))[: len(kept.fields)]
        named = tuple(
            (name, text)
            for i, name in enumerate(kept.field_names)
            if i not in (roles.prompt, roles.answer, roles.reverse)
            and (text := convert(values[i], braces=True))
        )
        card = replace(
            base,
            kind=Kind.CLOZE if kept.cloze else Kind.TERM,
            front=convert(values[roles.prompt], braces=kept.cloze, front=not kept.cloze),
            back="" if roles.answer is None else convert(values[roles.answer]),
            reverse=roles.reverse is not None and bool(values[roles.reverse].strip()),
            note_type=file,
            fields=named,
            key=fold(" ".join(values[roles.prompt].split())),
        )
        return (
            replace(card, repairs=tuple(repairs))
            if kept.cloze
            else check_order(card, reverse=card.reverse, typed=False, more=repairs)
        )
    kind = note_type.casefold()
    cloze = "cloze" in kind
    front, back = (
        convert(fields[0] if fields else "", braces=cloze, front=not cloze),
        convert(fields[1] if len(fields) > 1 else ""),
    )
    for i, value in enumerate(fields[2:], 3):
        if value.strip():
            repairs.append(f"field {i} (not on the card): {' '.join(value.split())}")
    card = replace(
        base,
        kind=Kind.CLOZE if cloze else Kind.TERM,
        front=front,
        back=back,
        key=fold(" ".join(fields[0].split()) if fields else ""),
    )
    if cloze:
        return replace(card, repairs=tuple(repairs))
    return check_order(card, reverse="revers" in kind, typed="type" in kind, more=repairs)


def _no_media(name: str, kind: str) -> str | None:
    return None  # a text export carries no media: the note's repairs say which it showed


def _header(headers: dict[str, tuple[int, str]], key: str, default: str) -> str:
    return headers.get(key, (0, default))[1] or default
