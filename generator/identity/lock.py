"""The lock file `deckgen.lock`: each record's identity seed and note type, its content hash, mod.

Like `Cargo.lock`, it is generated, committed and diff-friendly: JSON Lines, one record a
line, sorted. It is what lets a release stamp exactly the notes whose content changed.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..diagnostics import BuildFailed, Diagnostic, error, shown_path
from ..records import Location, Note
from .fold import first_seed, key_of
from .json_lines import lock_line
from .note_type import read_known_as

FORMAT = 3
"""3: every id made from the course id, which the lock's head names. 2 (one note per record)
and 1 (one note per card variant) shipped the same note types and GUIDs in every course."""


@dataclass(frozen=True, slots=True)
class Removed:
    """A record gone from the notes whose note is still shipped, marked (`identity.removed`):
    what students last received of it, and since when it is gone."""

    since: int
    """When the build that found it gone ran: the marked note's mod; its date is shown."""
    note_type: str
    """The role of the note type students have it as (`NoteType.role`)."""
    fields: tuple[str, ...]
    """Its fields as students last received them, unmarked."""
    tags: tuple[str, ...]
    """Its tags as students last received them."""


@dataclass(frozen=True, slots=True)
class LockedRecord:
    """What the lock remembers of one record."""

    deck: str
    """The record's deck."""
    front: str
    """The record's folded front (see `identity.fold`)."""
    pin: str | None
    """The author's pinned id, if any."""
    seed: str
    """What the record's GUID is computed from; kept when the front is reworded."""
    content: str
    """Hash of the note's fields (but its location fields) and tags (`ids.content_hash`)."""
    mod: int
    """When that content was first built, in seconds since the epoch."""
    line: int = field(default=0, compare=False)
    """Its line in deckgen.lock (0 for an entry this build made), for messages."""
    removed: Removed | None = None
    """Set when the record is gone from the notes and its note is shipped marked."""
    released: bool = False
    """True once a build with `--release` (not `--locked`) shipped it; a release tag's lock
    holding it says so too (`removals.released_keys`). A note no release shipped is a draft:
    deleted, it is forgotten, not shipped marked."""
    role: str | None = None
    """Its note's note type (`NoteType.known_as`: a role, or `kept <id>`): a note never
    changes type under one GUID (`stamp`). None in a line an earlier deckgen wrote: not checked."""

    @property
    def key(self) -> str:
        return key_of(self.deck, self.front, self.pin)

    @property
    def shipped_as(self) -> str | None:
        """The role students have its note as, where the lock says."""
        return self.removed.note_type if self.removed is not None else self.role


@dataclass(frozen=True, slots=True)
class LockedModel:
    """What the lock remembers of one of the course's own note types."""

    role: str
    """Its role (`NoteType.role`), the same under any course name."""
    model_id: int
    """Its id, made from the course id."""
    version: int
    """Its schema version when last built."""
    schema: str
    """Hash of its fields and templates (names and ids)."""
    content: str
    """Hash of everything about it, templates and CSS included."""
    mod: int
    """When that content was first built."""


@dataclass(frozen=True, slots=True)
class Lock:
    """The whole lock file."""

    models: tuple[LockedModel, ...] = ()
    """Note types, sorted by role."""
    records: tuple[LockedRecord, ...] = ()
    """Records, sorted by deck and front."""
    course: str = ""
    """The course id every id in it was made from; empty in a lock not written yet."""


def read_lock(path: Path) -> Lock:
    """The lock at `path`, or an empty one if there is none yet."""
    try:
        return lock_of_bytes(path.read_bytes(), path) if path.exists() else Lock()
    except OSError as exc:
        raise BuildFailed([_unreadable(path, exc)]) from None


def lock_of_bytes(data: bytes, path: Path) -> Lock:
    """The lock whose file at `path` holds `data` (`read_lock`, once the bytes are read)."""
    try:  # split at "\n" only: json.dumps leaves U+2028, U+0085 and the like as they are
        lines = enumerate(data.decode("utf-8").split("\n"), 1)
    except UnicodeDecodeError as exc:
        raise BuildFailed([_unreadable(path, exc)]) from None
    return read_lines(lines, shown_path(path))


def _unreadable(path: Path, exc: Exception) -> Diagnostic:
    return error(Location(shown_path(path), 1), "lock", f"cannot read deckgen.lock: {exc}")


