"""The line-block shortcut of the parse stage: block structure read by line, inline by markdown-it.

Notes as people write them have *emphasis*, **bold**, `code` and links in their texts, so few
files are in plain.py's subset. Their block structure is still simple: headings, prose and
`Tags:` paragraphs, `- **Term**: definition` items whose text may go on over indented lines,
and enumerations (`  - item`, `  1. item`) under a term. markdown-it's block parser tries
every block rule on every line, which is half its time. For a file whose every line is in the
subset below, this module finds the blocks by line and hands each block's text to
markdown-it's own inline parser (the same one, with the same plugins), or, for plain words
and simple spans, to simple_inline.py, producing the tokens walk.py reads, as markdown-it's
block parser would have. Any other line (a blank line inside an item, a lazy continuation, a
quote, a fence, an HTML block, a line starting with a character that could start a block,
...), a tab or a `|` anywhere (a table) returns None and the whole file goes through
markdown-it. tests/test_line_blocks.py checks on generated files that both ways give
the same entries and diagnostics.

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

from markdown_it.common.utils import mdTrim
from markdown_it.token import Token

from .markdown import MD
from .plain import front_matter_end
from .simple_inline import simple_inline

_START = re.compile(r"(?:[^\W_]|[*_]{1,3}[^\W_]|`{1,2}[^`]|[({\"'!&])").match
"""A text's start that no block rule reads (a numbered-list marker is refused separately)."""
_GOES_ON = re.compile(r"(?:[^\W_]|[*_]{1,3}[^\W_]|`{1,2}[^`]|[({\"'!&\[])").match
"""A paragraph's next line that no block rule reads there: also `[` (a link reference
definition cannot interrupt a paragraph)."""
_NUMBERED = re.compile(r"\d+[.)]").match
_HEADING = re.compile(r"(#{1,6}) (.*)").fullmatch
_NESTED = re.compile(r"  (-|\d{1,9}\.) ").match


@dataclass(frozen=True, slots=True)
class LineFile:
    """What a file in the subset holds."""

    front_matter: str
    """The metadata block's text, without its `---` lines."""
    tokens: list[Token]
    """Its block tokens, as markdown-it's block parser gives them (inline children parsed)."""


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


class _Reader:
    """Appends each block's tokens; a method returns the next line's index, or -1 when the
    lines are outside the subset."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.tokens: list[Token] = []

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
                return -1
            texts.append(line[indent:])
            j += 1
        content = mdTrim("\n".join(texts))
        self.tokens += [
            _block("paragraph_open", "p", 1, [i, j], hidden),
            _inline(content, [i, j]),
            _block("paragraph_close", "p", -1, None, hidden),
        ]
        return j

    def item(self, i: int) -> int:
        """A top-level `- ` item from line `i`, with its enumeration if one follows."""
        lines = self.lines
        if not _starts_text(lines[i][2:]):
            return -1
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

    def enumeration(self, i: int, first: str) -> int:
        """The nested list from line `i`: every item with `first`'s kind of marker."""
        ordered = first != "-"
        if ordered and first != "1.":
            return -1  # only a list starting at 1 interrupts a paragraph
        kind, tag, markup = ("ordered_list", "ol", ".") if ordered else ("bullet_list", "ul", "-")
        self.tokens.append(_block(f"{kind}_open", tag, 1, [i, i + 1], markup=markup))
        j = i
        while j < len(self.lines) and (marker := _NESTED(self.lines[j])):
            if (marker.group(1) != "-") != ordered:
                return -1  # another kind of list
            column = marker.end()
            if not _starts_text(self.lines[j][column:]):
                return -1
            opener = _block("list_item_open", "li", 1, [j, j + 1], markup=markup)
            if ordered:
                opener.info = marker.group(1)[:-1]
            self.tokens.append(opener)
            j = self.paragraph(j, column, hidden=True)
            if j < 0:
                return -1
            self.tokens.append(_block("list_item_close", "li", -1, None, markup=markup))
        self.tokens.append(_block(f"{kind}_close", tag, -1, None, markup=markup))
        return j


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
    tokens: list[Token] = []
    for number, line in enumerate(content.split("\n")):
        found = None if line.endswith(" ") else simple_inline(line)  # " " ends: a hard break
        if found is None:
            return MD.parseInline(content)[0].children or []
        if number:
            tokens.append(Token("softbreak", "br", 0))
        tokens += found
    return tokens
