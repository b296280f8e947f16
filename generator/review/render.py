"""Render: a note's cards, question and answer, the way Anki renders them.

A small implementation of what deckgen's own note types use of Anki's template language:
`{{Field}}`, `{{#Field}}…{{/Field}}`, `{{^Field}}…{{/Field}}`, `{{FrontSide}}` and
`{{cloze:Field}}` with Anki's cloze markup, `{{text:Field}}` (the field without HTML tags), and
`{{type:Field}}`, which Anki's renderer leaves as `[[type:Field]]` for the reviewer. The tests compare it with the real renderer.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from ..cloze import DELETION
from ..identity.fold import plain
from ..identity.note_types import note_type_of
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
    """Every card Anki makes for the note (deckgen's card rule, `NoteType.ordinals`)."""
    note_type = note_type_of(note)
    fields = dict(zip(note_type.field_names, note.fields, strict=True))
    made = []
    for ordinal in note_type.ordinals(note.fields, bool(note.tags)):
        template = note_type.templates[0 if note_type.cloze else ordinal]
        cloze = ordinal + 1 if note_type.cloze else None
        made.append(_card(ordinal, template.front, template.back, fields, cloze))
    return tuple(made)


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
        if name.startswith("text:"):  # Anki's: tags dropped, entities decoded
            return html.escape(plain(fields.get(name[5:], "")), quote=False)
        if name.startswith("type:"):
            return f"[[{name}]]"  # what Anki's renderer leaves for the reviewer to fill in
        return fields.get(name, "")

    return _TAG.sub(tag, template)


def _cloze(text: str, active: int, answer: bool) -> str:
    def deletion(match: re.Match[str]) -> str:
        numbers, content, hint = match.group(1), match.group(2), match.group(3)
        if int(numbers) != active:
            return f'<span class="cloze-inactive" data-ordinal="{numbers}">{content}</span>'
        if answer:
            return f'<span class="cloze" data-ordinal="{numbers}">{content}</span>'
        shown = f"[{hint}]" if hint else "[...]"
        return f'<span class="cloze" data-cloze="{html.escape(content)}" data-ordinal="{numbers}">{shown}</span>'

    return DELETION.sub(deletion, text)