def read_course(path: Path) -> str:
    """The course id the lock at `path` was written for, from its head alone; empty when
    there is no lock (`read_lock` checks the rest, and the head again)."""
    lines: list[tuple[int, str]] = []
    try:
        with path.open(encoding="utf-8") as file:
            for number, line in enumerate(file, 1):
                lines.append((number, line.rstrip("\n")))
                if line.startswith("{"):  # the format line comes first
                    break
    except FileNotFoundError:
        return ""
    except (OSError, UnicodeDecodeError):
        return ""  # read_lock reports it
    return read_lines(lines, shown_path(path)).course


def read_lines(lines: Iterable[tuple[int, str]], shown: str) -> Lock:
    """The entries of these (line number, line) of the lock at `shown` (`read_lock`)."""
    models: list[LockedModel] = []
    records: list[LockedRecord] = []
    course = ""
    for number, line in lines:
        if not line.strip() or line.startswith("#"):
            continue
        try:
            data = json.loads(line)
            if "deckgen-lock" in data:
                if data["deckgen-lock"] in (1, 2):
                    raise BuildFailed([_old_format(shown, number, data["deckgen-lock"])])
                if data["deckgen-lock"] != FORMAT:
                    raise ValueError(f"unsupported lock format {data['deckgen-lock']}")
                course = _text(data["course"])
            elif "model" in data:
                models.append(
                    LockedModel(
                        data["model"],
                        int(data["id"]),
                        int(data["version"]),
                        data["schema"],
                        data["content"],
                        _time(data["mod"]),
                    )
                )
            else:
                content, mod = data["note"]
                deck, front, pin = _text(data["deck"]), _text(data["front"]), data.get("pin")
                pin = None if pin is None else _text(pin)
                seed = _text(data.get("seed") or first_seed(deck, front, pin))
                gone = _removed(data["removed"]) if "removed" in data else None
                released = data.get("released", False)
                if released is not True and released is not False:
                    raise ValueError("'released' must be true")
                role = None if data.get("type") is None else read_known_as(_text(data["type"]))
                note = _text(content), _time(mod)
                records.append(
                    LockedRecord(deck, front, pin, seed, *note, number, gone, released, role)
                )
        except (ValueError, KeyError, TypeError, IndexError, OverflowError) as exc:
            raise BuildFailed(
                [
                    error(
                        Location(shown, number),
                        "lock",
                        f"malformed lock entry ({exc}); restore deckgen.lock from git",
                    )
                ]
            ) from None
    return Lock(tuple(models), tuple(records), course)


def format_lock(lock: Lock) -> str:
    """The lock file's text: stable, sorted, one entry a line."""
    lines = head_lines(lock.course, lock.models)
    lines += [record_line(r) for r in sorted(lock.records, key=order)]
    return "\n".join(lines) + "\n"


def order(r: LockedRecord) -> tuple[str, str, str]:
    """Where a record's line is in the lock: the lines are sorted by this."""
    return r.deck, r.front, r.pin or ""


def head_lines(course: str, models: Iterable[LockedModel]) -> list[str]:
    """The lock's first lines: what it is, its format and course, then each note type by role."""
    lines = [
        "# deckgen.lock: written by `deckgen build`. Commit it; never edit it by hand.",
        json.dumps({"deckgen-lock": FORMAT, "course": course}),
    ]
    for m in sorted(models, key=lambda m: m.role):
        lines.append(
            json.dumps(
                {
                    "model": m.role,
                    "id": m.model_id,
                    "version": m.version,
                    "schema": m.schema,
                    "content": m.content,
                    "mod": m.mod,
                },
                ensure_ascii=False,
            )
        )
    return lines


def record_line(r: LockedRecord) -> str:
    """A record's line of the lock (json_lines.lock_line); its seed is written only where it
    is not the record's first seed, that is, after its front was reworded."""
    seed = r.seed if r.seed != first_seed(r.deck, r.front, r.pin) else None
    gone = r.removed
    removed = None if gone is None else (gone.since, gone.note_type, gone.fields, gone.tags)
    return lock_line(r.deck, r.front, r.pin, seed, r.content, r.mod, removed, r.released, r.role)


