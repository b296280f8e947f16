"""What one of deckgen's note types is, as data (`NoteType`, `Template`), its card rule, and
the pieces of template every role shares (the context line, the Source footer, the answer rule).

The roles themselves are in `note_types` (term, question, list, cloze) and `comparison_type`;
FROZEN as they are: see `note_types`' docstring.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from .card_style import CSS
from .templates import Kept, cloze_ordinals, rendered_ordinals

CONTEXT = '{{#Context}}<div class="context">{{Context}}</div>{{/Context}}'
REVERSE_CONTEXT = (
    '{{#ReverseContext}}<div class="context">{{ReverseContext}}</div>{{/ReverseContext}}'
)
SOURCE = '{{#Source}}<div class="source">{{Source}}</div>{{/Source}}'
ANSWER = '<hr id="answer">'
SPOKEN = (
    '{{#Language}}<span class="speak">[anki:tts lang={{Language}}]{{text:Front}}[/anki:tts]'
    "</span>{{/Language}}"
)
"""Anki reads the front aloud in the note's `Language` (a file's `tts:`): Anki plays a
`[anki:tts ...]` directive found anywhere in a rendered card, which is what its own `{{tts}}`
field writes (docs/anki.md, section 8); built here from the field, so one note type serves
every language, and nothing but the language shows in the note's fields."""
KEPT = "kept "
"""What the lock names a kept note type by, before its id (`NoteType.known_as`)."""
FLAG = "y"
"""The value of a field that switches a card on (`Reverse`, `Typed`); empty switches it off."""


@dataclass(frozen=True, slots=True)
class Template:
    """One card template of a note type."""

    name: str
    """Shown in Anki's card list."""
    template_id: int | None
    """Anki's template id: fixed forever (None only in a kept type whose deck had none)."""
    front: str
    """The question format."""
    back: str
    """The answer format."""
    needs: tuple[str, ...] = ()
    """The fields that must all be non-empty for the card to exist (deckgen's card rule,
    which tests/test_note_model.py checks against Anki's own); empty for a cloze template."""


@dataclass(frozen=True, slots=True)
class NoteType:
    """One of deckgen's note types, as data."""

    model_id: int
    """Anki's note type id: fixed forever."""
    name: str
    """Shown in Anki's note type list."""
    version: int
    """Bumped, deliberately, whenever a field or template is added or removed (a schema change)."""
    fields: tuple[tuple[str, int | None], ...]
    """(name, id) of each field, in order (an id is None only in a kept type)."""
    templates: tuple[Template, ...]
    """The card templates, in ordinal order."""
    cloze: bool = False
    """True for a cloze note type."""
    css: str = CSS
    """The stylesheet."""
    kept: Kept | None = None
    """Set for a note type kept from an imported deck (`identity.kept`); None for deckgen's own."""
    role: str = ""
    """What the lock and the content hash know one of deckgen's own types by, the same in every
    course and under any course name (`deckgen Term`); empty for a kept type."""

    def __hash__(self) -> int:  # per note, so cheap: equal types share both, and eq compares all
        return hash((self.model_id, self.name))

    @property
    def known_as(self) -> str:
        """What the lock records as its notes' type (`LockedRecord.role`): its role, or for a
        kept type its id, as Anki tells note types apart (`kept 1559383000`): a kept type
        renamed is the same type, another of the same name is not. (The content hash reads
        `role` alone: a kept type's is empty.)"""
        return self.role or f"{KEPT}{self.model_id}"

    @property
    def field_names(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.fields)

    @property
    def schema(self) -> str:
        """Hash of what Anki treats as the schema: which fields and templates exist, by id.
        Adding or removing one makes an import copy the note type and report newer notes as
        conflicting; renaming one that keeps its id does not (measured, anki 26.9.3)."""
        fields, templates = [fid for _, fid in self.fields], [t.template_id for t in self.templates]
        return hashlib.sha256(json.dumps([self.cloze, fields, templates]).encode()).hexdigest()[:16]

    @property
    def content(self) -> str:
        """Hash of everything Anki stores for the note type (schema, name, templates, CSS)."""
        templates = [[t.name, t.template_id, t.front, t.back] for t in self.templates]
        content = json.dumps([self.schema, self.name, templates, self.css])
        return hashlib.sha256(content.encode()).hexdigest()[:16]

    def ordinals(self, fields: Sequence[str], tagged: bool = False) -> list[int]:
        """The card ordinals a note with these fields has: deckgen's card rule.

        Front/back: a template's card exists when every field it `needs` is non-empty.
        Cloze: one card per deletion number in the Text field (genanki's rule, and Anki's).
        A kept note type: Anki's own rule (`identity.templates`), which reads `tagged`.
        """
        if self.kept is not None:
            fronts = self.kept.fronts
            if self.cloze:
                found = cloze_ordinals(fields)  # Anki reads every field's deletions
            else:
                found = rendered_ordinals(fronts, self.field_names, fields, tagged)
            return found or [0]  # Anki gives a note it adds its first card when none renders
        if self.cloze:
            return cloze_ordinals(fields[:1])
        return list(_own_ordinals(self, tuple(map(bool, map(str.strip, fields)))))


@cache  # asked per note: worked out once per note type and set of filled fields
def _own_ordinals(note_type: NoteType, full: tuple[bool, ...]) -> tuple[int, ...]:
    at = {name: i for i, name in enumerate(note_type.field_names)}
    return tuple(n for n, t in enumerate(note_type.templates) if all(full[at[f]] for f in t.needs))


def read_known_as(text: str) -> str | None:
    """A note's type as a lock line names it (`NoteType.known_as`). None, an unknown type (not
    checked), for a kept type named by its name, as the deckgen before this one wrote it: a
    name does not tell a renamed type from another of that name; the next build writes the id."""
    return text if text.startswith("deckgen ") or re.fullmatch(r"kept [0-9]+", text) else None
