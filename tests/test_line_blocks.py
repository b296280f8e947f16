"""The line-block shortcut reads exactly what markdown-it reads, or steps aside.

For any file that line_blocks.read_blocks accepts, parse_file (which then takes the shortcut,
unless plain.py's is taken first) must give the same entries and diagnostics as
parse_markdown (markdown-it's block and inline parsers); files it does not accept must go
to markdown-it. The generated files are shaped like notes as people write them: inline
markup of every kind, items over several lines, enumerations, prose and `Tags:` lines, and
every line start that could mean a block to Markdown.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import event, given, settings
from hypothesis import strategies as st
from markdown_it.token import Token

from benchmarks.synthetic import write_source
from generator.parse.line_blocks import Card, read_blocks
from generator.parse.markdown import MD, plain_text, render_inline
from generator.parse.plain import read_plain
from generator.parse.simple_inline import html, text_spans, tokens
from generator.parse.walk import parse_file, parse_markdown
from generator.records import SourceFile, Variant

VARIANTS = frozenset({Variant.BASIC, Variant.REVERSE, Variant.CLOZE})
HEAD = "---\ndeck: D\n---\n"


def same_either_way(text: str) -> str:
    """Assert both parsers agree on `text`; say which way parse_file took."""
    source = SourceFile("notes/x.md", "x.md", text)
    assert parse_file(source, VARIANTS) == parse_markdown(source, VARIANTS)
    if read_plain(text) is not None:
        return "plain"
    blocks = read_blocks(text)
    if blocks is None:
        return "markdown-it"
    return "line blocks, items read whole" if _cards(blocks.tokens) else "line blocks"


def _cards(tokens: list[Token | Card]) -> int:
    return sum(isinstance(token, Card) for token in tokens)


_WORDS = ["term", "Wert", "é", "42", "a.b", "x,", "(p)", "{{c1::k}}", "{{c2::a b}}", "?", "50%"]
# simple_inline's spans, and what lies just outside them
_SPANS = [
    *["**two words**:", "*it*.", "(**in**)", "**a**b", "a**b**", "*a*b", "` a `", "`a b`"],
    *["**Term:**", '**"q"**', "*(p)*", "*a **b** c*", "**a *b* c**", "***x***", "*a*)"],
    *["[a b](https://e.org/x-y)", "[A](https://E.org)", "[a](https://e.org/a_b)", "[a](b)"],
    *[
        "[a](https://e.org/(x))",
        "[*a*](https://e.org)",
        "[a](https://e.org)b",
        "x[a](https://e.org)",
    ],
]
_MARKUP = [
    *["*em*", "**strong**", "_u_", "__uu__", "`code`", "``a`b``", "[link](https://e.org/a)"],
    *["[ref]", "![img](i.png)", "&amp;", "&#42;", "<b>x</b>", "<!-- id: p1 -->", "a\\*b"],
    *["$x^2$", "\\(y\\)", "\\[z\\]", "~~del~~", "*open", "close**", "**", "*", "_", "`"],
    *["|", "a  ", "<!-- guid: a%20b -->", "<!-- deckgen: fix it -->", "https://x.org"],
    *_SPANS,
]
# What a line may start with: mostly text, and everything that could begin a block.
_STARTS = [
    *["", "", "", "", "**T**: ", "**T:** ", "*", "**", "_", "`", "```", "~~~", "> ", "# "],
    *["**T** - ", "**T** -- ", "**T** \u2013 ", "**T**\u2014", "**T**", "**T:**", "**:** "],
    *["1. ", "2) ", "- ", "* ", "+ ", "---", "===", "<div>", "$$", "\\[", "[a]: /u", "[", "!"],
    *["&", " ", "  ", "    ", "(", "{", '"', "'", "\t", "| a |", ":", "\xa0"],
]


def _text(markup: bool) -> st.SearchStrategy[str]:
    pool = _WORDS * 3 + _MARKUP if markup else _WORDS
    words = st.lists(st.sampled_from(pool), min_size=1, max_size=6).map(" ".join)
    start = st.one_of(st.just(""), st.just(""), st.sampled_from(_STARTS)) if markup else st.just("")
    return st.builds(str.__add__, start, words)


def _block(markup: bool) -> st.SearchStrategy[str]:
    text = _text(markup)
    more = st.lists(text, max_size=2)
    marker = st.sampled_from(["- ", "- ", "1. ", "2. ", "* ", "1) ", "10. "])
    enumeration = st.lists(
        st.tuples(marker, text, more).map(
            lambda t: "\n".join([f"  {t[0]}{t[1]}", *(" " * (2 + len(t[0])) + m for m in t[2])])
        ),
        max_size=4,
    )
    return st.one_of(
        st.just(""),
        st.builds(lambda n, t: "#" * n + " " + t, st.integers(1, 7), text),
        st.builds(lambda t, m: "\n".join([t, *m]), text, more),  # a paragraph
        st.builds(lambda t: "Tags: " + t, text),
        st.builds(
            lambda t, m, e, indent: "\n".join([f"- {t}", *(indent + x for x in m), *e]),
            text,
            more,
            enumeration,
            st.sampled_from(["  ", "  ", "", "   ", " "]),
        ),
    )


_FRONT = st.sampled_from([HEAD, "---\ndeck: D\nvariants: [basic]\n---\n", "---\ndeck: [\n---\n"])


@settings(max_examples=10 * settings.default.max_examples)
@given(_FRONT, st.lists(_block(markup=False), max_size=10), st.sampled_from(["", "\n"]))
def test_notes_shaped_files_parse_the_same_either_way(
    front: str, blocks: list[str], end: str
) -> None:
    event(same_either_way(front + "\n".join(blocks) + end))


@settings(max_examples=10 * settings.default.max_examples)
@given(_FRONT, st.lists(_block(markup=True), max_size=10))
def test_marked_up_files_parse_the_same_either_way(front: str, blocks: list[str]) -> None:
    event(same_either_way(front + "\n".join(blocks)))


_PLAIN_SPANS = st.lists(st.sampled_from(_WORDS * 4 + _SPANS), min_size=1, max_size=6)
_SIMPLE = st.one_of(  # mostly plain words and spans; a fourth may hold any markup
    _PLAIN_SPANS,
    _PLAIN_SPANS,
    _PLAIN_SPANS,
    st.lists(st.sampled_from(_WORDS + _SPANS + _MARKUP), min_size=1, max_size=2),
)
_CARD_ITEM = st.builds(
    lambda front, separator, lines, numbered, enumeration: "\n".join(
        [f"- **{front}**{separator}{' '.join(lines[0])}", *("  " + " ".join(m) for m in lines[1:])]
        + [
            f"  {f'{n}.' if numbered else '-'} {' '.join(item)}"
            for n, item in enumerate(enumeration, 1)
        ]
    ),
    st.sampled_from(["Term", "Two words", "T:", "Wert:", "a.b", "x y:", "Why?", "42 b", "é", ":"]),
    st.sampled_from([": ", " ", " - ", " -- ", " \u2013 ", ": - ", ":", " : ", "\u2014 ", ". "]),
    st.lists(_SIMPLE, min_size=1, max_size=3) | st.just([[]]),  # [[]]: the front alone
    st.booleans(),
    st.lists(_SIMPLE, max_size=3) | st.just([]),
)
_CARD_LIST = st.builds(  # a front alone, then its enumeration
    lambda front, numbered, items: "\n".join(
        [f"- **{front}**"]
        + [f"  {f'{n}.' if numbered else '-'} {' '.join(item)}" for n, item in enumerate(items, 1)]
    ),
    st.sampled_from(["Which three?", "Steps:", "List"]),
    st.booleans(),
    st.lists(_SIMPLE, min_size=1, max_size=4),
)


@settings(max_examples=10 * settings.default.max_examples)
@given(
    st.lists(
        _CARD_ITEM | _CARD_LIST | st.sampled_from(["", "## Section", "Tags: a", "Prose *a*."]),
        max_size=4,
    )
)
def test_items_read_whole_parse_as_markdown_it_reads_them(blocks: list[str]) -> None:
    """Items with a bold front and simple spans, over one or more lines, are read whole
    (line_blocks.Card) where they can be, with the entries markdown-it's tokens give."""
    event(same_either_way(HEAD + "\n".join(blocks)))


