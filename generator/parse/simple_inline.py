"""The inline shortcut: markdown-it's inline tokens for the commonest marked-up texts, built directly.

Most definitions that hold markup hold a little of it, well-formed and between words:
`**bold**`, `*emphasis*`, `` `code` ``, a `[link](https://example.org/page)`. For a text made
only of such spans and plain words (plain.py's inert characters), this module finds the
spans (`spans`, `text_spans` over lines), and makes of them the tokens markdown-it's inline
parser would make (`tokens`, as walk.py reads and renders them) or the HTML markdown-it
renders of them (`html`, for an item line_blocks.py reads whole); anything else returns None and
markdown-it parses the text. tests/test_line_blocks.py checks, on generated texts, that the
tokens and HTML are markdown-it's, and walk.py's entries the same either way.

What a span needs here, so that no CommonMark rule could read it another way:
- emphasis: `*` or `**` after the start or a space, around plain words with no space at
  either end inside, then the end, a space or one of `.,;:!?)`;
- code: one backtick each side, no space at either end inside, no line break;
- a link: `[` after the start or a space, plain words, `](`, an `http(s)` address of
  lower-case host and path characters only, `)`.
"""

from __future__ import annotations

import re

from markdown_it.common.utils import escapeHtml
from markdown_it.token import Token

from .plain import is_inert

_SPAN = re.compile(
    r"\*(?<![^ ]\*)(?P<mark>\*?)(?P<em>[^\s*](?:[^*\n]*[^\s*])?)\*(?P=mark)(?=$|[ .,;:!?)])"
    r"|`(?P<code>[^` \n](?:[^`\n]*[^` \n])?)`"
    r"|\[(?<![^ ]\[)(?P<text>[^\W_][^\]\n]*)\]\((?P<href>https?://[a-z0-9.-]+(?:/[a-z0-9._~-]*)*)\)"
)
"""A span: `*` or `**` (the first star, then `mark`, the second or nothing), a backtick, or
`[`, each after the start or a space. Every branch opens with its character and checks
what is before it after that (a look-behind over it), so that `re` skips straight to the
next `*`, backtick or `[` of a line: four times faster over plain words."""
_WORD_EDGES = re.compile(r"[^\W_](?:.*[^\W_])?", re.DOTALL).fullmatch


Span = tuple[str, str, str]
"""A piece of a line: (kind, text, link address), kind one of `text`, `strong`, `em`,
`code`, `link`; the address is empty but for a link."""

_TAGS = {"strong": ("strong", "**"), "em": ("em", "*")}


def spans(line: str) -> list[Span] | None:
    """One line of plain words and simple spans, piece by piece; None for anything else."""
    found: list[Span] = []
    end = 0
    for match in _SPAN.finditer(line):
        if not _text(found, line[end : match.start()]):
            return None
        end = match.end()
        if match["em"] is not None:
            words = match["em"]
            if not is_inert(words):
                return None
            found.append(("strong" if match["mark"] else "em", words, ""))
        elif match["code"] is not None:
            found.append(("code", match["code"], ""))
        else:
            words = match["text"]
            if not is_inert(words) or not _WORD_EDGES(words):
                return None
            found.append(("link", words, match["href"]))
    if not _text(found, line[end:]):
        return None
    return found


def text_spans(content: str) -> list[Span] | None:
    """The spans of a text over lines (`spans`), a ("break", "", "") piece between two lines;
    None unless every line is plain words and simple spans."""
    found: list[Span] = []
    for number, line in enumerate(content.split("\n")):
        pieces = None if line.endswith(" ") else spans(line)  # " " ends: a hard break
        if pieces is None:
            return None
        if number:
            found.append(("break", "", ""))
        found += pieces
    return found


def tokens(pieces: list[Span]) -> list[Token]:
    """The inline tokens markdown-it's parser makes of `pieces` (`spans`, `text_spans`)."""
    made: list[Token] = []
    for kind, text, href in pieces:
        if kind == "text":
            made.append(Token("text", "", 0, content=text))
        elif kind == "break":
            made.append(Token("softbreak", "br", 0))
        elif kind == "code":
            made.append(Token("code_inline", "code", 0, content=text, markup="`"))
        elif kind == "link":
            made.append(Token("link_open", "a", 1, attrs={"href": href}))
            made.append(Token("text", "", 0, content=text))
            made.append(Token("link_close", "a", -1))
        else:
            tag, mark = _TAGS[kind]
            made.append(Token(f"{tag}_open", tag, 1, markup=mark))
            made.append(Token("text", "", 0, content=text))
            made.append(Token(f"{tag}_close", tag, -1, markup=mark))
    return made


def html(pieces: list[Span]) -> str:
    """The HTML markdown-it renders of `pieces` (`spans`, `text_spans`)."""
    out = []
    for kind, text, href in pieces:
        if kind == "text":
            out.append(escapeHtml(text))
        elif kind == "break":
            out.append("\n")
        elif kind == "link":
            out.append(f'<a href="{escapeHtml(href)}">{escapeHtml(text)}</a>')
        else:
            out.append(f"<{kind}>{escapeHtml(text)}</{kind}>")
    return "".join(out)


def _text(found: list[Span], text: str) -> bool:
    """Append plain words between spans; False when they are not plain."""
    if not text:
        return True
    if not is_inert(text):
        return False
    found.append(("text", text, ""))
    return True
