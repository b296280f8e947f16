"""What the text readers share: lines, CSV rows, and a term line made a card.

The readers: `table` (CSV and TSV), `anki_text` (Anki's "Notes in Plain Text" export), `page`
(a flashcard page's export) and `outline` (lecture notes as people type them).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from ..diagnostics import UsageError
from ..identity.fold import fold
from ..records import Kind
from .cards import ImportedCard
from .markup import plain_markdown, tag_name


def lines_of(text: str) -> list[str]:
    """The lines of a text file: split at line feeds (and CR LF, CR) only. U+2028 and the
    other separators `str.splitlines` knows are text inside a line."""
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def rows(path: Path, reader: Iterable[list[str]], at: int = 0) -> list[tuple[int, list[str]]]:
    """The rows of a CSV reader, each with the line it starts on (`at` lines above the text
    it reads); a cell over csv's limit (128 KiB) or a NUL byte is a located error."""
    found = []
    line = at + 1
    try:
        for cells in reader:
            found.append((line, [cell.strip() for cell in cells]))
            line = at + 1 + reader.line_num  # type: ignore[attr-defined]
    except csv.Error as exc:
        raise UsageError(f"{path}:{line}: error: not a card table: {exc}") from None
    return found


def pair(
    path: Path, line: int, deck: str, term: str, definition: str, joined: int = 1
) -> ImportedCard:
    """A term and its definition from a line of text."""
    repairs = []
    if joined > 1:
        repairs.append(f"the answer was split over {joined} lines of the export and was joined")
    front, back = plain_markdown(term)[0], plain_markdown(definition)[0]
    if not front:
        repairs.append("no term: write one, as **term**: definition")
    elif not back:
        repairs.append("no definition: write one after the term, as **term**: definition")
    card = ImportedCard(
        deck,
        Kind.TERM,
        front,
        back,
        repairs=tuple(repairs),
        origin=f"{path}:{line}",
        key=fold(" ".join(term.split())),
    )
    return check_order(card, reverse=False, typed=False)


def check_order(
    card: ImportedCard, *, reverse: bool, typed: bool, more: list[str] | None = None
) -> ImportedCard:
    """A definition that asks a question, under a term that does not: back to front."""
    repairs = card.repairs + tuple(more or ())
    if card.back.rstrip().endswith("?") and not card.front.rstrip().endswith("?"):
        repairs += ("this looks back to front: the question stands where the answer should",)
    kind = Kind.QUESTION if card.front.rstrip().endswith("?") else Kind.TERM
    return replace(card, kind=kind, reverse=reverse, typed=typed, repairs=repairs)


def tags_of(raw: list[str]) -> tuple[str, ...]:
    return tuple(sorted({name for tag in raw if (name := tag_name(tag))}))
