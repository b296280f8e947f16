"""Diagnostics and the small exception hierarchy: the library raises, the CLI reports."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from .records import Location


def shown_path(path: Path) -> str:
    """A path as the user would type it: relative to the working directory where possible.

    Always printable: bytes of a file name that are not UTF-8 show as U+FFFD.
    """
    try:
        shown = path.parent.resolve().joinpath(path.name).relative_to(Path.cwd().resolve())
    except (ValueError, OSError, RuntimeError):  # elsewhere, or a symlink loop above it
        shown = path
    return shown.as_posix().encode("utf-8", "surrogateescape").decode("utf-8", "replace")


class Severity(StrEnum):
    """How bad a problem is."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem found in the input, located like a compiler error."""

    location: Location
    """Where the problem is."""
    severity: Severity
    """Error (the build refuses to write) or warning."""
    message: str
    """What is wrong and, where it helps, what to do."""
    code: str
    """A stable, kebab-case name for the kind of problem (see the README)."""

    def __str__(self) -> str:
        """One line, whatever a file name or a message quotes: a control or line-separator
        character is shown escaped (`\\x0a`), so that no name can add a line to a log, such
        as a `::error::` or `::stop-commands::` workflow command of a CI step."""
        return f"{self.location}: {self.severity}: {self.message} [{self.code}]".translate(ONE_LINE)

    @property
    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.location.path, self.location.line, self.location.col, self.message)


CODES = frozenset(
    {
        # reading
        "no-notes", "unreadable", "binary", "not-utf8", "not-notes", "config", "invisible-character",
        # metadata and tags
        "metadata-yaml", "metadata-key", "metadata-type", "unknown-variant", "unknown-tag",
        "tags-outside-section",
        # records
        "empty-front", "empty-back", "empty-item", "duplicate", "guid-collision", "not-a-card",
        "no-card", "raw-html", "answer-too-long", "answer-repeats-question", "typed-too-long",
        "list-too-long", "import-repair", "note-type", "table-shape", "table-empty-cell",
        # answers given away
        "ambiguous-reverse", "confusable-fronts", "item-gives-away", "same-fact",
        "yes-no-question",
        # clozes
        "cloze-unbalanced", "cloze-malformed", "cloze-number", "cloze-empty", "cloze-in-tag",
        "cloze-gap", "cloze-in-math", "math-command",
        # media
        "media-missing", "media-outside", "media-remote", "local-link", "media-large", "unreadable-link",
        # the author's suppressions
        "ignore", "unused-ignore",
        # outputs
        "package-clash",
        # releases
        "lock", "lock-outdated", "schema-change", "removed-unmarked", "course-id", "kind-changed",
    }
)  # fmt: skip
"""Every diagnostic code; the README documents each one."""


ONE_LINE: dict[int, str] = {c: f"\\x{c:02x}" for c in (*range(0x20), *range(0x7F, 0xA0))} | {
    0x2028: "\\u2028",
    0x2029: "\\u2029",
}
"""How a diagnostic shows the characters that would break its line: escaped, as Python does."""


def error(location: Location, code: str, message: str) -> Diagnostic:
    return _make(location, Severity.ERROR, message, code)


def warning(location: Location, code: str, message: str) -> Diagnostic:
    return _make(location, Severity.WARNING, message, code)


def _make(location: Location, severity: Severity, message: str, code: str) -> Diagnostic:
    if code not in CODES:
        raise ValueError(
            f"undeclared diagnostic code {code!r}"
        )  # a bug in deckgen, not in the notes
    return Diagnostic(location, severity, message, code)


class DeckgenError(Exception):
    """Base of every error deckgen raises on purpose."""


class UsageError(DeckgenError):
    """The command cannot run at all (missing directory, unreadable config): exit status 2."""


class CannotWrite(DeckgenError):
    """An output could not be written; the previous outputs are untouched."""

    def __init__(self, path: Path, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"{path}: cannot write: {reason}")


class BuildFailed(DeckgenError):
    """The input has problems; nothing was written."""

    def __init__(self, diagnostics: Iterable[Diagnostic], suppressed: int = 0) -> None:
        self.diagnostics = tuple(sorted(diagnostics, key=lambda d: d.sort_key))
        self.suppressed = suppressed  # warnings the author's suppressions answered
        errors = sum(d.severity is Severity.ERROR for d in self.diagnostics)
        super().__init__(f"{errors} error(s)")
