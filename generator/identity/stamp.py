"""Stamp: give each note its GUID (identity + lock) and its mod (when its content last changed).

Anki updates a note on import only if the package's `mod` is strictly newer, and matches
notes by GUID alone (docs/anki.md, sections 1 to 3). So a note keeps its GUID for life, and its
`mod` moves only when its content does: a release then updates exactly the changed notes
and leaves a student's own edits to every other note alone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import cache
from typing import NamedTuple

from ..config import Style
from ..course_table import CourseIdentity
from ..diagnostics import Diagnostic, error, warning
from ..records import Location, Note, Record
from . import removed
from .fold import first_seed
from .ids import content_hash, note_guid, pinned_guid
from .lock import Lock, LockedModel, LockedRecord, order
from .look import dress, own_types
from .match import match
from .note_type import KEPT
from .note_types import NoteType

Recall = Callable[[str], Iterator[tuple[str, tuple[str, ...], tuple[str, ...]]]]
"""GUID -> (note type role, fields, tags) of each note of that GUID earlier builds shipped,
the likeliest first (the one the lock describes is taken). A note of a type that is not one of
the course's own has the type's name for a role."""


@dataclass(frozen=True, slots=True)
class Earlier:
    """What earlier builds and releases say of the notes gone from the notes, for a build
    that decides removals (it writes the lock)."""

    recall: Recall
    """What earlier builds shipped of each note, by GUID."""
    released: Callable[[], frozenset[str]]
    """The keys of the notes some release shipped (`removals.released_keys`: the locks at
    the release tags); asked at most once, when a note is found gone."""


class Known(NamedTuple):
    """What `stamp` makes of a note from the note and the course id alone (`known`): the
    per-file cache keeps it, so a rebuild computes it only for the notes of changed files."""

    guid: str
    """The GUID of the note's first seed: its GUID unless the lock keeps another seed."""
    content: str
    """Its content hash (`ids.content_hash`)."""


def known(note: Note, course: str) -> Known:
    """The GUID and content hash `stamp` gives `note` when the lock keeps its first seed."""
    record = note.record
    seed = first_seed(record.deck, record.folded, record.pin)
    return Known(pinned_guid(record.pin) or note_guid(course, seed), content_hash(note))


FUTURE_TOLERANCE = 86_400
"""A lock time this far past the clock is an error. Less is normal: an edit stamps a note one
second past its last mod even when that is the current second (two builds in one second)."""


@dataclass(frozen=True, slots=True)
class Stamped:
    """The stage's result: stamped notes, the lock that records them, and model mods."""

    notes: tuple[Note, ...]
    """Notes with `guid` and `mod` set, in a stable order; removed notes, marked, included."""
    lock: Lock
    """The lock as this build leaves it."""
    model_mods: dict[int, int]
    """The id of each of the course's own note types -> its mod."""
    forgotten: tuple[LockedRecord, ...] = ()
    """Drafts: the lock entries of notes gone from the notes that no release shipped, left out
    of the lock (no student has them, so nothing is shipped marked)."""


