"""The course's own note types: deckgen's roles (`note_types`) under the course's ids and
names (`course_type`), in its look: its stylesheet appended to theirs, its header and footer
around the fields (`[style]` in deckgen.toml, `config.Style`).

Fields, card rules and the Source footer stay as they are: a look changes a note type's
content, never its schema, so Anki updates the note type on the next import and every note and
review stays (tests/test_course_style.py).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import replace

from ..config import Style
from ..course_table import CourseIdentity
from ..records import Kind, Note
from .ids import course_type_id
from .note_types import BY_KIND, SOURCE, NoteType, Template

OWN_STYLE = "/* The course's own style */"
"""Between deckgen's stylesheet and the course's own in a note type (`deckgen import` of a
package finds the course's there)."""
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


def _text(text: str) -> str:
    return html.escape(text).replace("[", "&#91;")


def dressed(note_type: NoteType, style: Style) -> NoteType:
    """`note_type` in the course's look."""
    # `[` as `&#91;`: a `[sound:...]`, `[anki:tts]` or `[latex]` in them stays text on every card
    header = f'<div class="course-header">{_text(style.header)}</div>' if style.header else ""
    footer = f'<div class="course-footer">{_text(style.footer)}</div>' if style.footer else ""

    def template(t: Template) -> Template:
        opened = _inside_switches(t.front)
        front = t.front[:opened] + header + t.front[opened:]
        back = t.back if t.back.startswith("{{FrontSide}}") else header + t.back
        assert back.endswith(SOURCE), t.name  # every answer ends with where the note lives
        back = back[: -len(SOURCE)] + footer + SOURCE
        return replace(t, front=front, back=back)

    css = note_type.css + (f"\n{OWN_STYLE}\n{style.css}" if style.css else "")
    return replace(note_type, css=css, templates=tuple(map(template, note_type.templates)))


def course_type(role: NoteType, course: CourseIdentity) -> NoteType:
    """The course's own note type for `role`: its id made from the course id, its name showing
    the course (a student's note type list and Browse window tell courses apart), and the
    course id in a comment of its stylesheet, from which `deckgen import` gives a course
    rebuilt from a package its identity again."""
    return replace(
        role,
        model_id=course_type_id(course.id, role.role),
        name=f"{course.name} · {role.name.removeprefix('deckgen ')}",
        css=f"/* deckgen course: {course.id} */\n{role.css}",
    )


def own_types(course: CourseIdentity, style: Style | None) -> dict[Kind, NoteType]:
    """The course's note type for each kind of record, in its look."""
    types = {kind: course_type(role, course) for kind, role in BY_KIND.items()}
    if style is None:
        return types
    return {kind: dressed(note_type, style) for kind, note_type in types.items()}


def dress(notes: Iterable[Note], types: dict[Kind, NoteType]) -> tuple[Note, ...]:
    """The notes, those of deckgen's own note types given the course's (`own_types`)."""
    return tuple(
        note if note.note_type is not None else replace(note, note_type=types[note.record.kind])
        for note in notes
    )
