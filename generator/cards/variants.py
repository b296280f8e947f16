"""Variants: records -> notes (basic for every fact, reverse for terms, cloze for lists and clozes)."""

from __future__ import annotations

from collections.abc import Iterable

from ..diagnostics import Diagnostic, warning
from ..records import Kind, Note, Record, Variant


def variants(
    records: Iterable[Record], source_name: str
) -> tuple[tuple[Note, ...], list[Diagnostic]]:
    """The notes each record asks for. `source_name` prefixes the Source field (`source/x.md:3`)."""
    notes: list[Note] = []
    problems: list[Diagnostic] = []
    contexts: dict[tuple[str, tuple[str, ...]], str] = {}  # records share their place
    for record in records:
        place = (record.deck, record.section)
        context = contexts.get(place)
        if context is None:
            context = contexts[place] = _context(record)
        made = list(_notes(record, context, f"{source_name}/{record.rel}:{record.location.line}"))
        if not made:
            problems.append(
                warning(
                    record.location,
                    "no-card",
                    f"makes no card: the file's variants exclude every variant a {record.kind} can have",
                )
            )
        notes.extend(made)
    return tuple(notes), problems


def _notes(record: Record, context: str, source: str) -> Iterable[Note]:
    wanted = record.variants
    if record.kind is Kind.CLOZE:
        if Variant.CLOZE in wanted:
            yield Note(
                record, Variant.CLOZE, (record.front, record.back, context, source), record.tags
            )
        return
    back = record.back if record.kind is not Kind.ENUMERATION else _list(record, record.items)
    if Variant.BASIC in wanted:
        yield Note(record, Variant.BASIC, (record.front, back, context, source), record.tags)
    if record.kind is Kind.TERM and Variant.REVERSE in wanted:
        yield Note(record, Variant.REVERSE, (back, record.front, context, source), record.tags)
    if record.kind is Kind.ENUMERATION and Variant.CLOZE in wanted:
        # One deletion per item, so each item is recalled on a card of its own.
        items = tuple(f"{{{{c{n}::{item}}}}}" for n, item in enumerate(record.items, 1))
        text = f'<div class="prompt">{record.front}</div>{_list(record, items)}'
        yield Note(record, Variant.CLOZE, (text, "", context, source), record.tags)


def _context(record: Record) -> str:
    """Where the fact sits, as a breadcrumb: deck leaf, then headings (the title once)."""
    leaf = record.deck.split("::")[-1]
    sections = list(record.section)
    if sections and sections[0].casefold() == leaf.casefold():
        sections.pop(0)
    return " \u203a ".join((leaf, *sections))


def _list(record: Record, items: tuple[str, ...]) -> str:
    tag = "ol" if record.ordered else "ul"
    return f"<{tag}>" + "".join(f"<li>{item}</li>" for item in items) + f"</{tag}>"
