"""The desktop tier: the real Anki desktop client (aqt 26.9.3 under Xvfb), driven from inside by
an add-on (tests/desktop/deckgen_probe), through what a student does with two courses.

One run of the client, in a fresh profile with Anki's default options, plays it all: import the
course (`source/`) through File > Import and render every card; import a second course, by
another teacher, with a `[style]` of its own (tests/fixtures/statistics), and render again; open
the reviewer on every kind of card of both, front and back, by day and by night, at a desktop's
and a phone's width, and measure each page; study a few cards; import the course's next release
(one note edited). The tests assert on what the add-on wrote (JSON). Its screenshots are kept in
build/desktop/ as artifacts, never compared by pixel (pixels depend on fonts and Mesa).

Skipped, with the reason, where the client is missing; .ci/run installs it (`aqt[qt]` of the
`anki` version the tests use, Xvfb from Debian) and names it in DECKGEN_DESKTOP_VENV. Run alone:
`DECKGEN_DESKTOP_VENV=... .venv/bin/pytest tests/desktop -n 0`.
"""

from __future__ import annotations

import re
import shutil
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from anki.collection import Collection

from generator.build import Result
from tests.desktop import client
from tests.helpers import BUILD_TIME, LIVE_COURSE, ROOT, build_tree, contrast, import_package

pytestmark = pytest.mark.skipif(client.missing() is not None, reason=str(client.missing()))

ARTIFACTS = ROOT / "build" / "desktop"
"""The client's screenshots, the add-on's JSON and Anki's output of the last run."""
SECOND_COURSE = ROOT / "tests" / "fixtures" / "statistics"
VIEWS = {
    "desktop": {"window": 1200, "height": 900, "width": 1200},
    "phone": {"window": 400, "height": 800, "width": 360},
}
"""The main window's size and the page's width in CSS pixels (a phone: the narrowest common)."""
DAY = 86_400
SECONDARY = ("context", "hint", "source", "course-header", "course-footer")
"""The text around a card's question and answer, which must still read at 4.5:1."""
SIDEWAYS = re.compile(r"^(pre|table|mjx-container\b.*\[display\])")
"""The boxes that scroll sideways inside the card when their content is wider than it."""

Rendered = dict[str, dict[str, str]]
"""Each card, by its note's GUID and its ordinal: its question and answer HTML."""


@dataclass(frozen=True, slots=True)
class Session:
    """What one run of the client did and saw, and what it is compared with."""

    out: Path
    """The folder the add-on wrote to."""
    sales: Rendered
    """The course's first release, rendered alone by the `anki` library."""
    sales_updated: Rendered
    """The course after its second release, rendered alone by the `anki` library."""
    statistics: Rendered
    """The second course, rendered alone by the `anki` library."""
    edited: str
    """The key of the first card of the note the second release edits."""
    studied: list[str]
    """The cards studied before the second release."""

    def step(self, name: str) -> Any:
        return client.written(self.out, name)


def rendered(packages: list[Path], folder: Path) -> tuple[Rendered, list[Any]]:
    """The packages imported in order into a fresh collection with the Anki GUI's defaults:
    every card rendered, and the cards (for choosing which to look at)."""
    folder.mkdir()
    collection = Collection(str(folder / "collection.anki2"))
    try:
        for package in packages:
            import_package(collection, package)
        cards = [collection.get_card(cid) for cid in collection.find_cards("")]
        found = {
            f"{c.note().guid} {c.ord}": {"question": c.question(), "answer": c.answer()}
            for c in cards
        }
        described = [_described(c) for c in cards]
    finally:
        collection.close()
    return found, described


