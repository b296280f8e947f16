"""Parse: Markdown notes (markdown-it tokens) -> raw entries, each with its file and line."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import unquote

from markdown_it.token import Token

from ..cloze import has_cloze, looks_like_cloze
from ..diagnostics import Diagnostic, error, warning
from ..records import GUID_PREFIX, Entry, Location, SourceFile, TagRef, Variant
from .destinations import unreadable_links
from .fields import is_comment, named_fields
from .invisible import invisible_characters
from .markdown import MD, plain_text, render_blocks, render_inline
from .metadata import FileMeta, read_metadata
from .tables import read_table

PIN = re.compile(r"^<!--\s*id:\s*([A-Za-z0-9][\w.:-]*)\s*-->$")
GUID_PIN = re.compile(r"^<!--\s*guid:\s*([A-Za-z0-9%._~-]{1,300})\s*-->$")
"""An Anki GUID pinned by `deckgen import`, percent-encoded: the note keeps its identity."""
REPAIR = re.compile(r"^<!--\s*deckgen:(?!\s*ignore\[)\s*(.*?)\s*-->$", re.DOTALL)
"""A repair `deckgen import` suggests; `deckgen check` reports it until the author removes it."""
TAGS_LINE = re.compile(r"^\s*(?:\*\*|\*|_)?Tags:(?:\*\*|\*|_)?\s*(.*)$", re.DOTALL)
LIST_MARKER = re.compile(r"^\s*(?:[-*+]|\d{1,9}[.)])[ \t]+")
SEPARATOR = re.compile(r"^\s*(?:[:\u2013\u2014]|-{1,2}(?=\s))?\s*")
"""What may stand between a bold front and its back: a colon, a dash or nothing."""


@dataclass(frozen=True, slots=True)
class _Section:
    level: int
    path: tuple[str, ...]  # the titles of the headings down to this one
    topics: tuple[TagRef, ...]
    """The file's tags, then each heading's `Tags:`: its entries share this tuple and `path`."""


def parse_file(
    source: SourceFile, default_variants: frozenset[Variant]
) -> tuple[list[Entry], list[Diagnostic]]:
    """One file's entries and problems, from markdown-it's tokens."""
    entries, problems = _parse(source, default_variants)
    return entries, invisible_characters(source.text, source.path) + problems


def _parse(
    source: SourceFile, default_variants: frozenset[Variant]
) -> tuple[list[Entry], list[Diagnostic]]:
    tokens = MD.parse(source.text)
    if not tokens or tokens[0].type != "front_matter":
        message = "not a notes file: it must start with a '---' metadata block naming its deck"
        return [], [error(Location(source.path, 1), "not-notes", message)]
    meta, problems = read_metadata(tokens[0].content, source.path, 2)
    if meta is None:
        return [], problems
    parser = _FileParser(source, source.text.split("\n"), meta, meta.variants or default_variants)
    parser.blocks(tokens, 1)
    return parser.entries, parser.problems


class _FileParser:
    """Walks one file's block tokens, tracking the heading path and its tags."""

    def __init__(
        self, source: SourceFile, lines: list[str], meta: FileMeta, variants: frozenset[Variant]
    ) -> None:
        self.source = source
        self.lines = lines
        self.meta = meta
        self.variants = variants
        self.sections = [_Section(0, (), meta.tags)]  # the file, above its first heading
        self.entries: list[Entry] = []
        self.problems: list[Diagnostic] = []

    def at(self, token: Token, col: int = 1) -> Location:
        line = token.map[0] + 1 if token.map else 1
        return Location(self.source.path, line, col)

    def blocks(self, tokens: Sequence[Token], start: int) -> None:
        i = start
        while i < len(tokens):
            token = tokens[i]
            end = _close(tokens, i)
            if token.type == "heading_open":
                self.section(int(token.tag[1:]), plain_text(tokens[i + 1].children or []).strip())
            elif token.type == "paragraph_open":
                self.paragraph(token, tokens[i + 1])
            elif token.type in ("bullet_list_open", "ordered_list_open"):
                self.list_items(tokens[i + 1 : end])
            elif token.type == "table_open":
                self.table(tokens[i : end + 1])
            elif token.type == "html_block" and not token.content.lstrip().startswith("<!--"):
                self.problems.append(
                    warning(self.at(token), "raw-html", "raw HTML outside a card is ignored")
                )
            i = end + 1

    def section(self, level: int, title: str) -> None:
        while self.sections[-1].level >= level:
            self.sections.pop()
        above = self.sections[-1]
        self.sections.append(_Section(level, (*above.path, title), above.topics))

    def paragraph(self, token: Token, inline: Token) -> None:
        match = TAGS_LINE.match(inline.content)
        if not match:
            return  # prose: lecture notes may explain things that are not cards
        where = self.at(token, 1)
        names = [n.strip("`* ") for n in re.split(r"[,\s]+", match.group(1)) if n.strip("`* ")]
        refs = tuple(TagRef(name, where) for name in names)
        if len(self.sections) == 1:
            self.problems.append(
                error(
                    where,
                    "tags-outside-section",
                    "a 'Tags:' line must follow a heading; use the metadata's 'tags' for the whole file",
                )
            )
            return
        top = self.sections[-1]
        self.sections[-1] = _Section(top.level, top.path, top.topics + refs)

    def list_items(self, tokens: Sequence[Token]) -> None:
        i = 0
        while i < len(tokens):
            end = _close(tokens, i)
            if tokens[i].type == "list_item_open":
                self.item(tokens[i], tokens[i + 1 : end])
            i = end + 1

    def table(self, tokens: Sequence[Token]) -> None:
        """A comparison: a record per row, and the list of its aspects (`tables`)."""
        found, problems = read_table(tokens, self.lines, self.source.path)
        self.problems += problems
        self.report_html(tokens, Location(self.source.path, (tokens[0].map or [0])[0] + 1))
        for row in found:
            pin = self.comments(row.comments, row.location)
            # The list of aspects makes its whole-list card alone: a card per aspect would ask
            # what the rows' own cards name.
            wanted = self.variants if row.columns else self.variants & {Variant.BASIC}
            self.add(row.location, row.front, "", row.items, False, pin, (), row.columns, wanted)

    def item(self, opener: Token, body: Sequence[Token]) -> None:
        line = opener.map[0] if opener.map else 0
        marker = LIST_MARKER.match(self.lines[line]) if line < len(self.lines) else None
        where = self.at(opener, marker.end() + 1 if marker else 1)
        if not body or body[0].type != "paragraph_open":
            self.not_a_card(where)
            return
        self.report_html(body, where)
        self.problems += unreadable_links(body, self.lines, self.source.path)
        rest = list(body[_close(body, 0) + 1 :])
        # A comment on a line of its own is a block of the item, not text of its answer: its
        # pin or repair counts as if it ended the item's first line.
        alone = [t for t in rest if t.type == "html_block" and ONLY_COMMENT.fullmatch(t.content)]
        rest = [t for t in rest if t not in alone]
        inline = [t for t in body[1].children or [] if is_comment(t)]
        pin = self.comments([*inline, *(t for t in alone if t.level == body[0].level)], where)
        paragraph, fields = body[1], ()  # type: tuple[Token, tuple[tuple[str, str], ...]]
        if self.meta.note_type is not None:
            paragraph, fields = named_fields(paragraph)
        card = read_card(paragraph, rest)
        if card is None:
            self.not_a_card(where)
            return
        self.add(where, *card, pin, fields)

    def add(
        self,
        where: Location,
        front: str,
        back: str,
        items: tuple[str, ...],
        ordered: bool,
        pin: str | None,
        fields: tuple[tuple[str, str], ...] = (),
        columns: tuple[str, ...] = (),
        variants: frozenset[Variant] | None = None,
    ) -> None:
        self.entries.append(
            Entry(
                location=where,
                rel=self.source.rel,
                deck=self.meta.deck,
                section=self.sections[-1].path,
                front=front,
                back=back,
                items=items,
                ordered=ordered,
                pin=pin,
                topics=self.sections[-1].topics,
                variants=self.variants if variants is None else variants,
                note_type=self.meta.note_type,
                tts=self.meta.tts,
                fields=fields,
                columns=columns,
            )
        )

    def not_a_card(self, where: Location) -> None:
        self.problems.append(
            warning(
                where,
                "not-a-card",
                "list item is not a card: start it with a **bold term** or a cloze",
            )
        )

    def report_html(self, body: Sequence[Token], where: Location) -> None:
        """Raw HTML in a card is shown escaped, as text; say so once, since it was likely meant as markup."""
        for token in body:
            for t in token.children or [token]:
                if t.type in ("html_inline", "html_block") and not t.content.lstrip().startswith(
                    "<!--"
                ):
                    self.problems.append(
                        warning(
                            where,
                            "raw-html",
                            f"raw HTML {t.content.strip()[:40]!r} is shown as text; use Markdown",
                        )
                    )
                    return

    def comments(self, tokens: Sequence[Token], where: Location) -> str | None:
        """The item's pin (`id:` or an imported `guid:`), and its import repairs reported."""
        pin = None
        for token in tokens:
            text = token.content.strip()
            if (match := PIN.match(text)) and pin is None and not text.count(GUID_PREFIX):
                pin = match.group(1)
            elif (match := GUID_PIN.match(text)) and pin is None:
                guid = unquote(match.group(1))
                if guid and guid.isprintable():
                    pin = GUID_PREFIX + guid
            elif match := REPAIR.match(text):
                self.problems.append(
                    warning(
                        where,
                        "import-repair",
                        f"deckgen import suggests: {match.group(1)[:200]}; fix it, then delete "
                        "the comment",
                    )
                )
        return pin