def outdated(old: Lock, new: Lock, notes: Iterable[Note], lock_path: str) -> list[Diagnostic]:
    """What `--locked` reports: every way the committed lock differs from this build's."""
    where = {n.record.key: n.record.location for n in notes}
    before = {r.key: r for r in old.records}
    after = {r.key: r for r in new.records}
    fix = "run `deckgen build` and commit deckgen.lock"
    problems: list[Diagnostic] = []
    untyped = 0  # entries an earlier deckgen wrote without their note's type, else the same
    for key, entry in after.items():
        old_entry = before.get(key)
        if old_entry and old_entry.role is None and replace(old_entry, role=entry.role) == entry:
            untyped += entry.role is not None
        elif entry.removed is not None and (key not in before or before[key].removed is None):
            problems.append(
                error(
                    where[key],
                    "lock-outdated",
                    f"'{entry.front}' in deck '{entry.deck}' was removed from the notes; {fix}",
                )
            )
        elif key not in before:
            problems.append(
                error(where[key], "lock-outdated", f"'{entry.front}' is not in deckgen.lock; {fix}")
            )
        elif before[key] != entry:
            problems.append(
                error(
                    where[key],
                    "lock-outdated",
                    f"'{entry.front}' changed since deckgen.lock; {fix}",
                )
            )
    for key, entry in before.items():
        if key not in after:
            problems.append(
                error(
                    Location(lock_path, 1),
                    "lock-outdated",
                    f"'{entry.front}' in deck '{entry.deck}' is gone from the notes; {fix}",
                )
            )
    if untyped:  # one line, not one a note
        said = f"deckgen.lock does not say which note type {untyped} note(s) are (older deckgen)"
        problems.append(error(Location(lock_path, 1), "lock-outdated", f"{said}; {fix}"))
    if old.course != new.course:
        problems.append(
            error(Location(lock_path, 1), "lock-outdated", f"the course id is not in it; {fix}")
        )
    if sorted(old.models, key=lambda m: m.role) != list(new.models):
        problems.append(
            error(Location(lock_path, 1), "lock-outdated", f"a note type changed; {fix}")
        )
    return problems


MAX_FIELDS = 100
"""The most fields a removed note may have (deckgen's own types have at most 44)."""
MAX_FIELD = 1 << 17
"""The longest field of a removed note the lock may hold (128 KiB)."""


def _removed(data: object) -> Removed:
    """A removed note as the lock holds it: it reaches students' cards, so checked as
    untrusted input (its fields are HTML deckgen wrote; their size and shape are checked)."""
    if not isinstance(data, dict):
        raise TypeError("'removed' must be an object")
    fields, tags = data["fields"], data["tags"]
    if not isinstance(fields, list) or not 0 < len(fields) <= MAX_FIELDS:
        raise ValueError(f"'removed' needs 1 to {MAX_FIELDS} fields")
    if not isinstance(tags, list) or len(tags) > MAX_FIELDS:
        raise ValueError(f"'removed' has more than {MAX_FIELDS} tags")
    for value in fields:
        if len(_text(value)) > MAX_FIELD:
            raise ValueError("a removed note's field is over 128 KiB")
    for tag in tags:
        if not _text(tag) or any(c.isspace() for c in tag):
            raise ValueError(f"{tag!r} is not an Anki tag")
    return Removed(_time(data["since"]), _text(data["type"]), tuple(fields), tuple(tags))


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError(f"expected text, not {type(value).__name__}")
    return value


def _time(value: object) -> int:
    """A mod: whole seconds since 1970, before the year 10000 (SQLite and Anki store 64 bits)."""
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value < MAX_TIME:
        raise ValueError(f"{str(value)[:30]} is not a time in seconds")
    return value


MAX_TIME = 253_402_300_800  # 10000-01-01


def _old_format(shown: str, line: int, old: int) -> Diagnostic:
    return error(
        Location(shown, line),
        "lock",
        f"deckgen.lock was written by an earlier deckgen (lock format {old}), whose note types "
        "and GUIDs were the same in every course: a student's second course overwrote the "
        "first's. This deckgen makes them from the course's own id, so students who imported a "
        "package of the old one would get every note again. If no student has imported one, "
        "delete deckgen.lock and build again; otherwise keep releasing with the deckgen that "
        "wrote it",
    )
