"""A field's HTML -> lines of inline Markdown that show the same text, with its emphasis,
code, links, images and sounds; each block (a `<div>`, a paragraph, a list item, a table row,
a `<br>`) a line of its own.

Read tag by tag with one regular expression (markdownify, which built a BeautifulSoup tree for
each field, took 70% of an import's time; the standard library's HTMLParser, half of what was
left). What a tag says beyond that
(a font, a colour, a class) is dropped; the caller flags clutter. Emphasis that Markdown could
not read where it stands (`word<i>(x)</i>`: an asterisk between a letter and a bracket opens
nothing) is left out, its text kept.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html import unescape

_BLOCKS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "br",
        "center",
        "dd",
        "div",
        "dl",
        "dt",
        "figcaption",
        "figure",
        "footer",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "ul",
    ]
)
_SKIPPED = frozenset({"script", "style", "head", "title", "template", "noscript"})
_TOKEN = re.compile(
    r"<!--.*?(?:-->|\Z)"  # a comment: nothing on the card
    r"|<(/?)([A-Za-z][A-Za-z0-9-]*)((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>"  # a tag
    r"|<!?[^<]*?>|<"  # a declaration, or a lone '<' (text)
    r"|[^<]+",
    re.DOTALL,
)
_ATTRIBUTE = re.compile(r"""([A-Za-z_:][\w:.-]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?""")
_MARKS = {"b": "", "strong": "", "i": "*", "em": "*", "s": "~~", "strike": "~~", "del": "~~"}
"""Emphasis tags and their Markdown ("": the converter's bold)."""

Escape = Callable[[str], str]
Image = Callable[[str, str, str], str]
"""(source, alt text, `image` or `sound`) -> its Markdown ("" to leave it out)."""
Link = Callable[[str, str], str]
"""(href, the Markdown of its text) -> the Markdown of the link."""


class _Mark:
    """An emphasis marker in a line, written or left out when the line is done."""

    __slots__ = ("opener", "text")

    def __init__(self, text: str, opener: _Mark | None = None) -> None:
        self.text = text
        self.opener = opener
        """For a closing mark, its opening one; None for an opening mark."""


class _Converter:
    def __init__(self, escape: Escape, image: Image, link: Link, bold: str) -> None:
        self.escape, self.image, self.link, self.bold = escape, image, link, bold
        self.lines: list[str] = []
        self.pieces: list[str | _Mark] = []
        self.open: list[
            tuple[str, _Mark | None]
        ] = []  # tag, its mark (None: written by an outer one)
        self.code: list[str] | None = None
        self.links: list[tuple[str, int]] = []  # href, where its text starts in `pieces`
        self.script = False
        self.lists: list[int] = []  # each open list: items so far (ordered), or -1

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str]]) -> None:
        values = {key: value or "" for key, value in attrs}
        if tag == "img":
            kind = "sound" if "data-sound" in values else "image"
            self.pieces.append(self.image(values.get("src", ""), values.get("alt", ""), kind))
        elif tag in _BLOCKS:
            self.end_line()
            if tag in ("ol", "ul"):
                self.lists.append(0 if tag == "ol" else -1)
            elif tag == "li" and self.lists and self.lists[-1] >= 0:
                self.lists[-1] += 1
                self.pieces.append(f"{self.lists[-1]}. ")
            elif tag == "li":
                self.pieces.append("• ")
        elif tag == "a":
            self.links.append((values.get("href", ""), len(self.pieces)))
        elif tag == "code" and self.code is None:
            self.code = []
        elif tag in _MARKS:
            text = _MARKS[tag] or self.bold
            if any(mark is not None and mark.text == text for _, mark in self.open):
                self.open.append((tag, None))  # emphasis inside the same emphasis
            else:
                mark = _Mark(text)
                self.open.append((tag, mark))
                self.pieces.append(mark)

    def feed(self, text: str) -> None:
        at = 0
        while at < len(text):
            match = _TOKEN.match(text, at)
            assert match is not None  # (a lone '<' or text match anything else)
            at = match.end()
            closing, tag, attributes = match.groups()
            if tag is not None and not closing and tag.lower() in _SKIPPED:
                # Raw text up to its end tag, whatever it holds (`if (a<b)` in a script).
                end = text.lower().find(f"</{tag.lower()}", at)
                at = len(text) if end < 0 else text.find(">", end) + 1 or len(text)
                self.script |= tag.lower() == "script"
                continue
            if tag is None:
                token = match.group(0)
                if token == "<" or not token.startswith("<"):
                    self.handle_data(unescape(token) if "&" in token else token)
                continue
            tag = tag.lower()
            if closing:
                self.handle_endtag(tag)
                continue
            attrs: list[tuple[str, str]] = []
            if tag in ("img", "a"):
                attrs = [
                    (m.group(1).lower(), unescape(m.group(2) or m.group(3) or m.group(4) or ""))
                    for m in _ATTRIBUTE.finditer(attributes)
                ]
            self.handle_starttag(tag, attrs)
            if attributes.rstrip().endswith("/") and tag not in ("img", "br", "hr"):
                self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == "code" and self.code is not None:
            self.pieces.append(_code(" ".join("".join(self.code).split())))
            self.code = None
        elif tag == "a" and self.links:
            href, start = self.links.pop()
            text = _resolve(self.pieces[start:])
            del self.pieces[start:]
            self.pieces.append(self.link(href, text) if text else "")
        elif tag in _MARKS:
            for n in range(len(self.open) - 1, -1, -1):
                if self.open[n][0] == tag:
                    mark = self.open.pop(n)[1]
                    if mark is not None:
                        self.pieces.append(_Mark(mark.text, mark))
                    break
        elif tag in _BLOCKS:
            self.end_line()
            if tag in ("ol", "ul") and self.lists:
                self.lists.pop()

    def handle_data(self, data: str) -> None:
        if self.code is not None:
            self.code.append(data)
            return
        words = data.split()
        text = " ".join(words)
        if data[:1].isspace():
            text = " " + text
        if data[-1:].isspace() and words:
            text += " "
        if text:
            self.pieces.append(self.escape(text) if words else " ")

    def end_line(self) -> None:
        """The line being written, done: its marks resolved, kept unless empty."""
        line = _resolve(self.pieces)
        self.pieces = []
        self.open = [(tag, None) for tag, _ in self.open]  # no emphasis goes over a line
        if line:
            self.lines.append(line)


