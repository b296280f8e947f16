"""Each shortcut of the stages that run on every record of a course gives what the work it
skips gives.

Those stages (README, Performance) skip work when they can tell it would change nothing, or
take a result made elsewhere (a one-file deck's confusion checks, made with its file). Each
such shortcut is checked here against the work it skips, on input that reaches both sides
of the test it makes.
"""

from __future__ import annotations

import itertools
import unicodedata
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.cards.across_files import across_files
from generator.cards.confusions import MAX_POSTINGS, _candidates, confusions
from generator.cards.each_deck import each_deck
from generator.cards.each_file import Settings, each_file
from generator.cards.file_cache import NO_CACHE
from generator.cards.normalize import _SPACE, _collapsed, clean, normalize
from generator.cards.reverses import _key, _pairs, _reading, _why_ambiguous
from generator.cards.same_fact import EVIDENCE, _Fact, _one, _Weights
from generator.cards.tags import tag
from generator.cards.words import FUNCTION, language, match
from generator.cloze import (
    IN_TAG,
    LOOKALIKE,
    answers_only,
    check_in_tag,
    has_cloze,
    looks_like_cloze,
)
from generator.config import load_config
from generator.identity.fold import _QUOTES, fold
from generator.parse.read import read_sources
from generator.parse.walk import parse_file
from generator.records import Kind, Location, Variant

from .helpers import BUILD_TIME, examples, write_notes

QUALITY = Path(__file__).parent / "quality"

_PIECES = st.sampled_from(
    [
        "a",
        "Wort",
        " ",
        "  ",
        "\t",
        "\n",
        "\r\n",
        "\u00a0",
        "\u2028",
        "\x1f",
        "\x85",
        "\x7f",
        "e\u0301",  # NFC composes it
        "\u212b",  # NFC changes it
        "<pre>",
        "</pre>",
        "<b>",
        "&amp;",
    ]
)
_TEXTS = st.lists(_PIECES | st.text(max_size=4), max_size=12).map("".join)


@settings(max_examples=examples(dev=1000, ci=6000))  # 200 miss mutants 1000 catch
@given(_TEXTS)
def test_clean_collapses_exactly_what_it_always_did(text: str) -> None:
    """The shortcut for text with no run of whitespace to collapse changes nothing."""
    assert clean(text) == _collapsed(unicodedata.normalize("NFC", text))


def test_clean_shortcut_holds_for_every_character() -> None:
    """The shortcut's premise: every character clean collapses, but the space, is unprintable."""
    collapsed = [c for c in map(chr, range(0x110000)) if _SPACE.fullmatch(c) and c != " "]
    assert collapsed and not any(c.isprintable() for c in collapsed)


def test_tagged_records_are_the_records_with_their_tags(tmp_path: Path) -> None:
    """tags.tag copies each record field by field, in order, with its tags."""
    source = write_notes(
        tmp_path,
        {"a.md": "---\ndeck: D\ntags: [kam]\n---\n\n## S\n\nTags: culture\n\n- **T**: d\n"},
    )
    config = load_config(source, tmp_path / "build", build_time=BUILD_TIME)
    records = [
        record
        for source_file in read_sources(config.source)[0]
        for record in normalize(parse_file(source_file, config.variants)[0])[0]
    ]
    vocabulary = frozenset({"kam", "culture"})
    tagged, _ = tag(records, vocabulary)
    expected = ("culture", "kam")
    assert tagged == tuple(replace(record, tags=expected) for record in records)


_CLOZE_PIECES = st.sampled_from(
    [
        *["{{", "{", "}}", "c1::", "c", "1", ":", " ", "%7B", "%7b", "%7", "<img alt='", "'>"],
        *["<", ">", "<a href='%7B%7Bc1::", "<a href='%7b{c2::", "{{c3::", "{{ c1:", "{{x}}"],
    ]
)


@settings(max_examples=examples(dev=1000, ci=6000))  # 200 miss mutants 1000 catch
@given(st.lists(_CLOZE_PIECES | st.text(max_size=3), max_size=12).map("".join))
def test_cloze_checks_skip_only_text_their_patterns_cannot_match(text: str) -> None:
    """looks_like_cloze and check_in_tag do not search text without `{{` (`{` or `%7`)."""
    assert looks_like_cloze(text) == (not has_cloze(text) and bool(LOOKALIKE.search(text)))
    assert bool(check_in_tag(text, Location("x.md", 1))) == bool(IN_TAG.search(text))


