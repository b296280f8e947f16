"""Suppressions the author owns, as ruff has them: a warning the author has read and answered
is not reported again, and every suppression that answers nothing is reported itself.

- on an item: `<!-- deckgen: ignore[ambiguous-reverse] -->` (or `ignore[a, b]`) anywhere in
  the list item: the warnings located in that item;
- on a file: `ignore: [raw-html]` in its metadata: the warnings located in that file;
- on the course: `[check] ignore = ["media-large"]` in deckgen.toml: that warning anywhere.

Only warnings can be suppressed: an error means a card that would not work.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..diagnostics import CODES, Diagnostic, Severity, error, warning
from ..records import Location, SourceFile
from .markdown import MD
from .metadata import read_metadata

IGNORE = re.compile(r"<!--\s*deckgen:\s*ignore\[([^\]\n]*)\]\s*-->")


@dataclass(frozen=True, slots=True)
class Suppression:
    """Codes the author answered, and where."""

    location: Location
    """Where it is written (an item's comment, a file's metadata, deckgen.toml)."""
    codes: tuple[str, ...]
    """The codes it suppresses."""
    path: str | None = None
    """The file whose warnings it suppresses; None: every file (deckgen.toml)."""
    lines: tuple[int, int] | None = None
    """The 1-based lines [first, last] of the item it sits in; None: the whole file."""

    def covers(self, problem: Diagnostic) -> bool:
        if problem.code not in self.codes:
            return False
        if self.path is None:
            return True
        inside = self.lines is None or self.lines[0] <= problem.location.line <= self.lines[1]
        return problem.location.path == self.path and inside


def codes_in(text: str) -> tuple[str, ...]:
    return tuple(code.strip() for code in text.split(",") if code.strip())


def file_suppressions(source: SourceFile) -> list[Suppression]:
    """The item and file suppressions of one notes file (most files have none: one search)."""
    if "ignore" not in source.text:
        return []
    tokens = MD.parse(source.text)
    found = []
    if tokens and tokens[0].type == "front_matter":
        meta, _ = read_metadata(tokens[0].content, source.path, 2)  # its problems: walk's
        if meta is not None and meta.ignore:
            found.append(Suppression(Location(source.path, 2), meta.ignore, source.path))
    items = [t.map for t in tokens if t.type == "list_item_open" and t.map]
    for number, line in enumerate(source.text.splitlines(), 1):
        for match in IGNORE.finditer(line):
            around = [m for m in items if m[0] < number <= m[1]]
            if around:  # the innermost item: the last one opened
                first, last = around[-1]
                where = Location(source.path, number, match.start() + 1)
                found.append(
                    Suppression(where, codes_in(match.group(1)), source.path, (first + 1, last))
                )
    return found


def suppress(
    problems: Sequence[Diagnostic], suppressions: Sequence[Suppression]
) -> tuple[list[Diagnostic], int]:
    """The problems no suppression covers, with a problem for each suppression that answers
    nothing or names an unknown code or an error; and how many warnings were suppressed."""
    used: set[tuple[int, str]] = set()
    kept = []
    for problem in problems:
        covering = [i for i, s in enumerate(suppressions) if s.covers(problem)]
        if covering and problem.severity is Severity.WARNING:
            used.update((i, problem.code) for i in covering)
        else:
            kept.append(problem)
    errors = {(p.location.path, p.code) for p in problems if p.severity is Severity.ERROR}
    said = []
    for i, suppression in enumerate(suppressions):
        for code in suppression.codes:
            if code not in CODES:
                said.append(
                    error(suppression.location, "ignore", f"'{code}' is not a deckgen code")
                )
            elif (i, code) in used:
                continue
            elif any(c == code and suppression.path in (None, p) for p, c in errors):
                said.append(
                    error(
                        suppression.location,
                        "ignore",
                        f"the error '{code}' cannot be suppressed: it would break a card",
                    )
                )
            else:
                said.append(
                    warning(
                        suppression.location,
                        "unused-ignore",
                        f"nothing to suppress: no '{code}' warning here; delete it",
                    )
                )
    return kept + said, len(problems) - len(kept)
