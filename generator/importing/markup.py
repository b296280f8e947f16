"""Field text to one line of deckgen Markdown: HTML through markdownify, plain text escaped.

markdownify (BeautifulSoup underneath) turns Anki's field HTML into Markdown: bold, italics,
links, images and code survive, and the clutter editors leave (`<div>`, `&nbsp;`, inline
styles, `<font>`) is dropped; a field that had clutter is flagged so the author checks it.
"""

from __future__ import annotations

import re

from markdownify import markdownify

CLUTTER = re.compile(r"<(?:div|span|font)\b|&nbsp;|\sstyle=", re.IGNORECASE)
SOUND = re.compile(r"\[sound:[^\]]*\]")
_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~])")
_LEADING = re.compile(r"^(\d+)([.)])")  # "1. x" would start a numbered list


def markdown_of(html: str) -> tuple[str, list[str]]:
    """One line of Markdown for a field's HTML, and the repairs it needs."""
    repairs = []
    if CLUTTER.search(html):
        repairs.append(
            "the field had HTML clutter (div, span, font, nbsp or inline styles), dropped"
        )
    if SOUND.search(html):
        repairs.append("audio ([sound:...]) is not supported by deckgen yet and was left out")
        html = SOUND.sub("", html)
    # Underscores for emphasis: a field's italics inside deckgen's **term** stay unambiguous.
    text = markdownify(
        html, escape_asterisks=True, escape_underscores=True, bullets="-", strong_em_symbol="_"
    )
    return _one_line(text), repairs


def plain_markdown(text: str) -> tuple[str, list[str]]:
    """One line of Markdown that shows `text` exactly as written."""
    return _one_line(_LEADING.sub(r"\1\\\2", _SPECIAL.sub(r"\\\1", text))), []


def _one_line(text: str) -> str:
    return " ".join(text.replace("\xa0", " ").split())
