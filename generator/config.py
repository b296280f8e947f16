"""The one typed build configuration: defaults < `deckgen.toml` in the source directory < CLI flags."""

from __future__ import annotations

import re
import time
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .active import css_problems
from .course_table import UNNAMED, CourseIdentity, default_name, read_course
from .diagnostics import BuildFailed, Diagnostic, UsageError, error, shown_path
from .language import DEFAULT, read_language
from .mathjax import math_commands
from .records import Location, Variant

CONFIG_NAME = "deckgen.toml"
_KEYS = ("check", "course", "language", "repository", "style", "tags", "variants")
_KNOWN = f"expected {', '.join(map(repr, _KEYS[:-1]))} or {_KEYS[-1]!r}"
LOCK_NAME = "deckgen.lock"
DEFAULT_VARIANTS = frozenset({Variant.BASIC, Variant.REVERSE, Variant.CLOZE})
"""Cards made when neither deckgen.toml nor a file says: every kind but typed answers."""
_TAG = re.compile(r"^[^\s:]+(::[^\s:]+)*$")
RELEASE_TAG = re.compile(r"v(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?")
"""A release tag: a semantic version, `vMAJOR.MINOR.PATCH`, `-SUFFIX` for a pre-release."""
REPOSITORY = re.compile(r"https://[A-Za-z0-9.-]+(:\d+)?(/[A-Za-z0-9._~%+-]+)*/?")
"""An https address with a path and nothing else: no query, no fragment, no quotes."""


STYLE_LIMIT = 64 * 1024
"""The most bytes a course stylesheet may have (it is in every note type of every package)."""


@dataclass(frozen=True, slots=True)
class Style:
    """The course's own look, `[style]` in deckgen.toml: on every one of deckgen's note types.
    A change is a note-type change (a new look reaches students on their next import)."""

    css: str = ""
    """The course stylesheet's text, appended to deckgen's (`identity.card_style`)."""
    header: str = ""
    """Text above the fields on both sides of every card (plain text: it is HTML-escaped)."""
    footer: str = ""
    """Text below each answer, above the Source line (plain text)."""


@dataclass(frozen=True, slots=True)
class Config:
    """Everything a build needs to know; stages receive it and never read the environment."""

    source: Path
    """Directory of Markdown notes (and `deckgen.toml`, `deckgen.lock`)."""
    out: Path
    """Directory the packages and records are written to."""
    vocabulary: frozenset[str]
    """The declared topic tags; any other tag is an error."""
    variants: frozenset[Variant]
    """Variants made for files whose metadata does not say."""
    build_time: int
    """Seconds since the epoch stamped on notes whose content changed in this build."""
    now: int
    """The clock when the build started: no time later than this is ever shipped."""
    locked: bool = False
    """Fail instead of updating `deckgen.lock` when it is out of date."""
    strict: bool = False
    """Treat warnings as errors."""
    repository: str | None = None
    """The course's repository (https, no trailing '/'): release notes and error reports link
    to it."""
    release: str | None = None
    """The release being built (`v1.3.0`), named in each deck's description; None: not a
    release."""
    style: Style | None = None
    """The course's own look; None: deckgen's."""
    course: CourseIdentity = UNNAMED
    """Which course this is (`[course]` in deckgen.toml)."""
    jobs: int = 1
    """Processes the per-file stages may use (`cards.each_file`): the CLI gives the machine's
    cores; a library call works in its caller's process unless it asks for more."""
    ignore: tuple[str, ...] = ()
    """Warning codes the author answered for the whole course (`[check] ignore`)."""
    language: str = "en"
    """The notes' language (ISO 639-1), whose words the quality checks stem (`cards.words`)."""

    @property
    def config_path(self) -> Path:
        return self.source / CONFIG_NAME

    @property
    def lock_path(self) -> Path:
        return self.source / LOCK_NAME

    @property
    def cache_dir(self) -> Path:
        """Each notes file's notes and each deck's checks, by what makes them
        (`cards.file_cache`): outside git, safe to delete."""
        return self.out / ".cache" / "notes"


