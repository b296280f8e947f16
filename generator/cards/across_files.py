"""Across files: every file's notes in order, and a note dropped whose identity an earlier
file's note has (the one stage between the files' own and the decks')."""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from ..diagnostics import Diagnostic
from ..identity.fold import plain
from ..identity.stamp import Known
from ..records import Note, Record
from .each_file import FileNotes
from .normalize import duplicate


class Course(NamedTuple):
    """Every file's notes, in order, with what the later stages need of each."""

    notes: list[Note]
    words: list[tuple[str, ...]]
    """Each note's `Row.words`."""
    knowns: list[Known]
    """Each note's `Row.known`."""
    files: list[int]
    """The index of the file each note comes from (in `keys` and `alone`)."""
    keys: list[str]
    """Each file's `FileNotes.key`."""
    alone: list[tuple[Diagnostic, ...]]
    """Each file's `FileNotes.alone`."""
    problems: list[Diagnostic]
    """Each file's problems, and the duplicates across files."""
    complete: bool
    """True when no note was dropped as a duplicate of another file's."""


def across_files(files: Iterable[FileNotes]) -> Course:
    """Every file's notes and problems, in order; a note whose identity an earlier file's
    note has is dropped, with the error that `normalize` gives a duplicate within one file."""
    course = Course([], [], [], [], [], [], [], True)
    first_seen: dict[str, Record] = {}
    for index, file in enumerate(files):
        course.problems.extend(file.problems)
        course.keys.append(file.key)
        course.alone.append(file.alone)
        for row in file.rows:
            record = row.note.record
            other = first_seen.setdefault(record.key, record)
            if other is not record:
                course.problems.append(duplicate(record, other, plain(record.front)))
                course = course._replace(complete=False)
                continue
            course.notes.append(row.note)
            course.words.append(row.words)
            course.knowns.append(row.known)
            course.files.append(index)
    return course