def _described(card: Any) -> dict[str, Any]:
    note = card.note()
    typed = re.search(r"\[\[type:([^\]]+)\]\]", card.question())
    return {
        "key": f"{note.guid} {card.ord}",
        "kind": (note.note_type()["name"], re.sub(r"\s*\d+$", "", card.template()["name"])),
        "front": re.sub(r"<[^>]+>|\{\{c\d+::|\}\}", "", note.fields[0]),
        "answer_length": len(card.answer()),
        "first": card.ord == min(c.ord for c in note.cards()),
        "typed": note[typed.group(1)][:-1] if typed else None,  # one letter short: a typo
    }


def chosen(cards: list[dict[str, Any]], course: str, every_note: bool) -> list[dict[str, Any]]:
    """The cards to look at: of each note type's each template (list items as one), the card
    with the longest answer; with `every_note`, also each note's first card."""
    longest: dict[Any, dict[str, Any]] = {}
    for card in cards:
        if (
            card["answer_length"]
            > longest.get(card["kind"], {"answer_length": -1})["answer_length"]
        ):
            longest[card["kind"]] = card
    picked = {c["key"]: c for c in longest.values()}
    if every_note:
        picked |= {c["key"]: c for c in cards if c["first"]}
    for card in picked.values():
        slug = re.sub(r"[^a-z0-9]+", "-", unicodedata.normalize("NFKD", card["front"]).lower())
        card["label"] = f"{course}-{slug.strip('-')[:32]}-{card['key'].rsplit(' ', 1)[1]}"
    return sorted(picked.values(), key=lambda c: c["label"])


def package(result: Result) -> Path:
    """The one package a build of a course wrote."""
    (found,) = [p for p in result.outputs if p.suffix == ".apkg"]
    return found


def edit_one_note(source: Path) -> str:
    """Reword the definition of the first term of the course's first notes file (its front, and
    so its identity, stays); the term."""
    first = min(source.rglob("*.md"))
    text = first.read_text(encoding="utf-8")
    term = re.search(r"^- \*\*([^*]+)\*\*: ", text, flags=re.MULTILINE)
    assert term, f"{first}: no term to edit"
    first.write_text(text.replace(term.group(0), term.group(0) + "In short: ", 1), "utf-8")
    return term.group(1)


@pytest.fixture(scope="module")
def session(tmp_path_factory: pytest.TempPathFactory) -> Session:
    tmp = tmp_path_factory.mktemp("desktop")
    sales, statistics = tmp / "sales", tmp / "statistics"
    shutil.copytree(LIVE_COURSE, sales)
    shutil.copytree(SECOND_COURSE, statistics)
    # Released one after another: each package's note types are newer than the last one's.
    first = package(build_tree(sales, tmp / "sales-1", BUILD_TIME))
    other = package(build_tree(statistics, tmp / "statistics-1", BUILD_TIME + DAY))
    term = edit_one_note(sales)
    second = package(build_tree(sales, tmp / "sales-2", BUILD_TIME + 2 * DAY))

    sales_cards, sales_described = rendered([first], tmp / "alone-1")
    updated_cards, _ = rendered([first, second], tmp / "alone-2")
    statistics_cards, statistics_described = rendered([other], tmp / "alone-3")
    looked_at = chosen(sales_described, "sales", every_note=False)
    looked_at += chosen(statistics_described, "statistics", every_note=True)
    edited = [c for c in sales_described if c["front"] == term and c["first"]]
    assert len(edited) == 1, term
    # Cards not looked at (a preview in the reviewer logs a review too), new until studied.
    others = [c for c in sales_described if c["first"] and c["front"] != term]
    looked = {c["key"] for c in looked_at}
    studied = [edited[0]["key"], *[c["key"] for c in others if c["key"] not in looked][:3]]

    shutil.rmtree(ARTIFACTS, ignore_errors=True)
    ARTIFACTS.mkdir(parents=True)
    steps = [
        {"do": "import", "name": "import-sales", "path": str(first)},
        {"do": "render", "name": "sales-alone"},
        {"do": "import", "name": "import-statistics", "path": str(other)},
        {"do": "render", "name": "both"},
        *(
            {
                "do": "look",
                "name": f"{theme}-{view}",
                "night": theme == "night",
                "view": VIEWS[view],
                "cards": [[c["key"], c["label"]] for c in looked_at],
                "typed": {c["key"]: c["typed"] for c in looked_at if c["typed"] is not None},
            }
            for theme in ("day", "night")
            for view in VIEWS
        ),
        {"do": "study", "name": "study", "cards": studied},
        {"do": "facts", "name": "before-update"},
        {"do": "import", "name": "import-update", "path": str(second)},
        {"do": "render", "name": "after-update"},
        {"do": "facts", "name": "after-update-facts"},
    ]
    result = client.run(steps, ARTIFACTS, tmp / "profile", (1200, 900))
    assert result["error"] is None, f"{result['error']}\n(screenshots in {ARTIFACTS})"
    return Session(
        ARTIFACTS, sales_cards, updated_cards, statistics_cards, edited[0]["key"], studied
    )


