"""The ids a student's collection remembers: note GUIDs, deck ids and the content hash.

Every formula here is frozen (see this package's docstring); tests/test_identity_contract.py
pins each one by literal values.
"""

from __future__ import annotations

import hashlib
from hashlib import sha256

from genanki.util import BASE91_TABLE

from ..records import Note, Variant
from .json_lines import content_payload
from .note_types import LOCATION_FIELDS, NOTE_TYPES

_DIGIT_PAIRS = [high + low for high in BASE91_TABLE for low in BASE91_TABLE]


def note_guid(seed: str, variant: Variant) -> str:
    """The GUID of one variant of a record: each variant has its own history in Anki.

    This is genanki's `guid_for(seed, variant)` (tests/test_identity.py checks they agree),
    in a third of its time: 100,000 records make 200,000 GUIDs.
    """
    # A StrEnum formats as its value (and `.value` is a slow descriptor in a hot loop).
    number = int.from_bytes(sha256(f"{seed}__{variant}".encode()).digest()[:8], "big")
    pairs: list[str] = []
    while number:  # two base-91 digits at a time
        number, pair = divmod(number, 91 * 91)
        pairs.append(_DIGIT_PAIRS[pair])
    return "".join(reversed(pairs)).lstrip(BASE91_TABLE[0])  # no leading zero digit


def deck_id(name: str) -> int:
    """A stable id for a deck. Anki matches decks by name and ignores the id in a package
    (docs/anki.md), so the id only has to be stable: it keeps packages byte-identical."""
    return int(hashlib.sha256(name.encode()).hexdigest()[:12], 16) + 2


def content_hash(note: Note) -> str:
    """What counts as a change of a note: its type, the fields that say something, its tags.

    The location fields (Context, Source) are left out on purpose: moving a note, adding a
    line above it or renaming a heading must not re-stamp it and overwrite a student's edit.
    """
    name, said = _SAID[note.variant]
    payload = content_payload(name, [note.fields[i] for i in said], note.tags)
    return hashlib.sha256(payload.encode()).hexdigest()[:16]


_SAID = {
    variant: (
        note_type.name,
        [i for i, (name, _) in enumerate(note_type.fields) if name not in LOCATION_FIELDS],
    )
    for variant, note_type in NOTE_TYPES.items()
}
