"""Confusions: cards that a student cannot answer from what they show, or that give answers away.

Three checks over a deck's records, each a located warning:

- `ambiguous-reverse`: two terms whose definitions read so alike (their content words, in
  order) that a
  reverse card, which shows the definition, cannot tell which term is meant;
- `confusable-fronts`: two questions that ask nearly the same thing (the same content
  words, an acronym matched to the words it abbreviates) but have different answers;
- `item-gives-away`: two items of one enumeration that differ in a single word, so each
  item's cloze card shows the other and gives most of the answer away.

Pairs are found through an index of rare words, so the work stays near linear in a large
deck: a word in more than MAX_POSTINGS records of a deck does not pair records up.
"""

from __future__ import annotations

import difflib
import itertools
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence

from ..diagnostics import Diagnostic, warning
from ..identity.fold import fold, plain
from ..identity.note_types import MAX_ITEMS
from ..records import Kind, Record, Variant
from .media import SOUND

AMBIGUOUS_RATIO = 0.4
"""Two definitions whose word sequences are at least this alike (difflib's ratio) are
ambiguous on a reverse card. Calibrated on the course: cross-selling and upselling (0.38)."""
CONFUSABLE_OVERLAP = 0.75
"""Two questions sharing at least this share of their content words (Jaccard) are confusable."""
MAX_POSTINGS = 50
"""A word in more records of a deck than this is too common to pair records up."""
_STOP = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "to",
        "in",
        "on",
        "for",
        "and",
        "or",
        "with",
        "by",
        "at",
        "from",
        "is",
        "are",
        "was",
        "be",
        "as",
        "it",
        "its",
        "that",
        "this",
        "which",
        "what",
        "who",
        "whom",
        "how",
        "why",
        "when",
        "where",
        "does",
        "do",
        "can",
        "than",
        "into",
        "their",
        "them",
        "they",
        "there",
        "these",
        "those",
        "your",
        "you",
        "not",
        "no",
    ]
)
_WORD = re.compile(r"[\w'-]+")


def confusions(records: Sequence[Record], words: Sequence[Sequence[str]]) -> list[Diagnostic]:
    """The confusions between the records of each deck (the notes' records): ambiguous
    reverses and confusable fronts. `words` holds each record's `compared_words`, made once
    per file (`each_file`)."""
    by_deck: dict[str, list[int]] = defaultdict(list)
    for i, record in enumerate(records):
        by_deck[record.deck].append(i)
    problems: list[Diagnostic] = []
    for indexes in by_deck.values():
        terms = [i for i in indexes if _reversed(records[i])]
        problems += _ambiguous_reverses([records[i] for i in terms], [words[i] for i in terms])
        questions = [i for i in indexes if records[i].kind in (Kind.QUESTION, Kind.ENUMERATION)]
        problems += _confusable_fronts(
            [records[i] for i in questions], [words[i] for i in questions]
        )
    return problems


def items_give_away(records: Iterable[Record]) -> list[Diagnostic]:
    """The enumerations, asked one item at a time, whose items give each other away: a
    check of each record alone. A list over MAX_ITEMS is refused (`variants`) and not
    compared: its pairs grow with the square of its items (50,000 took minutes)."""
    problems: list[Diagnostic] = []
    for record in records:
        if (
            record.kind is Kind.ENUMERATION
            and Variant.CLOZE in record.variants
            and len(record.items) <= MAX_ITEMS
        ):
            problems += _items_give_away(record)
    return problems


def compared_words(record: Record) -> tuple[str, ...]:
    """What the confusion checks compare of a record: a reversed term's definition, a
    question's or a list's front (`content_words`); nothing of other records."""
    if _reversed(record):
        return tuple(content_words(record.back))
    if record.kind in (Kind.QUESTION, Kind.ENUMERATION):
        return tuple(content_words(record.front))
    return ()


def _reversed(record: Record) -> bool:
    return record.kind is Kind.TERM and Variant.REVERSE in record.variants


def content_words(text: str) -> list[str]:
    """The words of a field that carry meaning: folded, stop words dropped, a plural's s cut
    (a sound's file name is not words)."""
    words = _words(fold(plain(SOUND.sub(" ", text) if "[sound:" in text else text)))
    for word in set(words).difference(_CONTENT):
        _CONTENT[word] = "" if word in _STOP else sys.intern(_singular(word))
    return list(filter(None, map(_CONTENT.__getitem__, words)))


