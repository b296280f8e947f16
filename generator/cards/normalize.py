"""Normalize: raw entries -> frozen records (NFC, whitespace, one kind each, no duplicates)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from ..cloze import check_cloze, check_in_tag, has_cloze, looks_like_cloze
from ..diagnostics import Diagnostic, Severity, error, warning
from ..identity.fold import fold, key_of, plain, row_text
from ..mathjax import math_commands
from ..records import Entry, Kind, Record

_SPACE = re.compile(r"[ \t\r\n\f\v\u00a0\x00-\x1f\x7f-\x9f\u2028\u2029]+")
"""Whitespace, and the control and separator characters that count as none: U+001F is
Anki's field separator, and a package holding one cannot be imported."""
_PRE = re.compile(r"(<pre>.*?</pre>)", re.DOTALL)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")


def clean(html_text: str) -> str:
    """NFC and collapsed whitespace (control characters are whitespace), except inside
    preformatted code, where only the control characters become spaces."""
    text = unicodedata.normalize("NFC", html_text)
    if text.isprintable() and "  " not in text:
        return text.strip()  # no run to collapse (every other character _SPACE has is unprintable)
    return _collapsed(text)


def _collapsed(text: str) -> str:
    if "<pre>" not in text:
        return _SPACE.sub(" ", text).strip()
    parts = _PRE.split(text)
    return "".join(
        _CONTROL.sub(" ", p) if p.startswith("<pre>") else _SPACE.sub(" ", p) for p in parts
    ).strip()


def normalize(entries: Iterable[Entry]) -> tuple[tuple[Record, ...], list[Diagnostic]]:
    """One record per entry; duplicates (same identity in one deck) are errors naming both.
    (`across_files.across_files` finds those of two files.)"""
    records: list[Record] = []
    problems: list[Diagnostic] = []
    first_seen: dict[str, Record] = {}
    sections: dict[tuple[str, ...], tuple[str, ...]] = {}  # entries share their headings
    for entry in entries:
        section = sections.get(entry.section)
        if section is None:
            section = sections[entry.section] = tuple(clean(s) for s in entry.section)
        record, front_text, back_text = _record(entry, section)
        found = _problems(record, front_text, back_text) + _table_cloze(record)
        problems.extend(found)
        if any(d.severity is Severity.ERROR for d in found):
            continue
        other = first_seen.setdefault(record.key, record)
        if other is not record:
            problems.append(duplicate(record, other, front_text))
            continue
        records.append(record)
    return tuple(records), problems


def duplicate(record: Record, other: Record, front_text: str) -> Diagnostic:
    """The error for `record`, whose identity `other` (written earlier) already has."""
    what = f"id '{record.pin}'" if record.pin else f"front '{front_text}' in deck '{record.deck}'"
    if record.kind is Kind.COMPARISON and not record.pin:
        what = f"aspect '{front_text}' of a table comparing {', '.join(map(plain, record.columns))}"
    return error(
        record.location, "duplicate", f"duplicate {what}; first defined at {other.location}"
    )


def _record(entry: Entry, section: tuple[str, ...]) -> tuple[Record, str, str]:
    """The record, and the plain text of its front and back (which the checks read)."""
    front, back = clean(entry.front), clean(entry.back)
    items = tuple(clean(item) for item in entry.items)
    kind: Kind | None = None
    columns = tuple(clean(name) for name in entry.columns)
    if columns:
        kind = Kind.COMPARISON
    elif items:
        kind = Kind.ENUMERATION
    elif has_cloze(front) or has_cloze(back):
        kind = Kind.CLOZE
        if has_cloze(back):
            # "**Term**: a sentence with {{c1::deletions}}": the whole line is the text.
            front, back = f"<strong>{front}</strong>: {back}", ""
    front_text, back_text = plain(front), plain(back)
    if kind is None:
        kind = Kind.QUESTION if front_text.endswith("?") else Kind.TERM
    if kind is Kind.COMPARISON:  # a row: its table's compared names are part of its identity
        folded = fold(row_text(front_text, [plain(name) for name in columns]))
    else:
        folded = fold(front_text)
    record = Record(
        kind=kind,
        deck=entry.deck,
        front=front,
        back=back,
        items=items,
        ordered=entry.ordered,
        section=section,
        topics=entry.topics,
        variants=entry.variants,
        pin=entry.pin,
        location=entry.location,
        rel=entry.rel,
        folded=folded,
        key=key_of(entry.deck, folded, entry.pin),
        note_type=entry.note_type,
        tts=entry.tts,
        fields=tuple((name, clean(html)) for name, html in entry.fields),
        columns=columns,
    )
    return record, front_text, back_text


def _problems(record: Record, front_text: str, back_text: str) -> list[Diagnostic]:
    where = record.location
    if _blank(record.front, front_text):
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
    # A note of a kept note type may leave its answer empty, as its deck did (Anki's rule
    # decides its cards).
    kept = record.note_type is not None
    if record.kind in (Kind.TERM, Kind.QUESTION) and not kept and _blank(record.back, back_text):
        noun = "answer" if record.kind is Kind.QUESTION else "definition"
        return [error(where, "empty-back", f"'{front_text}' has no {noun}")]
    item_texts = [plain(item) for item in record.items]
    if any(_blank(item, text) for item, text in zip(record.items, item_texts, strict=True)):
        return [error(where, "empty-item", f"'{front_text}' lists an empty item")]
    hidden = check_in_tag(record.front + record.back + "".join(record.items), where)
    if hidden:
        return hidden
    # Headings, the deck and the file name reach the context line and the Source footer,
    # where MathJax reads them too.
    fields = (record.front, record.back, *record.items, *record.columns, *record.section)
    fields += (record.deck, record.rel)
    commands = math_commands(*fields)
    if commands:
        return [
            error(
                where,
                "math-command",
                f"math may not use {', '.join(commands)}: MathJax makes a link or a style of it, "
                "which runs or fetches on a student's machine",
            )
        ]
    if record.kind is Kind.CLOZE:
        return check_cloze(record.front, where)
    return []  # what makes a poor card, but a card, is found later (`one_card`)


def _table_cloze(record: Record) -> list[Diagnostic]:
    """A deletion in a table's cell is shown as typed (a row is no cloze)."""
    cells = (record.front, *record.items, *record.columns)
    if record.kind is not Kind.COMPARISON or not any(map(has_cloze, cells)):
        return []
    message = "a deletion in a table's row shows as typed: its cards ask each side already"
    return [warning(record.location, "cloze-malformed", message)]


def _blank(html_text: str, text: str) -> bool:
    """True when the field would show nothing: no text (`text` is its plain text) and no image."""
    return not text and "<img " not in html_text
