"""Synthetic course material for the benchmarks: deterministic, realistic in shape.

Terms of 2 to 5 words, definitions of 10 to 30 words, a tenth enumerations (3 to 6 items),
a twentieth cloze sentences, a section every 50 records. Three corpora (`CORPORA`):

- **plain**: no inline markup, 100 files of LF lines, a 50-word vocabulary.
- **marked**: notes as people write them: a third of the fields with *emphasis*, **bold**,
  `code` or a link, a sixth of the definitions over two lines, numbered and bulleted
  enumerations with markup in items, a prose paragraph and a `Tags:` line in each section.
- **wild**: a shape nobody tuned for: 10 long files with CRLF line endings, a vocabulary of
  thousands of words with accents, `_emphasis_` and `__strong__`, inline math (`$...$`,
  `\\(...\\)`), entities (`&amp;`, `&eacute;`, `&#8212;`), questions, definitions that hold
  a nested list, enumeration items that start with a link or nest a list of their own,
  blockquotes, fenced code and `###` subsections between the items.

The benchmark reads what deckgen made of them back from its own packages (`floor.py`), so
nothing here has to predict deckgen's HTML.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

_VOCABULARY = (
    "account customer value sales market process strategy partner service product team plan "
    "growth revenue contract price offer channel support relation quality cost margin share "
    "demand supply region segment brand contact manager report target review budget risk "
    "culture power distance trust network order tender proposal analysis forecast buyer seller"
)
WORDS = _VOCABULARY.split()
_SYLLABLES: tuple[str, ...] = (
    "ka",
    "re",
    "mi",
    "to",
    "lu",
    "sa",
    "ne",
    "fo",
    "di",
    "ga",
    "pe",
    "ri",
    "mo",
    "bu",
)
_SYLLABLES += ("té", "zo", "ché", "va", "ul", "an", "or", "is", "em", "ät")

_MARKUP = ("*{}*", "**{}**", "`{}`", "[{}](https://example.org/{})")
_WILD_MARKUP = (
    "_{}_",
    "__{}__",
    "$x_{{{}}}^2$",
    "\\(\\sqrt{{{}}}\\)",
    "{} &amp; co",
    "caf&eacute; {}",
    "{} &#8212; said",
    "[{}](https://example.org/{})",
)


def _wild_words(rng: random.Random) -> list[str]:
    """About 4,000 distinct made-up words: a realistic vocabulary for the confusion checks."""
    return sorted(
        {"".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4))) for _ in range(5000)}
    )


class _Writer:
    """Words and fields in one corpus's style, from one seeded random generator."""

    def __init__(self, vocabulary: list[str], markup: tuple[str, ...], seed: int = 1) -> None:
        self.rng = random.Random(seed)
        self.vocabulary = vocabulary
        self.markup = markup

    def words(self, low: int, high: int) -> str:
        rng = self.rng
        return " ".join(rng.choice(self.vocabulary) for _ in range(rng.randint(low, high)))

    def text(self, low: int, high: int) -> str:
        """Plain words; with markup a third of the time, a word or two in it."""
        plain = self.words(low, high)
        if not self.markup or self.rng.random() >= 0.34:
            return plain
        head, _, tail = plain.partition(" ")
        inner = self.words(1, 2)
        mark = self.rng.choice(self.markup).format(inner, inner.replace(" ", "-"))
        return f"{head} {mark} {tail}".strip()

    def definition(self) -> str:
        text = self.text(10, 30)
        return text[:1].upper() + text[1:] + "."


def _two_lines(text: str) -> str:
    """A definition over two lines: the second indented, after its first two words."""
    words = text.split(" ", 2)
    return f"{words[0]} {words[1]}\n  {words[2]}" if len(words) == 3 else text