def _singular(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("s") else word


_CONTENT: dict[str, str] = {}
"""Each word seen -> the word `content_words` keeps of it ("" for a stop word), interned:
a course repeats its words, and a word kept once is kept once in the file cache too
(100,000 records: 60 MB less). Worked out once a word, not once each time it is written."""


_ASCII_NOT_WORD = bytes(c for c in range(128) if not _WORD.fullmatch(chr(c)))
_NOT_WORD = bytes.maketrans(_ASCII_NOT_WORD, b" " * len(_ASCII_NOT_WORD))
"""Every ASCII character `_WORD` does not match (all but letters, digits, `_`, `'` and `-`),
to a space."""


def _words(text: str) -> list[str]:
    """`_WORD.findall(text)`: for ASCII text, split where `_NOT_WORD` puts spaces (twice as
    fast, once per record of a course)."""
    if text.isascii():
        return text.encode().translate(_NOT_WORD).decode().split()
    return _WORD.findall(text)


def _ambiguous_reverses(terms: list[Record], words: list[Sequence[str]]) -> Iterator[Diagnostic]:
    matcher: difflib.SequenceMatcher[str] = difflib.SequenceMatcher(None)
    indexed = -1
    for i, j in sorted(_alike(words, AMBIGUOUS_RATIO), key=lambda pair: pair[::-1]):
        first, second = terms[i], terms[j]
        if indexed != j:
            matcher.set_seq2(words[j])  # difflib indexes the second sequence: once per j
            indexed = j
        matcher.set_seq1(words[i])
        if matcher.ratio() >= AMBIGUOUS_RATIO:
            yield warning(
                second.location,
                "ambiguous-reverse",
                f"the definitions of '{plain(second.front)}' and '{plain(first.front)}' "
                f"(at {first.location}) read alike: their reverse cards cannot tell which "
                "term is meant; say what sets each apart",
            )


def _confusable_fronts(questions: list[Record], words: list[Sequence[str]]) -> Iterator[Diagnostic]:
    expanded = _Expanded(words)
    for i, j in _candidates(words):
        first, second = questions[i], questions[j]
        a, b = expanded(i, j), expanded(j, i)
        if not a or not b or len(a & b) / len(a | b) < CONFUSABLE_OVERLAP:
            continue
        if _answer(first) == _answer(second):
            continue  # the same question twice is a duplicate, reported elsewhere
        yield warning(
            second.location,
            "confusable-fronts",
            f"'{plain(second.front)}' asks nearly what '{plain(first.front)}' (at "
            f"{first.location}) asks, with another answer; make each question say what "
            "sets it apart, or merge them",
        )


def _items_give_away(record: Record) -> list[Diagnostic]:
    items = [fold(plain(item)).split() for item in record.items]
    for (i, a), (j, b) in itertools.combinations(enumerate(items), 2):
        if len(a) == len(b) > 1 and sum(x != y for x, y in zip(a, b, strict=True)) == 1:
            return [
                warning(
                    record.location,
                    "item-gives-away",
                    f"items {i + 1} and {j + 1} of '{plain(record.front)}' differ in one "
                    "word: each item's card shows the other and gives it away; word them "
                    "apart or ask for the list as one card",
                )
            ]
    return []


def _candidates(words: list[Sequence[str]]) -> Iterator[tuple[int, int]]:
    """Index pairs that share at least one word no more common than MAX_POSTINGS."""
    postings: dict[str, list[int]] = defaultdict(list)
    for i, record_words in enumerate(words):
        for word in set(record_words):
            postings[word].append(i)
    pairs: set[tuple[int, int]] = set()
    for indexes in postings.values():
        if len(indexes) <= MAX_POSTINGS:
            pairs.update(itertools.combinations(indexes, 2))
    return iter(sorted(pairs))


def _alike(words: list[Sequence[str]], ratio: float) -> Iterator[tuple[int, int]]:
    """The `_candidates` pairs whose difflib ratio can reach `ratio`: at least twice the words
    they share, repeats counted, over their lengths (difflib's `quick_ratio`, an upper bound
    of `ratio`, here without rebuilding a count of the second sequence for every pair)."""
    counts = [Counter(record_words) for record_words in words]
    for i, j in _candidates(words):
        a, b = counts[i], counts[j]
        if len(a) > len(b):
            a, b = b, a
        common = sum(min(n, b[w]) for w, n in a.items() if w in b)
        if 2 * common >= ratio * (len(words[i]) + len(words[j])):
            yield i, j


class _Expanded:
    """`set(_expand(words[i], words[j]))` for index pairs, with what depends on one record
    made once: most records have no word the other's initials spell, and keep their own set."""

    def __init__(self, words: list[Sequence[str]]) -> None:
        self.words = words
        self.sets = [set(record_words) for record_words in words]
        self.initials = ["".join(w[0] for w in record_words) for record_words in words]
        self.acronyms = [[w for w in ws if 2 <= len(w) <= 5 and w.isalpha()] for ws in words]

    def __call__(self, i: int, j: int) -> set[str]:
        initials = self.initials[j]
        if not any(word in initials for word in self.acronyms[i]):
            return self.sets[i]
        return set(_expand(self.words[i], self.words[j]))


def _expand(words: Iterable[str], other: Sequence[str]) -> list[str]:
    """`words` with each acronym replaced by the words of `other` whose initials spell it."""
    out: list[str] = []
    initials = "".join(w[0] for w in other)  # one letter per word: a span's initials are a slice
    for word in words:
        start = initials.find(word) if 2 <= len(word) <= 5 and word.isalpha() else -1
        if start < 0:
            out.append(word)
        else:
            out += other[start : start + len(word)]
    return out


def _answer(record: Record) -> str:
    return fold(plain(record.back or " ".join(record.items)))