def differing(expected: Rendered, shown: Rendered) -> list[str]:
    """The cards of `expected` that `shown` lacks or shows otherwise (a few, for the message)."""
    found = []
    for key, sides in expected.items():
        for side, html in sides.items():
            if (other := shown.get(key, {}).get(side)) != html:
                found.append(f"{key} {side}: {_first_difference(html, other or '')}")
    return found[:5]


def _first_difference(expected: str, shown: str) -> str:
    at = next(
        (i for i, (a, b) in enumerate(zip(expected, shown, strict=False)) if a != b), len(expected)
    )
    return f"expected ...{expected[at - 30 : at + 50]!r}, shown ...{shown[at - 30 : at + 50]!r}"


def test_the_client_shows_the_course_as_the_anki_library_renders_it(session: Session) -> None:
    shown = session.step("sales-alone")
    assert len(shown) == len(session.sales) > 200
    assert differing(session.sales, shown) == []


def overview(name: str, session: Session) -> str:
    """The import log's summary, without the Unicode isolation marks Anki puts around numbers."""
    log = session.step(name)["log"]
    return re.sub("[\u2068\u2069]", "", log.split("Details")[0])


def test_an_update_keeps_every_review(session: Session) -> None:
    """Cards studied in the reviewer, then the course's next release imported: one note is
    updated, and every card keeps its scheduling and its reviews."""
    before, after = session.step("before-update"), session.step("after-update-facts")
    for key in session.studied:  # studied once each, in the reviewer
        assert before["cards"][key]["reviews"] == before["cards"][key]["reps"] == 1, key
    assert after["cards"] == before["cards"]
    assert after["notes"] == before["notes"]
    log = overview("import-update", session)
    unchanged = len({key.rsplit(" ", 1)[0] for key in session.sales}) - 1
    assert f"{unchanged} notes already present" in log
    assert "1 note was used to update existing ones" in log
    answer = session.step("after-update")[session.edited]["answer"]
    assert "In short: " in answer and "In short: " not in session.sales[session.edited]["answer"]


def looks(session: Session) -> Iterator[tuple[str, str, str, dict[str, Any]]]:
    """Every page measured: (view, card, side, what measure.js found)."""
    for theme in ("day", "night"):
        for view in VIEWS:
            for seen in session.step(f"{theme}-{view}").values():
                for side in ("front", "back"):
                    yield f"{theme}-{view}", seen["label"], side, seen[side]


def test_every_card_was_seen_in_each_theme_at_each_width(session: Session) -> None:
    seen = list(looks(session))
    assert len(seen) == 4 * 2 * len(session.step("day-desktop")) > 4 * 2 * 20
    for view, card, side, page in seen:
        assert ("nightMode" in page["body"].split()) == view.startswith("night"), card
        assert page["window"][0] == VIEWS[view.split("-")[1]]["width"], (view, card)
        assert page["broken_fonts"] == page["broken_images"] == [], (view, card, side)


