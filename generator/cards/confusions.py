"""Confusions: cards of a deck that a student cannot tell apart, or that ask one fact twice.

Four checks over a deck's records (the words each compares are `words.py`'s stems), each a
located warning that says what to do:

- `ambiguous-reverse` (`reverses.py`): a reverse card's prompt (a definition) fits another
  term of the deck;
- `confusable-fronts`: two questions that ask the same in other words (a possessive, the
  word order, an acronym, words of general vocabulary such as "aim" and "goal"), with other
  answers; a difference the deck makes again and again ("to sellers" / "to customers") is a
  contrast the student knows, not a confusion;
- `same-fact` (`same_fact.py`): one fact on two notes;
- `item-gives-away` (`items_give_away`): the items of a list asked one at a time mirror each
  other, so each card shows the answer of another.

Pairs are found through an index of each record's stems (`compared_words`): a stem in more
than MAX_POSTINGS records of a deck pairs nothing up, so the work grows with the records
that share rare words, not with the square of the deck.
"""

from __future__ import annotations

import itertools
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from typing import NamedTuple

from ..diagnostics import Diagnostic, warning
from ..identity.fold import fold, plain
from ..identity.note_types import MAX_ITEMS
from ..records import Kind, Record, Variant
from . import words as w
from .reverses import ambiguous_reverses
from .same_fact import same_facts

_AUXILIARY = frozenset(
    [
        "is",
        "are",
        "was",
        "were",
        "do",
        "does",
        "did",
        "can",
        "could",
        "will",
        "would",
        "should",
        "shall",
        "has",
        "have",
        "had",
        "must",
        "may",
        "might",
    ]
)
MAX_POSTINGS = 50
"""A stem in more records of a deck than this is too common to pair records up."""


def confusions(
    records: Sequence[Record], words: Sequence[Sequence[str]], language: str = w.DEFAULT_LANGUAGE
) -> list[Diagnostic]:
    """The confusions between the records of each deck. `words` holds each record's
    `compared_words`, made once per file (`each_file`)."""
    lang = w.language(language)
    by_deck: dict[str, list[int]] = defaultdict(list)
    for i, record in enumerate(records):
        by_deck[record.deck].append(i)
    problems: list[Diagnostic] = []
    for indexes in by_deck.values():
        deck = [records[i] for i in indexes]
        pairs = _candidates([words[i] for i in indexes], [r.kind is Kind.TERM for r in deck])
        df = Counter(s for i in indexes for s in set(words[i]))
        rare = [frozenset(s for s in words[i] if df[s] <= MAX_POSTINGS) for i in indexes]
        problems += ambiguous_reverses(deck, rare, df, lang)
        if pairs:  # the two checks below weigh pairs' stems by the deck's own words
            vocabulary = lang.vocabulary(_texts(deck))
            problems += _confusable_fronts(deck, pairs, lang, vocabulary)
            problems += same_facts(deck, pairs, df, lang, vocabulary)
    return problems


def _texts(deck: Iterable[Record]) -> Iterator[str]:
    """All the records show (a cloze's answers are in its front): every word they weigh."""
    for record in deck:
        yield record.front
        yield record.back
        yield from record.items


def compared_words(record: Record, language: str = w.DEFAULT_LANGUAGE) -> tuple[str, ...]:
    """What pairs a record up with others: the distinct stems of all it shows (its front,
    back and items), sorted."""
    lang = w.language(language)
    found = set(lang.stems(record.front)).union(lang.stems(record.back))
    for item in record.items:
        found.update(lang.stems(item))
    return tuple(sorted(found))


def _candidates(
    words: Sequence[Sequence[str]], terms: Sequence[bool] = ()
) -> list[tuple[int, int]]:
    """Index pairs, in order, that share at least one stem no more common than MAX_POSTINGS,
    but for two of `terms` (no check here compares two terms: `ambiguous_reverses` pairs them
    up itself). Each record's later partners are gathered from its stems' postings: on a deck of
    thousands with a large vocabulary, a set of every pair took a tenth of the build."""
    postings: dict[str, list[int]] = defaultdict(list)
    for i, record_words in enumerate(words):
        for word in record_words:
            postings[word].append(i)
    rare = {word: found for word, found in postings.items() if 1 < len(found) <= MAX_POSTINGS}
    others = {w: [i for i in found if not terms[i]] for w, found in rare.items()} if terms else rare
    pairs: list[tuple[int, int]] = []
    for i, record_words in enumerate(words):
        index = others if terms and terms[i] else rare
        later: set[int] = set()
        for word in record_words:
            found = index.get(word)
            if found and found[-1] > i:
                later.update(found[bisect_right(found, i) :])
        pairs.extend(zip(itertools.repeat(i), sorted(later)))
    return pairs


class _Question(NamedTuple):
    """What `_confusable_fronts` reads of a question or a list, worked out once per deck."""

    record: Record
    answer: str
    """Its answer, folded (`_answer`)."""
    interrogative: str
    """What kind of answer it wants (`_interrogative`)."""
    words: tuple[str, ...]
    """The folded words of its front, compounds kept whole."""
    acronyms: list[str]
    """The acronyms of its front."""
    asked: frozenset[str]
    """The stems of its front, no acronym written in (`_asked` against a front without one)."""


