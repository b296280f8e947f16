"""Words: what the learning-quality checks compare of a text, in the course's language.

A text's *stems*: its words folded, split at hyphens and apostrophes (a possessive's `'s`
goes), words that carry no meaning dropped, each cut to its Snowball stem (`snowballstemmer`,
so "customers", "customer's" and "customer" meet). Which words carry no meaning, and how
rare a word is, come from `wordfreq` (the frequency of each word in the language, from many
sources): no word list of our own, and it works for every language wordfreq knows. Each word
is worked out once per process (`Language.stem`), so a course pays once per distinct word.

How much a stem tells (`Vocabulary.rarity`, `Vocabulary.general`) is read from the records
being checked: the highest frequency of their words with that stem (the deck's "custom" is
as common as its commonest word of that stem, "custom" or "customization"). Never from
the words the process happened to read before, which would make a file's warnings depend on
the files a worker read first.

Two stems *match* when they are equal or one is a clipped form of the other (Snowball keeps
"photosynthesi" and "photosynthet" apart; a shared beginning of most of both joins them).
An acronym matches the words whose initials it spells (`spells`).
"""

from __future__ import annotations

import gzip
import importlib.util
import math
import re
import sys
from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path

import msgpack
import snowballstemmer

from ..identity.fold import fold, plain
from .media import SOUND

DEFAULT_LANGUAGE = "en"
COMMON = 5.6
"""A word at least this frequent (wordfreq's Zipf scale: 6 is once per thousand words) is a
function word ("the", "what", "does", "need"): it says nothing a card is about."""
FUNCTION = 6.5
"""A word at least this frequent ("the", "of", "for", "by") is left out even of a term's
stems, where COMMON would drop words that name something ("first", "time", "team")."""
GENERAL = 4.3
"""A word at least this frequent is general vocabulary ("aim", "goal", "task"), not a term of
a subject ("prophase", "subjunctive"): two questions that differ only in general words may
ask the same thing in other words."""
TEXTS = 20_000
"""How many texts' stems a `Language` keeps (about a file's worth of fields)."""
_SNOWBALL = {
    "ar": "arabic", "hy": "armenian", "eu": "basque", "ca": "catalan", "cs": "czech",
    "da": "danish", "nl": "dutch", "en": "english", "eo": "esperanto", "et": "estonian",
    "fi": "finnish", "fr": "french", "de": "german", "el": "greek", "hi": "hindi",
    "hu": "hungarian", "id": "indonesian", "ga": "irish", "it": "italian",
    "lt": "lithuanian", "ne": "nepali", "nb": "norwegian", "no": "norwegian",
    "fa": "persian", "pl": "polish", "pt": "portuguese", "ro": "romanian", "ru": "russian",
    "sr": "serbian", "es": "spanish", "sv": "swedish", "ta": "tamil", "tr": "turkish",
    "yi": "yiddish",
}  # fmt: skip
"""ISO 639-1 codes -> Snowball's algorithm names (it knows them by name only)."""
_WORD = re.compile(r"\w+")
_COMPOUND = re.compile(r"\w+(?:-\w+)*")
_APOSTROPHE = re.compile(r"['\u2019]\w*")
_ACRONYM = re.compile(r"\b[A-Z][A-Z0-9]{1,5}s?\b")


def languages() -> frozenset[str]:
    """The languages a course may be in: those Snowball stems or wordfreq knows."""
    return frozenset(_SNOWBALL) | _weighed()


@cache
def _weighed() -> frozenset[str]:
    """The languages wordfreq has a word list of."""
    return frozenset(_word_lists())


