"""Field text -> deckgen Markdown that shows exactly that text; safe names and comments.

Anki fields are HTML. A field with no tag and no entity (nine in ten, in real decks) is plain
text, escaped here character by character. Any other field is read by `from_html`: bold,
italics, code, links, images, sounds and line breaks survive; the clutter editors leave
(`<div>`, `&nbsp;`, inline styles, `<font>`) is dropped, and a field that had some is flagged. A converted field is lines (`BREAK` between
them), none of which Markdown reads as a block of its own; the writer makes each break a hard
line break of one list item.

What is written is text on the card, never markup of deckgen's notes or of Anki: `$`, `{{`,
`[sound:`, `<!--` and the like are escaped, MathJax (`\\(...\\)`, `\\[...\\]`) stays math that
deckgen checks, and a comment deckgen writes cannot be closed by the text it quotes
(tests/test_import_escapes.py reads every form back through the notes parser).
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Callable
from functools import cache

from ..mathjax import math_commands
from ..parse.invisible import INVISIBLE, INVISIBLE_CHARACTERS
from .from_html import convert

CLUTTER = re.compile(r"<(?:div|span|font)\b|&nbsp;|\sstyle=", re.IGNORECASE)
SOUND = re.compile(r"\[sound:([^\]]*)\]")
_MATH = re.compile(r"(\\\((?:(?!\\\)).)+?\\\)|\\\[(?:(?!\\\]).)+?\\\])", re.DOTALL)
"""MathJax as Anki writes it, inline and displayed: kept as deckgen math."""
_LINE_START = re.compile(r"^(?:[-+=:]|\d{1,9}(?=[.)]))")
"""What a continuation line may not start with (besides what `escape_text` escapes): a list
marker, a heading underline, a definition."""
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""Control characters, which a card shows as spaces (tab and line feed are spaces anyway)."""
_LINKS = re.compile(r"^(?:https?|mailto):[^<>\s]*$", re.IGNORECASE)
_REMOTE = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//)", re.IGNORECASE)
_LATEX = re.compile(r"\[(?:latex|\$\$?)\]", re.IGNORECASE)
_TTS = re.compile(r"\[anki:tts\b", re.IGNORECASE)
BREAK = "\n"
"""How a converted field marks a line break."""

Media = Callable[[str, str], str | None]
"""Given a media file's name in the deck and its kind (`image` or `sound`), the link
destination to write (`link_path`), or None when it is not shipped (the callee says why)."""


def field_markdown(
    text: str, media: Media, *, braces: bool = False, front: bool = False
) -> tuple[str, list[str]]:
    """Markdown for a field's HTML, and the repairs it needs. `braces`: `{{` stays (a cloze's
    text, a kept type's named field; deckgen reads deletions only in a front or back);
    `front`: a term's or a question's front, written in `**...**`, so its bold is `__...__`."""
    repairs = _anki_syntax(text)
    if "<" not in text and "&" not in text:  # plain text: no HTML to read
        if "[sound:" not in text:
            return _finish([_inline(text)], repairs, braces=braces), repairs
        parts = []
        for i, piece in enumerate(SOUND.split(text)):
            target = media(piece, "sound") if i % 2 else None
            parts.append((f" ![]({target}) " if target else " ") if i % 2 else _inline(piece))
        return _finish(["".join(parts)], repairs, braces=braces), repairs
    if CLUTTER.search(text):
        repairs.append(
            "the field had HTML clutter (div, span, font, nbsp or inline styles), dropped"
        )
    text = SOUND.sub(lambda m: f'<img data-sound="1" src="{html.escape(m.group(1))}">', text)

    def image(src: str, alt: str, kind: str) -> str:
        if _REMOTE.match(src):
            repairs.append(
                f"its {kind} {src} is on the web, which a card may not fetch: save it in "
                "media/ and show it with ![](media/...)"
            )
            return ""
        target = media(src, kind) if src else None
        return f" ![{escape_text(' '.join(alt.split()))}]({target}) " if target else ""

    def link(href: str, text: str) -> str:
        href = href.strip()
        if _LINKS.match(href):
            return f"[{text}]({href})"
        repairs.append(
            f"its link to {href} was left out (only http, https and mailto links are kept)"
        )
        return text

    lines, script = convert(text, _inline, image, link, "__" if front else "**")
    if script:
        repairs.append("the field had a script, which deckgen never ships: left out")
    return _finish(lines, repairs, braces=braces), repairs


def plain_markdown(text: str, *, braces: bool = False) -> tuple[str, list[str]]:
    """Markdown that shows `text` (not HTML: a CSV cell, a line of notes) exactly; its lines
    stay lines."""
    repairs = _anki_syntax(text)
    return _finish([_inline(line) for line in text.split("\n")], repairs, braces=braces), repairs


def escape_text(text: str) -> str:
    """Inline Markdown that renders as `text`: every character that could be markup escaped,
    control characters made spaces. `[` is written `&#91;`: deckgen reads `\\[` as math."""
    return _ESCAPED.sub(lambda found: _ESCAPES[ord(found.group())], text)


