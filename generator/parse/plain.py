"""The plain-file shortcut of the parse stage: files in the format's plainest subset, read by line.

Large decks are mostly `- **Term**: definition` lines under headings. For those, markdown-it's
general tokenizer is most of a build's time. A file whose every line is in the subset below
is read here, line by line, into the same headings and items the token walk in parse.py
would find; any other line (a paragraph, a `Tags:` line, a pin, a numbered list, emphasis,
code, links, HTML, an entity, a tab, trailing spaces, ...) returns None and the whole file
goes through markdown-it instead. tests/test_plainparse.py checks, on generated files, that
both ways give the same entries and diagnostics.

The subset, after the `---` metadata block:

    (empty line)
    ## Heading text
    - **Front**: back text          (also `**Front:** back`, `**Front** back`)
    - **Front**                     (an enumeration when plain `  - item` lines follow)
      - item
    - A cloze {{c1::sentence}}.

where every text is made of letters, digits, spaces and inert punctuation only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markdown_it.common.utils import escapeHtml

# Characters with no meaning to Markdown inside a line (no *, _, `, [, ], <, >, &, \, ~, |, #,
# no $ (math), no tab, no Unicode space): letters and digits of any script, space, inert punctuation.
# One character class (fast), so \w's underscore is refused separately (see `is_inert`).
_INERT_OR_UNDERSCORE = re.compile(r"[\w .,;:?!'\"()/{}+=%@^\u2013\u2014-]*").fullmatch
_INERT_ASCII = bytes(c for c in range(128) if chr(c) != "_" and _INERT_OR_UNDERSCORE(chr(c)))
"""The inert ASCII characters: an ASCII text is inert when deleting them leaves nothing."""
# What a line's text may start with, and what it may not (an ordered-list marker).
_PLAIN_START = re.compile(r"[^\W_]|[{(\"']").match
_NUMBERED = re.compile(r"\d+[.)]").match
_HEADING = re.compile(r"(#{1,6}) (.*)").fullmatch
# Shared with parse.py: the separator between a bold front and its back.
SEPARATOR = re.compile(r"^\s*(?:[:\u2013\u2014]|-{1,2}(?=\s))?\s*")
ITEM_COLUMN = 3
"""Column where an item's text starts (after `- `)."""


@dataclass(frozen=True, slots=True)
class Heading:
    """An ATX heading line."""

    line: int
    """0-based line index."""
    level: int
    """1 to 6, the number of '#'."""
    title: str
    """The heading's text (plain: nothing to render)."""


@dataclass(frozen=True, slots=True)
class Item:
    """A top-level list item, with its nested plain items."""

    line: int
    """0-based line index of the `- ` line."""
    text: str
    """The item's text as written (for cloze detection)."""
    front: str | None
    """HTML of the bold front (a trailing colon dropped), or None when there is none."""
    back: str
    """HTML of what follows the front and its separator."""
    items: tuple[str, ...]
    """HTML of the nested `  - item` lines."""


@dataclass(frozen=True, slots=True)
class PlainFile:
    """What a plain file holds, in order."""

    front_matter: str
    """The metadata block's text, without its `---` lines."""
    blocks: tuple[Heading | Item, ...]
    """Its headings and items, in file order."""


def read_plain(text: str) -> PlainFile | None:
    """The file's headings and items if every line is in the plain subset, else None."""
    lines = text.split("\n")
    close = front_matter_end(lines)
    if close is None:
        return None
    blocks: list[Heading | Item] = []
    i = close + 1
    while i < len(lines):
        line = lines[i]
        if not line:
            i += 1
        elif line[0] == "#":
            heading = _heading(line)
            if heading is None:
                return None
            blocks.append(Heading(i, *heading))
            i += 1
        elif line.startswith("- "):
            start = i
            i += 1
            nested: list[str] = []
            while i < len(lines) and lines[i].startswith("  - "):
                if not _plain_text(lines[i][4:]):
                    return None
                nested.append(escapeHtml(lines[i][4:]))
                i += 1
            item = _item(start, line[2:], tuple(nested))
            if item is None:
                return None
            blocks.append(item)
        else:
            return None
    return PlainFile("\n".join(lines[1:close]), tuple(blocks))


def front_matter_end(lines: list[str]) -> int | None:
    """The index of the line closing the `---` metadata block, when it is the plain kind."""
    if lines[0] != "---":
        return None
    close = next((i for i in range(1, len(lines)) if lines[i].startswith("---")), None)
    return None if close is None or lines[close] != "---" else close


def _heading(line: str) -> tuple[int, str] | None:
    match = _HEADING(line)
    if not match or not _plain_text(match.group(2)):
        return None
    return len(match.group(1)), match.group(2)


def _item(line: int, text: str, nested: tuple[str, ...]) -> Item | None:
    if not text.startswith("**"):
        # A cloze sentence (or a line that is not a card); nested lines are left to markdown-it.
        if nested or not _plain_text(text):
            return None
        return Item(line, text, None, "", ())
    end = text.find("**", 2)
    front, rest = text[2:end], text[end + 2 :]
    if (
        end < 0
        or not _plain_text(front)
        or not is_inert(rest)
        or (rest and rest[0] not in " :")
        or rest.endswith(" ")
    ):
        return None
    if front.endswith(":"):
        front = front[:-1]
    back = SEPARATOR.sub("", rest, count=1)
    if back and nested:
        return None
    return Item(line, text, escapeHtml(front), escapeHtml(back), nested)


def _plain_text(text: str) -> bool:
    """Text that starts and ends with a visible character and has nothing Markdown would read."""
    return (
        bool(text)
        and is_inert(text)
        and _PLAIN_START(text) is not None
        and _NUMBERED(text) is None
        and not text.endswith(" ")
    )


def is_inert(text: str) -> bool:
    """Only letters, digits, spaces and inert punctuation."""
    if text.isascii():  # bytes.translate deletes in C: three times the regex's speed
        return not text.encode().translate(None, _INERT_ASCII)
    return "_" not in text and _INERT_OR_UNDERSCORE(text) is not None
