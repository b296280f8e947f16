"""Link and image destinations Markdown cannot read: `![](media/cell figure.png)` is text to
CommonMark (a destination ends at its first space), and would reach a card as those very
characters. Found in an item's raw text, so they are located errors instead.

CommonMark's own ways to write such a name: `![](<media/cell figure.png>)` or
`![](media/cell%20figure.png)`; a name with letters beyond ASCII needs neither.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from markdown_it.token import Token

from ..diagnostics import Diagnostic, error
from ..records import Location

_CODE = re.compile(r"(`+)(?:(?!\1).)+?\1", re.DOTALL)
"""A code span: its text is code, never a link."""
_COMMENT = re.compile(r"(?<!\\)(?:<!---?>|<!--(?:[^-]|-[^-]|--[^>])*-->)")
"""An HTML comment, as CommonMark reads one (not after a backslash: `\\<!--` is text)."""
# Each part of _BROKEN stops at the next `[` or `<`, or reads without going back (an atomic
# group, `(?>...)`), so that a line of `[a `, `[a](x y` or `[a](<x` repeated is read once,
# not once from every `[` (minutes for a few hundred KiB).
_BROKEN = re.compile(
    r"(?<!\\)(!?)\[(?>(?:[^\[\]\\\n]|\\.)*)\]\(\s*"  # a label (an escaped `\]` does not end it)
    r"(?:<(?>[^<>\n]*)(?:<|\n|$)"  # an angle-bracket destination not closed on its line
    r"|(?!<)(?>[^\s()]+)(?>[ \t]+)(?![\"'(])[^)\n\[]*\))"  # a destination, spaces, then not a title
)


def unreadable(text: str) -> Iterator[tuple[int, str, str]]:
    """(offset in `text`, 'image' or 'link', what was written) of each link or image whose
    destination Markdown cannot read, outside code spans and HTML comments (a comment is
    blanked with letters, not spaces: inside a destination it adds no space)."""
    blanked = _CODE.sub(lambda m: " " * len(m.group(0)), text)
    blanked = _COMMENT.sub(lambda m: "x" * len(m.group(0)), blanked)
    for match in _BROKEN.finditer(blanked):
        written = text[match.start() : match.end()].rstrip("\n")
        yield match.start(), "image" if match.group(1) else "link", written


def unreadable_links(body: Sequence[Token], lines: list[str], path: str) -> list[Diagnostic]:
    """An error at each image or link of an item (`body`, its block tokens) that Markdown
    cannot read, at its line and column in the file's `lines`."""
    found = []
    for token in body:
        if token.type != "inline" or not token.map:
            continue
        for offset, kind, written in unreadable(token.content):
            line = token.map[0] + token.content.count("\n", 0, offset)
            col = lines[line].find(written.split("\n")[0]) if line < len(lines) else -1
            found.append(
                error(
                    Location(path, line + 1, col + 1 if col >= 0 else 1),
                    "unreadable-link",
                    f"Markdown cannot read the {kind} {written[:80]!r} (a name with a space "
                    "ends at the space): write <name with spaces> in angle brackets, or "
                    "%20 for each space",
                )
            )
    return found
