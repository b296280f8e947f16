"""The plain-file shortcut reads exactly what markdown-it reads, or steps aside.

For any file that plainparse.read_plain accepts, parse_file (which then takes the
shortcut) must give the same entries and diagnostics as parse_markdown (markdown-it's
tokens); files it does not accept must go to markdown-it.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import event, given, settings
from hypothesis import strategies as st

from benchmarks.synthetic import write_source
from generator.parse.plain import _INERT_OR_UNDERSCORE, is_inert, read_plain
from generator.parse.walk import parse_file, parse_markdown
from generator.records import SourceFile, Variant

VARIANTS = frozenset({Variant.BASIC, Variant.REVERSE, Variant.CLOZE})


def same_either_way(text: str) -> bool:
    """Assert both parsers agree on `text`; True when the shortcut was taken."""
    source = SourceFile("notes/x.md", "x.md", text)
    assert parse_file(source, VARIANTS) == parse_markdown(source, VARIANTS)
    return read_plain(text) is not None


# Inert text with the edges of the subset (spaces, separators, numbers, cloze markup), and,
# for the second strategy, a sprinkling of everything that means something to Markdown.
_INERT = [*list("abcxyzABCÄéß019 .,;:?!'\"()/{}+=%$@^-–—"), "{{c1::", "}}", " ", "1.", "2)"]
_SPECIAL = [*list("*_`[]<>&\\~|#\t\xa0“”"), "**", " **", "** ", "---", "&amp;", "<!-- id: a -->"]


def _text(chars: list[str]) -> st.SearchStrategy[str]:
    word = st.builds(
        str.__add__,
        st.sampled_from("aZé1{"),
        st.lists(st.sampled_from(chars), max_size=4).map("".join),
    )
    return st.one_of(
        st.lists(word, min_size=1, max_size=4).map(" ".join),  # mostly well-formed text
        st.lists(word, min_size=1, max_size=4).map(" ".join),
        st.lists(st.sampled_from(chars), max_size=10).map("".join),  # any spacing
    )


def _blocks(chars: list[str]) -> st.SearchStrategy[str]:
    """Blocks shaped like the plain subset: headings, terms, enumerations, clozes."""
    text = _text(chars)
    return st.one_of(
        st.just(""),
        st.builds(lambda n, t: "#" * n + " " + t, st.integers(1, 7), text),
        st.builds(
            lambda f, sep, b: f"- **{f}**{sep}{b}",
            text,
            st.sampled_from([":", ": ", ": ", " ", " – ", " - ", "", "::", ":**", "x"]),
            text,
        ),
        st.builds(
            lambda f, items: "\n".join([f"- **{f}**", *(f"  - {i}" for i in items)]),
            text,
            st.lists(text, max_size=4),
        ),
        st.builds(lambda t: "- " + t, text),
        st.builds(lambda t: "- The {{c1::" + t + "}} rule.", text),
    )


def _lines(chars: list[str]) -> st.SearchStrategy[str]:
    """Any line, plain-shaped or not."""
    text = _text(chars)
    return st.one_of(
        _blocks(chars),
        st.builds(lambda t: "  - " + t, text),
        st.builds(lambda t: "    - " + t, text),
        text,
    )


_FRONT = st.sampled_from(
    [
        "---\ndeck: Deck\n---\n",
        "---\ndeck: Deck\nvariants: [basic]\n---\n",
        "--- \ndeck: D\n---\n",
        "---\ndeck: [\n---\n",
        "deck: D\n",
    ]
)


@settings(max_examples=5 * settings.default.max_examples)
@given(_FRONT, st.lists(_blocks(_INERT), max_size=10), st.sampled_from(["", "\n"]))
def test_plain_shaped_files_parse_the_same_either_way(
    front: str, lines: list[str], end: str
) -> None:
    event("plain" if same_either_way(front + "\n".join(lines) + end) else "markdown-it")


@settings(max_examples=2 * settings.default.max_examples)
@given(_FRONT, st.lists(_lines(_INERT * 8 + _SPECIAL), max_size=14))
def test_any_files_parse_the_same_either_way(front: str, lines: list[str]) -> None:
    event("plain" if same_either_way(front + "\n".join(lines)) else "markdown-it")


def test_benchmark_files_take_the_shortcut_and_parse_the_same(tmp_path: Path) -> None:
    write_source(tmp_path, 3_000, files=5)
    texts = [p.read_text(encoding="utf-8") for p in sorted(tmp_path.glob("*.md"))]
    assert texts and all(same_either_way(text) for text in texts)


def test_anything_outside_the_subset_goes_to_markdown_it() -> None:
    head = "---\ndeck: D\n---\n"
    assert read_plain(head + "- **Term**: plain text, with (punctuation)!\n") is not None
    for line in [
        "- **Term**: with *emphasis*",
        "- **Term**: with `code`",
        "- **Term**: with a [link](x)",
        "- **Term**: a &amp; b",
        "- **Term**: trailing spaces  ",
        "- **Term**: a\ttab",
        "- **Term**: definition\n  - and a nested list",
        "- **Term**\n\n  - nested after a blank line",
        "- **Why?**because",
        "- ** spaced **: x",
        "- 1. numbered",
        "Tags: kam",
        "A paragraph.",
        "<!-- id: pin -->",
        "1. **Term**: numbered",
        "## Heading #",
    ]:
        assert read_plain(head + line + "\n") is None, line


def inert_by_pattern(text: str) -> bool:
    return "_" not in text and _INERT_OR_UNDERSCORE(text) is not None


def test_every_ascii_character_is_inert_exactly_when_the_pattern_says() -> None:
    """is_inert's ASCII shortcut (bytes.translate) agrees with the character class."""
    for char in map(chr, range(128)):
        assert is_inert(f"a{char}b") == inert_by_pattern(f"a{char}b"), repr(char)


@given(st.text(st.characters(max_codepoint=127), max_size=12))
def test_an_ascii_text_is_inert_exactly_when_the_pattern_says(text: str) -> None:
    assert is_inert(text) == inert_by_pattern(text)
