"""The line-block shortcut of the parse stage: block structure read by line, inline by markdown-it.

Notes as people write them have *emphasis*, **bold**, `code` and links in their texts, so few
files are in plain.py's subset. Their block structure is still simple: headings, prose and
`Tags:` paragraphs, `- **Term**: definition` items whose text may go on over indented lines,
and enumerations (`  - item`, `  1. item`) under a term. markdown-it's block parser tries
every block rule on every line, which is half its time. For a file whose every line is in the
subset below, this module finds the blocks by line and hands each block's text to
markdown-it's own inline parser (the same one, with the same plugins), or, for plain words
and simple spans, to simple_inline.py, producing the tokens walk.py reads, as markdown-it's
block parser would have. The commonest item, a bold front then a definition or an
enumeration, all of it plain words and simple spans, is read whole: a `Card` holds its
front, definition and items as walk.py would render them, and no token is made for it.
Any other line (a blank line inside an item, a lazy continuation, a quote, a fence, an HTML
block, a line starting with a character that could start a block, ...), a tab or a `|`
anywhere (a table) returns None and the whole file goes through markdown-it.
tests/test_line_blocks.py checks on generated files that both ways give the same entries
and diagnostics.

The subset, after the `---` metadata block (each TEXT starts with a letter, a digit not
followed by `.` or `)`, emphasis followed by a letter or digit, at most two backticks, or one
of `( { " ' ! &`, and a paragraph's next line may also start with `[`; any inline markup
may follow):

    (empty line)
    ## TEXT                           (not ending in `#`)
    TEXT                              (a paragraph: prose or a `Tags:` line; more TEXT lines
    TEXT                               go on with it)
    - TEXT                            (a top-level item; indented TEXT lines go on with it)
      TEXT
      - TEXT                          (an enumeration right under its text: every item `- `,
        TEXT                           or every item `N. ` with the first `1. `)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from markdown_it.common.utils import escapeHtml, mdTrim
from markdown_it.token import Token

from ..records import quick_init
from .markdown import MD
from .plain import SEPARATOR, front_matter_end
from .simple_inline import html, text_spans, tokens

_START = re.compile(r"(?:[^\W_]|[*_]{1,3}[^\W_]|`{1,2}[^`]|[({\"'!&])").match
"""A text's start that no block rule reads (a numbered-list marker is refused separately)."""
_GOES_ON = re.compile(r"(?:[^\W_]|[*_]{1,3}[^\W_]|`{1,2}[^`]|[({\"'!&\[])").match
"""A paragraph's next line that no block rule reads there: also `[` (a link reference
definition cannot interrupt a paragraph)."""
_NUMBERED = re.compile(r"\d+[.)]").match
_HEADING = re.compile(r"(#{1,6}) (.*)").fullmatch
_NESTED = re.compile(r"  (-|\d{1,9}\.) ").match


@quick_init
@dataclass(frozen=True, slots=True)
class Card:
    """A top-level item read whole: a bold front and its definition or enumeration, as plain
    words and simple spans, in the place of the tokens walk.py would read it from."""

    line: int
    """The item's first line, 0-based."""
    front: str
    """The front's HTML, as walk.py renders it."""
    back: str
    """The definition's HTML, likewise; empty for an enumeration."""
    items: tuple[str, ...] = ()
    """Each enumerated item's HTML."""
    ordered: bool = False
    """True when the enumeration is numbered."""


@dataclass(frozen=True, slots=True)
class LineFile:
    """What a file in the subset holds."""

    front_matter: str
    """The metadata block's text, without its `---` lines."""
    tokens: list[Token | Card]
    """Its block tokens, as markdown-it's block parser gives them (inline children parsed),
    but a `Card` for each item read whole."""


