"""The course an import joins: its top deck, and its tag vocabulary in deckgen.toml."""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Iterable
from pathlib import Path

import yaml

from ..config import CONFIG_NAME
from ..diagnostics import UsageError

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)---[ \t]*$", re.DOTALL | re.MULTILINE)
_TABLE = re.compile(r"^\s*\[")


def top_deck(folder: Path) -> str:
    """The deck every notes file of the course is in (the title `init` gave it), or ""."""
    tops = set()
    for path in sorted(folder.rglob("*.md")) if folder.is_dir() else ():
        try:
            head = path.read_text(encoding="utf-8")[:4096]
            match = _FRONT_MATTER.match(head)
            meta = yaml.safe_load(match.group(1)) if match else None
        except (OSError, UnicodeDecodeError, yaml.YAMLError):
            continue
        if isinstance(meta, dict) and isinstance(meta.get("deck"), str):
            tops.add(meta["deck"].split("::")[0].strip())
    return tops.pop() if len(tops) == 1 else ""


def under_top(top: str, deck: str) -> str:
    """`deck` within the course's top deck `top` (if any, and unless it is in it already)."""
    if not top or deck.split("::")[0] == top:
        return deck or top
    return f"{top}::{deck}" if deck else top


def declare_tags(tags: Iterable[str], folder: Path) -> tuple[str, list[str]]:
    """deckgen.toml's text with every tag of `tags` it lacks declared under [tags], and the
    tags added (the text is not written here)."""
    path = folder / CONFIG_NAME
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        raise UsageError(f"{path}: error: not valid TOML; fix it, then import again") from None
    declared = data.get("tags", {})
    if not isinstance(declared, dict):
        raise UsageError(f"{path}: error: 'tags' is not a table; fix it, then import again")
    new = sorted(set(tags) - set(declared))
    if not new:
        return text, []
    lines = text.split("\n") if text else []
    entries = [f'{_key(tag)} = "imported"' for tag in new]
    header = next(
        (i for i, line in enumerate(lines) if re.match(r"^\s*\[tags\]\s*(#.*)?$", line)), None
    )
    if header is None:
        lines = [*lines, "", "[tags]", *entries, ""] if lines else ["[tags]", *entries, ""]
    else:
        end = next((i for i in range(header + 1, len(lines)) if _TABLE.match(lines[i])), len(lines))
        while end > header + 1 and not lines[end - 1].strip():
            end -= 1  # after the table's last line, before the blank lines that end it
        lines[end:end] = entries
    result = "\n".join(lines)
    try:
        if set(new) - set(tomllib.loads(result).get("tags", {})):
            raise tomllib.TOMLDecodeError("the tags did not land in [tags]")
    except tomllib.TOMLDecodeError:
        raise UsageError(
            f"{path}: error: cannot add the imported tags to its [tags] table; declare them "
            f"yourself: {' '.join(new)}"
        ) from None
    return result, new


def course_id(folder: Path) -> str:
    """The course id in the course's deckgen.toml, or "" (none yet, or not readable: the
    build says why)."""
    try:
        data = tomllib.loads((folder / CONFIG_NAME).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return ""
    course = data.get("course")
    value = course.get("id", "") if isinstance(course, dict) else ""
    return value if isinstance(value, str) else ""


def adopt_course(text: str, course: str, name: str, folder: Path) -> str:
    """deckgen.toml's `text` with `[course]`'s id and name set to `course` and `name` (the
    table added where there is none), everything else as it was."""
    lines = text.split("\n") if text else []
    values = {"id": json.dumps(course), "name": json.dumps(name, ensure_ascii=False)}
    header = next(
        (i for i, line in enumerate(lines) if re.match(r"^\s*\[\s*course\s*\]\s*(#.*)?$", line)),
        None,
    )
    if header is None:
        lines += ["", "# Which course this is: its note types and GUIDs are made from the id."]
        lines += ["[course]", *(f"{key} = {value}" for key, value in values.items()), ""]
    else:
        end = next((i for i in range(header + 1, len(lines)) if _TABLE.match(lines[i])), len(lines))
        for key, value in values.items():
            at = next(
                (i for i in range(header + 1, end) if re.match(rf"^\s*{key}\s*=", lines[i])), None
            )
            if at is None:
                lines.insert(header + 1, f"{key} = {value}")
                end += 1
            else:
                lines[at] = f"{key} = {value}"
    result = "\n".join(lines)
    try:
        written = tomllib.loads(result).get("course", {})
    except tomllib.TOMLDecodeError:
        written = {}
    if written.get("id") != course or written.get("name") != name:
        raise UsageError(
            f"{folder / CONFIG_NAME}: error: cannot set the course's id and name: write "
            f"id = {values['id']} and name = {values['name']} under [course] yourself, "
            "then import again"
        )
    return result


def _key(tag: str) -> str:
    """A TOML key: bare where TOML allows, quoted otherwise."""
    return tag if re.fullmatch(r"[A-Za-z0-9_-]+", tag) else json.dumps(tag, ensure_ascii=False)
