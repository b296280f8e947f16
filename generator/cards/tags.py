"""Tags: topic tags from file metadata and sections, checked against the declared vocabulary."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import fields
from operator import attrgetter

from ..diagnostics import Diagnostic, error
from ..records import Record, TagRef


def tag(
    records: Iterable[Record], vocabulary: frozenset[str]
) -> tuple[tuple[Record, ...], list[Diagnostic]]:
    """Give each record its topic tags; an undeclared tag is an error where it is written."""
    tagged: list[Record] = []
    reported: set[TagRef] = set()
    problems: list[Diagnostic] = []
    topics: tuple[TagRef, ...] | None = None
    names: tuple[str, ...] = ()
    for record in records:
        if record.topics is not topics:  # records of one section share one tuple: work once
            topics = record.topics
            for ref in topics:
                if ref.name not in vocabulary and ref not in reported:
                    reported.add(ref)
                    problems.append(_unknown(ref, vocabulary))
            names = tuple(sorted({ref.name for ref in topics if ref.name in vocabulary}))
        values = (*_BEFORE_TAGS(record), names, *_AFTER_TAGS(record))
        tagged.append(Record(*values))
    return tuple(tagged), problems


_NAMES = [field.name for field in fields(Record)]
_BEFORE_TAGS = attrgetter(*_NAMES[: _NAMES.index("tags")])
_AFTER_TAGS = attrgetter(*_NAMES[_NAMES.index("tags") + 1 :])
"""A record's fields before and after `tags`, in order: a tagged copy is made at half the
time of `dataclasses.replace` (once per record of a course)."""


def _unknown(ref: TagRef, vocabulary: frozenset[str]) -> Diagnostic:
    close = difflib.get_close_matches(ref.name, sorted(vocabulary), n=1)
    hint = f"; did you mean '{close[0]}'?" if close else "; declare it under [tags] in deckgen.toml"
    if any(c.isspace() for c in ref.name):
        hint = "; Anki tags cannot hold spaces (use '_' or '::')" + hint
    return error(ref.location, "unknown-tag", f"tag '{ref.name}' is not in the vocabulary{hint}")
