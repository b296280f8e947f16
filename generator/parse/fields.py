"""The named fields of an item in a kept note type's file: `Name: text` lines under its
front (`named_fields`; `cards.kept_types` checks each name is a field of the type)."""

from __future__ import annotations

import re

from markdown_it.token import Token

from .markdown import render_inline

FIELD_LINE = re.compile(r'^([^\s:{}"#^/][^:{}"]{0,99}?)[ \t]*:(?:[ \t]+|$)')
"""A line of an item in a kept note type's file that fills a field by name (`Example: text`):
a name as Anki allows one (no `:{}"`, not opening with `#^/`)."""


def named_fields(paragraph: Token) -> tuple[Token, tuple[tuple[str, str], ...]]:
    """An item of a kept note type's file: its paragraph up to its first `Name: text` line,
    and each such line's field (name, HTML), a field going on over the lines that follow
    until the next. (`cards.kept_types` checks each name is a field of the type.)"""
    children = paragraph.children or []
    starts = [
        i
        for i in range(1, len(children))
        if children[i - 1].type == "softbreak"
        and children[i].type == "text"
        and FIELD_LINE.match(children[i].content)
    ]
    if not starts:
        return paragraph, ()
    fields = []
    for start, end in zip(starts, [*starts[1:], len(children) + 1], strict=True):
        label = FIELD_LINE.match(children[start].content)
        assert label is not None
        first = children[start].copy()
        first.content = children[start].content[label.end() :]
        value = [first, *children[start + 1 : end - 1]]
        fields.append((label.group(1), render_inline([t for t in value if not is_comment(t)])))
    head = paragraph.copy()
    head.children = children[: starts[0] - 1]
    head.content = "".join(t.content for t in head.children)
    return head, tuple((name, html.strip()) for name, html in fields)


def is_comment(token: Token) -> bool:
    """An HTML comment within a line: an item's pin or an import's repair, not its text."""
    return token.type == "html_inline" and token.content.strip().startswith("<!--")