def convert(
    text: str, escape: Escape, image: Image, link: Link, bold: str
) -> tuple[list[str], bool]:
    """The lines of Markdown of a field's HTML, and whether it held a script (left out)."""
    converter = _Converter(escape, image, link, bold)
    converter.feed(text)
    converter.end_line()
    return converter.lines, converter.script


def _code(text: str) -> str:
    """A code span holding `text`: fenced by more backticks than it holds in a row."""
    if not text:
        return ""
    fence = "`" * (1 + max((len(run) for run in re.findall("`+", text)), default=0))
    pad = " " if text[0] == "`" or text[-1] == "`" else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _resolve(pieces: list[str | _Mark]) -> str:
    """Pieces joined into one line: each pair of marks written, the spaces at its edges moved
    outside it, where Markdown reads it as emphasis; else left out (its text kept). Pairs are
    decided innermost first."""
    opened: dict[int, int] = {}
    pairs: list[tuple[int, int, str]] = []
    for at, piece in enumerate(pieces):
        if isinstance(piece, _Mark):
            if piece.opener is None:
                opened[id(piece)] = at
            elif (start := opened.pop(id(piece.opener), None)) is not None:
                pairs.append((start, at, piece.text))
    out = [piece if isinstance(piece, str) else "" for piece in pieces]
    for start, end, mark in pairs:
        inner = "".join(out[start + 1 : end])
        before = "".join(out[:start])[-1:] or " "
        after = "".join(out[end + 1 :])[:1] or " "
        if _emphasis(before, inner, after, mark):
            out[start + 1 : end] = [inner.strip()] + [""] * (end - start - 2)
            out[start] = (" " if inner[:1].isspace() else "") + mark
            out[end] = mark + (" " if inner[-1:].isspace() else "")
    return " ".join("".join(out).split())


def _emphasis(before: str, inner: str, after: str, mark: str) -> bool:
    """Whether `mark` around `inner`, between the characters `before` and `after`, is read as
    emphasis (CommonMark's flanking rules, for text whose markup is escaped)."""
    stripped = inner.strip()
    if not stripped:
        return False
    opens = inner[0].isspace() or stripped[0].isalnum() or not before.isalnum()
    closes = inner[-1].isspace() or stripped[-1].isalnum() or not after.isalnum()
    if mark.startswith("_"):  # no emphasis inside a word with underscores
        opens = opens and (inner[0].isspace() or not before.isalnum())
        closes = closes and (inner[-1].isspace() or not after.isalnum())
    return opens and closes