def _spans(count: int, files: int) -> list[range]:
    """The records of each file: `count` over `files`, the rest in the last."""
    per_file = max(1, count // files)
    return [
        range(f * per_file, count if f == files - 1 else (f + 1) * per_file) for f in range(files)
    ]


def _plain_or_marked(count: int, files: int, marked: bool) -> list[list[str]]:
    """Each file's lines (after its metadata block), records in order."""
    w = _Writer(WORDS, _MARKUP if marked else ())
    out: list[list[str]] = []
    for f, span in enumerate(_spans(count, files)):
        first = span.start
        lines = [f"# File {f}", ""]
        for i in span:
            if (i - first) % 50 == 0:
                lines += [f"## Section {(i - first) // 50}", ""]
                if marked:  # prose and tags, as lecture notes have them
                    lines += [
                        "Tags: bench::extra",
                        "",
                        "Some *prose* about this section, which is no card, with `code` and a",
                        "[link](https://example.org/section) over two lines.",
                        "",
                    ]
            roll = i % 20
            if roll in (0, 10):
                lines.append(f"- **Which {w.words(2, 4)} matter {i}?**")
                ordered = marked and roll == 10
                for n in range(1, w.rng.randint(3, 6) + 1):
                    lines.append(f"  {n}. {w.text(2, 5)}" if ordered else f"  - {w.text(2, 5)}")
            elif roll == 5:
                lines.append(
                    f"- The {w.words(2, 4)} {i} drives {{{{c1::{w.words(1, 3)}}}}} and "
                    f"{{{{c2::{w.words(1, 3)}}}}}."
                )
            else:
                front, back = f"{w.words(1, 4).capitalize()} {i}", w.definition()
                if marked and roll % 6 == 1:
                    back = _two_lines(back)
                lines.append(f"- **{front}**: {back}")
        out.append(lines)
    return out


def _wild(count: int, files: int) -> list[list[str]]:
    rng = random.Random(7)
    w = _Writer(_wild_words(rng), _WILD_MARKUP, seed=3)
    out: list[list[str]] = []
    for f, span in enumerate(_spans(count, max(1, files // 10))):  # long files
        lines = [f"# Chapter {f}: {w.words(2, 3)}", ""]
        for i in span:
            at = i - span.start
            if at % 120 == 0:
                lines += [f"## Part {at // 120} &#8212; {w.words(1, 3)}", "", "Tags: bench::extra"]
                lines += ["", f"> {w.text(8, 14)},", f"> {w.text(5, 9)}.", ""]
            elif at % 40 == 0:
                lines += ["", f"### {w.words(2, 3).capitalize()} {i}", ""]
                if at % 80 == 0:
                    lines += ["```python", f"total = sum({w.words(1, 1)} for _ in range(3))"]
                    lines += ["```", ""]
            roll = i % 20
            if roll in (0, 10):  # enumerations: an item that starts with a link, a nested list
                lines.append(f"- **What does {w.words(2, 3)} {i} include?**")
                for n in range(w.rng.randint(3, 6)):
                    if n == 0:
                        slug = w.words(1, 1)
                        lines.append(f"  - [{slug}](https://example.org/{slug}) {w.text(2, 4)}")
                    else:
                        lines.append(f"  - {w.text(2, 5)}")
                if roll == 10:
                    lines += [f"    - {w.words(1, 3)}", f"    - {w.words(1, 3)}"]
            elif roll == 5:
                lines.append(
                    f"- In {w.words(2, 3)} {i}, {{{{c1::{w.words(1, 2)}}}}} grows with "
                    f"$n^{{2}}$ and {{{{c2::{w.words(1, 3)}::hint}}}}."
                )
            elif roll in (3, 13):  # questions
                lines.append(f"- **Why does {w.words(1, 3)} {i} matter?** {w.definition()}")
            elif roll == 7:  # a definition that holds its own list
                lines += [
                    f"- **{w.words(1, 3).capitalize()} {i}**: {w.definition()} It has:",
                    f"  - {w.text(2, 4)}",
                    f"  - {w.text(2, 4)}",
                ]
            else:
                back = w.definition()
                if roll % 4 == 1:
                    back = _two_lines(back)
                lines.append(f"- **{w.words(1, 3).capitalize()} {i}**: {back}")
        out.append(lines)
    return out


def write_source(directory: Path, count: int, files: int = 100, marked: bool = False) -> None:
    """A source directory in deckgen's format: the plain corpus (or marked), `count` records
    over `files` files."""
    write_corpus(directory, "marked" if marked else "plain", count, files)


def write_corpus(directory: Path, corpus: str, count: int, files: int = 100) -> None:
    """A source directory of the named corpus (`CORPORA`) with `count` records."""
    newline = "\r\n" if corpus == "wild" else "\n"
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "deckgen.toml").write_text(
        '[tags]\nbench = "Benchmark"\n"bench::extra" = "More"\n', encoding="utf-8"
    )
    for f, body in enumerate(CORPORA[corpus](count, files)):
        head = ["---", f"deck: Bench::File {f:03}", "tags: [bench]", "---", ""]
        text = newline.join(head + body) + newline
        (directory / f"file-{f:03}.md").write_bytes(text.encode("utf-8"))


CORPORA: dict[str, Callable[[int, int], list[list[str]]]] = {
    "plain": lambda count, files: _plain_or_marked(count, files, marked=False),
    "marked": lambda count, files: _plain_or_marked(count, files, marked=True),
    "wild": _wild,
}
