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

from .. import codec
from ..diagnostics import Diagnostic
from . import file_cache
from .across_files import Course
from .confusions import confusions
from .words import DEFAULT_LANGUAGE


def each_deck(
    course: Course, cache: file_cache.Cache, language: str = DEFAULT_LANGUAGE
) -> list[Diagnostic]:
    """The confusions of every deck of `course` (notes written in `language`), from `cache`
    where a deck's files are unchanged (the language is in each file's key)."""
    by_deck: dict[str, list[int]] = defaultdict(list)
    for i, note in enumerate(course.notes):
        by_deck[note.record.deck].append(i)
    problems: list[Diagnostic] = []
    for deck, indexes in by_deck.items():
        files = list(dict.fromkeys(course.files[i] for i in indexes))  # in order
        if course.complete and len(files) == 1:  # checked with its one file (`FileNotes.alone`)
            problems += course.alone[files[0]]
            continue
        origins = [course.keys[f] for f in files]
        # A file that is not cached, or a duplicate dropped: this deck is checked afresh.
        key = None
        if course.complete and "" not in origins:
            key = file_cache.key("deck", deck, *origins)
            found = cache.load(key, tuple[Diagnostic, ...])
            if found is not None:
                problems += found
                continue
        records = [course.notes[i].record for i in indexes]
        checked = confusions(records, [course.words[i] for i in indexes], language)
        problems += checked
        if key is not None:
            cache.keep(key, codec.encode(tuple(checked), tuple[Diagnostic, ...]))
    return problems
