"""Normalize: raw entries -> frozen records (NFC, whitespace, one kind each, no duplicates)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from .cloze import check_cloze, has_cloze, looks_like_cloze
from .diagnostics import Diagnostic, Severity, error, warning
from .identity import fold, key_of, plain
from .records import Entry, Kind, Record

_SPACE = re.compile(r"[ \t\r\n\f\v\u00a0]+")
LONG_ANSWER_WORDS = 60
"""More words than this in one answer is more than one fact."""
_PRE = re.compile(r"(<pre>.*?</pre>)", re.DOTALL)


def clean(html_text: str) -> str:
    """NFC and collapsed whitespace, except inside preformatted code."""
    text = unicodedata.normalize("NFC", html_text)
    if "<pre>" not in text:
        return _SPACE.sub(" ", text).strip()
    parts = _PRE.split(text)
    return "".join(p if p.startswith("<pre>") else _SPACE.sub(" ", p) for p in parts).strip()


def normalize(entries: Iterable[Entry]) -> tuple[tuple[Record, ...], list[Diagnostic]]:
    """One record per entry; duplicates (same identity in one deck) are errors naming both."""
    records: list[Record] = []
    problems: list[Diagnostic] = []
    first_seen: dict[str, Record] = {}
    for entry in entries:
        record = _record(entry)
        found = _problems(record)
        problems.extend(found)
        if any(d.severity is Severity.ERROR for d in found):
            continue
        key = record.key
        other = first_seen.get(key)
        if other is not None:
            what = (
                f"id '{record.pin}'"
                if record.pin
                else f"front '{plain(record.front)}' in deck '{record.deck}'"
            )
            problems.append(
                error(
                    record.location,
                    "duplicate",
                    f"duplicate {what}; first defined at {other.location}",
                )
            )
            continue
        first_seen[key] = record
        records.append(record)
    return tuple(records), problems


def _record(entry: Entry) -> Record:
    front, back = clean(entry.front), clean(entry.back)
    items = tuple(clean(item) for item in entry.items)
    if items:
        kind = Kind.ENUMERATION
    elif has_cloze(front) or has_cloze(back):
        kind = Kind.CLOZE
        if has_cloze(back):
            # "**Term**: a sentence with {{c1::deletions}}": the whole line is the text.
            front, back = f"<strong>{front}</strong>: {back}", ""
    elif plain(front).endswith("?"):
        kind = Kind.QUESTION
    else:
        kind = Kind.TERM
    folded = fold(front)
    return Record(
        kind=kind,
        deck=entry.deck,
        front=front,
        back=back,
        items=items,
        ordered=entry.ordered,
        section=tuple(clean(s) for s in entry.section),
        topics=entry.topics,
        variants=entry.variants,
        pin=entry.pin,
        location=entry.location,
        origin=entry.origin,
        folded=folded,
        key=key_of(entry.deck, folded, entry.pin),
    )


def _problems(record: Record) -> list[Diagnostic]:
    where = record.location
    if _blank(record.front):
        return [error(where, "empty-front", "the card's front is empty")]
    if record.kind is not Kind.CLOZE and looks_like_cloze(record.front + record.back):
        if not record.back and not record.items:  # a sentence item: it was meant as a cloze
            return [
                error(
                    where,
                    "cloze-malformed",
                    "'{{...}}' is not a cloze deletion, so this makes no card; write {{c1::answer}}",
                )
            ]
        return [
            warning(
                where,
                "cloze-malformed",
                "'{{...}}' is not a cloze deletion and shows as typed; write {{c1::answer}}",
            )
        ]
    if record.kind in (Kind.TERM, Kind.QUESTION) and _blank(record.back):
        noun = "answer" if record.kind is Kind.QUESTION else "definition"
        return [error(where, "empty-back", f"'{plain(record.front)}' has no {noun}")]
    if any(_blank(item) for item in record.items):
        return [error(where, "empty-item", f"'{plain(record.front)}' lists an empty item")]
    if record.kind is Kind.CLOZE:
        return check_cloze(record.front, where)
    return _quality(record)


def _blank(html_text: str) -> bool:
    """True when the field would show nothing: no text and no image."""
    return not plain(html_text) and "<img " not in html_text


def _quality(record: Record) -> list[Diagnostic]:
    """Warnings for what makes a poor card (minimum information principle)."""
    where = record.location
    # An enumeration is long by nature; its cloze note asks one item at a time.
    words = max(len(plain(part).split()) for part in (record.back, *record.items))
    if words > LONG_ANSWER_WORDS:
        return [
            warning(
                where,
                "answer-too-long",
                f"the answer has {words} words; split it into cards of one fact each (at most {LONG_ANSWER_WORDS})",
            )
        ]
    front, back = record.folded, fold(record.back)
    if record.kind is Kind.TERM and len(front) >= 4 and front in back:
        return [
            warning(
                where,
                "answer-repeats-question",
                "the definition repeats the term, which gives the reverse card away",
            )
        ]
    if back and back == front:
        return [warning(where, "answer-repeats-question", "the answer repeats the question")]
    return []
