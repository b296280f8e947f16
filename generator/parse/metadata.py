"""Metadata: the YAML front matter that opens every notes file (deck, tags, variants)."""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

from ..config import parse_variants
from ..diagnostics import Diagnostic, error
from ..records import FileRef, Location, TagRef, Variant

KEYS = ("deck", "tags", "variants", "note-type", "tts", "ignore")
TTS_LANGUAGE = re.compile(r"[a-z]{2,3}(_[A-Z]{2})?")
"""A language as Anki's text-to-speech names it: `en_US`, `de_DE`, `ja_JP`, `fr`."""
MAX_DECK_PART = 100
"""The longest part of a deck name: it becomes a package's file name, which file systems cap."""
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


MAX_NODES = 10_000
"""The most values metadata may expand to: an alias bomb of a few lines expands to billions."""


def _expanded_size(node: yaml.Node, limit: int = MAX_NODES) -> int:
    """How many nodes the metadata holds once every alias is expanded (counting stops past
    `limit`), without expanding it."""
    count, stack = 0, [node]
    while stack and count <= limit:
        current = stack.pop()
        count += 1
        if isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)
        elif isinstance(current, yaml.MappingNode):
            stack.extend(n for pair in current.value for n in pair)
    return count


def _is_text(value: object) -> bool:
    """False when a string holds a lone surrogate (YAML's "\\ud800" escape) at any depth."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return False
        return True
    if isinstance(value, list):
        return all(_is_text(v) for v in value)
    if isinstance(value, dict):
        return all(_is_text(k) and _is_text(v) for k, v in value.items())
    return True


def _short(text: str, limit: int = 60) -> str:
    """A value as a diagnostic quotes it: never more than `limit` characters."""
    return text if len(text) <= limit else text[:limit] + "..."


@dataclass(frozen=True, slots=True)
class FileMeta:
    """What a file's front matter declares."""

    deck: str
    """Full deck name, `::`-separated, spaces around `::` removed."""
    tags: tuple[TagRef, ...]
    """Topic tags for every record in the file."""
    variants: frozenset[Variant] | None
    """Variants for this file, or None for the configured default."""
    note_type: FileRef | None = None
    """A kept note type file (`identity.kept`), relative to this file's folder."""
    tts: str | None = None
    """The language Anki reads the fronts aloud in (`tts: en_US`); None: silent."""
    ignore: tuple[str, ...] = ()
    """Warning codes the author answered for the whole file (`parse.suppressions`)."""


def read_metadata(
    text: str, path: str, first_line: int
) -> tuple[FileMeta | None, list[Diagnostic]]:
    """Validate front matter whose first YAML line is `first_line` (1-based) of `path`."""

    def at(mark_line: int, col: int = 0) -> Location:
        return Location(path, first_line + mark_line, col + 1)

    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except RecursionError:
        return None, [error(at(0), "metadata-yaml", "the metadata is nested too deeply")]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = at(mark.line, mark.column) if mark else at(0)
        problem = getattr(exc, "problem", None) or str(exc)
        if "mapping values are not allowed" in problem:
            problem += " (put quotes around a value that contains ': ')"
        return None, [error(where, "metadata-yaml", f"invalid YAML in metadata: {problem}")]
    if root is not None and _expanded_size(root) > MAX_NODES:
        return None, [
            error(
                at(0),
                "metadata-yaml",
                f"the metadata expands to over {MAX_NODES} values (YAML aliases); write it out",
            )
        ]
    if not isinstance(root, yaml.MappingNode):
        where = at(root.start_mark.line) if root is not None else at(0)
        return None, [
            error(where, "metadata-type", "metadata must be a mapping with at least 'deck: Name'")
        ]
    problems: list[Diagnostic] = []
    deck: str | None = None
    tags: list[TagRef] = []
    variants: frozenset[Variant] | None = None
    note_type: FileRef | None = None
    tts: str | None = None
    ignore: tuple[str, ...] = ()
    for key_node, value_node in root.value:
        key = key_node.value
        where = at(key_node.start_mark.line, key_node.start_mark.column)
        try:
            value = yaml.safe_load(yaml.serialize(value_node)) if value_node is not None else None
        except yaml.YAMLError as exc:  # composes, but does not load (e.g. a mapping as a key)
            problem = getattr(exc, "problem", None) or str(exc)
            return None, [error(where, "metadata-yaml", f"invalid YAML in metadata: {problem}")]
        if not _is_text(value) or not _is_text(key):
            problems.append(
                error(where, "metadata-type", "metadata holds text that is not valid Unicode")
            )
            continue
        if key == "deck":
            if not isinstance(value, str) or not value.strip():
                problems.append(
                    error(
                        where, "metadata-type", "'deck' must be a deck name such as 'Course::Topic'"
                    )
                )
                continue
            # Control and separator characters are spaces: U+001F is Anki's field separator.
            parts = [" ".join(_CONTROL.sub(" ", part).split()) for part in value.split("::")]
            if any(not part for part in parts):
                problems.append(
                    error(where, "metadata-type", f"deck name '{_short(value)}' has an empty part")
                )
                continue
            if any(len(part) > MAX_DECK_PART for part in parts):
                problems.append(
                    error(
                        where,
                        "metadata-type",
                        f"deck name '{_short(value)}' has a part of over {MAX_DECK_PART} characters",
                    )
                )
                continue
            deck = "::".join(parts)
        elif key == "tags":
            names = [value] if isinstance(value, str) else value
            if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
                problems.append(error(where, "metadata-type", "'tags' must be a list of tag names"))
                continue
            tags.extend(TagRef(n, where) for n in names)
        elif key == "variants":
            parsed = parse_variants(value, where)
            if isinstance(parsed, Diagnostic):
                problems.append(parsed)
            else:
                variants = parsed
        elif key == "note-type":
            if not isinstance(value, str) or not value.endswith(".json") or _CONTROL.search(value):
                problems.append(
                    error(
                        where,
                        "metadata-type",
                        "'note-type' must name a kept note type file, such as "
                        "note-types/basic.json (written by deckgen import)",
                    )
                )
                continue
            note_type = FileRef(value, where)
        elif key == "tts":
            if not isinstance(value, str) or not TTS_LANGUAGE.fullmatch(value):
                problems.append(
                    error(
                        where,
                        "metadata-type",
                        "'tts' must be a language as Anki names it, such as en_US or de_DE",
                    )
                )
                continue
            tts = value
        elif key == "ignore":
            if not isinstance(value, list) or not all(isinstance(c, str) for c in value):
                problems.append(error(where, "metadata-type", "'ignore' must be a list of codes"))
                continue
            ignore = tuple(value)
        else:
            problems.append(
                error(
                    where,
                    "metadata-key",
                    f"unknown metadata key '{key}' (expected one of: {', '.join(KEYS)})",
                )
            )
    if deck is None and not problems:
        problems.append(
            error(at(0), "metadata-key", "metadata has no 'deck': every notes file names its deck")
        )
    if problems or deck is None:
        return None, problems
    return FileMeta(deck, tuple(tags), variants, note_type, tts, ignore), []