_LINE = st.lists(st.sampled_from(_WORDS * 2 + _SPANS * 2 + _MARKUP), min_size=1, max_size=8)


@settings(max_examples=20 * settings.default.max_examples)
@given(st.lists(_LINE.map(" ".join), min_size=1, max_size=3).map("\n".join))
def test_simple_spans_make_what_markdown_it_makes(text: str) -> None:
    """Tokens and HTML made from simple_inline's spans (a text over lines included) are
    markdown-it's: rendered, as plain text (what walk.py reads of inline tokens), and
    span by span."""
    pieces = text_spans(text)
    event("simple" if pieces is not None else "markdown-it")
    if pieces is not None:
        made = tokens(pieces)
        parsed = MD.parseInline(text)[0].children or []
        assert render_inline(made) == render_inline(parsed)
        assert html(pieces) == render_inline(parsed)  # what a Card holds
        assert plain_text(made) == plain_text(parsed)
        # The same tokens, but for empty texts (markdown-it leaves one where a delimiter was).
        assert _shape(made) == _shape(parsed)


def _shape(tokens: list[Token]) -> list[tuple[object, ...]]:
    return [
        (t.type, t.tag, t.nesting, t.content, t.attrs)
        for t in tokens
        if t.type != "text" or t.content
    ]


