"""The course's look on deckgen's note types: its stylesheet appended to theirs, its header and
footer around the fields (`[style]` in deckgen.toml, `config.Style`).

Ids, fields, card rules and the Source footer stay as they are: a look changes a note type's
content, never its schema, so Anki updates the note type on the next import and every note and
review stays (tests/test_course_style.py).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import replace

from ..config import Style
from ..records import Kind, Note
from .note_types import BY_KIND, SOURCE, NoteType, Template

_OPENER = re.compile(r"\{\{#([^}]+)\}\}")


def _inside_switches(front: str) -> int:
    """Where the header goes in a front: inside the sections that wrap all of it (a card's
    switches, `{{#Reverse}}...{{/Reverse}}`), so a card that does not exist still renders
    nothing (Anki makes a card exactly when its front renders)."""
    at, end = 0, len(front)
    while (opener := _OPENER.match(front, at)) and front[:end].endswith(
        closer := "{{/" + opener.group(1) + "}}"
    ):
        at, end = opener.end(), end - len(closer)
    return at


def dressed(note_type: NoteType, style: Style) -> NoteType:
    """`note_type` in the course's look."""
    header = f'<div class="course-header">{html.escape(style.header)}</div>' if style.header else ""
    footer = f'<div class="course-footer">{html.escape(style.footer)}</div>' if style.footer else ""

    def template(t: Template) -> Template:
        opened = _inside_switches(t.front)
        front = t.front[:opened] + header + t.front[opened:]
        back = t.back if t.back.startswith("{{FrontSide}}") else header + t.back
        assert back.endswith(SOURCE), t.name  # every answer ends with where the note lives
        back = back[: -len(SOURCE)] + footer + SOURCE
        return replace(t, front=front, back=back)

    css = note_type.css + (f"\n/* The course's own style */\n{style.css}" if style.css else "")
    return replace(note_type, css=css, templates=tuple(map(template, note_type.templates)))


def own_types(style: Style | None) -> dict[Kind, NoteType]:
    """deckgen's note type for each kind of record, in the course's look."""
    if style is None:
        return dict(BY_KIND)
    return {kind: dressed(note_type, style) for kind, note_type in BY_KIND.items()}


def dress(notes: Iterable[Note], style: Style | None) -> tuple[Note, ...]:
    """The notes, those of deckgen's own note types given them in the course's look."""
    if style is None:
        return tuple(notes)
    types = own_types(style)
    return tuple(
        note if note.note_type is not None else replace(note, note_type=types[note.record.kind])
        for note in notes
    )
