"""`deckgen preview`: every card as Anki shows it, checked against the real Anki renderer."""

from __future__ import annotations

import html
import json
import re
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from anki.collection import Collection
from anki.notes import Note
from click.testing import CliRunner

from benchmarks.browser import Browser, file_url
from generator.build import preview
from generator.cli import main
from generator.config import load_config
from generator.identity.lock import read_lock
from generator.live import KeptLock
from tests import screenshots
from tests.helpers import (
    BUILD_TIME,
    build_tree,
    copy_course,
    import_package,
    preview_notes,
    preview_shows,
    preview_watch,
    visible_text,
    write_notes,
)


@pytest.fixture
def page(tmp_path: Path) -> Path:
    source = copy_course(tmp_path)
    return preview(
        load_config(source, tmp_path / "build", build_time=BUILD_TIME), tmp_path / "preview"
    )[0]


def preview_cards(page: Path) -> dict[tuple[str, int], dict[str, str]]:
    """(GUID, ordinal) -> each side's HTML, as the page draws them."""
    return {
        (note[5], ordinal): {"front": front, "back": back}
        for note in preview_notes(page.read_text(encoding="utf-8"))
        for _, ordinal, front, back in note[6]
    }


def test_every_card_reads_as_in_anki(page: Path, tmp_path: Path, collection: Collection) -> None:
    build_tree(tmp_path / "source", tmp_path / "build", build_time=BUILD_TIME)
    import_package(collection, tmp_path / "build" / "sales-management.apkg")
    ours = preview_cards(page)
    card_ids = collection.find_cards("")
    assert len(ours) == len(card_ids) == 233
    for cid in card_ids:
        card = collection.get_card(cid)
        mine = ours[(card.note().guid, card.ord)]
        assert visible_text(mine["front"]) == visible_text(card.question())
        assert visible_text(mine["back"]) == visible_text(card.answer())


