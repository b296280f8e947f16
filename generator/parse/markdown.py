"""The Markdown dialect of the notes: one markdown-it instance, raw HTML escaped on output.

Math (`$...$`, `$$...$$`, parsed by mdit-py-plugins' dollarmath; `\\(...\\)`, `\\[...\\]` by
`math.py`) becomes Anki's MathJax delimiters, `\\(...\\)` and `\\[...\\]`, its TeX escaped for
HTML and nothing else: Markdown never touches it. `$5 and $10` stays text (no digit or space
may touch a `$` of inline math).

A fenced code block that names its language (```` ```python ````) is highlighted by Pygments at
build time: spans with `hl-` classes, coloured by the card stylesheet (`identity.card_style`)
in day and night mode. No script, no network; an unknown or missing language stays plain.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.dollarmath.index import math_block_dollar
from mdit_py_plugins.front_matter import front_matter_plugin

from ..cloze import math_clozes
from .math import block_bracket, inline_bracket, inline_paren, linear_dollar_block


def _escaped(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    # Raw HTML from the source is shown as text, never injected into a card.
    return escapeHtml(tokens[idx].content)


def _inline_math(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    return f"\\({escapeHtml(math_clozes(tokens[idx].content))}\\)"


def _display_math(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    math = f"\\[{escapeHtml(math_clozes(tokens[idx].content.strip()))}\\]"
    return math if tokens[idx].type == "math_inline_double" else f"<div>{math}</div>\n"


MATH_TOKENS = frozenset({"math_inline", "math_inline_double", "math_block"})
"""The tokens math is parsed into; their content is TeX."""


def _highlight(code: str, language: str, attrs: str) -> str:
    """Pygments' spans for a fenced block in a language it knows; "" leaves it plain."""
    if not language:
        return ""
    from pygments import highlight  # imported on first use: most notes have no code
    from pygments.formatters import HtmlFormatter
    from pygments.lexers import get_lexer_by_name
    from pygments.util import ClassNotFound

    try:
        lexer = get_lexer_by_name(language)
    except ClassNotFound:
        return ""
    return str(highlight(code, lexer, HtmlFormatter(nowrap=True, classprefix="hl-")))


def _make() -> MarkdownIt:
    # html=True so that raw HTML arrives as its own tokens (and can be reported and
    # escaped); the render rules below make sure it is never passed through.
    md = MarkdownIt("commonmark", {"html": True, "highlight": _highlight}).use(front_matter_plugin)
    md.use(
        dollarmath_plugin,
        allow_labels=False,
        allow_space=False,
        allow_digits=False,
        double_inline=True,
    )
    # dollarmath's own `$$` block rule searched to the end for each unclosed `$$` (`.math`)
    md.block.ruler.at(
        "math_block",
        linear_dollar_block(math_block_dollar(allow_labels=False, allow_blank_lines=True)),
    )
    # \\[...\\] as a block; texmath's numbered-equation rule (`\\[x\\] (1)`) wrote <eqn> HTML,
    # which no Anki client shows as math: such a line is displayed math like any other.
    md.block.ruler.before("fence", "math_bracket", block_bracket)
    md.inline.ruler.before("escape", "math_paren", inline_paren)  # \\(...\\)
    md.inline.ruler.before("escape", "display_math_inline", inline_bracket)  # \\[...\\] in a line
    md.enable(["table", "strikethrough"])
    md.add_render_rule("html_inline", _escaped)
    md.add_render_rule("html_block", _escaped)
    md.add_render_rule("math_inline", _inline_math)
    md.add_render_rule("math_inline_double", _display_math)
    md.add_render_rule("math_block", _display_math)
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
        elif token.type in MATH_TOKENS:
            parts.append(f"\\({token.content}\\)")
        elif token.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif token.children:
            parts.append(plain_text(token.children))
    return "".join(parts)
