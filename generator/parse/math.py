"""The math rules of the notes' Markdown, each linear in the text it reads.

`\\(...\\)` inline, `\\[...\\]` inline and as a block (the rules mdit-py-plugins' texmath
had, which searched the rest of the text again from every opening: 64 KiB of `\\(` took
minutes), and a guard on dollarmath's `$$` block rule, which searched every line below each
unclosed `$$`. An opening whose closing delimiter is not there is text, as before; each
search for a closing delimiter is remembered (`_Next`), so an opening repeated thousands of
times costs one search, not one each.
"""

from __future__ import annotations

from collections.abc import Callable, MutableMapping
from typing import Any

from markdown_it.rules_block import StateBlock
from markdown_it.rules_inline import StateInline

BlockRule = Callable[[StateBlock, int, int, bool], bool]


class _Next:
    """Where `needle` next occurs in `text` from a position on. Parsing asks from positions
    that mostly grow, so remembering the last answer keeps every search linear in all."""

    __slots__ = ("at", "needle", "start", "text")

    def __init__(self, text: str, needle: str) -> None:
        self.text, self.needle, self.start, self.at = text, needle, 0, -2

    def find(self, pos: int) -> int:
        if not (self.start <= pos and (self.at == -1 or pos <= self.at)):
            self.start, self.at = pos, self.text.find(self.needle, pos)
        return self.at


def _next(env: MutableMapping[str, Any], text: str, needle: str) -> _Next:
    """The `_Next` of `needle` in `text`, kept in the parse's env (one parse, one memo)."""
    memo: dict[tuple[str, str], _Next] = env.setdefault("deckgen.math", {})
    found = memo.get((needle, text))
    if found is None:
        found = memo[needle, text] = _Next(text, needle)
    return found


def _inline(opening: str, closing: str, token_type: str, past_empty: bool) -> Callable[..., bool]:
    """A rule for `opening` TeX `closing` within a line. No TeX is no math; `past_empty`:
    a closing delimiter right after the opening one is TeX, and the search goes on."""

    def rule(state: StateInline, silent: bool) -> bool:
        if not state.src.startswith(opening, state.pos):
            return False
        start = state.pos + len(opening)
        end = _next(state.env, state.src, closing).find(start + past_empty)
        if end <= start:
            return False
        if not silent:
            token = state.push(token_type, "math", 0)
            token.content = state.src[start:end]
            token.markup = opening
        state.pos = end + len(closing)
        return True

    return rule


inline_paren = _inline("\\(", "\\)", "math_inline", True)
"""`\\(x\\)`: inline math (texmath's rule: `\\(\\)\\)` is the TeX `\\)`)."""
inline_bracket = _inline("\\[", "\\]", "math_inline_double", False)
"""`\\[x\\]` within a line (a definition), which a block rule cannot read."""


def block_bracket(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    """`\\[...\\]` opening a block, over one line or more (texmath's rule: what follows the
    closing delimiter on its line is dropped)."""
    begin = state.bMarks[start_line] + state.tShift[start_line]
    if not state.src.startswith("\\[", begin):
        return False
    closing = _next(state.env, state.src, "\\]").find(begin + 3)
    if closing < 0:
        return False
    end = closing + 1  # the closing ']'
    line = start_line
    while line < end_line and end > state.eMarks[line]:
        line += 1
    if line >= end_line or end < state.bMarks[line]:
        return False  # it closes outside this block (a list item, a quote)
    # Each line's text within this block: in a quote, its `>` markers are not the math's
    # (texmath reads the raw source there, and showed "a > b" for `> \\[a` / `> b\\]`).
    content = "\n".join(
        state.src[
            begin + 2 if at == start_line else state.bMarks[at] : min(state.eMarks[at], closing)
        ]
        for at in range(start_line, line + 1)
    )
    if not silent:
        token = state.push("math_block", "math", 0)
        token.block = True
        token.content = token.info = content
        token.markup = "\\["
    state.line = line + 1
    return True


def linear_dollar_block(rule: BlockRule) -> BlockRule:
    """dollarmath's `$$` block rule, asked only when a line below closes it within the block:
    the rule itself reads every line to the end of the block for each unclosed `$$`."""

    def guarded(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
        begin = state.bMarks[start_line] + state.tShift[start_line]
        if not state.src.startswith("$$", begin):
            return False
        first = state.src[begin : state.eMarks[start_line]].strip()
        if len(first) > 3 and "$$" in first[2:]:
            return rule(state, start_line, end_line, silent)  # closed, or refused, on its line
        if _closing_line(state, start_line + 1) >= end_line:
            return False
        return rule(state, start_line, end_line, silent)

    return guarded


def _closing_line(state: StateBlock, line: int) -> int:
    """The first line from `line` on that ends with `$$` (what closes a `$$` block), or
    past the last line. Remembered as `_Next` is, by line."""
    memo: list[int] = state.env.setdefault("deckgen.dollar", [0, -1])
    if memo[0] <= line <= memo[1]:
        return memo[1]
    found = line
    while found < state.lineMax and not (
        state.src[state.bMarks[found] : state.eMarks[found]].rstrip().endswith("$$")
    ):
        found += 1
    memo[:] = [line, found]
    return found