ONLY_COMMENT = re.compile(r"\s*<!--(?:(?!-->).)*-->\s*", re.DOTALL)
"""An HTML block that is one comment and nothing else."""


def read_card(
    paragraph: Token, rest: Sequence[Token]
) -> tuple[str, str, tuple[str, ...], bool] | None:
    """The rule for what a list item is: its front, back, items and whether they are ordered,
    as HTML; None when it is not a card. `paragraph` is the inline token of its first
    paragraph (whose comments, pins and repairs, are not its text), `rest` the blocks after it.

    A bold front makes a term or question: followed by nothing but one list, an enumeration
    of that list's items; else a definition or answer (the rest of the paragraph, then any
    blocks). Without a bold front, an item with a cloze (or what looks like one, which the
    cloze checks report) is a cloze sentence."""
    inline = [t for t in paragraph.children or [] if not is_comment(t)]
    front, back = _split_front(inline)
    if front is None:
        if not has_cloze(paragraph.content) and not looks_like_cloze(paragraph.content):
            return None
        return render_inline(inline), render_blocks(rest), (), False
    back_html = render_inline(back).strip()
    if not back_html and rest and _is_single_list(rest):
        items = tuple(render_blocks(rest[s + 1 : e]).strip() for s, e in _children(rest[1:-1], 1))
        return render_inline(front), "", items, rest[0].type == "ordered_list_open"
    return render_inline(front), back_html + render_blocks(rest), (), False


