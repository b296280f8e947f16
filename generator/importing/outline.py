"""Lecture notes as people type them (plain text or Markdown) -> blocks a notes file is made of.

The lines are read first (`lines_read`): bullets (`•`, `-`, `–`, `*`, `1.`, a second marker
nested under the first), a line that goes on a bullet wrapped by the editor (it starts in lower
case after a bullet that did not end, and the bullet stopped at a word that cannot end one or
filled the line), `T or F:` lines, Markdown headings, and text. Then the blocks
(`blocks_of`): a line followed by bullets is a list under that heading; two such lists whose
items are `aspect: value` with the same aspects, a comparison; a `T or F:` line and the line
after it, a true-or-false question; `Term: definition`, or a short line followed by text, a
term; the first line, when nothing reads it otherwise, the title. Any other text is prose,
kept and flagged (`outline_notes` writes the file).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_BULLET = re.compile(r"^(\s*)([•\-–—*·▪◦●○‣⁃]|\d{1,3}[.)])\s+(\S.*)$")
_TRUE_FALSE = re.compile(r"^(?:T\s*or\s*F|True\s+or\s+false|T\s*/\s*F)\s*[:?.]\s*(.+)$", re.I)
_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*$")
_DEFINITION = re.compile(r"^\**([^:*]{1,60}?)\**\s*(?::|\s[–—-]\s)\s*(\S.*)$")
"""`Term: definition`, `Term – definition`, `**Term**: definition`."""
_OPEN_ENDED = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "for",
        "to",
        "in",
        "on",
        "at",
        "by",
        "with",
        "from",
        "and",
        "or",
        "but",
        "nor",
        "than",
        "as",
        "that",
        "which",
        "who",
        "whose",
        "these",
        "those",
        "this",
        "its",
        "their",
        "our",
        "your",
        "his",
        "her",
        "between",
        "into",
        "onto",
        "about",
        "such",
    ]
)
"""Words a wrapped line stops at, which end no phrase: the next line goes on it."""
WRAP = 0.55
"""A bullet at least this share of the file's longest line was wrapped by its editor."""


@dataclass(slots=True)
class Line:
    """A line of the notes, read."""

    kind: str
    """`bullet`, `true-false`, `heading` (Markdown), `text` or `blank`."""
    text: str
    """Its text, without marker (continuations joined)."""
    number: int
    """Its 1-based line number (the first, for a joined bullet)."""
    level: int = 0
    """A bullet's nesting, from 0."""
    marker: str = ""
    """A bullet's marker, or a Markdown heading's `#`s."""
    joined: int = 1
    """Lines joined into it."""


@dataclass(slots=True)
class Block:
    """A card, a comparison, a heading or prose, with where it starts."""

    kind: str
    """`list`, `table`, `true-false`, `term`, `title`, `section` or `prose`."""
    text: str
    """The list's, table's or section's heading, the term, the statement, or the prose."""
    number: int
    """The line it starts on."""
    body: str = ""
    """A term's definition, a true-or-false statement's answer."""
    items: list[Line] = field(default_factory=list)
    """A list's bullets, in order."""
    columns: list[str] = field(default_factory=list)
    """A comparison's two things compared."""
    rows: list[tuple[str, list[str]]] = field(default_factory=list)
    """A comparison's aspects: (aspect, a value per thing compared)."""


def lines_read(lines: list[str]) -> list[Line]:
    """Every line classified, wrapped bullets joined."""
    width = max((len(line.rstrip()) for line in lines), default=0)
    bullets_after = [0] * (len(lines) + 1)  # how many bullets follow each line, in a row
    for i in range(len(lines) - 1, 0, -1):
        bullets_after[i - 1] = bullets_after[i] + 1 if _BULLET.match(lines[i]) else 0
    read: list[Line] = []
    markers: list[str] = []  # the markers of the list being read, outermost first
    for number, raw in enumerate(lines, 1):
        line = raw.rstrip()
        text = line.strip()
        if not text:
            read.append(Line("blank", "", number))
            markers = []
            continue
        if bullet := _BULLET.match(line):
            marker = bullet.group(2) if not bullet.group(2)[0].isdigit() else "1."
            if marker not in markers:
                markers.append(marker)
            level = len(bullet.group(1)) // 2 if bullet.group(1) else markers.index(marker)
            read.append(Line("bullet", bullet.group(3).strip(), number, level, marker))
            continue
        last = read[-1] if read else None
        if (
            last is not None
            and last.kind == "bullet"
            and _goes_on(last, text, width, bullets_after[number - 1])
        ):
            last.text, last.joined = f"{last.text} {text}", last.joined + 1
            continue
        markers = []
        if statement := _TRUE_FALSE.match(text):
            read.append(Line("true-false", statement.group(1).strip(), number))
        elif heading := _HEADING.match(text):
            read.append(Line("heading", heading.group(2), number, marker=heading.group(1)))
        else:
            read.append(Line("text", text, number))
    return read


