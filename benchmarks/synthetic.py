"""Synthetic course material for the benchmarks: deterministic, realistic in shape.

Terms of 2 to 5 words, definitions of 10 to 30 words, a tenth enumerations (3 to 6 items),
a twentieth cloze sentences, spread over `files` files with a section every 50 records.
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


def facts(count: int, seed: int = 1) -> Iterator[Fact]:
    rng = random.Random(seed)

    def words(low: int, high: int) -> str:
        return " ".join(rng.choice(WORDS) for _ in range(rng.randint(low, high)))

    for i in range(count):
        roll = i % 20
        if roll in (0, 10):
            items = tuple(words(2, 5) for _ in range(rng.randint(3, 6)))
            yield Fact("enumeration", f"Which {words(2, 4)} matter {i}?", "", items)
        elif roll == 5:
            yield Fact(
                "cloze",
                f"The {words(2, 4)} {i} drives {{{{c1::{words(1, 3)}}}}} and {{{{c2::{words(1, 3)}}}}}.",
                "",
                (),
            )
        else:
            yield Fact(
                "term", f"{words(1, 4).capitalize()} {i}", f"{words(10, 30).capitalize()}.", ()
            )


def write_source(directory: Path, count: int, files: int = 100) -> None:
    """A source directory in deckgen's format with `count` records over `files` files."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "deckgen.toml").write_text('[tags]\nbench = "Benchmark"\n', encoding="utf-8")
    per_file = max(1, count // files)
    all_facts = list(facts(count))
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
            if fact.kind == "term":
                lines.append(f"- **{fact.front}**: {fact.back}")
            elif fact.kind == "cloze":
                lines.append(f"- {fact.front}")
            else:
                lines.append(f"- **{fact.front}**")
                lines += [f"  - {item}" for item in fact.items]
        (directory / f"file-{f:03}.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