def _split_front(inline: list[Token]) -> tuple[list[Token] | None, list[Token]]:
    """Split `**front** rest` into its two halves; (None, inline) when there is no bold front."""
    start = 0
    while (
        start < len(inline) and inline[start].type == "text" and not inline[start].content.strip()
    ):
        start += 1
    if start >= len(inline) or inline[start].type != "strong_open":
        return None, inline
    depth = 0
    for end in range(start, len(inline)):
        depth += inline[end].nesting if inline[end].type in ("strong_open", "strong_close") else 0
        if depth == 0:
            break
    front = inline[start + 1 : end]
    rest = list(inline[end + 1 :])
    # "**Term:** definition" and "**Term**: definition" (or an en/em dash) read the same.
    if front and front[-1].type == "text" and front[-1].content.rstrip().endswith(":"):
        front = [*front[:-1], Token("text", "", 0, content=front[-1].content.rstrip()[:-1])]
    while rest and rest[0].type in ("softbreak", "hardbreak"):
        rest.pop(0)
    if rest and rest[0].type == "text":
        rest[0] = Token("text", "", 0, content=SEPARATOR.sub("", rest[0].content, count=1))
    while rest and (
        rest[0].type in ("softbreak", "hardbreak")
        or (rest[0].type == "text" and not rest[0].content)
    ):
        rest.pop(0)
    return front, rest


def _close(tokens: Sequence[Token], start: int) -> int:
    """Index of the token that closes the one at `start` (itself, for a self-contained token)."""
    if tokens[start].nesting != 1:
        return start
    depth = 0
    for i in range(start, len(tokens)):
        depth += tokens[i].nesting
        if depth == 0:
            return i
    return len(tokens) - 1


def _children(tokens: Sequence[Token], offset: int) -> list[tuple[int, int]]:
    """(open, close) index pairs of the top-level blocks in `tokens`, shifted by `offset`."""
    spans = []
    i = 0
    while i < len(tokens):
        end = _close(tokens, i)
        spans.append((i + offset, end + offset))
        i = end + 1
    return spans


def _is_single_list(tokens: Sequence[Token]) -> bool:
    return (
        tokens[0].type in ("bullet_list_open", "ordered_list_open")
        and _close(tokens, 0) == len(tokens) - 1
    )