@settings(max_examples=examples(dev=200, ci=6000))
@given(
    st.text(
        st.sampled_from(
            "aZ :'\"{}c1\u2018\u2019\u201c\u201d\u2013\u2014\ufb01\u00bd\u212b\u200b\u00ad\u202e"
        )
    ),
    st.text(),
)
def test_fold_skips_for_ascii_only_what_changes_no_ascii(text: str, more: str) -> None:
    """identity.fold leaves NFKC and the quote table out for ASCII text, the quote table
    for text without those quotes, the search for format characters for printable text:
    the same key."""
    for value in (text, more, text + more, text.encode("ascii", "ignore").decode()):
        expected = unicodedata.normalize("NFKC", answers_only(value)).translate(_QUOTES)
        expected = "".join(c for c in expected if unicodedata.category(c) != "Cf")
        assert fold(value) == expected.casefold().rstrip(" :")


def test_fold_shortcut_holds_for_every_format_character() -> None:
    """The premise of fold's shortcut: no format character (Cf) is printable."""
    formats = [c for c in map(chr, range(0x110000)) if unicodedata.category(c) == "Cf"]
    assert formats and not any(c.isprintable() for c in formats)


_STEMS = st.text(st.sampled_from("abcé"), min_size=1, max_size=9)


@settings(max_examples=examples(dev=200, ci=6000))
@given(_STEMS, _STEMS)
def test_stems_that_match_begin_alike(a: str, b: str) -> None:
    """ambiguous-reverse skips a term whose stems' beginnings (`_key`) are not all among a
    definition's: two stems that match have the same beginning."""
    for x, y in ((a, b), (a, a + b), (a + b, a + a)):
        if match(x, y):
            assert _key(x) == _key(y)


_SAID = "time people customers value accounts teams photosynthesis mitochondria zorblat quux"
_TOLD = language("en").stems(_SAID, FUNCTION)
"""Stems of every rarity (`Vocabulary.rarity`: 0.12 for "time" to 1 for a made-up word)."""


_SOME = st.frozensets(st.sampled_from(_TOLD), max_size=6)
_COMMON = st.frozensets(st.sampled_from(_TOLD[:4]), max_size=2)
_MORE = st.frozensets(st.sampled_from(_TOLD), max_size=3)
_KINDS = st.sampled_from(list(Kind))
# The strategies are made once, not at each draw: hypothesis spent most of this test's time
# making them afresh (the same strategies, so the same facts are drawn).


@st.composite
def _facts(draw: st.DrawFn) -> _Fact:
    """A fact as `_fact` makes one: what it shows holds what it says."""
    stems = draw(_SOME)
    return _Fact(
        stems,
        draw(_SOME),
        draw(_COMMON),
        draw(st.booleans()),
        draw(_KINDS),
        stems | draw(_MORE),
        draw(st.booleans()),
    )


@settings(max_examples=examples(dev=1000, ci=6000))
@given(_facts(), _facts(), st.dictionaries(st.sampled_from(_TOLD), st.integers(0, 12)))
def test_facts_held_share_stems_that_weigh_enough(x: _Fact, y: _Fact, df: dict[str, int]) -> None:
    """same-fact skips a pair whose shared stems (asked or shown: `same_facts`'s `told`) weigh
    under EVIDENCE / 2 at their rarity / their records each, or are fewer than half of the
    stems of each fact that says any: `_one` never holds for such a pair. (Both sides are
    reached: `_one` holds for about one pair in ten here.)"""
    vocabulary = language("en").vocabulary([_SAID])
    weights = _Weights(Counter(df), vocabulary)
    if _one(x, y, weights):
        told = (x.stems | x.shown) & (y.stems | y.shown)
        assert sum(vocabulary.rarity(s) / max(df.get(s, 0), 1) for s in told) >= EVIDENCE / 2
        assert 2 * len(told) >= len(x.stems) > 0


def test_a_deck_of_one_file_gets_the_checks_its_file_made(tmp_path: Path) -> None:
    """each_deck takes a one-file deck's confusion warnings from that file's result
    (`FileNotes.alone`, made where the file was worked on): they are those the checks give
    over the whole course's notes, as for a deck over several files."""
    alike = (
        "- **volver**: To return; to come back.\n- **regresar**: To return; to go back.\n"
        "- **What is KAM?**\n  - a\n  - b\n- **What is key account management?**\n  - c\n"
    )
    head = "---\ndeck: {}\nvariants: [basic, reverse]\n---\n\n"
    source = write_notes(
        tmp_path,
        {
            "a.md": head.format("A") + alike,
            "c1.md": head.format("C") + alike.split("\n", 1)[0] + "\n",
            "c2.md": head.format("C") + alike.split("\n", 1)[1],
        },
    )
    config = load_config(source, tmp_path / "build", build_time=BUILD_TIME)
    settings = Settings.of(config)
    course = across_files(each_file(read_sources(config.source)[0], settings, NO_CACHE))
    found = each_deck(course, NO_CACHE)
    everything = confusions([note.record for note in course.notes], course.words)
    assert sorted(map(str, found)) == sorted(map(str, everything))
    assert {d.location.path.rsplit("/", 1)[-1] for d in found} == {"a.md", "c2.md"}