_ESCAPES: dict[int, str] = {
    **{ord(c): "\\" + c for c in "\\`*_]<>#|~$&!"},  # what Markdown, math or an entity reads
    ord("["): "&#91;",
    **{c: " " for c in (*range(0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0))},
    **dict.fromkeys(map(ord, INVISIBLE_CHARACTERS), ""),  # nothing seen, nothing lost
}
_ESCAPED = re.compile("[" + "".join(re.escape(chr(c)) for c in _ESCAPES) + "]")
"""The characters `_ESCAPES` maps: a search for them is 2.6x faster than `str.translate`
on text that has few (an import of 20,000 notes: 0.2 s of 1.5)."""


def _inline(text: str) -> str:
    """`escape_text`, but MathJax as Anki writes it stays math, unless it uses a command that
    links or styles (`mathjax.math_commands`): that is text, its opening `\\(` written `\\ (`
    (MathJax reads any text `\\(...\\)` as math)."""
    if "\\" not in text:
        return escape_text(text)
    # Invisible characters go before math is found, as from text: `\\(\u202e\\)` is `\\(\\)`.
    pieces = _MATH.split(INVISIBLE.sub("", text))
    return "".join(
        (p if not math_commands(p) else escape_text(p[:1] + " " + p[1:]))
        if i % 2
        else escape_text(p)
        for i, p in enumerate(pieces)
    )


def _anki_syntax(text: str) -> list[str]:
    """Repairs for what Anki would have read in the field, and deckgen shows as text."""
    if "[" not in text:
        return []
    repairs = []
    if _LATEX.search(text):
        repairs.append("Anki's [latex] is shown as text by deckgen: write the math as \\(...\\)")
    if _TTS.search(text):
        repairs.append("text to speech ([anki:tts]) is shown as text: use `tts:` in the metadata")
    return repairs


def _finish(lines: list[str], repairs: list[str], *, braces: bool) -> str:
    kept = [_line_safe(" ".join(line.split())) for line in lines]
    text = BREAK.join(line for line in kept if line)
    if not braces and "{{" in text:
        repairs.append("the field holds '{{', which deckgen reads as a cloze: written '{ {'")
        while "{{" in text:
            text = text.replace("{{", "{ {")
    return text


def _line_safe(line: str) -> str:
    """A line that continues a list item's paragraph, which may not open a block of its own."""
    match = _LINE_START.match(line)
    if match is None:
        return line
    mark = match.group(0)
    return (mark + "\\" if mark[0].isdigit() else "\\" + mark) + line[match.end() :]


def comment(text: str) -> str:
    """A `<!-- deckgen: ... -->` comment quoting `text`, which nothing in it can close or
    split: one line, no `--`."""
    text = " ".join(_CONTROL.sub(" ", INVISIBLE.sub("", text)).split())
    while "--" in text:
        text = text.replace("--", "- -")
    return f"<!-- deckgen: {text} -->"


def link_path(path: str) -> str:
    """A link destination for a file beside the notes, as CommonMark reads it: bare where it
    can be, in `<...>` where it holds spaces or parentheses, `%<>\\` percent-encoded."""
    for char, code in (("%", "%25"), ("<", "%3C"), (">", "%3E"), ("\\", "%5C")):
        path = path.replace(char, code)
    path = _CONTROL.sub(lambda m: f"%{ord(m.group(0)):02X}", path)
    if any(c.isspace() or c in "()" for c in path):
        return f"<{path}>"
    return path


def media_name(name: str) -> str:
    """A safe file name for a deck's media file: one path part, no control characters, no
    leading dot, at most 120 characters (its extension kept)."""
    name = unicodedata.normalize("NFC", name)
    name = re.sub(r"[\x00-\x1f\x7f/\\:]", "-", name).strip().lstrip(".") or "media"
    stem, dot, ext = name.rpartition(".")
    if not dot or not stem or len(ext) > 10:
        stem, ext = name, ""
    return stem[: 120 - len(ext)] + (f".{ext}" if ext else "")


@cache  # a deck has a few tags on many notes
def tag_name(raw: str) -> str:
    """The tag deckgen can declare for an Anki tag: no spaces, commas, quotes or control
    characters, `::` for a hierarchy and no lone `:`; "" when nothing is left."""
    text = "".join(
        "_" if (c.isspace() or c in ',"' or unicodedata.category(c) in ("Cc", "Cf")) else c
        for c in unicodedata.normalize("NFC", raw)
    )
    parts = [p.replace(":", "_").strip("`*_") for p in text.split("::")]
    return "::".join(p for p in parts if p)


@cache  # asked for each note of a deck
def deck_name(raw: str, limit: int = 100) -> str:
    """A deck name the metadata accepts: no control or format characters, no empty part, none
    over `limit` characters; "" when nothing is left."""
    text = "".join(
        " " if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") else c
        for c in unicodedata.normalize("NFC", raw)
    )
    parts = [" ".join(p.split())[:limit].strip() for p in text.split("::")]
    return "::".join(p for p in parts if p)