def build_time(source_date_epoch: str | None, now: float | None = None) -> int:
    """The time of this build: SOURCE_DATE_EPOCH if given, never later than the clock."""
    clock = int(now if now is not None else time.time())
    if source_date_epoch is None or source_date_epoch.strip() == "":
        return clock
    try:
        value = int(source_date_epoch)
    except ValueError:
        raise UsageError(
            f"SOURCE_DATE_EPOCH must be whole seconds since 1970, not {source_date_epoch!r}"
        ) from None
    # A future mod would make every honest later release look older (docs/anki.md, section 3).
    return min(value, clock)


def load_config(
    source: Path,
    out: Path,
    *,
    build_time: int,
    locked: bool = False,
    strict: bool = False,
    now: int | None = None,
    release: str | None = None,
    jobs: int = 1,
) -> Config:
    """Read `deckgen.toml` from the source directory and merge it with the flags. `now` is
    the clock (read here when not given: the one place a build reads it)."""
    now = int(time.time()) if now is None else now
    if release is not None and not RELEASE_TAG.fullmatch(release):
        raise UsageError(f"{release}: error: not a release tag (vMAJOR.MINOR.PATCH, or -SUFFIX)")
    if not source.is_dir():
        raise UsageError(f"{source}: error: source directory does not exist")
    path = source / CONFIG_NAME
    shown = shown_path(path)
    vocabulary: frozenset[str] = frozenset()
    variants = DEFAULT_VARIANTS
    unnamed = CourseIdentity("", default_name(source), stored=False)
    text, data = _read_toml(path, shown)
    problems: list[Diagnostic] = []

    def at(key: str) -> Location:
        for number, content in enumerate(text.splitlines(), 1):
            if re.match(rf"\s*\[?\s*{re.escape(key)}\b", content):
                return Location(shown, number)
        return Location(shown, 1)

    for key in data:
        if key not in _KEYS:
            problems.append(error(at(key), "config", f"unknown section or key '{key}' ({_KNOWN})"))
    course = read_course(data.get("course"), unnamed, at)
    if isinstance(course, list):
        problems += course
        course = unnamed
    language = read_language(data.get("language", DEFAULT), at, problems)
    repository = data.get("repository")
    if repository is not None:
        if not isinstance(repository, str) or not REPOSITORY.fullmatch(repository):
            problems.append(
                error(
                    at("repository"),
                    "config",
                    "'repository' must be the course's https address, such as "
                    '"https://github.com/you/course" (no query, no spaces, no quotes)',
                )
            )
            repository = None
        else:
            repository = repository.rstrip("/")
    tags = data.get("tags", {})
    if not isinstance(tags, dict):
        problems.append(
            error(at("tags"), "config", "'tags' must be a table of tag = \"description\"")
        )
    else:
        for tag in tags:
            if not _TAG.match(tag):
                problems.append(
                    error(
                        at(tag),
                        "config",
                        f"'{tag}' is not a valid Anki tag (no spaces; use '::' for hierarchy)",
                    )
                )
        vocabulary = frozenset(tags)
    if "variants" in data:
        parsed = parse_variants(data["variants"], at("variants"))
        if isinstance(parsed, Diagnostic):
            problems.append(parsed)
        else:
            variants = parsed
    style = read_style(data["style"], source, at) if "style" in data else None
    if isinstance(style, list):
        problems += style
        style = None
    check = data.get("check", {})
    ignore = (
        check.get("ignore", []) if isinstance(check, dict) and check.keys() <= {"ignore"} else 0
    )
    if not isinstance(ignore, list) or not all(isinstance(c, str) for c in ignore):
        problems.append(
            error(at("check"), "config", '[check] holds only ignore = ["code", ...]: warning codes')
        )
        ignore = []
    if problems:
        raise BuildFailed(problems)
    return Config(
        source,
        out,
        vocabulary,
        variants,
        build_time,
        now,
        locked,
        strict,
        repository,
        release,
        style,
        course,
        max(1, jobs),
        tuple(ignore),
        language,
    )


