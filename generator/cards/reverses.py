"""Ambiguous reverses: a reverse card's prompt (a definition) that fits another term of the
deck (`confusions.py` finds the pairs and says which checks there are).

Two reversed terms are ambiguous when they share a gloss ("to watch"), one is a kind of the
other (its definition opens with the other's term, or names it "such as"), they are sibling
terms of one section (one head word: "Customer KPIs", "Account plan KPIs") whose definition
says nothing of its own term, or a definition names most of another term of its section.

What the checks read of a record (its stems, its glosses, how its definition opens) is
worked out once per deck (`_Reading`), not again for each of the many pairs it is in: on a
deck of thousands of terms that is most of the check's time.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from typing import NamedTuple

from ..diagnostics import Diagnostic, warning
from ..identity.fold import fold, plain
from ..records import Kind, Record, Variant
from . import words as w

MAX_SIBLINGS = 10
"""A head word in more records of a deck than this is the deck's subject, not a family of
sibling terms."""
_SEGMENT = re.compile(r"[;\n]")
_ASIDE = re.compile(r"\([^)]*\)")
_NEGATION = frozenset({"without", "no", "not", "non"})
_EXAMPLE = re.compile(r"\b(?:such as|e\.g\.?|for example|like)\s+(.*)")


class _Reading(NamedTuple):
    """What the checks read of one reversed term."""

    record: Record
    front: tuple[str, ...]
    """The stems of its term."""
    glosses: set[frozenset[str]]
    """The meanings its definition lists (`_glosses`)."""
    opening: str | None
    """The stem of the definition's first meaningful word (after an article); None when
    it has none."""
    opened: list[str]
    """The definition's stems from that word on."""
    named: tuple[str, ...] | None
    """The stems after "such as" (or "e.g.", "for example", "like"); None without one."""
    back: list[tuple[str, int]]
    """Each stem of the definition, with the place of its word in `words`."""
    words: tuple[str, ...]
    """The definition's folded words."""
    keys: tuple[str, ...]
    """What each stem of `back` begins with, in order: all a stem it `words.match`es begins
    with too (`_key`)."""

    @property
    def back_stems(self) -> list[str]:
        return [s for s, _ in self.back]


def ambiguous_reverses(
    deck: Sequence[Record],
    rare: Sequence[frozenset[str]],
    df: Counter[str],
    lang: w.Language,
) -> Iterator[Diagnostic]:
    """A warning for each pair of reversed terms whose reverse cards a student cannot tell
    apart, among the pairs that share a stem of `rare` (each record's stems that pair it up:
    `confusions`); `df` is each stem's number of records in the deck."""
    read = {
        i: _reading(record, df, lang)
        for i, record in enumerate(deck)
        if rare[i] and record.kind is Kind.TERM and Variant.REVERSE in record.variants
    }
    for i, j in _pairs(read, rare):
        first, second = read[i], read[j]
        why = _why_ambiguous(first, second, df)
        if why:
            yield warning(
                second.record.location,
                "ambiguous-reverse",
                f"the reverse cards of '{plain(second.record.front)}' and "
                f"'{plain(first.record.front)}' (at {first.record.location}) cannot tell which "
                f"term is meant ({why}); say in each definition what sets it apart, or switch "
                "reverse off for this file",
            )