def stamp(
    notes: Sequence[Note],
    knowns: Sequence[Known],
    lock: Lock,
    build_time: int,
    now: int,
    lock_path: str,
    course: CourseIdentity,
    earlier: Earlier | None = None,
    style: Style | None = None,
    release: bool = False,
) -> tuple[Stamped, list[Diagnostic]]:
    """GUIDs and mods for `notes` (one per record), given the previous lock, this build's time
    and the clock (a lock time after it is an error: it would be shipped as a future mod).

    A lock entry no note claims is a removed record. If a release shipped it (`release`, a
    build that is one, marks each note's entry; `earlier.released` knows the release tags'),
    its note is shipped marked (`identity.removed`), from what the lock kept of it, or, found
    gone now, from what `earlier.recall` says the last build shipped; else it was a draft, and
    is forgotten. (`earlier` None: removals are not decided by this run, which writes no
    lock.) Notes of deckgen's own note types come out as the course's note types,
    in its `style` (`look.own_types`): every GUID and id is made from the `course` id.
    `knowns` is each note's `known` for the `course` id (the per-file cache keeps them)."""
    types = own_types(course, style)
    note_types = [note.note_type or types[note.record.kind] for note in notes]
    roles = [note_type.known_as for note_type in note_types]
    matched = match([n.record for n in notes], roles, lock)
    claimed = {entry.key for entry in matched.values()}
    by_key = {entry.key: entry for entry in lock.records}
    stamped: list[Note] = []
    entries: list[LockedRecord] = []
    owner: dict[str, Note] = {}
    problems: list[Diagnostic] = []
    for at, (note, note_type, role) in enumerate(zip(notes, note_types, roles, strict=True)):
        record = note.record
        old = matched.get(record.key)
        was = by_key.get(record.key)  # no record claimed it: its type is not this one's
        if old is None and was is not None and was.key not in claimed and was.shipped_as:
            problems.append(_type_changed(record, was.shipped_as, role))
        if old is not None and old.mod > now + FUTURE_TOLERANCE:
            problems.append(_future(old, lock_path, now))
            old = None  # never ship it: a later honest release would look older forever
        first = first_seed(record.deck, record.folded, record.pin)
        seed = old.seed if old else first
        content, guid = knowns[at].content, knowns[at].guid
        if seed != first:  # reworded: the lock keeps the seed of its first front
            guid = pinned_guid(record.pin) or note_guid(course.id, seed)
        mod = _mod(old, content, build_time)
        note = Note(record, note.fields, note.tags, guid, mod, note_type)
        if owner.setdefault(guid, note) is not note:
            problems.append(_collision(note, owner[guid]))
        stamped.append(note)
        shipped = release or (old is not None and old.released)
        entries.append(
            LockedRecord(
                record.deck,
                record.folded,
                record.pin,
                seed,
                content,
                mod,
                released=shipped,
                role=role,
            )
        )
    live = {note.record.key for note in notes}
    forgotten: list[LockedRecord] = []
    released = cache(earlier.released) if earlier is not None else None
    for entry in lock.records:
        if entry.key in claimed:
            continue
        if entry.mod > now + FUTURE_TOLERANCE:
            problems.append(_future(entry, lock_path, now))
            continue
        if released is not None and not entry.released and entry.key not in released():
            forgotten.append(entry)  # a draft: no student has it
            continue
        if entry.key in live:  # a note of another kind has its deck and front
            if entry.key in matched:  # moved there (else its kind changed: refused above)
                problems.append(_displaced(entry, lock_path))
            continue
        recall = earlier.recall if earlier is not None else None
        gone, problem = _gone(entry, build_time, lock_path, recall, course.id)
        if gone is None:
            if problem is not None:
                problems.append(problem)
            continue
        guid = pinned_guid(gone.pin) or note_guid(course.id, gone.seed)
        note = removed.marked(gone, lock_path, guid)
        if owner.setdefault(note.guid, note) is note:  # a live note with its GUID wins
            stamped.append(note)
            entries.append(gone)
    models, mods, model_problems = _models(lock, build_time, now, lock_path, types.values())
    stamped.sort(key=lambda n: (n.record.deck, n.guid))
    new_lock = Lock(models, tuple(sorted(entries, key=order)), course.id)
    result = Stamped(dress(stamped, types), new_lock, mods, tuple(forgotten))
    return result, problems + model_problems


def _collision(note: Note, clash: Note) -> Diagnostic:
    return error(
        note.record.location,
        "guid-collision",
        f"identity collides with the note at {clash.record.location}; pin one with <!-- id: ... -->",
    )


def _kind(known_as: str) -> str:
    """A note type as a message names it: `a Term note`, or a kept type by its id."""
    if known_as.startswith(KEPT):
        return f"a note of the kept note type of id {known_as.removeprefix(KEPT)}"
    return f"a {known_as.removeprefix('deckgen ')} note"


def _type_changed(record: Record, was: str, now: str) -> Diagnostic:
    return error(
        record.location,
        "kind-changed",
        f"this note was {_kind(was)} and is now {_kind(now)} under the same identity: students' "
        "Anki would call it conflicting and never update it. Keep its note type, or pin it under "
        "a new name (<!-- id: new-name -->): students get it as a new note, and the old one is "
        "marked removed (forgotten if no release shipped it)",
    )


def _displaced(entry: LockedRecord, lock_path: str) -> Diagnostic:
    return warning(
        Location(lock_path, entry.line or 1),
        "removed-unmarked",
        f"'{entry.front}' in deck '{entry.deck}', {_kind(entry.shipped_as or '')} gone from the "
        "notes, is no longer shipped: a note of another kind moved to its deck and front, and "
        "deckgen.lock holds one note for each. Students keep it as their last import left it "
        "(marked as removed if a release shipped it marked)",
    )


