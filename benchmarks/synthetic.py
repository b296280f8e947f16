"""Synthetic course material for the benchmarks: deterministic, realistic in shape.

Terms of 2 to 5 words, definitions of 10 to 30 words, a tenth enumerations (3 to 6 items),
a twentieth cloze sentences, spread over `files` files with a section every 50 records.

Two corpora. **plain**: no inline markup, every file in the line-by-line subset. **marked**:
notes as people write them: a third of the fields with *emphasis*, **bold**, `code` or a
link, a sixth of the definitions over two lines, numbered and bulleted enumerations with
markup in items, a prose paragraph and a `Tags:` line in each section. Each fact carries
its fields' Markdown and the HTML deckgen makes of them, so the floor writes the same fields.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

_VOCABULARY = (
    "account customer value sales market process strategy partner service product team plan "
    "growth revenue contract price offer channel support relation quality cost margin share "
    "demand supply region segment brand contact manager report target review budget risk "
    "culture power distance trust network order tender proposal analysis forecast buyer seller"
)
WORDS = _VOCABULARY.split()


@dataclass(frozen=True)
class Fact:
    kind: str  # term, enumeration, cloze
    front: str
    back: str
    items: tuple[str, ...]
    ordered: bool = False
    """A numbered enumeration."""
    markdown: tuple[str, ...] = ()
    """The back (or each item) as written in the notes, when it differs from the HTML: a
    definition's second line starts with a newline."""


_MARKUP = (
    ("*{}*", "<em>{}</em>"),
    ("**{}**", "<strong>{}</strong>"),
    ("`{}`", "<code>{}</code>"),
    ("[{}](https://example.org/{})", '<a href="https://example.org/{}">{}</a>'),
)


def facts(count: int, seed: int = 1, marked: bool = False) -> Iterator[Fact]:
    rng = random.Random(seed)

    def words(low: int, high: int) -> str:
        return " ".join(rng.choice(WORDS) for _ in range(rng.randint(low, high)))

    def text(low: int, high: int, start: str = "") -> tuple[str, str]:
        """Markdown and its HTML: plain words, and in the marked corpus a third of the time
        a word or two in markup."""
        plain = (start + " " + words(low, high)).strip()
        if not marked or rng.random() >= 0.34:
            return plain, plain
        head, _, tail = plain.partition(" ")
        inner = words(1, 2)
        md, html = _MARKUP[rng.randrange(len(_MARKUP))]
        slug = inner.replace(" ", "-")
        if md.startswith("["):
            return (
                f"{head} {md.format(inner, slug)} {tail}".strip(),
                f"{head} {html.format(slug, inner)} {tail}".strip(),
            )
        return (
            f"{head} {md.format(inner)} {tail}".strip(),
            f"{head} {html.format(inner)} {tail}".strip(),
        )

    for i in range(count):
        roll = i % 20
        if roll in (0, 10):
            pairs = [text(2, 5) for _ in range(rng.randint(3, 6))]
            ordered = marked and roll == 10
            yield Fact(
                "enumeration",
                f"Which {words(2, 4)} matter {i}?",
                "",
                tuple(h for _, h in pairs),
                ordered,
                tuple(m for m, _ in pairs),
            )
        elif roll == 5:
            yield Fact(
                "cloze",
                f"The {words(2, 4)} {i} drives {{{{c1::{words(1, 3)}}}}} and {{{{c2::{words(1, 3)}}}}}.",
                "",
                (),
            )
        else:
            md, html = text(10, 30)
            md, html = md[:1].upper() + md[1:] + ".", html[:1].upper() + html[1:] + "."
            if marked and roll % 6 == 1:  # a definition over two lines
                first, _, rest = md.partition(" ")
                second, _, rest = rest.partition(" ")
                md = f"{first} {second}\n  {rest}" if rest else md
            yield Fact("term", f"{words(1, 4).capitalize()} {i}", html, (), False, (md,))


def write_source(directory: Path, count: int, files: int = 100, marked: bool = False) -> None:
    """A source directory in deckgen's format with `count` records over `files` files."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "deckgen.toml").write_text(
        '[tags]\nbench = "Benchmark"\n"bench::extra" = "More"\n', encoding="utf-8"
    )
    per_file = max(1, count // files)
    all_facts = list(facts(count, marked=marked))
    for f in range(files):
        chunk = (
            all_facts[f * per_file : (f + 1) * per_file]
            if f < files - 1
            else all_facts[f * per_file :]
        )
        lines = ["---", f"deck: Bench::File {f:03}", "tags: [bench]", "---", "", f"# File {f}", ""]
        for i, fact in enumerate(chunk):
            if i % 50 == 0:
                lines += [f"## Section {i // 50}", ""]
                if marked:  # prose and tags, as lecture notes have them
                    lines += [
                        "Tags: bench::extra",
                        "",
                        "Some *prose* about this section, which is no card, with `code` and a",
                        "[link](https://example.org/section) over two lines.",
                        "",
                    ]
            if fact.kind == "term":
                lines.append(
                    f"- **{fact.front}**: {fact.markdown[0] if fact.markdown else fact.back}"
                )
            elif fact.kind == "cloze":
                lines.append(f"- {fact.front}")
            else:
                lines.append(f"- **{fact.front}**")
                items = fact.markdown or fact.items
                lines += [
                    f"  {n}. {item}" if fact.ordered else f"  - {item}"
                    for n, item in enumerate(items, 1)
                ]
        (directory / f"file-{f:03}.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
