"""Same fact: one fact asked on two notes of a deck (a cloze and a term, a list item and a
definition, a question and a definition).

Each record's facts are sets of stems (`words.py`): a term's or a question's front and back
together (and a question's answer alone, which may be another card's fact); a cloze
sentence with its answers; each item of a list with the list's question, and the whole
list with it (its list card asks for all of it). A yes/no or true/false question judged
true asks for the statement it judges (a remark after the verdict is shown, not asked); one
judged false asks for its correction, front and back. A verdict is no fact.

Two records ask one fact when a fact of one is held in a fact of the other: the stems they
share weigh at least CONTAINED of the smaller fact's weight, and at least EVIDENCE in all,
a stem weighing 1 / the number of the deck's records that use it (a word on every card of
a deck tells nothing; one on two cards tells a lot); and what they share holds a part that
a card asks for (two questions that share their wording but not their answers ask two
facts; a question's front alone, what it asks about, holds no fact). A cloze whose rare
deletion another card shows, with half its words, is given away by it. An example ("such
as ...", "e.g. ...", "as in ...", an aside in brackets) shows a fact but is no part of it:
a fact is held without its examples. A fact that says "not" and one that does not are two
facts, except a statement judged false, whose "not" is its correction.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from typing import NamedTuple

from ..cloze import DELETION, answers_only
from ..diagnostics import Diagnostic, warning
from ..identity.fold import plain
from ..records import Kind, Record
from .words import Language, Vocabulary, words

CONTAINED = 0.75
"""The share of a fact's weight another fact must hold for the two to be one fact."""
EVIDENCE = 0.3
"""The least weight of shared stems that can show one fact (a stem used by two records, or
three used by six each): a few common words shared show nothing."""
_NEGATION = frozenset({"no", "not", "without", "never", "non", "cannot"})
_VERDICT = frozenset({"yes", "no", "true", "false"})
"""An answer's verdict is not a fact (the statement it judges is)."""
_DENIED = frozenset({"no", "false"})
_EXAMPLE = re.compile(r"\([^)]*\)|\b(?:such as|e\.g\.|for example|as in)\s[^;:.]*")
"""An example or an aside, up to the end of its clause."""
_MARKERS = ("such as", "e.g.", "for example", "as in")


_NONE = 2**31
"""More stems than any fact says (`fewest` of a record whose facts say nothing)."""


class _Fact(NamedTuple):
    stems: frozenset[str]
    """What the fact says."""
    asked: frozenset[str]
    """What of it a card asks for (a definition or a term, an answer, an item, a deletion)."""
    negated: frozenset[str]
    """The stems it says "not" of ("no nucleus"): a fact and its negation are two."""
    answer_only: bool = False
    """A question's answer alone: held only by a definition or another answer."""
    kind: Kind = Kind.TERM
    shown: frozenset[str] = frozenset()
    """All it shows, its examples too: what it holds of another fact (`stems` without them)."""
    judged: bool = False
    """A statement a question judges false: its negation is the correction, not a fact."""


