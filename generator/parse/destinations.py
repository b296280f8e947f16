"""Link and image destinations Markdown cannot read: `![](media/cell figure.png)` is text to
CommonMark (a destination ends at its first space), and would reach a card as those very
characters. Found in an item's raw text, so they are located errors instead.

CommonMark's own ways to write such a name: `![](<media/cell figure.png>)` or
`![](media/cell%20figure.png)`; a name with letters beyond ASCII needs neither.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

_CODE = re.compile(r"(`+)(?:(?!\1).)+?\1", re.DOTALL)
"""A code span: its text is code, never a link."""
_BROKEN = re.compile(
    r"(?<!\\)(!?)\[[^\]\n]*\]\(\s*"
    r"(?:<[^>\n]*(?:\n|$)"  # an angle-bracket destination not closed on its line
    r"|(?!<)[^\s()]+[ \t]+(?![\"'(])[^)\n]*\))"  # a destination, a space, then not a title
)


def unreadable(text: str) -> Iterator[tuple[int, str, str]]:
    """(offset in `text`, 'image' or 'link', what was written) of each link or image whose
    destination Markdown cannot read, outside code spans."""
    blanked = _CODE.sub(lambda m: " " * len(m.group(0)), text)
    for match in _BROKEN.finditer(blanked):
        written = text[match.start() : match.end()].rstrip("\n")
        yield match.start(), "image" if match.group(1) else "link", written