def test_preview_is_self_contained_and_has_its_controls(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    assert not re.search(r'src="(?:https?:)?//', preview_shows(text)), "no network access"
    for control in ('id="deck"', 'id="tag"', 'id="q"', 'id="night"', 'id="phone"'):
        assert control in text
    assert '<option value="Sales Management::Key Account Management">' in text
    assert '<option value="hofstede">hofstede</option>' in text
    assert "03-international-selling-and-culture.md:10" in text  # the author sees the line
    assert "[...]" in text  # cloze fronts


def test_preview_command_writes_only_the_page(tmp_path: Path) -> None:
    source = copy_course(tmp_path)
    lock = (source / "deckgen.lock").read_bytes()
    out = tmp_path / "site"
    result = CliRunner().invoke(main, ["preview", "--source", str(source), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert [p.name for p in out.iterdir()] == ["index.html"]
    assert (source / "deckgen.lock").read_bytes() == lock
    assert not (tmp_path / "build").exists()


@pytest.mark.skipif(
    screenshots.CHROMIUM is None,
    reason="headless Chromium is not installed (Debian package 'chromium'; .ci/run installs it)",
)
def test_headless_chromium_shows_rendered_cards(page: Path, tmp_path: Path) -> None:
    from PIL import Image

    shot = tmp_path / "shot.png"
    dom = screenshots.chromium(page.as_uri(), (1100, 900), "--dump-dom")
    screenshots.chromium(page.as_uri(), (1100, 900), f"--screenshot={shot}")
    assert '<span id="count">233 cards</span>' in dom  # the page's script ran
    image = Image.open(shot).convert("L")
    assert image.size == (1100, 900)
    histogram, total = image.histogram(), image.size[0] * image.size[1]
    dark = sum(histogram[:100]) / total  # text
    white = sum(histogram[251:]) / total  # card faces
    assert dark > 0.01 and white > 0.2, (dark, white)


def test_typed_and_list_cards_read_as_in_anki(tmp_path: Path, collection: Collection) -> None:
    """Anki's renderer leaves `[[type:Field]]` for its reviewer, which shows a box on the
    front and the expected answer on the back: the preview shows the same."""
    from tests.test_note_model import notes_file

    source = write_notes(tmp_path / "source", {"a.md": notes_file("basic, reverse, typed, cloze")})
    config = load_config(source, tmp_path / "build", build_time=BUILD_TIME)
    ours = preview_cards(preview(config, tmp_path / "preview")[0])
    build_tree(source, tmp_path / "build")
    import_package(collection, tmp_path / "build" / "course.apkg")
    card_ids = collection.find_cards("")
    assert len(ours) == len(card_ids) == 4 * 3 + 2 + 4
    for cid in card_ids:
        card = collection.get_card(cid)
        note = card.note()
        mine = ours[(note.guid, card.ord)]

        def reviewer(html: str, *, answer: bool, note: Note = note) -> str:
            return re.sub(
                r"\[\[type:([^\]]+)\]\]",
                lambda m: note[m.group(1)] if answer else "",
                html,
            )

        assert visible_text(mine["front"]) == visible_text(reviewer(card.question(), answer=False))
        assert visible_text(mine["back"]) == visible_text(reviewer(card.answer(), answer=True))


def test_watch_serves_the_preview_and_follows_edits(tmp_path: Path) -> None:
    source = write_notes(
        tmp_path / "source", {"a.md": "---\ndeck: A\n---\n\n- **Term**: Before.\n"}
    )
    with preview_watch(tmp_path) as watch:
        assert watch["built"] == "built the preview: 2 cards\n"
        url = watch["url"]

        def get(path: str) -> str:
            with urllib.request.urlopen(url + path, timeout=5) as response:
                return str(response.read().decode())

        first = get("")
        assert "Before." in first and 'data-version="1"' in first  # the page follows changes
        assert (tmp_path / "build" / "preview" / "index.html").is_file()
        with pytest.raises(urllib.error.HTTPError):
            get("etc/passwd")  # the page and its changes, nothing else
        rebound = urllib.request.Request(
            url, headers={"Host": f"evil.example:{url.split(':')[-1]}"}
        )
        with pytest.raises(urllib.error.HTTPError, match="403"):
            urllib.request.urlopen(rebound, timeout=5)  # a name other than the loopback's

        (source / "a.md").write_text("---\ndeck: A\n---\n\n- **Term**: After.\n", encoding="utf-8")
        change = json.loads(get("changes?since=1"))  # answered once there is a version 2
        assert change["version"] == 2 and (change["start"], change["removed"]) == (0, 1)
        assert len(change["notes"]) == 1 and "After." in json.dumps(change["notes"])
        assert "After." in get("")
        written = tmp_path / "build" / "preview" / "index.html"
        for _ in range(100):  # written once the saves pause (live.WRITE_AFTER_MS)
            if "After." in written.read_text(encoding="utf-8"):
                break
            time.sleep(0.1)
        assert "After." in written.read_text(encoding="utf-8")

        (source / "a.md").write_text("---\ndeck: A\n---\n\n- **Term**: {{c1::x\n", encoding="utf-8")
        assert get("changes?since=2") == ""  # (205: a page of problems, the page reloads)
        assert "a.md:5:3: error: unbalanced cloze" in html.unescape(get(""))
    assert "a.md:5:3: error: unbalanced cloze" in watch["errors"]
    assert "After." in written.read_text(encoding="utf-8")  # the last preview, not problems


@pytest.mark.skipif(
    screenshots.CHROMIUM is None,
    reason="headless Chromium is not installed (Debian package 'chromium'; .ci/run installs it)",
)
@pytest.mark.parametrize("width", ["desktop", "phone"])
@pytest.mark.parametrize("night", [False, True], ids=["day", "night"])
def test_a_card_with_math_code_and_a_wide_image_fits_desktop_and_phone(
    width: str, night: bool, tmp_path: Path
) -> None:
    """The showcase's cards in Chromium at 1200 and 390 px: nothing sticks out of the window,
    and the text stands out from its background (the screenshots in docs/, taken afresh)."""
    from PIL import Image

    page = screenshots.showcase_preview(tmp_path)
    assert screenshots.overflow(page, width, night) == (screenshots.WIDTHS[width], "none")
    shot = tmp_path / screenshots.name(width, night)
    screenshots.shoot(page, width, night, shot)
    image = Image.open(shot).convert("L")
    assert image.size == (screenshots.WIDTHS[width], screenshots.HEIGHT[width])
    histogram, total = image.histogram(), image.size[0] * image.size[1]
    dark, light = sum(histogram[:100]) / total, sum(histogram[180:]) / total
    text, ground = (light, dark) if night else (dark, light)
    assert text > 0.01 and ground > 0.5, (text, ground)  # text, on a background of its own
    assert (screenshots.DOCS / screenshots.name(width, night)).is_file()  # README shows it


def _terms(count: int, start: int = 0) -> str:
    return "".join(f"- **Term {i}**: Definition number {i}.\n" for i in range(start, count))


@pytest.mark.skipif(screenshots.CHROMIUM is None, reason="headless Chromium is not installed")
def test_a_large_preview_draws_what_the_reader_sees_and_finds_the_rest(tmp_path: Path) -> None:
    """The page draws a batch of notes, the next as the reader scrolls; the count and a
    search cover every note, drawn or not (no time is asserted: the benchmark times it)."""
    files = {
        f"{n}.md": f"---\ndeck: D{n}\n---\n\n" + _terms(100 * (n + 1), 100 * n) for n in range(5)
    }
    source = write_notes(tmp_path / "source", files)
    page = preview(load_config(source, tmp_path / "build", build_time=BUILD_TIME), tmp_path / "p")[
        0
    ]
    with Browser() as browser:
        browser.open(file_url(page))
        browser.until('document.getElementById("count").textContent === "1000 cards"')
        drawn = browser.evaluate('document.querySelectorAll(".note").length')
        assert 0 < drawn < 500
        for _ in range(100):  # the reader scrolls to the end, again and again
            browser.evaluate("scrollTo(0, document.body.scrollHeight)")
            time.sleep(0.1)
            if browser.evaluate('document.querySelectorAll(".note").length') == 500:
                break
        assert browser.evaluate('document.querySelectorAll(".note").length') == 500
        assert browser.evaluate(
            '[...document.querySelectorAll("main > h2")].map(h => h.textContent)'
        ) == ["D0", "D1", "D2", "D3", "D4"]
        browser.evaluate(
            '(q => { q.value = "TÉRM 499"; q.dispatchEvent(new Event("input")); })($("q"))'
        )
        browser.until('document.getElementById("count").textContent === "2 cards"')
        assert browser.evaluate('document.querySelector("main").innerText').count("Term 499") == 3


@pytest.mark.skipif(screenshots.CHROMIUM is None, reason="headless Chromium is not installed")
def test_watch_puts_an_edit_in_the_open_page_without_reloading_it(tmp_path: Path) -> None:
    source = write_notes(tmp_path / "source", {"a.md": "---\ndeck: A\n---\n\n" + _terms(200)})
    with preview_watch(tmp_path) as watch:
        url = watch["url"]
        with Browser() as browser:
            browser.open(url)
            browser.until('document.getElementById("count").textContent === "400 cards"')
            browser.evaluate("window.stayed = true")  # gone if the page reloads
            text = (source / "a.md").read_text(encoding="utf-8")
            (source / "a.md").write_text(text.replace("number 1.", "number one."), encoding="utf-8")
            browser.until('document.querySelector("main").textContent.includes("number one.")')
            assert browser.evaluate("window.stayed") is True
            (source / "a.md").write_text(text + "- **Broken**: {{c1::x\n", encoding="utf-8")
            browser.until('document.body.textContent.includes("The notes have problems")')
            (source / "a.md").write_text(text + _terms(201, 200), encoding="utf-8")
            browser.until('document.getElementById("count")?.textContent === "402 cards"')


def test_the_watch_reads_the_lock_again_once_a_build_rewrites_it(tmp_path: Path) -> None:
    source = write_notes(tmp_path / "source", {"a.md": "---\ndeck: A\n---\n\n- **One**: 1.\n"})
    build_tree(source, tmp_path / "build")
    lock_of, path = KeptLock(), source / "deckgen.lock"
    first = lock_of(path)
    assert lock_of(path) is first  # kept while the file is the same
    (source / "a.md").write_text("---\ndeck: A\n---\n\n- **Two**: 2.\n", encoding="utf-8")
    build_tree(source, tmp_path / "build")
    assert lock_of(path) == read_lock(path) != first
    path.unlink()
    assert lock_of(path) == read_lock(path)  # none: an empty lock