def _question(record: Record, lang: w.Language) -> _Question | None:
    if record.kind not in (Kind.QUESTION, Kind.ENUMERATION):
        return None
    mine = w.words(record.front, compounds=True)  # "first-time" is one word, not two common ones
    asked = frozenset(s for s in map(lang.stem, mine) if s)
    return _Question(
        record, _answer(record), _interrogative(record), mine, w.acronyms(record.front), asked
    )


def _confusable_fronts(
    deck: Sequence[Record],
    pairs: Iterable[tuple[int, int]],
    lang: w.Language,
    vocabulary: w.Vocabulary,
) -> list[Diagnostic]:
    found: list[tuple[Record, Record, frozenset[str]]] = []
    questions: dict[int, _Question | None] = {}
    for i, j in pairs:
        if i not in questions:
            questions[i] = _question(deck[i], lang)
        if j not in questions:
            questions[j] = _question(deck[j], lang)
        one, two = questions[i], questions[j]
        if one is None or two is None:
            continue
        if one.answer == two.answer:
            continue  # the same question twice is a duplicate, or the same fact
        if one.interrogative != two.interrogative:
            continue  # "what" and "where", "does" and "why" ask two things
        a, b = _asked(one, two, lang), _asked(two, one, lang)
        shared, added = a & b, a ^ b
        if not shared or len(added) > 1 or not (a <= b or b <= a):
            continue
        if len(shared) < 2 and all(map(vocabulary.general, shared)):
            continue  # nothing but a general word in common
        if all(map(vocabulary.general, added)):
            found.append((one.record, two.record, frozenset(added)))
    # A word the deck adds to more than one question is a contrast the student is taught.
    contrasts = Counter(added for _, _, added in found if added)
    return [
        warning(
            second.location,
            "confusable-fronts",
            f"'{plain(second.front)}' asks what '{plain(first.front)}' (at {first.location}) "
            "asks, in other words, with another answer; make each question name what sets it "
            "apart, or merge them",
        )
        for first, second, added in found
        if not added or contrasts[added] == 1
    ]


def _interrogative(record: Record) -> str:
    """What kind of answer a question wants, by its first word: "what", "which" and "when"
    ask for a thing (and are often reworded into each other); "where", "who", "why" and
    "how" ask their own; a verb asks yes or no."""
    first = next(iter(w.words(record.front)), "")
    if first in ("what", "which", "when"):
        return "what"
    if first in ("where", "who", "whom", "whose", "why", "how"):
        return first.removesuffix("m").removesuffix("se")
    return "yes-no" if first in _AUXILIARY else "what"


def _asked(question: _Question, other: _Question, lang: w.Language) -> frozenset[str]:
    """The stems of a question, with each run of words that an acronym of `other` spells
    written as that acronym ("key account management" -> "kam")."""
    if not other.acronyms:
        return question.asked
    mine: Sequence[str] = question.words
    for acronym in other.acronyms:
        for start in range(len(mine)):
            end = next(
                (
                    e
                    for e in range(start + 2, len(mine) + 1)
                    if acronym not in mine[start:e] and w.spells(acronym, mine[start:e])
                ),
                0,
            )
            if end:
                mine = [*mine[:start], acronym, *mine[end:]]
                break
    return frozenset(s for s in map(lang.stem, mine) if s)


def _answer(record: Record) -> str:
    return fold(plain(record.back or " ".join(record.items)))


def items_give_away(
    records: Iterable[Record], language: str = w.DEFAULT_LANGUAGE
) -> list[Diagnostic]:
    """The lists, asked one item at a time, whose items mirror each other: two items whose
    opening words (up to four) differ in one place ("G1 phase", "G2 phase"; "Risk of
    complacency on the seller's side", "... on the customer's side"): each item's card
    shows the other, and the answer follows from it."""
    lang = w.language(language)
    problems: list[Diagnostic] = []
    for record in records:
        if record.kind is not Kind.ENUMERATION or Variant.CLOZE not in record.variants:
            continue
        if len(record.items) > MAX_ITEMS:
            continue  # refused (`variants`); its pairs grow with the square of its items
        items = [_opening(item, lang) for item in record.items]
        for (i, a), (j, b) in itertools.combinations(enumerate(items), 2):
            n = min(len(a), len(b))
            if len(a) != len(b) and max(len(a), len(b)) <= 4:
                continue  # short items of different lengths do not mirror each other
            if n >= 2 and sum(x != y for x, y in zip(a[:n], b[:n], strict=True)) == 1:
                problems.append(
                    warning(
                        record.location,
                        "item-gives-away",
                        f"items {i + 1} and {j + 1} of '{plain(record.front)}' mirror each "
                        "other: each item's card shows the other and gives it away; word them "
                        "apart, or switch the item cards off for this file (variants without "
                        "cloze)",
                    )
                )
                break
    return problems


def _opening(item: str, lang: w.Language) -> list[str]:
    """What of an item the student reads first: a short item (up to five words) whole, a
    longer one's first four meaningful stems."""
    folded = w.words(item)
    if len(folded) <= 5:
        kept = (lang.stem(word, w.FUNCTION) or (word if len(word) == 1 else "") for word in folded)
        return [stem for stem in kept if stem]
    return list(lang.stems(item)[:4])
