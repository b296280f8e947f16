"""The ids a student's collection remembers: note GUIDs, deck ids and the content hash.

Every formula here is frozen (see this package's docstring); tests/test_identity_contract.py
pins each one by literal values.
"""

from __future__ import annotations

import hashlib
from functools import cache
from hashlib import sha256

from genanki.util import BASE91_TABLE

from ..records import GUID_PREFIX, Note
from .json_lines import content_payload
from .note_types import LOCATION_FIELDS, NoteType, note_type_of

_DIGIT_PAIRS = [high + low for high in BASE91_TABLE for low in BASE91_TABLE]


def note_guid(seed: str) -> str:
    """The GUID of a record's note, from the record's identity seed alone: switching a card
    variant on or off changes the note's fields, never its GUID.

    This is genanki's `guid_for(seed)` (tests/test_identity.py checks they agree), in a
    third of its time.
    """
    number = int.from_bytes(sha256(seed.encode()).digest()[:8], "big")
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


def deck_id(name: str) -> int:
    """A stable id for a deck. Anki matches decks by name and ignores the id in a package
    (docs/anki.md), so the id only has to be stable: it keeps packages byte-identical."""
    return int(hashlib.sha256(name.encode()).hexdigest()[:12], 16) + 2


BURY_PRESET_ID = 1_764_211_100
"""The deck options preset each package offers, with sibling burying on (docs/anki.md,
section 6). Anki imports presets only when the student asks ("Import any deck presets")."""
BURY_PRESET_NAME = "deckgen: bury siblings"


def content_hash(note: Note) -> str:
    """What counts as a change of a note: its type, the fields that say something, its tags.

    The location fields (Context, Source) are left out on purpose: moving a note, adding a
    line above it or renaming a heading must not re-stamp it and overwrite a student's edit.
    """
    note_type = note_type_of(note)
    fields = [note.fields[i] for i in _said(note_type)]
    if note.record.spoken_language is not None:  # read aloud from a location field: say so
        fields.append(f"tts:{note.record.spoken_language}")
    payload = content_payload(note_type.name, fields, note.tags)
    return hashlib.sha256(payload.encode()).hexdigest()[:16]


@cache
def _said(note_type: NoteType) -> tuple[int, ...]:
    """The positions of the fields that say something (not where the note lives): every
    field of a kept note type, whose fields are its deck's own."""
    if note_type.kept is not None:
        return tuple(range(len(note_type.fields)))
    return tuple(i for i, (name, _) in enumerate(note_type.fields) if name not in LOCATION_FIELDS)