def _pairs(read: dict[int, _Reading], rare: Sequence[frozenset[str]]) -> list[tuple[int, int]]:
    """The pairs `_why_ambiguous` can find ambiguous, in order: each of its tests needs
    something of both terms to be alike (a gloss; a term's stems, by their `_key`s, opening
    the other's definition or after its "such as"; in one section, the head word, or the
    term's last stems in a row in the other's definition), looked up in an index rather than
    tried on every pair of a deck (most of the check's time on a large deck)."""
    glosses: dict[frozenset[str], list[int]] = defaultdict(list)
    terms: dict[tuple[str, ...], list[int]] = defaultdict(list)
    heads: dict[tuple[tuple[str, ...], str], list[int]] = defaultdict(list)
    tails: dict[tuple[str, ...], dict[tuple[str, ...], list[int]]] = defaultdict(dict)
    """Section -> the `_keys` of a term's last stems (as many as `_names` asks) -> terms."""
    lengths: dict[tuple[str, ...], set[int]] = defaultdict(set)
    for i, r in read.items():
        section = r.record.section
        for gloss in r.glosses:
            glosses[gloss].append(i)
        if r.front:
            terms[_keys(r.front)].append(i)
            heads[section, r.front[-1]].append(i)
        wanted = max(2, (len(r.front) + 1) // 2)  # as `_names` asks
        if len(r.front) >= wanted:
            tails[section].setdefault(_keys(r.front[-wanted:]), []).append(i)
            lengths[section].add(wanted)
    found: set[tuple[int, int]] = set()
    for group in (*glosses.values(), *heads.values()):
        found.update(itertools.combinations(group, 2))
    longest = max(map(len, terms), default=0)
    for j, r in read.items():
        opened = _keys(r.opened[:longest]) if r.opening else ()
        named = _keys(r.named[:longest]) if r.named else ()
        for term in (
            *(opened[:n] for n in range(1, min(len(r.opened) - 1, longest) + 1)),
            *(named[:n] for n in range(1, len(named) + 1)),
        ):
            found.update((i, j) if i < j else (j, i) for i in terms.get(term, ()))
        named_in = tails.get(r.record.section)
        if named_in:
            keys = r.keys
            for n in lengths[r.record.section]:
                # each n stems in a row (zip stops at the shortest)
                for run in zip(*(keys[k:] for k in range(n)), strict=False):
                    if hit := named_in.get(run):
                        found.update((i, j) if i < j else (j, i) for i in hit)
    return sorted((i, j) for i, j in found if i != j and not rare[i].isdisjoint(rare[j]))


def _reading(record: Record, df: Counter[str], lang: w.Language) -> _Reading:
    words = w.words(record.back)
    back = [(s, k) for k, s in enumerate(map(lang.stem, words)) if s]
    # After an article, the first word is the term's ("The diffusion of water"; not "What
    # culture is to individuals").
    start = next((k for k, word in enumerate(words) if lang.stem(word, w.FUNCTION)), None)
    opening = None if start is None else lang.stem(words[start])
    opened = [s for s, k in back if start is not None and k >= start]
    shown = plain(record.back)
    example = _EXAMPLE.search(fold(shown))
    named = lang.stems(example.group(1)) if example else None
    front = lang.stems(record.front)
    keys = tuple(_key(s) for s, _ in back)
    glosses = _glosses(shown, df, lang)
    return _Reading(record, front, glosses, opening, opened, named, back, words, keys)


def _keys(stems: Sequence[str]) -> tuple[str, ...]:
    return tuple(map(_key, stems))


def _key(stem: str) -> str:
    """What every stem that `words.match`es `stem` begins with (equal, or its first six
    letters)."""
    return stem if len(stem) < 6 else stem[:6]


def _why_ambiguous(a: _Reading, b: _Reading, df: Counter[str]) -> str:
    if a.glosses & b.glosses:
        return "they share a meaning"
    for x, y in ((a, b), (b, a)):
        if _kind_of(x, y):
            return f"'{plain(y.record.front)}' is a kind of '{plain(x.record.front)}'"
    if a.record.section == b.record.section:
        front_a, front_b = a.front, b.front
        nested = set(front_a) <= set(front_b) or set(front_b) <= set(front_a)
        # Sibling terms share a head word few records of the deck use ("KPIs", "approach";
        # not "selling" in a course on selling).
        if (
            front_a
            and front_b
            and front_a[-1] == front_b[-1]
            and (nested or df[front_a[-1]] <= MAX_SIBLINGS)
        ):
            for x, own, other in ((a, front_a, front_b), (b, front_b, front_a)):
                mine = [s for s in own if s not in other]
                back = x.back_stems
                if not any(w.contains(back, s) for s in mine):
                    return f"the definition of '{plain(x.record.front)}' does not say which one"
        for x, y in ((a, b), (b, a)):
            if _names(x, y):
                return (
                    f"the definition of '{plain(x.record.front)}' names '{plain(y.record.front)}'"
                )
    return ""


def _glosses(shown: str, df: Counter[str], lang: w.Language) -> set[frozenset[str]]:
    """The meanings a definition lists (`shown`: its plain text; `;` apart, asides left out)
    that hold a stem no more than two records of the deck use: a gloss such as "to watch",
    not a remark that many terms share ("a masculine noun"). A stem after "no" or "not"
    counts apart ("cells that have a nucleus" and "... no nucleus" are two meanings)."""
    text = _ASIDE.sub(" ", shown)
    found = set()
    for part in _SEGMENT.split(text):
        stems: set[str] = set()
        negated = False
        for word in w.words(part):
            stem = lang.stem(word)
            if word in _NEGATION:
                negated = True
            elif stem:
                stems.add(f"not {stem}" if negated else stem)
                negated = False
        if any(df[s.removeprefix("not ")] <= 2 for s in stems):
            found.add(frozenset(stems))
    return found


def _kind_of(general: _Reading, kind: _Reading) -> bool:
    """True when `kind`'s definition opens with `general`'s term ("Osmosis: The diffusion
    of water", under "Diffusion") or names it as an example ("such as chlorophyll")."""
    term = general.front
    if not term:
        return False
    back = kind.opened
    if (
        kind.opening is not None
        and w.match(kind.opening, term[0])
        and len(back) > len(term)
        and all(map(w.match, back[: len(term)], term))
    ):
        return True
    named = kind.named
    if named is not None:
        return all(map(w.match, named[: len(term)], term)) and len(named) >= len(term)
    return False


def _names(x: _Reading, y: _Reading) -> bool:
    """True when `x`'s definition names `y`'s term: two or more of its stems, at least half
    of them (the last one, its head, among them) in a row, and not after "without" or "no".
    (A term of one word named in a definition is most often a part of it: "the region of
    the nucleus".)"""
    term = y.front
    wanted = max(2, (len(term) + 1) // 2)
    if len(term) < wanted:
        return False
    tail = term[-wanted:]
    if not all(_key(t) in x.keys for t in tail):
        return False  # a stem of the term matches none of the definition's (most pairs)
    back, folded = x.back, x.words
    for start in range(len(back) - wanted + 1):
        run = back[start : start + wanted]
        if all(w.match(s, t) for (s, _), t in zip(run, tail, strict=True)):
            before = folded[run[0][1] - 1] if run[0][1] else ""
            if before not in _NEGATION:
                return True
    return False