def same_facts(
    deck: Sequence[Record],
    pairs: Iterable[tuple[int, int]],
    df: Counter[str],
    lang: Language,
    vocabulary: Vocabulary,
) -> Iterator[Diagnostic]:
    """The records of `pairs` that ask one fact; `df` counts the deck's records using each
    stem, `vocabulary` is the deck's (`Language.vocabulary`)."""
    facts: dict[int, list[_Fact]] = {}
    told: dict[int, frozenset[str]] = {}
    """Each record's stems in any of its facts, asked or shown (`_one` weighs a fact's stems
    against the other's shown ones)."""
    weights = _Weights(df, vocabulary)
    fewest: dict[int, int] = {}
    """Each record -> the fewest stems a fact of it says (`_one` holds only when at least
    half of a fact's stems are shared; a fact that says nothing holds for none)."""
    for i, j in pairs:
        first, second = deck[i], deck[j]
        if first.kind is second.kind is Kind.TERM:
            continue  # two terms, one meaning: two names (`ambiguous-reverse` says so)
        for k in (i, j):
            if k not in facts:
                facts[k] = _facts(deck[k], lang)
                told[k] = frozenset().union(*(f.stems | f.shown for f in facts[k]))
                fewest[k] = min((len(f.stems) for f in facts[k] if f.stems), default=_NONE)
        shared = told[i] & told[j]
        if 2 * len(shared) < min(fewest[i], fewest[j]):
            continue  # under half of any fact's stems shared: most pairs of a large vocabulary
        # `_one` holds only when the stems two facts share (`small.stems & large.shown`, so
        # within told[i] & told[j]) weigh at least EVIDENCE / 2 (its cloze test asks EVIDENCE
        # of a part of them; its last, EVIDENCE or half). A stem weighs there what it weighs
        # here, `weights`: its rarity in the deck's own words over its records, both fixed
        # before this loop (`vocabulary`, `df`), so the bound is `_one`'s own sum and exact.
        # So a pair whose shared told stems weigh under EVIDENCE / 2 holds no fact of the
        # other; most pairs of a large deck of common words.
        if sum(map(weights.__getitem__, shared)) < EVIDENCE / 2 - 1e-9:
            continue
        if _contrast(first, second, lang):
            continue
        a, b = facts[i], facts[j]
        if any(_one(x, y, weights) or _one(y, x, weights) for x in a for y in b):
            yield warning(
                second.location,
                "same-fact",
                f"'{_shown(second)}' asks a fact that '{_shown(first)}' (at {first.location}) "
                "asks too: keep it on one note, or make each ask its own part",
            )


def _facts(record: Record, lang: Language) -> list[_Fact]:
    if record.kind is Kind.COMPARISON:  # a row's cards ask its sides: not compared (README)
        return []
    if record.kind is Kind.CLOZE:
        text = answers_only(record.front)
        asked = " ".join(m.group(2) for m in DELETION.finditer(record.front))
        return [_fact(text, _stems(text, lang), _stems(asked, lang), lang, Kind.CLOZE)]
    front = _stems(record.front, lang)
    if record.kind is Kind.ENUMERATION:
        items = (*record.items, " ".join(record.items))  # each item, and the whole list
        said = [_stems(item, lang) for item in items]
        return [
            _fact(item, s, s, lang, Kind.ENUMERATION, front)
            for item, s in zip(items, said, strict=True)
        ]
    back = _stems(record.back, lang)
    if record.kind is Kind.TERM:  # the reverse card asks for the front
        return [_fact(record.back, back, front | back, lang, Kind.TERM, front)]
    verdict = next(iter(words(record.back)), "")
    if verdict in _DENIED:  # a statement judged false: its correction is the fact
        return [_fact(record.back, back, front | back, lang, Kind.TERM, front, judged=True)]
    if verdict in _VERDICT:  # a statement judged true is the fact; the rest is a remark
        return [_fact(record.front, front, front, lang, Kind.TERM)._replace(shown=front | back)]
    return [
        _fact(record.back, back, back, lang, Kind.QUESTION, front),
        _fact(record.back, back, back, lang, Kind.QUESTION, answer_only=True),
    ]


def _fact(
    html_text: str,
    said: frozenset[str],
    asked: frozenset[str],
    lang: Language,
    kind: Kind,
    topic: frozenset[str] = frozenset(),
    answer_only: bool = False,
    judged: bool = False,
) -> _Fact:
    """The fact `html_text` states (`said`: its `_stems`; with `topic`, what it is about),
    held without its examples unless they hold what its card asks."""
    shown = topic | said
    text = plain(html_text)
    stems = shown
    if "(" in text or any(marker in text for marker in _MARKERS):
        core = topic | _stems(_EXAMPLE.sub(" ", text), lang)
        if core and (core & asked or not asked):
            stems = core
    negated = frozenset() if judged else _not(html_text, lang)
    return _Fact(stems, asked & stems, negated, answer_only, kind, shown, judged)


