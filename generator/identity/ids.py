"""The ids a student's collection remembers: the course's, its note types', note GUIDs, deck
ids and the content hash.

Every formula here is frozen (see this package's docstring); tests/test_identity_contract.py
pins each one by literal values. Every id a course ships is made from its course id (`[course]
id` in deckgen.toml, made once by `config.new_course_id`), so two courses never share a note type or
a GUID, however alike their decks and notes (docs/anki.md, section 14).
"""

from __future__ import annotations

import hashlib
from functools import cache
from hashlib import sha256

from ..records import GUID_PREFIX, Note
from .json_lines import content_payload
from .note_types import LOCATION_FIELDS, NoteType, note_type_of

BASE91_TABLE = (
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&()*+,-./:;<=>?@[]^_`{|}~"
)
"""genanki's digits (`genanki.util.BASE91_TABLE`), written out: importing that module loads all
of genanki, 0.05 s of an import's 0.7 (tests/test_identity.py checks the GUIDs agree)."""
_DIGIT_PAIRS = [high + low for high in BASE91_TABLE for low in BASE91_TABLE]


def note_guid(course: str, seed: str) -> str:
    """The GUID of a record's note, from the course id and the record's identity seed alone:
    switching a card variant on or off changes the note's fields, never its GUID.

    This is genanki's `guid_for(course, seed)` (tests/test_identity.py checks they agree), in
    a third of its time.
    """
    number = int.from_bytes(sha256(f"{course}__{seed}".encode()).digest()[:8], "big")
    pairs: list[str] = []
    while number:  # two base-91 digits at a time
        number, pair = divmod(number, 91 * 91)
        pairs.append(_DIGIT_PAIRS[pair])
    return "".join(reversed(pairs)).lstrip(BASE91_TABLE[0])  # no leading zero digit


def pinned_guid(pin: str | None) -> str | None:
    """The GUID an imported note keeps (`<!-- guid: ... -->`), else None: its GUID comes from
    `note_guid` like every other note's."""
    if pin is not None and pin.startswith(GUID_PREFIX):
        return pin[len(GUID_PREFIX) :]
    return None


_FIRST_ID, _ID_SPAN = 1 << 41, (1 << 53) - (1 << 41)
"""The range of the ids made here: above the millisecond clock Anki makes its own ids from
(2^41 ms is the year 2039), below 2^53 (the ids travel as JSON numbers)."""


def course_type_id(course: str, role: str) -> int:
    """The id of the course's note type for `role` (`NoteType.role`, such as "deckgen Term")."""
    return _id_from(f"deckgen note type\x1f{course}\x1f{role}")


def preset_id(course: str) -> int:
    """The id of the deck options preset the course's packages offer (`output.collection`)."""
    return _id_from(f"deckgen preset\x1f{course}")


def _id_from(text: str) -> int:
    return _FIRST_ID + int.from_bytes(sha256(text.encode()).digest()[:8], "big") % _ID_SPAN


def deck_id(name: str) -> int:
    """A stable id for a deck. Anki matches decks by name and ignores the id in a package
    (docs/anki.md), so the id only has to be stable: it keeps packages byte-identical."""
    return int(hashlib.sha256(name.encode()).hexdigest()[:12], 16) + 2


def content_hash(note: Note) -> str:
    """What counts as a change of a note: its type, the fields that say something, its tags.

    The location fields (Context, Source) are left out on purpose: moving a note, adding a
    line above it or renaming a heading must not re-stamp it and overwrite a student's edit.
    The type counts by its role, not its name: renaming the course changes no note.
    """
    note_type = note_type_of(note)
    fields = [note.fields[i] for i in _said(note_type)]
    payload = content_payload(note_type.role, fields, note.tags)
    return hashlib.sha256(payload.encode()).hexdigest()[:16]


@cache
def _said(note_type: NoteType) -> tuple[int, ...]:
    """The positions of the fields that say something (not where the note lives): every
    field of a kept note type, whose fields are its deck's own."""
    if note_type.kept is not None:
        return tuple(range(len(note_type.fields)))
    return tuple(i for i, (name, _) in enumerate(note_type.fields) if name not in LOCATION_FIELDS)