@pytest.mark.parametrize("course", ["biology", "sales", "spanish"])
def test_ambiguous_reverses_tries_the_pairs_that_trying_every_pair_finds(
    course: str, tmp_path: Path
) -> None:
    """ambiguous-reverse looks its pairs up in indexes (`reverses._pairs`): on the labelled
    courses it finds each pair that `_why_ambiguous` finds among every candidate pair."""
    config = load_config(QUALITY / course, tmp_path / "build", build_time=BUILD_TIME)
    notes = across_files(each_file(read_sources(config.source)[0], Settings.of(config), NO_CACHE))
    lang = language(config.language)
    found, everywhere = 0, 0
    for deck in {note.record.deck for note in notes.notes}:
        indexes = [i for i, note in enumerate(notes.notes) if note.record.deck == deck]
        records = [notes.notes[i].record for i in indexes]
        stems = [notes.words[i] for i in indexes]
        df = Counter(s for i in indexes for s in notes.words[i])
        rare = [frozenset(s for s in words if df[s] <= MAX_POSTINGS) for words in stems]
        read = {
            i: _reading(r, df, lang)
            for i, r in enumerate(records)
            if r.kind is Kind.TERM and Variant.REVERSE in r.variants
        }
        tried = [p for p in _candidates(stems) if p[0] in read and p[1] in read]
        every = [(i, j) for i, j in tried if _why_ambiguous(read[i], read[j], df)]
        looked_up = [(i, j) for i, j in _pairs(read, rare) if _why_ambiguous(read[i], read[j], df)]
        assert looked_up == every
        found, everywhere = found + len(every), everywhere + len(tried)
    assert 0 < found < everywhere  # both sides of the test reached


@settings(max_examples=examples(dev=200, ci=6000))
@given(
    st.lists(
        st.tuples(st.lists(st.sampled_from("abcdefghij"), max_size=5, unique=True), st.booleans()),
        max_size=12,
    ),
    st.integers(MAX_POSTINGS - 1, MAX_POSTINGS + 1),
)
def test_candidates_are_the_pairs_sharing_a_rare_stem_but_two_terms(
    decked: list[tuple[list[str], bool]], common: int
) -> None:
    """`_candidates` gathers each record's later partners from its stems' postings and leaves
    out pairs of two terms (no check it feeds compares two terms): it gives, in order, every
    pair that shares a stem in at most MAX_POSTINGS records, but those. ("z" is in `common`
    records, about MAX_POSTINGS; a record's stems are distinct, as `compared_words` gives them.)"""
    decked += [(["z", "a"], False)] * (common - 1) + [(["z"], True)]
    words = [w for w, _ in decked]
    terms = [t for _, t in decked]
    postings = Counter(s for w in words for s in set(w))
    expected = [
        (i, j)
        for i, j in itertools.combinations(range(len(words)), 2)
        if not (terms[i] and terms[j])
        and any(postings[s] <= MAX_POSTINGS for s in set(words[i]) & set(words[j]))
    ]
    assert _candidates(words, terms) == expected


@pytest.mark.parametrize("code", ["en", "de", "sh"])  # a large list, another, a small one only
def test_word_frequencies_read_without_wordfreq_are_wordfreqs(code: str) -> None:
    """`words._frequencies` reads wordfreq's files itself (importing wordfreq cost more than
    its table): the languages and each word's frequency are exactly what wordfreq gives."""
    import wordfreq

    from generator.cards import words

    assert set(words._word_lists()) == set(wordfreq.available_languages())
    assert words._frequencies(code) == wordfreq.get_frequency_dict(code)
    assert words.language(code).zipf("the") == pytest.approx(
        wordfreq.zipf_frequency("the", code), abs=0.006
    )


def test_a_word_list_of_another_format_is_read_by_wordfreq_itself(
    tmp_path: Path, monkeypatch
) -> None:
    """A later wordfreq whose files deckgen cannot read: its own reader gives the table."""
    import gzip

    import msgpack
    import wordfreq

    from generator.cards import words

    later = tmp_path / "large_en.msgpack.gz"
    later.write_bytes(gzip.compress(msgpack.packb([{"format": "cB", "version": 2}, ["the"]])))
    monkeypatch.setattr(words, "_word_lists", lambda: {"en": later})
    words._frequencies.cache_clear()
    try:
        assert words._frequencies("en") == wordfreq.get_frequency_dict("en")
    finally:
        words._frequencies.cache_clear()
