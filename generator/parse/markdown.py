"""The Markdown dialect of the notes: one markdown-it instance, raw HTML escaped on output."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from mdit_py_plugins.front_matter import front_matter_plugin


def _escaped(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    # Raw HTML from the source is shown as text, never injected into a card.
    return escapeHtml(tokens[idx].content)


def _make() -> MarkdownIt:
    # html=True so that raw HTML arrives as its own tokens (and can be reported and
    # escaped); the render rules below make sure it is never passed through.
    md = MarkdownIt("commonmark", {"html": True}).use(front_matter_plugin)
    md.enable(["table", "strikethrough"])
    md.add_render_rule("html_inline", _escaped)
    md.add_render_rule("html_block", _escaped)
    return md


MD = _make()


def render_inline(tokens: Sequence[Token]) -> str:
    """HTML for a run of inline tokens."""
    renderer: RendererHTML = MD.renderer  # type: ignore[assignment]
    return str(renderer.renderInline(tokens, MD.options, {}))


def render_blocks(tokens: Sequence[Token]) -> str:
    """HTML for a run of block tokens."""
    return str(MD.renderer.render(tokens, MD.options, {}))


def plain_text(tokens: Sequence[Token]) -> str:
    """The visible text of inline tokens, markup dropped."""
    parts: list[str] = []
    for token in tokens:
        if token.type in ("text", "code_inline", "html_inline"):
            parts.append(token.content)
        elif token.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif token.children:
            parts.append(plain_text(token.children))
    return "".join(parts)