def read_blocks(text: str) -> LineFile | None:
    """The file's block tokens if every line is in the subset, else None."""
    if "\t" in text or "|" in text:
        return None
    lines = text.split("\n")
    close = front_matter_end(lines)
    if close is None:
        return None
    reader = _Reader(lines)
    i = close + 1
    while i < len(lines):
        line = lines[i]
        if not line:
            i += 1
        elif line[0] == "#":
            if not reader.heading(i):
                return None
            i += 1
        elif line.startswith("- "):
            i = reader.item(i)
        elif _starts_text(line):
            i = reader.paragraph(i)
        else:
            return None
        if i < 0:
            return None
    return LineFile("\n".join(lines[1:close]), reader.tokens)


def _starts_text(text: str) -> bool:
    return _START(text) is not None and _NUMBERED(text) is None


def _goes_on(text: str) -> bool:
    return _GOES_ON(text) is not None and _NUMBERED(text) is None


_Listed = tuple[int, str, list[str], int]
"""An item of an enumeration: its line, its number ("" for `-`), its text's lines, the line
after them."""


class _Reader:
    """Appends each block's tokens; a method returns the next line's index, or -1 when the
    lines are outside the subset."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.tokens: list[Token | Card] = []

    def heading(self, i: int) -> bool:
        match = _HEADING(self.lines[i])
        if not match or not _starts_text(match.group(2)) or match.group(2)[-1] in " #":
            return False
        tag = f"h{len(match.group(1))}"
        self.tokens += [
            _block("heading_open", tag, 1, [i, i + 1]),
            _inline(match.group(2), [i, i + 1]),
            _block("heading_close", tag, -1, None),
        ]
        return True

    def paragraph(self, i: int, indent: int = 0, hidden: bool = False) -> int:
        """A paragraph from line `i`, whose text starts at column `indent` on every line."""
        texts, j = self.texts(i, indent)
        if j >= 0:
            self.paragraph_tokens(texts, i, j, hidden)
        return j

    def paragraph_tokens(self, texts: list[str], i: int, j: int, hidden: bool) -> None:
        content = mdTrim("\n".join(texts))
        self.tokens += [
            _block("paragraph_open", "p", 1, [i, j], hidden),
            _inline(content, [i, j]),
            _block("paragraph_close", "p", -1, None, hidden),
        ]

    def texts(self, i: int, indent: int) -> tuple[list[str], int]:
        """The lines of a paragraph from line `i` (from column `indent`) and the next line's
        index, or -1 when a line is outside the subset."""
        lines = self.lines
        texts = [lines[i][indent:]]
        j = i + 1
        pad = " " * indent
        while j < len(lines) and lines[j]:
            line = lines[j]
            if indent == 0 and (line[0] == "#" or line.startswith("- ")):
                break  # a heading or a list interrupts the paragraph
            if indent and (not line.startswith(pad) or _NESTED(line)):
                break  # the item's end, or its enumeration: the caller decides
            if not _goes_on(line[indent:]):
                return texts, -1
            texts.append(line[indent:])
            j += 1
        return texts, j

    def item(self, i: int) -> int:
        """A top-level `- ` item from line `i`, with its enumeration if one follows."""
        lines = self.lines
        if not _starts_text(lines[i][2:]):
            return -1
        card = self.card(i)
        if card is not None:
            return card
        self.tokens += [
            _block("bullet_list_open", "ul", 1, [i, i + 1], markup="-"),
            _block("list_item_open", "li", 1, [i, i + 1], markup="-"),
        ]
        j = self.paragraph(i, 2, hidden=True)
        if j < 0:
            return -1
        if j < len(lines) and (first := _NESTED(lines[j])):
            j = self.enumeration(j, first.group(1))
        if j < 0 or (j < len(lines) and lines[j] and lines[j][0] == " "):
            return -1  # more of the item (a lazy or indented line) than the subset holds
        if j < len(lines) and lines[j] and not lines[j].startswith(("- ", "#")):
            return -1  # a lazy continuation line
        self.tokens += [
            _block("list_item_close", "li", -1, None, markup="-"),
            _block("bullet_list_close", "ul", -1, None, markup="-"),
        ]
        return j

    def card(self, i: int) -> int | None:
        """A top-level item from line `i` of plain words and simple spans, starting with its
        bold front, then a definition or an enumeration, read whole as a `Card`: the next
        line's index. None for any other item (`item` makes its tokens)."""
        texts, j = self.texts(i, 2)
        pieces = text_spans(mdTrim("\n".join(texts))) if j >= 0 else None
        if not pieces or pieces[0][0] != "strong":
            return None
        lines = self.lines
        items: list[str] = []
        ordered = False
        if j < len(lines) and (first := _NESTED(lines[j])):
            listed, j = self.listed(j, first.group(1))
            for _, _, item, _ in listed:
                item_pieces = text_spans(mdTrim("\n".join(item)))
                if item_pieces is None:
                    return None
                items.append(html(item_pieces).strip())
            ordered = first.group(1) != "-"
        if j < 0 or (j < len(lines) and lines[j] and not lines[j].startswith(("- ", "#"))):
            return None  # a lazy line, an indented one: item() decides
        words = pieces[0][1]  # "**Term:** definition" reads as "**Term**: definition"
        front = escapeHtml(words[:-1] if words.endswith(":") else words)
        rest = pieces[1:]
        while rest and rest[0][0] == "break":
            rest.pop(0)
        if rest and rest[0][0] == "text":
            rest[0] = ("text", SEPARATOR.sub("", rest[0][1], count=1), "")
        while rest and (rest[0][0] == "break" or rest[0] == ("text", "", "")):
            rest.pop(0)
        back = html(rest).strip()
        if back and items:
            return None  # a definition and a list: walk.py renders the list into it
        self.tokens.append(Card(i, front, back, tuple(items), ordered))
        return j

    def enumeration(self, i: int, first: str) -> int:
        """The nested list from line `i`: every item with `first`'s kind of marker."""
        ordered = first != "-"
        kind, tag, markup = ("ordered_list", "ol", ".") if ordered else ("bullet_list", "ul", "-")
        listed, end = self.listed(i, first)
        if end < 0:
            return -1
        self.tokens.append(_block(f"{kind}_open", tag, 1, [i, i + 1], markup=markup))
        for j, number, texts, k in listed:
            opener = _block("list_item_open", "li", 1, [j, j + 1], markup=markup)
            if ordered:
                opener.info = number
            self.tokens.append(opener)
            self.paragraph_tokens(texts, j, k, hidden=True)
            self.tokens.append(_block("list_item_close", "li", -1, None, markup=markup))
        self.tokens.append(_block(f"{kind}_close", tag, -1, None, markup=markup))
        return end

    def listed(self, i: int, first: str) -> tuple[list[_Listed], int]:
        """Each item of the nested list from line `i` (every item with `first`'s kind of
        marker), and the next line's index, or -1 when a line is outside the subset."""
        ordered = first != "-"
        if ordered and first != "1.":
            return [], -1  # only a list starting at 1 interrupts a paragraph
        listed: list[_Listed] = []
        j = i
        while j < len(self.lines) and (marker := _NESTED(self.lines[j])):
            if (marker.group(1) != "-") != ordered:
                return listed, -1  # another kind of list
            column = marker.end()
            if not _starts_text(self.lines[j][column:]):
                return listed, -1
            texts, end = self.texts(j, column)
            if end < 0:
                return listed, -1
            listed.append((j, marker.group(1)[:-1] if ordered else "", texts, end))
            j = end
        return listed, j


def _block(
    kind: str,
    tag: str,
    nesting: Literal[-1, 0, 1],
    lines: list[int] | None,
    hidden: bool = False,
    markup: str = "",
) -> Token:
    return Token(kind, tag, nesting, map=lines, block=True, hidden=hidden, markup=markup)


def _inline(content: str, lines: list[int]) -> Token:
    token = Token("inline", "", 0, map=lines, content=content, block=True)
    token.children = _children(content)
    return token


def _children(content: str) -> list[Token]:
    """markdown-it's inline tokens for `content`: built directly when every line is plain
    words and simple spans (simple_inline.py), else parsed by markdown-it."""
    pieces = text_spans(content)
    if pieces is None:
        return MD.parseInline(content)[0].children or []
    return tokens(pieces)
