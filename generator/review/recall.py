"""What earlier builds shipped of a note: the packages in the output folder, read back, then
the build `revisions.lock_commit` makes of the notes the lock describes. The stamp stage asks
it for a note gone from the notes, to ship what students have of it, marked as removed."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from functools import cache
from pathlib import Path

from ..course_table import CourseIdentity
from ..diagnostics import UsageError
from ..identity.look import own_types
from ..identity.stamp import Recall
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
    out: Path, course: CourseIdentity, earlier: Callable[[CourseIdentity], Recall] | None
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
        return earlier(course) if earlier is not None else recall_in({}, course)

    def recall(guid: str) -> Iterator[tuple[str, tuple[str, ...], tuple[str, ...]]]:
        yield from here()(guid)
        yield from there()(guid)

    return recall
