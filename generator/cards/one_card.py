"""One card: what makes a card poor by itself, whatever else the deck holds.

- `answer-too-long`: an answer a student cannot recall as one unit: over LONG_ANSWER_WORDS
  words (a comparison row's side; a whole-list card's items counted together), or a
  whole-list card of more than MAX_CHUNK items;
- `yes-no-question`: a question answered yes or no, true or false: a coin toss;
- `answer-repeats-question`: an answer that repeats its question, or a definition that gives
  its term away on the reverse card (most of the term's stems, an acronym spelt out);
- and what the context line above a reverse card must leave out (`hidden_parts`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from ..diagnostics import Diagnostic, warning
from ..identity.fold import fold, plain
from ..records import Kind, Record, Variant
from . import words as w

LONG_ANSWER_WORDS = 40
"""More words than this in one answer (a whole list's items together) is more than a
student recalls as one unit."""
MAX_CHUNK = 7
"""More items than this on a whole-list card is more than a student recalls as one unit."""
_YES_NO = re.compile(
    r"^(?:is|are|was|were|am|do|does|did|can|could|will|would|should|shall|has|have|had|"
    r"must|may|might)\b",
    re.IGNORECASE,
)
_TRUE_FALSE = re.compile(r"\btrue or false\b|\bt/f\b|\(t or f\)|^t or f\b", re.IGNORECASE)
_CHOICE = re.compile(r"\bor\b", re.IGNORECASE)
_ANSWERED = re.compile(
    r"^(?:yes|no|true|false|sí|si|ja|nein|oui|non|vrai|faux|vero|falso|verdadero|wahr|"
    r"richtig|falsch)\b",
    re.IGNORECASE,
)


def one_card(records: Iterable[Record], language: str = w.DEFAULT_LANGUAGE) -> list[Diagnostic]:
    """Every record's own problems."""
    lang = w.language(language)
    problems: list[Diagnostic] = []
    for record in records:
        if record.kind is Kind.CLOZE or record.note_type is not None:
            continue
        problems += _too_long(record)
        if record.kind is Kind.QUESTION and _coin_toss(record):
            problems.append(
                warning(
                    record.location,
                    "yes-no-question",
                    "a yes/no or true/false question is a coin toss; ask for what makes it "
                    "true (what, which, why) instead",
                )
            )
        problems += _repeats(record, lang)
    return problems


def _too_long(record: Record) -> list[Diagnostic]:
    if record.kind is Kind.COMPARISON:  # each side is a card's answer
        longest = max((len(plain(side).split()) for side in record.items), default=0)
        if longest <= LONG_ANSWER_WORDS:
            return []
        what = f"a side has {longest} words (at most {LONG_ANSWER_WORDS})"
        fix = "split the row into aspects of one fact each"
        return [warning(record.location, "answer-too-long", f"{what}: {fix}")]
    whole = record.kind is Kind.ENUMERATION and Variant.BASIC in record.variants
    if whole and len(record.items) > MAX_CHUNK:
        what = (
            f"the whole-list card asks for {len(record.items)} items at once (at most {MAX_CHUNK})"
        )
    else:
        texts = [plain(item) for item in record.items] if whole else [plain(record.back)]
        count = sum(len(text.split()) for text in texts)
        if count <= LONG_ANSWER_WORDS:
            return []
        what = f"the answer has {count} words (at most {LONG_ANSWER_WORDS})"
    fix = (
        "split the list into lists that each answer a question of their own, or switch its "
        "whole-list card off (variants without basic)"
        if whole
        else "split it into cards of one fact each"
    )
    return [warning(record.location, "answer-too-long", f"{what}: {fix}")]


def _coin_toss(record: Record) -> bool:
    front, back = plain(record.front), plain(record.back)
    if _TRUE_FALSE.search(front):
        return True
    if _ANSWERED.match(back):
        return not _CHOICE.search(front)
    return bool(_YES_NO.match(front)) and not _CHOICE.search(front)


def _repeats(record: Record, lang: w.Language) -> list[Diagnostic]:
    front, back = record.folded, fold(plain(record.back))
    if back and back == front:
        return [
            warning(record.location, "answer-repeats-question", "the answer repeats the question")
        ]
    if record.kind is not Kind.TERM or Variant.REVERSE not in record.variants:
        return []
    if gives_away(record.front, lang.stems(record.back, w.FUNCTION), w.words(record.back), lang):
        return [
            warning(
                record.location,
                "answer-repeats-question",
                "the definition gives the term away on the reverse card; reword it without "
                "the term's own words, or switch reverse off for this file",
            )
        ]
    return []


def gives_away(
    term_html: str, stems: Sequence[str], shown: Sequence[str], lang: w.Language
) -> bool:
    """True when text whose stems are `stems` (and folded words `shown`) gives the term
    away: it holds at least two thirds of the term's stems (articles and such left out), or
    spells out the term's acronym."""
    term = _term(term_html, lang)
    if not term:
        return False
    found = sum(1 for s in term if w.contains(stems, s))
    return found * 3 >= 2 * len(term) or any(
        _spelt(acronym, shown) for acronym in w.acronyms(term_html)
    )


def _term(term_html: str, lang: w.Language) -> list[str]:
    """A term's stems: all but function words, and words of one or two letters."""
    return [s for s in lang.stems(term_html, w.FUNCTION) if len(s) > 2]


def _spelt(acronym: str, shown: Sequence[str]) -> bool:
    """True when a run of the words `shown` spells `acronym`."""
    return any(
        w.spells(acronym, shown[i:end])
        for i in range(len(shown))
        for end in range(i + 2, min(len(shown), i + len(acronym)) + 1)
    )


def hidden_parts(record: Record, parts: Sequence[str], lang: w.Language) -> set[int]:
    """The context parts (deck, headings) a card that asks for `record`'s term must leave
    out: those holding one of the term's stems or spelling its acronym, when with the
    definition the card shows they give the whole term away (or a part holds the term
    whole, word for word)."""
    hide = {i for i, part in enumerate(parts) if _holds(fold(plain(part)), record.folded)}
    term, acronyms = _term(record.front, lang), w.acronyms(record.front)
    if not term:
        return hide
    stems = [lang.stems(part, w.FUNCTION) for part in parts]
    folded = [w.words(part) for part in parts]
    back = lang.stems(record.back, w.FUNCTION)

    def gives(own: Sequence[str], shown: Sequence[str], stem: str) -> bool:
        return w.contains(own, stem) or (stem in acronyms and _spelt(stem, shown))

    if all(
        gives(back, w.words(record.back), s) or any(map(gives, stems, folded, [s] * len(parts)))
        for s in term
    ):
        hide |= {i for i in range(len(parts)) if any(gives(stems[i], folded[i], s) for s in term)}
    return hide


def _holds(part: str, term: str) -> bool:
    """True when a context part holds the term, or the term holds the part, word for word."""
    return bool(part and term) and (_within(term, part) or _within(part, term))


def _within(needle: str, haystack: str) -> bool:
    r"""`needle` in `haystack` as whole words: regex `(?<!\w)needle(?!\w)`, without compiling
    a pattern per pair (which overflowed `re`'s cache: a tenth of a large build's time)."""
    start = haystack.find(needle)
    while start >= 0:
        end = start + len(needle)
        if (start == 0 or not _word(haystack[start - 1])) and (
            end == len(haystack) or not _word(haystack[end])
        ):
            return True
        start = haystack.find(needle, start + 1)
    return False


def _word(char: str) -> bool:
    return char.isalnum() or char == "_"  # what `\w` matches
