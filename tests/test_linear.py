"""Every pattern that reads untrusted text in linear time reads what the pattern it replaced
read (property tests against the old, quadratic ones, kept here as references).

Their speed is shown by `benchmarks/pathological.py`, and the adversarial table fails any
that stalls (tests/test_adversarial.py, section 4); here only their meaning is checked.
"""

from __future__ import annotations

import re
from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.texmath import texmath_plugin

from generator.cloze import MATH, deletions
from generator.identity.templates import _tags
from generator.parse.markdown import MD


def pieces(*parts: str, max_size: int = 14) -> st.SearchStrategy[str]:
    return st.lists(st.sampled_from(parts), max_size=max_size).map("".join)


OLD_TOKEN = re.compile(r"\{\{(.*?)\}\}|<!--.*?-->", re.DOTALL)


@given(pieces("{", "}", "{{", "}}", "<!--", "-->", "<!", "--", ">", "a", " ", "#"))
def test_template_tags_are_the_old_patterns(template: str) -> None:
    old = [m.group(1) for m in OLD_TOKEN.finditer(template)]
    assert list(_tags(template)) == [t.lstrip("{").strip() for t in old if t is not None]


OLD_DELETION = re.compile(r"\{\{c(\d+)::(.*?)(?:::([^}]*?))?\}\}", re.DOTALL)
OPEN = re.compile(r"\{\{c(\d+)::")


@given(pieces("{{c1::", "{{c12::", "{{", "{", "}", "}}", "::", ":", "a", "<b>", "\n"))
def test_deletions_are_the_old_patterns_where_none_holds_another(text: str) -> None:
    matches = list(OLD_DELETION.finditer(text))
    opens = len(OPEN.findall(text))
    if opens != len(matches) or any(OPEN.search(m.group(), 1) for m in matches):
        # Nested or unclosed: an error either way (cloze-unbalanced); now the inner one.
        assert opens != len(deletions(text))
        return
    assert [tuple(d) for d in deletions(text)] == [m.groups() for m in matches]


OLD_MATH = re.compile(r"\\\(.*?\\\)|\\\[.*?\\\]|\$\$.*?\$\$", re.DOTALL)


@given(pieces("\\(", "\\)", "\\[", "\\]", "$$", "$", "\\", "a", "\n"))
def test_math_in_cloze_text_is_the_old_pattern_where_no_opening_repeats(text: str) -> None:
    old = [m.group() for m in OLD_MATH.finditer(text)]
    new = [m.group() for m in MATH.finditer(text)]
    nested = any(found[2:-2].count(found[:2]) for found in old if not found.startswith("$$"))
    if not nested:
        assert new == old


def _reference() -> MarkdownIt:
    """The notes' Markdown as it was with mdit-py-plugins' texmath (without its
    numbered-equation rule, as parse/markdown.py had it)."""

    def display_math_inline(state: Any, silent: bool) -> bool:
        if not state.src.startswith("\\[", state.pos):
            return False
        end = state.src.find("\\]", state.pos + 2)
        if end < 0 or end == state.pos + 2:
            return False
        if not silent:
            token = state.push("math_inline_double", "math", 0)
            token.content = state.src[state.pos + 2 : end]
            token.markup = "\\["
        state.pos = end + 2
        return True

    md = MarkdownIt("commonmark", {"html": True})
    md.use(
        dollarmath_plugin, allow_labels=False, allow_space=False, allow_digits=False,
        double_inline=True,
    )  # fmt: skip
    md.use(texmath_plugin, delimiters="brackets")
    md.inline.ruler.before("escape", "display_math_inline", display_math_inline)
    md.block.ruler.disable("math_block_eqno")
    return md


REFERENCE = _reference()


def _tokens(md: MarkdownIt, text: str) -> list[tuple[str, str, str]]:
    out = []
    for token in md.parse(text):
        for t in [token, *(token.children or [])]:
            out.append((t.type, t.content, t.markup))
    return out


MATH_PIECES = ("\\(", "\\)", "\\[", "\\]", "$$", "$", "a", " ", "1", "\\", "*")


@given(pieces(*MATH_PIECES, max_size=16))
def test_inline_math_is_read_as_texmath_read_it(line: str) -> None:
    text = "x " + line  # within a paragraph: the inline rules alone
    assert _tokens(MD, text) == _tokens(REFERENCE, text)


@given(pieces(*MATH_PIECES, "\\]\n", "\n", "\n\n", "- ", "> ", "  ", max_size=20))
def test_math_blocks_are_read_as_texmath_and_dollarmath_read_them(text: str) -> None:
    """As texmath reads them, but for one thing on purpose: a `\\[...\\]` block over lines
    of a quote holds its lines without their `>` markers (texmath keeps them in the math)."""
    assert _tokens(MD, text) == _unquoted(_tokens(REFERENCE, text))


def _unquoted(tokens: list[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    """`tokens` with each `\\[` math block in a quote holding its lines without the markers of
    the quotes it is in."""
    depth, out = 0, []
    for kind, content, markup in tokens:
        depth += {"blockquote_open": 1, "blockquote_close": -1}.get(kind, 0)
        if kind == "math_block" and markup == "\\[" and depth:
            content = re.sub(rf"\n(?: {{0,3}}> ?){{1,{depth}}}", "\n", content)
        out.append((kind, content, markup))
    return out


def test_display_math_in_a_quote_holds_no_quote_markers() -> None:
    (block,) = [t for t in MD.parse("> \\[a\n> b\\]\n") if t.type == "math_block"]
    assert block.content == "a\nb"


@given(st.text("ab\n\u200b"), st.data())
def test_line_cols_are_the_lines_and_columns_counted_afresh(text: str, data: st.DataObject) -> None:
    """`records.line_cols` finds many places in one pass; each is what counting gives."""
    from generator.records import line_cols

    offsets = sorted(data.draw(st.lists(st.integers(0, len(text)))))
    expected = [
        (text.count("\n", 0, at) + 1, at - (text.rfind("\n", 0, at) + 1) + 1) for at in offsets
    ]
    assert line_cols(text, offsets) == expected


def test_a_line_of_invisible_characters_is_one_located_error() -> None:
    from generator.parse.invisible import invisible_characters

    (found,) = invisible_characters("---\nx\u200b\u200by\u202e\n", "a.md")
    assert str(found.location) == "a.md:2:2"
    assert "U+200B ZERO WIDTH SPACE (and 2 more on this line)" in found.message