def test_nothing_sticks_out_or_scrolls_where_it_should_not(session: Session) -> None:
    """The page never scrolls sideways, nor up and down when the card fits the window; nothing
    reaches past the window; code, tables and displayed math may scroll sideways in their own
    box when wider than the card, and no box scrolls up and down (or clips its content)."""
    problems = []
    for view, card, side, page in looks(session):
        (width, height), (scroll_width, scroll_height) = page["viewport"], page["page_scroll"]
        where = f"{view} {card} {side}"
        if scroll_width > width:
            problems.append(f"{where}: the page scrolls sideways ({scroll_width} > {width} px)")
        if scroll_height > max(height, page["needed_height"]) + 1:
            problems.append(f"{where}: the page scrolls past the card ({scroll_height} px)")
        problems += [
            f"{where}: {name} reaches {left}..{right} px"
            for name, left, right in page["sticking_out"]
        ]
        for box in page["scrollers"]:
            (client_width, client_height), (inner_width, inner_height) = (
                box["client"],
                box["scroll"],
            )
            if inner_height > client_height:
                problems.append(f"{where}: {box['element']} scrolls or clips vertically {box}")
            if inner_width > client_width and not SIDEWAYS.match(box["element"]):
                problems.append(f"{where}: {box['element']} scrolls sideways {box}")
    assert problems == []


def test_text_reads_at_4_5_to_1_by_day_and_by_night(session: Session) -> None:
    """Measured in the page from the computed styles: the colour of each kind of text against
    what is behind it (WCAG AA), secondary text (context, hints, the source line, the course's
    header and footer) included."""
    kinds_seen = set()
    for view, card, side, page in looks(session):
        for kind, text in page["text"].items():
            kinds_seen.add((view.split("-")[0], kind))
            ratio = contrast(text["colour"], text["background"])
            assert ratio >= 4.5, (view, card, side, kind, text, round(ratio, 2))
    for theme in ("day", "night"):
        assert {(theme, kind) for kind in (*SECONDARY, "prompt", "answer")} <= kinds_seen


def test_the_two_courses_share_no_note_type_and_no_note(session: Session) -> None:
    facts = session.step("before-update")
    used = [{facts["cards"][key]["mid"] for key in c} for c in (session.sales, session.statistics)]
    assert used[0].isdisjoint(used[1])
    notes = [{key.rsplit(" ", 1)[0] for key in c} for c in (session.sales, session.statistics)]
    assert facts["notes"] == len(notes[0]) + len(notes[1]) and notes[0].isdisjoint(notes[1])


def test_neither_course_changes_the_other_s_cards(session: Session) -> None:
    """Every card of the course renders the same HTML, question and answer, before and after
    the second course's import; the second course's cards render as they do alone; and so do
    both after the course's next release."""
    alone, both, after = (session.step(n) for n in ("sales-alone", "both", "after-update"))
    assert differing(alone, both) == []
    assert differing(session.statistics, both) == []
    assert differing(session.statistics, after) == []
    assert differing(session.sales_updated, after) == []


def test_the_course_header_and_footer_are_set_apart_from_the_card(session: Session) -> None:
    """The second course's header and footer: smaller and more muted than what they frame, a
    rule between them and it, and the footer well below the answer."""
    backs = [
        (view, card, page["text"])
        for view, card, side, page in looks(session)
        if side == "back" and {"answer", "course-footer"} <= page["text"].keys()
    ]
    assert len(backs) > 4 * 5
    for view, card, text in backs:
        header, footer, answer = text["course-header"], text["course-footer"], text["answer"]
        for part, rule in ((header, header["rule_below"]), (footer, footer["rule_above"])):
            assert part["font_size"] < answer["font_size"] and rule > 0.5, (view, card, part)
            assert contrast(part["colour"], part["background"]) < contrast(
                answer["colour"], answer["background"]
            ), (view, card, part)
        assert footer["gap_above"] >= answer["font_size"], (view, card, footer)