def _contrast(a: Record, b: Record, lang: Language) -> bool:
    """True for two lists that ask one question of two things ("the advantages of KAM to
    sellers", "... to customers"): an item on both is two facts."""
    if a.kind is not Kind.ENUMERATION or b.kind is not Kind.ENUMERATION:
        return False
    x, y = set(lang.stems(a.front)), set(lang.stems(b.front))
    return len(x - y) == 1 and len(y - x) == 1


class _Weights(dict[str, float]):
    """Each stem's weight in a deck: how rare it is in the language, over the records of
    the deck that use it; worked out when first asked."""

    def __init__(self, df: Counter[str], vocabulary: Vocabulary) -> None:
        super().__init__()
        self.df, self.vocabulary = df, vocabulary

    def __missing__(self, stem: str) -> float:
        found = self[stem] = self.vocabulary.rarity(stem) / max(self.df[stem], 1)
        return found


def _one(small: _Fact, large: _Fact, weights: _Weights) -> bool:
    """True when `large` holds `small`, and what they share holds a part a card asks for."""
    if not small.stems or len(small.stems) > len(large.shown):
        return False
    if (small.answer_only or (small.kind is Kind.ENUMERATION and len(small.asked) < 2)) and (
        large.kind in (Kind.CLOZE, Kind.ENUMERATION)
    ):
        return False  # a few words (an answer, a one-word item) recur in many a sentence
    shared_stems = small.stems & large.shown
    if 2 * len(shared_stems) < len(small.stems):
        return False  # under half its words shared: another fact (the cheap test first)
    if not (small.judged or large.judged) and (small.negated ^ large.negated) & shared_stems:
        return False
    if not shared_stems & (small.asked | large.asked):
        return False

    def weight(stems: Iterable[str]) -> float:
        return sum(map(weights.__getitem__, stems))

    if large.kind is Kind.QUESTION and weight(shared_stems & large.asked) < EVIDENCE / 2:
        return False  # held by what a question asks about, not by what it says

    asked = small.asked & small.stems
    held = weight(asked & shared_stems)
    if held < CONTAINED * weight(asked):
        return False  # what its card asks for is not held: another fact on a shared topic
    if held < EVIDENCE / 2 and shared_stems != small.stems:
        return False  # a common word asked, and not all the fact held with it
    if small.kind is Kind.QUESTION and not small.answer_only:
        topic = small.stems - small.asked  # what the question is about
        if weight(topic & shared_stems) < CONTAINED * weight(topic):
            return False
    total, shared = weight(small.stems), weight(shared_stems)
    if small.kind is Kind.CLOZE and held >= EVIDENCE and shared >= total / 2:
        return True  # what a deletion hides, rare and shown on the other card: given away
    # Every word of a fact of three or more, held elsewhere, needs half the evidence.
    whole = shared_stems == small.stems and len(small.stems) >= 3
    return shared >= EVIDENCE / (2 if whole else 1) and shared >= CONTAINED * total


def _stems(html_text: str, lang: Language) -> frozenset[str]:
    return frozenset(lang.stems(html_text)).difference(_VERDICT_STEMS)


_VERDICT_STEMS = frozenset({"yes", "no", "true", "fals", "false"})
"""The verdicts' stems ("false" is "fals" to Snowball)."""


def _not(html_text: str, lang: Language) -> frozenset[str]:
    """The stems that follow a "no" or "not" (the next word that carries meaning)."""
    found: set[str] = set()
    negating = False
    for word in words(html_text):
        if word in _NEGATION:
            negating = True
        elif negating and (stem := lang.stem(word)):
            found.add(stem)
            negating = False
    return frozenset(found)


def _shown(record: Record) -> str:
    text = plain(answers_only(record.front))
    return text if len(text) <= 60 else text[:57] + "..."
