"""The course's identity: which course a build is, settled against the lock, and written into
deckgen.toml where a folder of notes has none yet.

A course id is made once (`config.new_course_id`, by `deckgen init` or by a folder's first build)
and kept in two places: `[course] id` in deckgen.toml, where the teacher commits it, and the
lock's head, which catches it changing. A changed id gives every note a new GUID and every note
type a new id: students would get the whole course again, their reviews left on the old notes
(docs/anki.md, section 14, says what a fork or a rename does).
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from ..course_table import CourseIdentity, new_course_id
from ..diagnostics import BuildFailed, Diagnostic, error, shown_path
from ..records import Location

_TABLE = re.compile(r"^[ \t]*\[[ \t]*course[ \t]*\][ \t]*(#.*)?$", re.MULTILINE)


def settle(
    course: CourseIdentity,
    lock_course: str,
    config_path: Path,
    locked: bool = False,
    make: Callable[[], str] = new_course_id,
) -> tuple[CourseIdentity, list[Diagnostic]]:
    """The course this build is: deckgen.toml's id, which must be the one the lock was
    written for; where deckgen.toml has none, the lock's, else a new one (`stored` False:
    the build writes it into deckgen.toml; a `locked` build may not, and says so)."""
    if not course.id:
        course = replace(course, id=lock_course or make(), stored=False)
    elif lock_course and lock_course != course.id:
        return course, [
            error(
                Location(shown_path(config_path), _line_of_id(config_path)),
                "course-id",
                f"the course id is not the one deckgen.lock was written for ({lock_course}): "
                "every note would get a new GUID and every student the whole course again. "
                f'Restore id = "{lock_course}" under [course]. (A copy that is to become a '
                "course of its own: delete deckgen.lock and the id, then build.)",
            )
        ]
    if locked and not course.stored:
        return course, [
            error(
                Location(shown_path(config_path), 1),
                "course-id",
                "deckgen.toml has no course id ([course] id): run `deckgen build` and commit "
                "deckgen.toml",
            )
        ]
    return course, []


def preset_name(course: CourseIdentity) -> str:
    """The name of the course's deck options preset (`output.study.preset`)."""
    return f"{course.name}: bury siblings"


def settings_with_id(config_path: Path, course: CourseIdentity) -> bytes:
    """deckgen.toml's bytes with the course id the build settled on written in."""
    try:
        text = config_path.read_text(encoding="utf-8") if config_path.exists() else ""
    except (OSError, UnicodeDecodeError) as exc:  # load_config read it a moment ago
        raise BuildFailed(
            [error(Location(shown_path(config_path), 1), "config", f"cannot read: {exc}")]
        ) from None
    return with_identity(text, course, config_path).encode()


def with_identity(text: str, course: CourseIdentity, config_path: Path) -> str:
    """deckgen.toml's `text` with the course's id (and name) written into its `[course]`
    table, which is added at the end where there is none; everything else as it was."""
    lines = f"id = {json.dumps(course.id)}  # made by deckgen: never change it (see the README)\n"
    found = _TABLE.search(text)
    if found is not None:  # a [course] that names the course but has no id yet
        at = found.end()
        new = f"{text[:at]}\n{lines}{text[at + 1 :]}"
    else:
        name = f"name = {json.dumps(course.name, ensure_ascii=False)}\n"
        gap = "" if not text or text.endswith("\n\n") else "\n" if text.endswith("\n") else "\n\n"
        new = f"{text}{gap}# Which course this is: its note types and GUIDs are made from the id.\n[course]\n{lines}{name}"
    try:
        written = tomllib.loads(new)["course"]["id"]
    except (tomllib.TOMLDecodeError, KeyError, TypeError):
        written = None
    if written != course.id:  # `course` written another way (`course.name = ...`, inline)
        raise BuildFailed(
            [
                error(
                    Location(shown_path(config_path), 1),
                    "course-id",
                    f'deckgen.toml needs the course id: write id = "{course.id}" in its '
                    "[course] table, and commit it",
                )
            ]
        )
    return new


def _line_of_id(path: Path) -> int:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return 1
    for number, line in enumerate(text.splitlines(), 1):
        if re.match(r"\s*id\s*=", line):
            return number
    return 1
