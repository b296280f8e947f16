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
from functools import cache

from ..cloze import Deletion, replace_deletions
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
    present = frozenset(name for name, value in fields.items() if value.strip())
    made = []
    for ordinal in note_type.ordinals(note.fields, bool(note.tags)):
        template = note_type.templates[0 if note_type.cloze else ordinal]
        cloze = ordinal + 1 if note_type.cloze else None
        question = _fill(_compiled(template.front, present), fields, cloze, False, "")
        answer = _fill(_compiled(template.back, present), fields, cloze, True, question)
        made.append(Card(ordinal, question, answer))
    return tuple(made)


Part = tuple[str, str]
"""A piece of a template with its sections resolved: ("text", literal), ("field", name),
("cloze", field), ("plain", field: `{{text:Field}}`) or ("front", "")."""


@cache  # per template and set of non-empty fields: a course has a few dozen of them
def _compiled(template: str, present: frozenset[str]) -> tuple[Part, ...]:
    def section(match: re.Match[str]) -> str:
        kind, name, body = match.groups()
        return body if (name.strip() in present) == (kind == "#") else ""

    previous = None
    while previous != template:  # nested sections, innermost last
        previous, template = template, _SECTION.sub(section, template)
    parts: list[Part] = []
    for n, piece in enumerate(_TAG.split(template)):
        if n % 2 == 0:
            parts.append(("text", piece))
            continue
        name = piece.strip()
        if name == "FrontSide":
            parts.append(("front", ""))
        elif name.startswith("cloze:"):
            parts.append(("cloze", name[6:]))
        elif name.startswith("text:"):
            parts.append(("plain", name[5:]))
        elif name.startswith("type:"):
            parts.append(("text", f"[[{name}]]"))  # what Anki's renderer leaves for the reviewer
        else:
            parts.append(("field", name))
    return tuple(parts)


def _fill(
    parts: tuple[Part, ...], fields: dict[str, str], cloze: int | None, answer: bool, front: str
) -> str:
    out = []
    for kind, value in parts:
        if kind == "text":
            out.append(value)
        elif kind == "field":
            out.append(fields.get(value, ""))
        elif kind == "front":
            out.append(front)
        elif kind == "plain":  # Anki's {{text:}}: tags dropped, entities decoded
            out.append(html.escape(plain(fields.get(value, "")), quote=False))
        else:
            out.append(_cloze(fields.get(value, ""), cloze or 0, answer))
    return "".join(out)


def _cloze(text: str, active: int, answer: bool) -> str:
    def deletion(found: Deletion) -> str:
        numbers, content, hint = found
        if int(numbers) != active:
            return f'<span class="cloze-inactive" data-ordinal="{numbers}">{content}</span>'
        if answer:
            return f'<span class="cloze" data-ordinal="{numbers}">{content}</span>'
        shown = f"[{hint}]" if hint else "[...]"
        return f'<span class="cloze" data-cloze="{html.escape(content)}" data-ordinal="{numbers}">{shown}</span>'

    return replace_deletions(text, deletion)