def test_benchmark_marked_files_take_the_shortcut_and_parse_the_same(tmp_path: Path) -> None:
    write_source(tmp_path, 3_000, files=5, marked=True)
    texts = [p.read_text(encoding="utf-8") for p in sorted(tmp_path.glob("*.md"))]
    assert texts and all(same_either_way(text).startswith("line blocks") for text in texts)
    # Most items are read whole: a bold front, then a definition or a list, in simple spans.
    blocks = [read_blocks(text) for text in texts]
    cards = sum(_cards(b.tokens) for b in blocks if b is not None)
    assert cards > 0.8 * 3_000, cards


def test_what_people_write_takes_the_shortcut() -> None:
    text = HEAD + (
        "# Course\n\n## Section\n\nTags: kam, value\n\nSome *prose*, with `code` and a\n"
        "[link](https://example.org) over two lines.\n"
        "- **Term**: a *definition* with **bold**\n  that goes on.\n"
        "- **Which three?**\n  1. first *one*\n  2. second\n     over two lines\n  3. third\n"
        "- **List**\n  - a\n  - b <!-- id: pin -->\n\n"
        "- The {{c1::cloze}} with `code`.\n"
        "- **Term:** read whole, *over*\n  two lines - with [a link](https://e.org/x).\n"
    )
    assert same_either_way(text) == "line blocks, items read whole"


def test_anything_outside_the_subset_goes_to_markdown_it() -> None:
    assert read_blocks(HEAD + "- **Term**: with *emphasis*\n") is not None
    for lines in [
        "- **Term**: definition\nlazy continuation",
        "- **Term**\n\n  - nested after a blank line",
        "- **Term**: definition\n\n  second paragraph",
        "- **Term**\n  2. a list that does not start at 1",
        "- **Term**\n  - bullet\n  1. then numbered",
        "- **Term**\n  - a\n    - deeper",
        "- **Term**\n   three spaces",
        "> quoted",
        "```\ncode\n```",
        "<div>html</div>",
        "Text\n===",
        "Text\n---",
        "| a | b |\n| - | - |",
        "$$\nx\n$$",
        "[ref]: https://example.org",
        "* star item",
        "1. **Numbered**: item",
        "## Heading #",
        "- **Term**:\ta tab",
    ]:
        assert read_blocks(HEAD + lines + "\n") is None, lines
