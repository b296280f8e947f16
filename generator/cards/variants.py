"""Variants: records -> notes, one note per record, whose fields switch its cards on.

All the cards of a record are siblings (one note), so Anki can bury them together and never
shows a reverse card on the day its forward card gave the answer away (docs/anki.md,
section 6). Which cards a note has follows from the file's `variants`:

| record | basic | reverse | typed | cloze |
| --- | --- | --- | --- | --- |
| term | forward card (required) | `Reverse` field | `Typed` field: type the term | - |
| question | forward card (required) | - | `Typed` field: type the answer | - |
| enumeration | `ListCard`: the whole list hidden | - | - | `ItemCards`: one card per item |
| cloze sentence | - | - | - | one card per deletion number |
| comparison (a table's row) | a card per thing compared, the others shown | - | - | - |

A file that names a kept note type (`note-type:`, written by `deckgen import`) makes notes of
that type instead (`kept_types`): its templates, not this table, decide the cards.

Turning `reverse` or `typed` on or off changes a field of the same note (same GUID): the
next import updates the note and adds the card, keeping every review.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from pathlib import Path

from ..diagnostics import Diagnostic, error, warning
from ..identity.note_types import FLAG, MAX_ITEMS
from ..links import anchor, report_url
from ..records import MAX_SIDES, Kind, Note, Record, Variant
from .kept_types import KeptTypes, kept_fields
from .one_card import hidden_parts
from .words import DEFAULT_LANGUAGE, Language
from .words import language as words_of

TYPED_WORDS = 5
"""More words than this is too long to type as an answer."""
_SEPARATOR = " \u203a "
REPORT = "Report an error"
"""The text of the Source line's link to the course's issue form."""


def variants(
    records: Iterable[Record],
    source: Path,
    repository: str | None = None,
    kept_types: KeptTypes | None = None,
    language: str = DEFAULT_LANGUAGE,
) -> tuple[tuple[Note, ...], list[Diagnostic]]:
    """The note of each record. The notes folder `source` names the Source field
    (`source/x.md › Heading`) and holds the kept note types files name (`kept_types`: the
    build's, shared by its files); with the course's `repository`, the Source field also
    links to a form to report an error on the card. `language`: the course's, in which the
    context line's give-aways are found (`one_card.hidden_parts`)."""
    source_name = source.resolve().name
    notes: list[Note] = []
    problems: list[Diagnostic] = []
    kept_types = kept_types or KeptTypes(source)
    # Records of one section share their place, and its strings (one object, not one a note:
    # memory, and the file cache stores a shared string once).
    places: dict[tuple[str, tuple[str, ...]], tuple[tuple[str, ...], str]] = {}
    sources: dict[tuple[str, tuple[str, ...]], str] = {}
    for record in records:
        if record.note_type is not None:
            problem = _kept_note(record, kept_types, notes)
            if problem is not None and problem not in problems:
                problems.append(problem)
            continue
        place = (record.deck, record.section)
        shared = places.get(place)
        if shared is None:
            parts = _breadcrumb(record)
            shared = places[place] = (parts, _SEPARATOR.join(parts))
        if repository is None:  # else the report link names the front
            at = (record.rel, record.section)
            where = sources.get(at)
            if where is None:
                where = sources[at] = _source(source_name, record, None)
        else:
            where = _source(source_name, record, repository)
        if len(record.items) > MAX_ITEMS:
            problems.append(_too_many_items(record))
            continue
        fields = _fields(record, *shared, where, words_of(language))
        if fields is None:
            problems.append(_no_card(record))
            continue
        notes.append(Note(record, fields, record.tags))
        if Variant.TYPED in record.variants:
            problems += _typed_too_long(record)
    return tuple(notes), problems


def _kept_note(record: Record, kept_types: KeptTypes, notes: list[Note]) -> Diagnostic | None:
    """Add the note of a record whose file names a kept note type; or say why it cannot be."""
    kept = kept_types.of(record)
    if isinstance(kept, Diagnostic):
        return kept
    assert kept is not None
    fields = kept_fields(record, kept)
    if isinstance(fields, Diagnostic):
        return fields
    notes.append(Note(record, fields, record.tags, note_type=kept))
    return None


def _fields(
    record: Record, parts: tuple[str, ...], joined: str, source: str, lang: Language
) -> tuple[str, ...] | None:
    """The note's fields, in its note type's order (`joined`: `parts` joined); None when the
    variants allow no card."""
    wanted = record.variants
    language = record.spoken_language or ""  # the forward cards read the front aloud in it
    if record.kind is Kind.CLOZE:
        if Variant.CLOZE not in wanted:
            return None
        return (record.front, record.back, joined, source)
    if record.kind is Kind.COMPARISON:
        if Variant.BASIC not in wanted:
            return None
        pad = ("",) * (MAX_SIDES - len(record.columns))
        return (record.front, *record.columns, *pad, *record.items, *pad, joined, source)
    if record.kind is Kind.ENUMERATION:
        whole, each = Variant.BASIC in wanted, Variant.CLOZE in wanted
        if not (whole or each):
            return None
        items = record.items + ("",) * (MAX_ITEMS - len(record.items))
        flags = (FLAG if whole else "", FLAG if each else "", FLAG if record.ordered else "")
        return (record.front, *items, *flags, joined, language, source)
    if Variant.BASIC not in wanted:
        return None
    typed = FLAG if Variant.TYPED in wanted else ""
    if record.kind is Kind.QUESTION:  # a question is never reversed
        return (record.front, record.back, typed, joined, language, source)
    reverse = FLAG if Variant.REVERSE in wanted else ""
    left_out = hidden_parts(record, parts, lang)
    hidden = (
        joined
        if not left_out
        else _SEPARATOR.join(p for i, p in enumerate(parts) if i not in left_out)
    )
    return (record.front, record.back, reverse, typed, joined, hidden, language, source)


def _source(source_name: str, record: Record, repository: str | None) -> str:
    """The Source footer: the notes file and the heading the record sits under, and a link
    to report an error where the course has a repository. No line number: a location field
    never re-stamps a note (identity.ids.content_hash), so what a student's unchanged note
    shows must stay true when lines above it move."""
    heading = f"{_SEPARATOR}{record.section[-1]}" if record.section else ""
    where = f"{source_name}/{record.rel}{heading}"
    shown = _text(where)
    if repository is None:
        return shown
    return f"{shown} \u00b7 {anchor(report_url(repository, record.front, where), REPORT)}"


def _breadcrumb(record: Record) -> tuple[str, ...]:
    """Where the fact sits: deck leaf, then headings (the title once), escaped for HTML. A
    course's top deck is left out where headings say more: it is the course, the same above
    every card."""
    leaf = record.deck.split("::")[-1]
    sections = list(record.section)
    if sections and sections[0].casefold() == leaf.casefold():
        sections.pop(0)
    parts = [leaf, *sections] if "::" in record.deck or not sections else sections
    return tuple(_text(part) for part in parts)


def _text(text: str) -> str:
    """A heading, deck or file name as a field shows it: HTML-escaped, and its `[` written
    `&#91;`, which reads the same, so no `[sound:...]` or `[anki:tts]` in it plays."""
    return html.escape(text, quote=False).replace("[", "&#91;")


def _no_card(record: Record) -> Diagnostic:
    if record.kind in (Kind.TERM, Kind.QUESTION, Kind.COMPARISON):
        why = f"a {record.kind}'s cards need its basic card: add 'basic' to the file's variants"
    else:
        article = "an" if record.kind is Kind.ENUMERATION else "a"
        why = f"the file's variants exclude every card {article} {record.kind} can have"
    return warning(record.location, "no-card", f"makes no card: {why}")


def _too_many_items(record: Record) -> Diagnostic:
    return error(
        record.location,
        "list-too-long",
        f"a list of {len(record.items)} items is too long to learn as one (at most "
        f"{MAX_ITEMS}); split it into lists that each answer a question of their own",
    )


def _typed_too_long(record: Record) -> list[Diagnostic]:
    """A typed answer longer than a few words is a spelling test, not recall."""
    if record.kind is Kind.TERM:
        what, text = "term", record.front
    elif record.kind is Kind.QUESTION:
        what, text = "answer", record.back
    else:
        return []
    words = len(_plain_words(text))
    if words <= TYPED_WORDS:
        return []
    return [
        warning(
            record.location,
            "typed-too-long",
            f"the {what} has {words} words, too long to type (at most {TYPED_WORDS}); "
            "shorten it or leave 'typed' out of this file's variants",
        )
    ]


def _plain_words(text: str) -> list[str]:
    return html.unescape(re.sub(r"<[^>]*>", " ", text)).split()
