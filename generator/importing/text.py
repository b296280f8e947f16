"""Text exports: flashcard-page exports, CSV and TSV term lists, and Anki's own text export.

Each reader returns the cards it found and the problems it could not read past. The formats:

- Flashcard page (a study site's print view): a line `1/162`, a line describing the set,
  the page's table header, then a term line and a definition line per card. A line ending
  in a comma continues on the next: an answer split over lines (joined, and flagged).
- CSV or TSV: a term and its definition per row (further columns are ignored).
- Anki's text export (File > Export > Notes in Plain Text): `#separator:`, `#html:`,
  `#guid column:`, `#notetype column:`, `#deck column:`, `#tags column:` headers, then a
  row per note whose fields are HTML when `#html:true`.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import replace
from pathlib import Path

from ..records import Kind
from .cards import ImportedCard
from .markup import markdown_of, plain_markdown

PAGE_COUNTER = re.compile(r"^\d+/\d+$")
PAGE_HEADER = re.compile(r"^(Name \|.*|---\|.*|No study sessions yet\.)$")
SEPARATORS = {"tab": "\t", "comma": ",", "semicolon": ";", "pipe": "|", "space": " "}


def read_text(path: Path, text: str, deck: str) -> list[ImportedCard]:
    """The cards of a text export, whichever of the formats it is."""
    lines = text.splitlines()
    if lines and PAGE_COUNTER.match(lines[0].strip()):
        return flashcard_page(path, lines, deck)
    if any(line.startswith("#separator:") or line.startswith("#html:") for line in lines[:10]):
        return anki_text(path, lines, deck)
    return term_rows(path, text, deck)


def flashcard_page(path: Path, lines: list[str], deck: str) -> list[ImportedCard]:
    """Term and definition lines, after a counter, a description and the table header."""
    body: list[tuple[int, str, int]] = []  # (first line number, text, lines joined)
    for number, raw in enumerate(lines, 1):
        content = raw.strip()
        if number <= 2 or not content or PAGE_HEADER.match(content):
            continue
        if body and body[-1][1].endswith(","):  # the answer goes on: one line of the export
            first, text, joined = body.pop()
            body.append((first, f"{text} {content}", joined + 1))
        else:
            body.append((number, content, 1))
    cards = []
    for i in range(0, len(body), 2):
        at, term, term_lines = body[i]
        _, definition, lines_ = body[i + 1] if i + 1 < len(body) else (0, "", 1)
        cards.append(_pair(path, at, deck, term, definition, max(term_lines, lines_)))
    return cards


def term_rows(path: Path, text: str, deck: str) -> list[ImportedCard]:
    """A term and a definition per row, comma, tab or semicolon separated."""
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(text[:4096], ",\t;")
    except csv.Error:
        dialect = csv.excel_tab if "\t" in text else csv.excel
    cards = []
    for number, row in enumerate(csv.reader(io.StringIO(text), dialect), 1):
        cells = [cell.strip() for cell in row]
        if not any(cells):
            continue
        cards.append(_pair(path, number, deck, cells[0], cells[1] if len(cells) > 1 else ""))
    return cards


def anki_text(path: Path, lines: list[str], deck: str) -> list[ImportedCard]:
    """Anki's "Notes in Plain Text" export, with its headers."""
    headers: dict[str, str] = {}
    rows: list[tuple[int, str]] = []
    for number, line in enumerate(lines, 1):
        if line.startswith("#") and ":" in line and not rows:
            key, _, value = line[1:].partition(":")
            headers[key.strip().casefold()] = value.strip()
        elif line.strip():
            rows.append((number, line))
    separator = SEPARATORS.get(headers.get("separator", "tab").casefold(), "\t")
    html = headers.get("html", "false").casefold() == "true"

    def column(name: str) -> int | None:
        value = headers.get(f"{name} column")
        return int(value) - 1 if value and value.isdigit() else None

    special = {
        c
        for c in (column("guid"), column("notetype"), column("deck"), column("tags"))
        if c is not None
    }
    cards = []
    for number, row in rows:
        cells = next(csv.reader([row], delimiter=separator))

        def cell(index: int | None, cells: list[str] = cells) -> str:
            return cells[index] if index is not None and index < len(cells) else ""

        fields = [value for i, value in enumerate(cells) if i not in special]
        note_type = cell(column("notetype")).casefold()
        convert = markdown_of if html else plain_markdown
        base = ImportedCard(
            deck=cell(column("deck")) or deck,
            kind=Kind.TERM,
            front="",
            guid=cell(column("guid")) or None,
            tags=tuple(sorted(cell(column("tags")).split())),
            origin=f"{path}:{number}",
        )
        if "cloze" in note_type:
            text, repairs = convert(fields[0] if fields else "")
            extra, more = convert(fields[1] if len(fields) > 1 else "")
            cards.append(_with(base, Kind.CLOZE, text, extra, repairs + more))
            continue
        front, repairs = convert(fields[0] if fields else "")
        back, more = convert(fields[1] if len(fields) > 1 else "")
        card = _with(base, Kind.TERM, front, back, repairs + more)
        cards.append(_check_order(card, reverse="revers" in note_type, typed="type" in note_type))
    return cards


def _pair(
    path: Path, line: int, deck: str, term: str, definition: str, joined: int = 1
) -> ImportedCard:
    repairs = []
    if joined > 1:
        repairs.append(f"the answer was split over {joined} lines of the export and was joined")
    front, back = plain_markdown(term)[0], plain_markdown(definition)[0]
    if not back:
        repairs.append("the export has no definition for this term")
    card = ImportedCard(
        deck, Kind.TERM, front, back, repairs=tuple(repairs), origin=f"{path}:{line}"
    )
    return _check_order(card, reverse=False, typed=False)


def _with(
    base: ImportedCard, kind: Kind, front: str, back: str, repairs: list[str]
) -> ImportedCard:
    return replace(base, kind=kind, front=front, back=back, repairs=tuple(repairs))


def _check_order(card: ImportedCard, *, reverse: bool, typed: bool) -> ImportedCard:
    """A definition that asks a question, under a term that does not: back to front."""
    repairs = card.repairs
    if card.back.rstrip().endswith("?") and not card.front.rstrip().endswith("?"):
        repairs += ("this looks back to front: the question stands where the answer should",)
    kind = Kind.QUESTION if card.front.rstrip().endswith("?") else Kind.TERM
    return replace(card, kind=kind, reverse=reverse, typed=typed, repairs=repairs)