class Language:
    """The word work of one language, each word worked out once."""

    def __init__(self, code: str = DEFAULT_LANGUAGE) -> None:
        self.code = code
        name = _SNOWBALL.get(code)
        self._stemmer = snowballstemmer.stemmer(name) if name else None
        self._frequent = code in _weighed()
        self._stems: dict[str, tuple[str, float]] = {}
        """Each word seen -> its stem and its frequency (`zipf`)."""
        self._texts: dict[tuple[str, float], tuple[str, ...]] = {}

    def zipf(self, word: str) -> float:
        """How frequent `word` is in the language, on wordfreq's Zipf scale (0: unknown, or a
        language wordfreq lacks)."""
        if not self._frequent:
            return 0.0
        frequency = _frequencies(self.code).get(word)
        return math.log10(frequency) + 9.0 if frequency else 0.0

    def stem(self, word: str, limit: float = COMMON) -> str:
        """The stem of a folded word; "" for a word at least `limit` frequent (it carries no
        meaning) or a single letter."""
        known = self._stems.get(word) or self._known(word)
        return "" if known[1] >= limit else known[0]

    def _known(self, word: str) -> tuple[str, float]:
        """A word seen for the first time: its stem and frequency, kept."""
        zipf = self.zipf(word) if "-" not in word else 0.0  # a compound names something
        stem = sys.intern(self._stemmer.stemWord(word) if self._stemmer else word)
        if len(word) == 1 and not word.isdigit():
            zipf = 99.0  # a single letter is no word
        known = self._stems[word] = (stem, zipf)
        return known

    def stems(self, html_text: str, limit: float = COMMON) -> tuple[str, ...]:
        """The stems of a field's visible text, in order (`stem`); the last TEXTS texts'
        are kept (the checks ask for a record's again with each record it is compared to)."""
        key = (html_text, limit)
        found = self._texts.get(key)
        if found is None:
            if len(self._texts) >= TEXTS:
                self._texts.clear()
            known, kept = self._stems, []
            for word in words(html_text):
                stem, zipf = known.get(word) or self._known(word)
                if zipf < limit and stem:
                    kept.append(stem)
            found = self._texts[key] = tuple(kept)
        return found

    def vocabulary(self, html_texts: Iterable[str]) -> Vocabulary:
        """How frequent each stem of `html_texts` is: the highest frequency of their words
        with that stem. Of the texts alone, never of what else this process has read: the
        checks weigh a deck's stems by the deck's own words, so a file's warnings are the
        same in any process, in any order, cached or not."""
        highest: dict[str, float] = {}
        get, known = highest.get, self._stems
        for html_text in html_texts:
            for word in words(html_text):
                stem, zipf = known.get(word) or self._known(word)
                if zipf > get(stem, 0.0):
                    highest[stem] = min(zipf, 9.0)
        return Vocabulary(highest)


class Vocabulary:
    """The stems of a set of records (a deck's), each with the highest frequency of their
    words with it (`Language.vocabulary`): how much a stem tells, in those records."""

    __slots__ = ("_frequency",)

    def __init__(self, frequency: dict[str, float]) -> None:
        self._frequency = frequency
        """Each stem -> the highest frequency (`Language.zipf`, at most 9) of a word with it."""

    def rarity(self, stem: str) -> float:
        """How much a stem tells, from 0.1 (a word on every page) to 1 (a word of a
        subject, of a language wordfreq lacks, or of none of the records)."""
        return min(1.0, max(0.1, (7.0 - self._frequency.get(stem, 0.0)) / 6.0))

    def general(self, stem: str) -> bool:
        """True when a word of the records with `stem` is general vocabulary, not a subject's
        term (a language wordfreq lacks has no general words)."""
        return self._frequency.get(stem, 0.0) >= GENERAL


@cache
def language(code: str) -> Language:
    """The one `Language` of a code in this process (its memo of each word's stem and
    frequency is kept across files: a memo, it changes no answer)."""
    return Language(code)


@cache
def _frequencies(code: str) -> dict[str, float]:
    """wordfreq's table of a language, word -> frequency, read once a process (0.12 s): a
    look-up is a dict's, where `zipf_frequency` tokenizes the word again each time (25 us).

    Read from wordfreq's own files as its `get_frequency_dict` reads them (a msgpack list:
    a header, then one list of words per centibel below 1), without importing wordfreq,
    whose imports (ftfy, langcodes) took 0.16 s of every command that checks a deck: more
    than the table. tests/test_fast_paths.py holds the two equal."""
    with gzip.open(_word_lists()[code], "rb") as packed:
        header, *buckets = msgpack.load(packed, raw=False)
    if header != {"format": "cB", "version": 1}:  # a format of a later wordfreq: ask it
        import wordfreq

        found: dict[str, float] = wordfreq.get_frequency_dict(code)
        return found
    return {word: 10 ** (-cb / 100) for cb, bucket in enumerate(buckets) for word in bucket}


