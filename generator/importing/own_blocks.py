"""The HTML deckgen renders a definition, answer, list item or cloze extra into, back to the
Markdown blocks it came from: paragraphs, and bullet and numbered lists (tight or loose,
nested), each inline run converted by `markup.field_markdown`. A block deckgen's notes do not
make this way (a code block, a quote, a table) is converted flat, and flagged.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass

from .markup import BREAK

_BLOCK = re.compile(
    r"<(/?)(ul|ol|li|p|pre|blockquote|table|div|hr|h[1-6])\b([^>]*)>", re.IGNORECASE
)
_LANGUAGE = re.compile(r"""\A<code\b[^>]*\bclass=["']language-([\w+#.-]{1,40})""")
_START = re.compile(r"""\bstart\s*=\s*["']?(\d{1,9})""")


@dataclass(frozen=True, slots=True)
class Block:
    tag: str
    """"" for an inline run, else the block's tag (lower case)."""
    attributes: str
    inner: str


def blocks(text: str) -> list[Block]:
    """The top-level blocks of `text`: inline runs between them kept as blocks of their own."""
    found: list[Block] = []
    at = 0
    while (match := _BLOCK.search(text, at)) is not None:
        if text[at : match.start()].strip():
            found.append(Block("", "", text[at : match.start()]))
        tag = match.group(2).lower()
        if match.group(1) or tag == "hr":  # a stray closing tag, a rule: kept as they are
            found.append(Block("?", "", match.group(0)))
            at = match.end()
            continue
        end, after = _closing(text, match.end(), tag)
        found.append(Block(tag, match.group(3), text[match.end() : end]))
        at = after
    if text[at:].strip():
        found.append(Block("", "", text[at:]))
    return found


def _closing(text: str, at: int, tag: str) -> tuple[int, int]:
    """Where the element opened just before `at` closes: its closing tag's start and end."""
    depth = 1
    pattern = re.compile(rf"<(/?){tag}\b[^>]*>", re.IGNORECASE)
    for match in pattern.finditer(text, at):
        depth += -1 if match.group(1) else 1
        if depth == 0:
            return match.start(), match.end()
    return len(text), len(text)


def as_markdown(text: str, inline: Callable[[str], str], indent: str) -> tuple[str, str, bool]:
    """`text` (HTML) as Markdown: its first inline run or paragraph (line breaks as
    `markup.BREAK`), then what follows, on lines indented by `indent` (empty, or starting with
    a line break); and whether it was all converted faithfully. `inline` converts one inline
    run of HTML."""
    parts = blocks(text)
    faithful = all(b.tag in ("", "p", "ul", "ol", "pre") for b in parts)
    head = inline(parts[0].inner) if parts and parts[0].tag in ("", "p") else ""
    rest = ""
    previous = parts[0].tag if head else "p"
    for block in parts[1:] if head else parts:
        if block.tag == "pre":
            rest += "\n\n" + _fenced(block.inner, indent)
        elif block.tag in ("ul", "ol"):
            lines, ok = _list(block, indent, inline)
            faithful &= ok
            start = _START.search(block.attributes)
            # Only a list from 1 (or a bullet list) interrupts a paragraph without a blank line.
            apart = (previous == "p" and not head) or (start is not None and start.group(1) != "1")
            rest += ("\n\n" if apart else "\n") + lines
        else:
            gap = "\n\n" if block.tag == "p" or previous in ("p", "ul", "ol") else "\n"
            rest += gap + indent + _lines(inline(block.inner), indent)
        previous = block.tag
    return head, rest, faithful


def _fenced(inner: str, indent: str) -> str:
    """A code block (`<pre><code class="language-x">`, highlighted or not) as the fenced
    block it came from: deckgen highlights it again when the deck is built."""
    language = _LANGUAGE.search(inner)
    code = html.unescape(re.sub(r"<[^>]*>", "", inner)).removesuffix("\n")
    fence = "`" * max(3, 1 + max((len(m) for m in re.findall(r"`+", code)), default=0))
    lines = [fence + (language.group(1) if language else ""), *code.split("\n"), fence]
    return "\n".join(indent + line if line else "" for line in lines)


def _lines(text: str, indent: str) -> str:
    return text.replace(BREAK, "\\\n" + indent)


def _list(block: Block, indent: str, inline: Callable[[str], str]) -> tuple[str, bool]:
    items = [b for b in blocks(block.inner) if b.tag == "li"]
    start = _START.search(block.attributes)
    number = int(start.group(1)) if start else 1
    loose = any(b.tag == "p" for item in items for b in blocks(item.inner))
    lines = []
    faithful = True
    for k, item in enumerate(items):
        mark = f"{number + k}." if block.tag == "ol" else "-"
        inner_indent = indent + " " * (len(mark) + 1)
        head, rest, ok = as_markdown(item.inner, inline, inner_indent)
        faithful &= ok
        lines.append(f"{indent}{mark} {_lines(head, inner_indent)}{rest}")
    return ("\n\n" if loose else "\n").join(lines), faithful
