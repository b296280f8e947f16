"""Characters a reader cannot see that change what a card says: zero-width characters make
"Term" and "Te\u200brm" two notes that read alike, and a bidi control (U+202E) shows a card's
text in another order than its source. Found in a file's raw text, so each is a located
error naming the character; identity folds every format character away as well
(`identity.fold`), so none of them can make a duplicate look new.

Not reported: the joiners U+200C and U+200D (scripts and emoji need them) and the marks
U+200E and U+200F (right-to-left text needs them).
"""

from __future__ import annotations

import re
import unicodedata

from ..diagnostics import Diagnostic, error
from ..records import Location

INVISIBLE_CHARACTERS = (
    "\u00ad\u061c\u180e\u200b\u2060\u2061\u2062\u2063\u2064\ufeff"
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
INVISIBLE = re.compile(f"[{INVISIBLE_CHARACTERS}]")
"""Soft hyphen, Arabic letter mark, Mongolian vowel separator, zero-width space, word joiner
and the invisible operators, a byte-order mark inside the text, and the bidi embeddings,
overrides and isolates."""
_BIDI = frozenset("\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def invisible_characters(text: str, path: str) -> list[Diagnostic]:
    """An error on each line of `text` (a file's text) that holds an invisible character,
    at the first, and one for each such character of the file's name `path` (shown on cards
    and in reports)."""
    if text.isascii() and path.isascii():
        return []
    found = [
        error(
            Location(path, 1),
            "invisible-character",
            f"the file's name holds the invisible character U+{ord(char):04X} "
            f"{unicodedata.name(char, 'FORMAT CHARACTER')}: rename the file without it",
        )
        for char in dict.fromkeys(INVISIBLE.findall(path))
    ]
    for number, line in enumerate(text.split("\n"), 1):
        chars = INVISIBLE.findall(line) if not line.isascii() else []
        if not chars:
            continue
        char = chars[0]  # one error a line: a line of thousands stays one message
        does = (
            "shows the text around it in another order than it is written"
            if char in _BIDI
            else "cannot be seen, so two texts that read alike differ"
        )
        more = f" (and {len(chars) - 1} more on this line)" if len(chars) > 1 else ""
        found.append(
            error(
                Location(path, number, line.index(char) + 1),
                "invisible-character",
                f"invisible character U+{ord(char):04X} "
                f"{unicodedata.name(char, 'FORMAT CHARACTER')}{more}: it {does}; delete it",
            )
        )
    return found