def _future(entry: LockedRecord, lock_path: str, now: int) -> Diagnostic:
    return error(
        Location(lock_path, entry.line or 1),
        "lock",
        f"'{entry.front}' has a time in the future ({entry.mod}, a day past the clock's {now}): "
        "students would skip every later release's update of it; restore deckgen.lock from "
        "git, or check the clock of the machine that wrote it",
    )


def _gone(
    entry: LockedRecord, build_time: int, lock_path: str, recall: Recall | None, course_id: str
) -> tuple[LockedRecord | None, Diagnostic | None]:
    """The lock entry of a record no note claims, as a removed one, or why it is not shipped."""
    if entry.removed is not None:
        if removed.shippable(entry.removed.note_type, entry.removed.fields):
            return replace(entry, role=entry.removed.note_type), None
        return None, error(
            Location(lock_path, entry.line or 1),
            "lock",
            f"malformed lock entry (a removed note of type '{entry.removed.note_type}' with "
            f"{len(entry.removed.fields)} fields); restore deckgen.lock from git",
        )
    if recall is None:  # not deciding removals now (`check`, `preview`): the next build will
        return None, None
    guid = pinned_guid(entry.pin) or note_guid(course_id, entry.seed)
    kept = False  # a note of a type kept from an imported deck was found
    for role, fields, tags in recall(guid):
        if not removed.shippable(role, fields):
            kept = kept or role not in removed.ROLES
            continue
        note = removed.unmarked(entry, role, fields, tags, lock_path)
        if content_hash(note) == entry.content:
            break  # what students have: the note the lock describes
    else:
        why = (
            "its note type is kept from an imported deck"
            if kept
            else "neither the output folder nor git holds the build that shipped it"
        )
        return None, _unmarked(entry, lock_path, why)
    since = max(build_time, entry.mod + 1)  # newer than what students have: the mark arrives
    last = removed.removal(note, since)
    gone = replace(entry, mod=since, removed=last, released=True, role=last.note_type)
    return replace(gone, content=content_hash(removed.marked(gone, lock_path))), None


def _unmarked(entry: LockedRecord, lock_path: str, why: str) -> Diagnostic:
    return warning(
        Location(lock_path, entry.line or 1),
        "removed-unmarked",
        f"'{entry.front}' in deck '{entry.deck}' is gone from the notes, but cannot be shipped "
        f"marked as removed ({why}): students keep it as it was. To mark it, put the note back, "
        "run `deckgen build`, then remove it again and build",
    )


def _mod(previous: LockedRecord | None, content: str, build_time: int) -> int:
    if previous is None:
        return build_time
    if previous.content == content:
        return previous.mod
    # Strictly newer than what students have, or Anki skips the update.
    return max(build_time, previous.mod + 1)


def _models(
    lock: Lock, build_time: int, now: int, lock_path: str, types: Iterable[NoteType]
) -> tuple[tuple[LockedModel, ...], dict[int, int], list[Diagnostic]]:
    previous = {m.role: m for m in lock.models}
    models: list[LockedModel] = []
    problems: list[Diagnostic] = []
    for note_type in sorted(types, key=lambda t: t.role):
        old = previous.get(note_type.role)
        if old and old.schema != note_type.schema and old.version == note_type.version:
            problems.append(_schema_error(note_type, lock_path))
        if old and old.mod > now + FUTURE_TOLERANCE:
            problems.append(
                error(
                    Location(lock_path, 1),
                    "lock",
                    f"note type '{old.role}' has a time in the future ({old.mod}); restore "
                    "deckgen.lock from git",
                )
            )
            old = None
        if old and old.content == note_type.content:
            mod = old.mod
        else:
            mod = max(build_time, old.mod + 1) if old else build_time
        models.append(
            LockedModel(
                note_type.role,
                note_type.model_id,
                note_type.version,
                note_type.schema,
                note_type.content,
                mod,
            )
        )
    return tuple(models), {m.model_id: m.mod for m in models}, problems


def _schema_error(note_type: NoteType, lock_path: str) -> Diagnostic:
    return error(
        Location(lock_path, 1),
        "schema-change",
        f"note type '{note_type.role}' gained or lost a field or template but not its version: "
        "Anki would report every student's existing note of that type as 'conflicting' and leave it alone. "
        "Bump its version in generator/identity/note_types.py on purpose and tell students to import with "
        "'Merge note types' on",
    )
