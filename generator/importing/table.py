"""CSV and TSV tables (a spreadsheet's "CSV UTF-8", a vocabulary list): a term and its
definition per row.

A first row that names its columns (`Term,Definition,Notes`) is a header, said in the report
and forced either way with `--header` / `--no-header`. A `Tags` or `Deck` column is used as
such; any other column beyond the first two is kept beside each note as a comment named by
its header, so nothing is lost.
"""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from pathlib import Path

from .cards import Found
from .markup import deck_name
from .text import lines_of, pair, rows, tags_of

HEADER_WORDS = frozenset(
    [
        "front",
        "back",
        "term",
        "terms",
        "definition",
        "definitions",
        "question",
        "questions",
        "answer",
        "answers",
        "word",
        "words",
        "meaning",
        "meanings",
        "translation",
        "notes",
        "note",
        "example",
        "examples",
        "tags",
        "tag",
        "deck",
        "hint",
        "extra",
        "source",
        "context",
        "description",
        "explanation",
        "concept",
        "prompt",
        "response",
        "side",
        "vocabulary",
        "english",
        "spanish",
        "french",
        "german",
        "italian",
        "portuguese",
        "latin",
        "chinese",
        "japanese",
    ]
)
"""Words a header row's cells are made of (`Term`, `Side 1`, `English`)."""


def term_rows(path: Path, text: str, deck: str, header: bool | None) -> Found:
    """A term and a definition per row, comma, tab or semicolon separated."""
    found = Found(path)
    body = "\n".join(lines_of(text))
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(body[:4096], ",\t;")
    except csv.Error:
        dialect = csv.excel_tab if "\t" in body else csv.excel
    reader = csv.reader(io.StringIO(body), dialect)
    found_rows = rows(path, reader)
    if not found_rows:
        return found
    first = found_rows[0][1]
    names = [" ".join(cell.split()) for cell in first]
    is_header = header if header is not None else _looks_like_header(names)
    if is_header:
        found_rows = found_rows[1:]
        how = "" if header else " (--no-header to read it as a card)"
        found.said.append(f"{path.name}: row 1 is a header ({', '.join(names)}){how}")
    else:
        names = ["Term", "Definition"] + [f"column {i}" for i in range(3, len(first) + 1)]
        if header is None and len(first) > 1:
            found.said.append(f"{path.name}: row 1 is a card (--header if it names the columns)")
    roles = {name.casefold(): i for i, name in enumerate(names) if i >= 2}
    tags_at, deck_at = roles.pop("tags", None), roles.pop("deck", None)
    extra: dict[str, int] = {}
    for number, cells in found_rows:
        if not any(cell.strip() for cell in cells):
            continue
        cells = cells + [""] * (len(names) - len(cells))
        more = [
            f"column '{names[i] if i < len(names) else f'column {i + 1}'}' (not on the card): "
            + " ".join(cells[i].split())
            for i in range(2, len(cells))
            if i not in (tags_at, deck_at) and cells[i].strip()
        ]
        for i in range(2, len(cells)):
            if i not in (tags_at, deck_at) and cells[i].strip():
                extra[names[i] if i < len(names) else f"column {i + 1}"] = i
        row_deck = deck_name(cells[deck_at]) if deck_at is not None else ""
        tags = cells[tags_at].split() if tags_at is not None else []
        card = pair(path, number, row_deck or deck, cells[0], cells[1] if len(cells) > 1 else "")
        found.cards.append(replace(card, repairs=card.repairs + tuple(more), tags=tags_of(tags)))
    for name in extra:
        found.said.append(
            f"{path.name}: column '{name}' is not on the cards: kept beside each note as a comment"
        )
    return found


def _looks_like_header(cells: list[str]) -> bool:
    """Every cell a short name, and one of them a word headers are made of."""
    words = [w.strip("()#:").casefold() for cell in cells for w in cell.split()]
    short = all(0 < len(cell) <= 30 and not cell.endswith((".", "?", "!")) for cell in cells)
    return len(cells) > 1 and short and any(w in HEADER_WORDS for w in words)
