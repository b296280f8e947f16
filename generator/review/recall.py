"""What earlier builds and releases say of a note gone from the notes: what they shipped of it
(the packages in the output folder, read back, then the build `revisions.lock_commit` makes of
the notes the lock describes), and whether any release shipped it at all. The stamp stage asks,
to ship what students have of it marked as removed, or to forget a draft."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ..course_table import CourseIdentity
from ..diagnostics import UsageError
from ..identity.look import own_types
from ..identity.stamp import Earlier, Recall
from .apkg import PackagedNote, read_build


def recall_in(notes: Mapping[str, PackagedNote], course: CourseIdentity) -> Recall:
    """What packages read back (`review.apkg.read_build`) hold of a note, by GUID: a note of
    one of the course's own note types by the type's role, any other by the type's name."""
    roles = {t.model_id: t.role for t in own_types(course, None).values()}

    def recall(guid: str) -> Iterator[tuple[str, tuple[str, ...], tuple[str, ...]]]:
        note = notes.get(guid)
        if note is not None:
            role = roles.get(note.model_id, note.note_type)
            yield role, tuple(value for _, value in note.fields), note.tags

    return recall


def last_build(
    out: Path, course: CourseIdentity, earlier: Callable[[CourseIdentity], Recall]
) -> Recall:
    """The output folder's packages, then `earlier(course)`; each is read only when asked
    (only a build that finds a note gone asks), and once."""

    @cache
    def here() -> Recall:
        try:
            return recall_in(read_build(sorted(out.glob("*.apkg"))).notes, course)
        except (UsageError, OSError):  # unreadable: as if there were no earlier build
            return recall_in({}, course)

    @cache
    def there() -> Recall:
        return earlier(course)

    def recall(guid: str) -> Iterator[tuple[str, tuple[str, ...], tuple[str, ...]]]:
        yield from here()(guid)
        yield from there()(guid)

    return recall


@dataclass(frozen=True, slots=True)
class History:
    """What the course's past holds that its notes no longer say (git, for the CLI:
    `revisions.history`)."""

    recall: Callable[[CourseIdentity], Recall]
    """What the build of the notes at the commit that last wrote the lock shipped."""
    released: Callable[[], frozenset[str]]
    """The keys of the notes some release tag's lock holds (`removals.released_keys`)."""


NO_HISTORY = History(lambda course: recall_in({}, course), frozenset)
"""No past but the output folder and the lock (a library call, a course outside git)."""


def earlier_of(out: Path, course: CourseIdentity, history: History) -> Earlier:
    """What the stamp stage is told of notes gone from the notes: what the output folder's
    packages, then `history`, shipped of each, and which notes a release shipped."""
    return Earlier(last_build(out, course, history.recall), history.released)
