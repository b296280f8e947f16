"""The language a course's notes are written in (`language` in deckgen.toml), read and
checked: the learning-quality checks stem and weigh its words (`cards.words`)."""

from __future__ import annotations

from collections.abc import Callable

from .diagnostics import Diagnostic, error
from .records import Location

DEFAULT = "en"
LANGUAGES = frozenset(
    "ar bg bn ca cs da de el en eo es et eu fa fi fil fr ga he hi hu hy id is it ja ko lt lv mk "  # noqa: SIM905
    "ms nb ne nl no pl pt ro ru sh sk sl sr sv ta tr uk ur vi yi zh".split()
)
"""The languages a course may be in (ISO 639-1): those `cards.words` stems (Snowball) or
weighs (wordfreq); tests/test_quality_checks.py holds the two lists together."""


def read_language(value: object, at: Callable[[str], Location], problems: list[Diagnostic]) -> str:
    """The `language` of deckgen.toml (`at` locates a key); when it is not one, the
    default, and the problem added to `problems`."""
    if value in LANGUAGES:
        return str(value)
    problems.append(
        error(
            at("language"),
            "config",
            "'language' must be the code of the language the notes are written in, one of: "
            f"{', '.join(sorted(LANGUAGES))}",
        )
    )
    return DEFAULT