def _goes_on(bullet: Line, text: str, width: int, bullets: int) -> bool:
    """Whether a line goes on the bullet before it, wrapped by the editor: it starts in lower
    case, the bullet did not end, and either stopped at a word that ends no phrase, or filled
    the line and the line heads no list of its own (two bullets or more after it)."""
    if not text[0].islower() or bullet.text.endswith((".", "?", "!", ":", ";", "…")):
        return False
    if bullet.text.rsplit(" ", 1)[-1].casefold() in _OPEN_ENDED:
        return True
    return len(bullet.text) + 2 >= WRAP * width and bullets < 2


def blocks_of(read: list[Line]) -> list[Block]:
    """The blocks of the lines read."""
    blocks: list[Block] = []
    i = 0
    while i < len(read):
        line = read[i]
        after = _skip_blank(read, i + 1)
        following = _bullets(read, after)
        if line.kind in ("text", "heading") and following:
            blocks.append(Block("list", line.text.rstrip(":"), line.number, items=following))
            i = after + len(following)
        elif line.kind == "bullet":  # bullets with no heading line: a list all the same
            items = _bullets(read, i)
            blocks.append(Block("list", "", line.number, items=items))
            i += len(items)
        elif line.kind == "true-false":
            answer = read[i + 1] if i + 1 < len(read) and read[i + 1].kind == "text" else None
            blocks.append(
                Block("true-false", line.text, line.number, answer.text if answer else "")
            )
            i += 2 if answer else 1
        elif line.kind == "heading":
            blocks.append(Block("section", line.text, line.number))
            i += 1
        elif line.kind == "text":
            i = _text(read, i, blocks)
        else:
            i += 1
    blocks = _comparisons(blocks)
    if blocks and blocks[0].kind in ("prose", "section") and blocks[0].number == read[0].number:
        blocks[0].kind = "title"  # the first line, when it is nothing else
    return blocks


def _skip_blank(read: list[Line], start: int) -> int:
    while start < len(read) and read[start].kind == "blank":
        start += 1
    return start


def _bullets(read: list[Line], start: int) -> list[Line]:
    end = start
    while end < len(read) and read[end].kind == "bullet":
        end += 1
    return read[start:end]


def _text(read: list[Line], i: int, blocks: list[Block]) -> int:
    """A text line: a term with its definition (on it, or on the text lines after it), or
    prose. The index of the next line to read."""
    line = read[i]
    if definition := _DEFINITION.match(line.text):
        blocks.append(Block("term", definition.group(1).strip(), line.number, definition.group(2)))
        return i + 1
    rest = []
    end = i + 1
    while (
        end < len(read)
        and read[end].kind == "text"
        and not _bullets(read, _skip_blank(read, end + 1))
        and not _DEFINITION.match(read[end].text)
    ):
        rest.append(read[end].text)
        end += 1
    short = len(line.text.split()) <= 8 and not line.text.endswith((".", "!", ","))
    if rest and short:
        blocks.append(Block("term", line.text, line.number, " ".join(rest)))
        return end
    blocks.append(Block("prose", line.text, line.number))
    return i + 1


def _comparisons(blocks: list[Block]) -> list[Block]:
    """Two lists of `aspect: value` items with the same aspects, side by side, as a comparison
    (under the prose line before them, if any, as its heading)."""
    out: list[Block] = []
    i = 0
    while i < len(blocks):
        pair = blocks[i : i + 2]
        table = _table(pair) if len(pair) == 2 else None
        if table is None:
            out.append(blocks[i])
            i += 1
            continue
        if out and out[-1].kind in ("prose", "term") and not out[-1].body:
            heading = out.pop()
            table.text, table.number = heading.text, heading.number
        out.append(table)
        i += 2
    return out


def _table(pair: list[Block]) -> Block | None:
    if not all(b.kind == "list" and b.text and b.items for b in pair):
        return None
    if pair[0].text.casefold() == pair[1].text.casefold():
        return None  # a table compares two things, named apart (`table-shape`)
    sides = []
    for block in pair:
        values = [_DEFINITION.match(item.text) for item in block.items]
        if not all(values) or any(item.level for item in block.items):
            return None
        sides.append(
            {m.group(1).strip().casefold(): (m.group(1).strip(), m.group(2)) for m in values if m}
        )
    shared = [key for key in sides[0] if key in sides[1]]
    if len(shared) < 2 or len(shared) < 0.6 * max(len(sides[0]), len(sides[1])):
        return None
    keys = list(sides[0]) + [key for key in sides[1] if key not in sides[0]]
    rows = [
        (
            (sides[0].get(key) or sides[1][key])[0],
            [side[key][1] if key in side else "" for side in sides],
        )
        for key in keys
    ]
    text = f"{pair[0].text} and {pair[1].text}"
    return Block("table", text, pair[0].number, columns=[b.text for b in pair], rows=rows)
