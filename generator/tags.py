"""Tags: topic tags from file metadata and sections, checked against the declared vocabulary."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from .diagnostics import Diagnostic, error
from .records import Note, TagRef


def tag(
    notes: Iterable[Note], vocabulary: frozenset[str]
) -> tuple[tuple[Note, ...], list[Diagnostic]]:
    """Give each note its record's topic tags; an undeclared tag is an error where it is written."""
    tagged: list[Note] = []
    reported: set[TagRef] = set()
    problems: list[Diagnostic] = []
    topics: tuple[TagRef, ...] | None = None
    names: tuple[str, ...] = ()
    for note in notes:
        if note.record.topics is not topics:  # a record's notes come together: work once per record
            topics = note.record.topics
            for ref in topics:
                if ref.name not in vocabulary and ref not in reported:
                    reported.add(ref)
                    problems.append(_unknown(ref, vocabulary))
            names = tuple(sorted({ref.name for ref in topics if ref.name in vocabulary}))
        tagged.append(Note(note.record, note.variant, note.fields, names, note.guid, note.mod))
    return tuple(tagged), problems


def _unknown(ref: TagRef, vocabulary: frozenset[str]) -> Diagnostic:
    close = difflib.get_close_matches(ref.name, sorted(vocabulary), n=1)
    hint = f"; did you mean '{close[0]}'?" if close else "; declare it under [tags] in deckgen.toml"
    if any(c.isspace() for c in ref.name):
        hint = "; Anki tags cannot hold spaces (use '_' or '::')" + hint
    return error(ref.location, "unknown-tag", f"tag '{ref.name}' is not in the vocabulary{hint}")