@cache
def _word_lists() -> dict[str, Path]:
    """Each language wordfreq has a list of -> its best list (large, else small), found in
    the installed package's data without running its code."""
    spec = importlib.util.find_spec("wordfreq")
    folders = spec.submodule_search_locations if spec else None
    if not folders:
        return {}
    found: dict[str, Path] = {}
    for size in ("small", "large"):  # a large list wins, as in wordfreq
        for path in Path(folders[0], "data").glob(f"{size}_*.msgpack.gz"):
            found[path.name.removeprefix(f"{size}_").removesuffix(".msgpack.gz")] = path
    return found


_WORDS: tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]] = ({}, {})
"""Each text's `words`, without and with `compounds`: the last TEXTS texts' kept (the checks
read a record's fields again and again)."""


def words(html_text: str, compounds: bool = False) -> tuple[str, ...]:
    """The folded words of a field's visible text: split at anything but letters and digits
    (hyphens too: "value-based", unless `compounds`), a possessive or elided part dropped
    ("KAM's" -> "kam")."""
    memo = _WORDS[compounds]
    found = memo.get(html_text)
    if found is None:
        if len(memo) >= TEXTS:
            memo.clear()
        text = SOUND.sub(" ", html_text) if "[sound:" in html_text else html_text
        text = fold(plain(text))  # a sound's file name (above) is not words
        text = _APOSTROPHE.sub("", text) if "'" in text or "\u2019" in text else text
        found = memo[html_text] = tuple(  # each word one string: a memo of copies took 28 MB
            map(sys.intern, (_COMPOUND if compounds else _WORD).findall(text))
        )
    return found


def match(a: str, b: str) -> bool:
    """Two stems of one word: equal, or sharing a beginning of at least 6 letters that is
    most of the shorter ("introduc"/"introduct", "photosynthesi"/"photosynthet")."""
    if a == b:
        return True
    if a[:6] != b[:6] or len(a) < 6 or len(b) < 6:
        return False
    short = min(len(a), len(b))
    common = 6
    while common < short and a[common] == b[common]:
        common += 1
    return common >= 0.8 * short


def contains(haystack: Iterable[str], needle: str) -> bool:
    """True when a stem of `haystack` matches `needle`."""
    head = needle[:6]
    return any(stem == needle or (stem[:6] == head and match(stem, needle)) for stem in haystack)


def acronyms(html_text: str) -> list[str]:
    """The acronyms of a field, folded: words of 2 to 6 capitals ("KAM", "KPIs", "ATP")."""
    return [a.casefold() for a in _ACRONYM.findall(plain(html_text))]


def spells(acronym: str, phrase: Sequence[str]) -> bool:
    """True when `acronym` (2 to 6 letters, a plural's s left out) is made of the starts of
    all of `phrase`'s words (two or more), in order, each word giving at least its first letter ("kam": key
    account management, "atp": adenosine triphosphate)."""
    if not 2 <= len(acronym) <= 6 or len(phrase) < 2:
        return False
    return _spells(acronym.rstrip("s") if len(acronym) > 2 else acronym, tuple(phrase))


@cache
def _spells(acronym: str, phrase: tuple[str, ...]) -> bool:
    if not acronym or not phrase:
        return not acronym and not phrase
    if acronym[0] != phrase[0][:1]:
        return False
    word = phrase[0]
    # the first letter, then any of the word's next letters, in order, before the next word
    for used in range(1, len(acronym) + 1):
        if used > 1 and acronym[used - 1] not in word[1:]:
            break
        if used > 1 and not _in_order(acronym[1:used], word[1:]):
            break
        if _spells(acronym[used:], phrase[1:]):
            return True
    return False


def _in_order(letters: str, word: str) -> bool:
    it = iter(word)
    return all(letter in it for letter in letters)
