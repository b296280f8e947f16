"""The `[course]` table of deckgen.toml: which course this is. Every id the course ships is
made from its id (`identity.ids`); `identity.course` settles it against the lock and writes
it where a folder of notes has none yet."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .diagnostics import Diagnostic, error
from .records import Location

COURSE_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")
"""A course id as deckgen makes it (`new_course_id`)."""
MAX_NAME = 100
"""The longest course name (it is in every note type's name)."""


def new_course_id() -> str:
    """A new course's identity: a random UUID, made once (by `deckgen init`, or by the first
    build of a folder of notes that has none), then kept in deckgen.toml and the lock for
    ever. Every id the course ships is made from it (`identity.ids`)."""
    return str(uuid.uuid4())


@dataclass(frozen=True, slots=True)
class CourseIdentity:
    """Which course this is, `[course]` in deckgen.toml: every id its packages ship (note
    types, GUIDs, the options preset) is made from `id` (`identity.ids`)."""

    id: str
    """The course id: made once, kept for ever; empty when deckgen.toml has none yet (the
    build takes the lock's, or makes one, and writes it there: `identity.course`)."""
    name: str
    """The course's name, shown in its note types' names; renaming changes no id."""
    stored: bool = True
    """False when `id` is not in deckgen.toml yet: the build writes it there."""


def default_name(source: Path) -> str:
    """A course's name when deckgen.toml gives none: its folder's (the folder that holds
    `source/`, or the notes folder itself)."""
    folder = source.resolve()
    if folder.name == "source" and folder.parent.name:
        folder = folder.parent
    return folder.name or "deckgen"


def read_course(
    value: object, unnamed: CourseIdentity, at: Callable[[str], Location]
) -> CourseIdentity | list[Diagnostic]:
    """The `[course]` table: `id` (as deckgen wrote it) and `name`."""
    if value is None:
        return unnamed
    if not isinstance(value, dict):
        return [error(at("course"), "config", "'course' must be a table ([course])")]
    problems = [
        error(at(key), "config", f"unknown key '{key}' in [course] (expected id, name)")
        for key in value
        if key not in ("id", "name")
    ]
    course_id = value.get("id", "")
    if course_id != "" and (not isinstance(course_id, str) or not COURSE_ID.fullmatch(course_id)):
        problems.append(
            error(
                at("id"),
                "config",
                "'id' must be the course id deckgen wrote (a UUID such as "
                '"0f8fad5b-d9cb-469f-a165-70867728950e"); it is what every student\'s '
                "collection knows the course by: restore it from git, never edit it",
            )
        )
    name = value.get("name", unnamed.name)
    if (
        not isinstance(name, str)
        or not name.strip()
        or len(name) > MAX_NAME
        or not name.isprintable()
    ):
        problems.append(
            error(at("name"), "config", f"'name' must be text of 1 to {MAX_NAME} characters")
        )
    if problems:
        return problems
    assert isinstance(course_id, str) and isinstance(name, str)
    return CourseIdentity(course_id, " ".join(name.split()), stored=course_id != "")


UNNAMED = CourseIdentity("", "")
"""No course yet: a `Config` made without deckgen.toml's `[course]` (tests, tools)."""
