"""Each deck: the confusion checks of one deck, made with its file or read from the cache
when its notes are those of the last build.

The checks compare the records of a deck with each other, so their result follows from the
deck's notes alone, and those follow from the files they come from (`file_cache.key`). A
deck of one file (most: a file's notes are all in the deck its metadata names) was checked
where that file was worked on, on every core, and is cached with it (`FileNotes.alone`). A
deck over several files whose notes all come from cached files, the same files in the same
order, gets the warnings the last build found; an edit re-checks the decks of the edited
file only.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from ..diagnostics import Diagnostic
from . import file_cache
from .confusions import confusions
from .each_file import Course
from .words import DEFAULT_LANGUAGE


def each_deck(
    course: Course, directory: Path | None, language: str = DEFAULT_LANGUAGE
) -> tuple[list[Diagnostic], file_cache.CacheUpdate]:
    """The confusions of every deck of `course` (notes written in `language`), from the cache
    in `directory` where a deck's files are unchanged (None: no cache; the language is in
    each file's key); and what to store once the build succeeds."""
    by_deck: dict[str, list[int]] = defaultdict(list)
    for i, note in enumerate(course.notes):
        by_deck[note.record.deck].append(i)
    problems: list[Diagnostic] = []
    fresh: dict[str, bytes] = {}
    used: set[str] = set()
    for deck, indexes in by_deck.items():
        files = list(dict.fromkeys(course.files[i] for i in indexes))  # in order
        if course.complete and len(files) == 1:  # checked with its one file (`FileNotes.alone`)
            problems += course.alone[files[0]]
            continue
        origins = [course.keys[f] for f in files]
        # A file that is not cached, or a duplicate dropped: this deck is checked afresh.
        key = None
        if directory is not None and course.complete and "" not in origins:
            key = file_cache.deck_key(deck, origins)
            found = file_cache.load_problems(directory / key)
            if found is not None:
                problems += found
                used.add(key)
                continue
        records = [course.notes[i].record for i in indexes]
        checked = confusions(records, [course.words[i] for i in indexes], language)
        problems += checked
        if key is not None:
            fresh[key] = file_cache.encode_problems(checked)
            used.add(key)
    return problems, file_cache.CacheUpdate(fresh, frozenset(used))