def _read_toml(path: Path, shown: str) -> tuple[str, dict[str, object]]:
    """deckgen.toml's text and data; none at all is an empty file."""
    if not path.exists() and not path.is_symlink():
        return "", {}
    if not path.is_file():  # a folder, or a FIFO that would hang the read
        raise BuildFailed([error(Location(shown, 1), "config", "not a regular file")])
    try:
        text = path.read_text(encoding="utf-8")
        return text, tomllib.loads(text)
    except UnicodeDecodeError as exc:
        raise BuildFailed(
            [error(Location(shown, 1), "config", f"not UTF-8: {exc.reason}")]
        ) from None
    except OSError as exc:  # a folder, a FIFO's error, no permission
        raise BuildFailed(
            [error(Location(shown, 1), "config", f"cannot read: {exc.strerror or exc}")]
        ) from None
    except RecursionError:
        raise BuildFailed(
            [error(Location(shown, 1), "config", "invalid TOML: nested too deeply")]
        ) from None
    except tomllib.TOMLDecodeError as exc:
        line = int(m.group(1)) if (m := re.search(r"line (\d+)", str(exc))) else 1
        raise BuildFailed(
            [error(Location(shown, line), "config", f"invalid TOML: {exc}")]
        ) from None


def read_style(
    value: object, source: Path, at: Callable[[str], Location]
) -> Style | list[Diagnostic]:
    """The `[style]` table: `css` (a file inside the source directory), `header`, `footer`."""
    if not isinstance(value, dict):
        return [error(at("style"), "config", "'style' must be a table ([style])")]
    problems = [
        error(at(key), "config", f"unknown key '{key}' in [style] (expected css, header, footer)")
        for key in value
        if key not in ("css", "header", "footer")
    ]
    texts: dict[str, str] = {}
    for key in ("header", "footer"):
        text = value.get(key, "")
        if not isinstance(text, str) or len(text) > 500:
            problems.append(
                error(at(key), "config", f"'{key}' must be text of 500 characters at most")
            )
        elif why := _not_plain(text):
            problems.append(error(at(key), "config", f"'{key}' may not {why}"))
        else:
            texts[key] = text
    css = ""
    name = value.get("css")
    if name is not None:
        found = _stylesheet(name, source, at("css"))
        if isinstance(found, Diagnostic):
            problems.append(found)
        else:
            css = found
    if problems:
        return problems
    return Style(css, texts.get("header", ""), texts.get("footer", ""))


def _not_plain(text: str) -> str:
    """Why a header or footer is not plain text Anki shows as it is ("" if it is)."""
    if "{{" in text or "}}" in text:
        return "contain '{{' or '}}': Anki would read a field there"
    commands = math_commands(text)
    return f"use {', '.join(commands)} in math" if commands else ""


def _stylesheet(name: object, source: Path, where: Location) -> str | Diagnostic:
    """The text of the course stylesheet `name`, checked: Anki puts it in a <style> element
    of every card, so it may not hold '<' (which could end that element)."""
    if not isinstance(name, str) or not name:
        return error(where, "config", "'css' must name a stylesheet, such as \"style.css\"")
    path = (source / name).resolve()
    if not path.is_relative_to(source.resolve()):
        return error(where, "config", f"stylesheet '{name}' lies outside the source directory")
    if not path.is_file():
        return error(where, "config", f"stylesheet '{name}' does not exist")
    shown = shown_path(source / name)
    try:
        data = path.read_bytes()
        if len(data) > STYLE_LIMIT:
            return error(Location(shown, 1), "config", f"stylesheet over {STYLE_LIMIT >> 10} KiB")
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return error(Location(shown, 1), "config", f"stylesheet not UTF-8: {exc.reason}")
    except OSError as exc:
        return error(Location(shown, 1), "config", f"cannot read: {exc.strerror or exc}")
    for line, col, why in css_problems(text)[:1]:  # nothing that runs or fetches (`active`)
        return error(Location(shown, line, col), "config", f"stylesheet: {why}")
    return text


def parse_variants(value: object, location: Location) -> frozenset[Variant] | Diagnostic:
    """Validate a list of variant names, as written in config or file metadata."""
    names = [value] if isinstance(value, str) else value
    known = ", ".join(v.value for v in Variant)
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        return error(location, "metadata-type", f"'variants' must be a list of names ({known})")
    unknown = [n for n in names if n not in Variant.__members__.values()]
    if unknown:
        return error(
            location, "unknown-variant", f"unknown variant '{unknown[0]}' (expected one of {known})"
        )
    return frozenset(Variant(n) for n in names)
