"""A flashcard page's export (a study site's print view): `1/162`, a line describing the
set (its title: the deck's name), the page's table header, then a term line and a definition
line per card; a line ending in a comma goes on on the next (an answer split over lines).
"""

from __future__ import annotations

import re
from pathlib import Path

from .cards import Found
from .markup import deck_name
from .settings import under_top
from .text import pair

PAGE_COUNTER = re.compile(r"^\d+/\d+$")
PAGE_HEADER = re.compile(r"^(Name \|.*|---\|.*|No study sessions yet\.)$")


def flashcard_page(path: Path, lines: list[str], deck: str | None, top: str = "") -> Found:
    """Term and definition lines, after a counter, a description and the table header."""
    title = _title(lines[1]) if len(lines) > 1 else ""
    if title:
        title = under_top(top, title)
    found = Found(path)
    if deck is None and title:
        found.said.append(
            f"{path.name}: deck '{title}', from the export's description (--deck to choose)"
        )
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
    name = deck or title or top or deck_name(path.stem) or "Imported"
    for i in range(0, len(body), 2):
        at, term, term_lines = body[i]
        _, definition, lines_ = body[i + 1] if i + 1 < len(body) else (0, "", 1)
        found.cards.append(pair(path, at, name, term, definition, max(term_lines, lines_)))
    return found


def _title(description: str) -> str:
    """A deck name from a flashcard set's description: "Vocabulary flashcards related to
    sales optimization levers, including ..." -> "Sales Optimization Levers"."""
    text = re.sub(
        r"^.*?\bflash ?cards?\b\s*(?:related to|about|on|for|of)?\s*",
        "",
        description,
        flags=re.IGNORECASE,
    )
    text = re.split(r",|\bincluding\b|\bbased on\b|[.;:]", text, maxsplit=1)[0].strip()
    if not text or len(text) > 60:
        return ""
    return deck_name(" ".join(w[:1].upper() + w[1:] for w in text.split()))
