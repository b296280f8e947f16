"""Render: a note's cards, question and answer, the way Anki renders them.

A small implementation of what deckgen's own note types use of Anki's template language:
`{{Field}}`, `{{#Field}}…{{/Field}}`, `{{^Field}}…{{/Field}}`, `{{FrontSide}}` and
`{{cloze:Field}}` with Anki's cloze markup. The tests compare it with the real renderer.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from ..cloze import DELETION
from ..identity.note_types import NOTE_TYPES, NoteType
from ..records import Note

_SECTION = re.compile(r"\{\{([#^])([^}]+)\}\}(.*?)\{\{/\2\}\}", re.DOTALL)
_TAG = re.compile(r"\{\{([^}]+)\}\}")


@dataclass(frozen=True, slots=True)
class Card:
    """One card of a note as a student sees it."""

    ordinal: int
    """Anki's card ordinal (0-based): template index, or cloze number - 1."""
    question: str
    """The front, as HTML."""
    answer: str
    """The back, as HTML."""


def cards(note: Note) -> tuple[Card, ...]:
    """Every card Anki makes for the note, in ordinal order."""
    note_type = NOTE_TYPES[note.variant]
    fields = dict(zip((name for name, _ in note_type.fields), note.fields, strict=True))
    if note_type.cloze:
        numbers = sorted({int(n) for n, _, _ in DELETION.findall(fields["Text"])})
        _, _, qfmt, afmt = note_type.templates[0]
        return tuple(_card(number - 1, qfmt, afmt, fields, number) for number in numbers)
    return tuple(
        _card(ordinal, qfmt, afmt, fields, None)
        for ordinal, (_, _, qfmt, afmt) in enumerate(note_type.templates)
        if _makes_card(qfmt, fields, note_type)
    )


def _makes_card(qfmt: str, fields: dict[str, str], note_type: NoteType) -> bool:
    # Anki makes a card when the front uses a non-empty field outside a conditional.
    bare = _SECTION.sub("", qfmt)
    return any(fields.get(name.strip(), "").strip() for name in _TAG.findall(bare))


def _card(ordinal: int, qfmt: str, afmt: str, fields: dict[str, str], cloze: int | None) -> Card:
    question = _render(qfmt, fields, cloze, answer=False, front="")
    return Card(ordinal, question, _render(afmt, fields, cloze, answer=True, front=question))


def _render(
    template: str, fields: dict[str, str], cloze: int | None, *, answer: bool, front: str
) -> str:
    def section(match: re.Match[str]) -> str:
        kind, name, body = match.groups()
        present = bool(fields.get(name.strip(), "").strip())
        return body if present == (kind == "#") else ""

    previous = None
    while previous != template:  # nested sections, innermost last
        previous, template = template, _SECTION.sub(section, template)

    def tag(match: re.Match[str]) -> str:
        name = match.group(1).strip()
        if name == "FrontSide":
            return front
        if name.startswith("cloze:"):
            return _cloze(fields.get(name[6:], ""), cloze or 0, answer)
        return fields.get(name, "")

    return _TAG.sub(tag, template)


def _cloze(text: str, active: int, answer: bool) -> str:
    def deletion(match: re.Match[str]) -> str:
        number, content, hint = int(match.group(1)), match.group(2), match.group(3)
        if number != active:
            return f'<span class="cloze-inactive" data-ordinal="{number}">{content}</span>'
        if answer:
            return f'<span class="cloze" data-ordinal="{number}">{content}</span>'
        shown = f"[{hint}]" if hint else "[...]"
        return f'<span class="cloze" data-cloze="{html.escape(content)}" data-ordinal="{number}">{shown}</span>'

    return DELETION.sub(deletion, text)
