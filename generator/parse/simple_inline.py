"""The inline shortcut: markdown-it's inline tokens for the commonest marked-up texts, built directly.

Most definitions that hold markup hold a little of it, well-formed and between words:
`**bold**`, `*emphasis*`, `` `code` ``, a `[link](https://example.org/page)`. For a text made
only of such spans and plain words (plain.py's inert characters), this module makes the
tokens markdown-it's inline parser would make (as walk.py reads and renders them); anything
else returns None and markdown-it parses the text. tests/test_line_blocks.py checks, on
generated texts, that walk.py's entries are the same either way.

What a span needs here, so that no CommonMark rule could read it another way:
- emphasis: `*` or `**` after the start or a space, around plain words with no space at
  either end inside, then the end, a space or one of `.,;:!?)`;
- code: one backtick each side, no space at either end inside, no line break;
- a link: `[` after the start or a space, plain words, `](`, an `http(s)` address of
  lower-case host and path characters only, `)`.
"""

from __future__ import annotations

import re

from markdown_it.token import Token

from .plain import is_inert

_SPAN = re.compile(
    r"(?<![^ ])(?P<mark>\*\*?)(?P<em>[^\s*](?:[^*\n]*[^\s*])?)(?P=mark)(?=$|[ .,;:!?)])"
    r"|`(?P<code>[^` \n](?:[^`\n]*[^` \n])?)`"
    r"|(?<![^ ])\[(?P<text>[^\W_][^\]\n]*)\]\((?P<href>https?://[a-z0-9.-]+(?:/[a-z0-9._~-]*)*)\)"
)
_WORD_EDGES = re.compile(r"[^\W_](?:.*[^\W_])?", re.DOTALL).fullmatch


def simple_inline(line: str) -> list[Token] | None:
    """The inline tokens of one line of plain words and simple spans; None for anything else."""
    tokens: list[Token] = []
    end = 0
    for match in _SPAN.finditer(line):
        if not _text(tokens, line[end : match.start()]):
            return None
        end = match.end()
        if match["mark"]:
            words = match["em"]
            if not is_inert(words):
                return None
            tag = "strong" if len(match["mark"]) == 2 else "em"
            tokens.append(Token(f"{tag}_open", tag, 1, markup=match["mark"]))
            tokens.append(Token("text", "", 0, content=words))
            tokens.append(Token(f"{tag}_close", tag, -1, markup=match["mark"]))
        elif match["code"] is not None:
            tokens.append(Token("code_inline", "code", 0, content=match["code"], markup="`"))
        else:
            words = match["text"]
            if not is_inert(words) or not _WORD_EDGES(words):
                return None
            tokens.append(Token("link_open", "a", 1, attrs={"href": match["href"]}))
            tokens.append(Token("text", "", 0, content=words))
            tokens.append(Token("link_close", "a", -1))
    if not _text(tokens, line[end:]):
        return None
    return tokens


def _text(tokens: list[Token], text: str) -> bool:
    """Append plain words between spans; False when they are not plain."""
    if not text:
        return True
    if not is_inert(text):
        return False
    tokens.append(Token("text", "", 0, content=text))
    return True
