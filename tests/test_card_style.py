"""The card stylesheet (`identity/card_style.py`), read as a browser reads it: every kind of
text stands out from the card by day and by night, and no box scrolls on an axis it does not
mean to. The desktop tier (tests/desktop) measures the same in the real client."""

from __future__ import annotations

import re

import pytest

from generator.identity.card_style import _CODE_COLOURS, CSS
from tests.helpers import contrast

NIGHT = (".card.nightMode", ".nightMode .card", ".card.night_mode", ".night_mode .card")
"""Anki's night-mode classes: the desktop and AnkiMobile's, and AnkiDroid's (on the card, or on
an element around it)."""
SECONDARY = ("context", "hint", "source", "course-header", "course-footer")
"""The text around a card's question and answer: smaller, muted, and still readable."""


def rules(css: str) -> list[tuple[tuple[str, ...], dict[str, str]]]:
    """Each rule's selectors and declarations, in order (comments and @media blocks left out:
    they change sizes, not colours)."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.DOTALL)
    css = re.sub(r"@media[^{]*\{(?:[^{}]*\{[^{}]*\})*[^{}]*\}", "", css)
    found = []
    for selectors, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css):
        pairs = (d.split(":", 1) for d in body.split(";") if d.strip())
        found.append(
            (
                tuple(s.strip() for s in selectors.split(",")),
                {k.strip(): v.strip() for k, v in pairs},
            )
        )
    return found


def declared(selector: str) -> dict[str, str]:
    """What the rules naming `selector` declare, later rules winning."""
    merged: dict[str, str] = {}
    for selectors, declarations in rules(CSS):
        if selector in selectors:
            merged.update(declarations)
    return merged


def computed(selector: str, night: bool) -> tuple[str, str]:
    """The text colour of an element of `selector` on the card, and the card's background."""
    card = declared(".card") | (declared(NIGHT[0]) if night else {})
    style = declared(selector) | (declared(f".nightMode {selector}") if night else {})
    colour = style.get("color", card["color"])
    if variable := re.fullmatch(r"var\((--[\w-]+)\)", colour):
        colour = card[variable.group(1)]
    return colour, card["background"]


def test_every_night_mode_class_gets_the_night_colours() -> None:
    (night_rule,) = [d for s, d in rules(CSS) if NIGHT[0] in s]
    assert [s for s, d in rules(CSS) if NIGHT[0] in s] == [NIGHT]
    assert {"color", "background", "--deckgen-muted"} <= night_rule.keys()


@pytest.mark.parametrize("night", [False, True], ids=["day", "night"])
@pytest.mark.parametrize("kind", [*SECONDARY, "prompt", "answer", "cloze"])
def test_text_reads_at_4_5_to_1(kind: str, night: bool) -> None:
    colour, background = computed(f".{kind}", night)
    assert contrast(colour, background) >= 4.5, (kind, colour, background)  # WCAG AA


@pytest.mark.parametrize("kind", SECONDARY)
def test_secondary_text_is_muted_and_smaller(kind: str) -> None:
    for night in (False, True):
        text, background = computed(".card", night)
        assert contrast(computed(f".{kind}", night)[0], background) < contrast(text, background)
    assert float(declared(f".{kind}")["font-size"].removesuffix("em")) < 1


def test_the_code_colours_are_readable_day_and_night() -> None:
    day, night = declared("pre")["background"], declared(".nightMode pre")["background"]
    for classes, day_colour, night_colour, _ in _CODE_COLOURS:
        assert contrast(day_colour, day) >= 4.5, classes
        assert contrast(night_colour, night) >= 4.5, classes


def test_a_box_that_scrolls_sideways_never_scrolls_up_and_down() -> None:
    """`overflow-x: auto` alone makes `overflow-y` auto too (CSS Overflow 3): displayed math
    whose glyphs reach a pixel past their box then shows a vertical scroll bar."""
    sideways = [(s, d) for s, d in rules(CSS) if d.get("overflow-x") in ("auto", "scroll")]
    assert sideways
    for selectors, declarations in sideways:
        assert declarations.get("overflow-y") == "hidden", selectors
    assert declared('mjx-container[display="true"]')["padding"] == "0.25em 0"
