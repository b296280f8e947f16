"""What Anki's MathJax must not be given: commands that make a link or a style.

Anki typesets the math of every field with MathJax, which reads `\\href{javascript:...}`
as a live link and `\\style{background: url(...)}` as a fetch (issue #31). Notes, headings,
deck and file names (`cards.normalize`) and the course's header and footer (`config`) are
checked with `math_commands`.
"""

from __future__ import annotations

import re

MATH = re.compile(r"\\\((?>(?:[^\\]|\\(?![()]))*)\\\)|\\\[(?>(?:[^\\]|\\(?![\[\]]))*)\\\]")
"""Math as Anki's MathJax reads it, `\\(...\\)` and `\\[...\\]` (each search ends at the
next opening of its kind: linear)."""
LINKS_OR_STYLES = re.compile(
    r"\\(href|style|class|cssId|data|unicode|require|mmlToken|bbox|mathtip|texttip|toggle)"
    r"(?![A-Za-z])"
)
"""Commands that make a link; set a style, class, id or data attribute; load a font or an
extension; or write MathML or actions of their own (MathJax's html, unicode, require, bbox
and action extensions, and `\\mmlToken`)."""


def math_commands(*texts: str) -> list[str]:
    """The `LINKS_OR_STYLES` commands (`\\href`, ...) the math of these texts uses, sorted."""
    found = {
        f"\\{name}"
        for text in texts
        if "\\" in text
        for math in MATH.findall(text)
        for name in LINKS_OR_STYLES.findall(math)
    }
    return sorted(found)
