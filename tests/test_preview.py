"""`deckgen preview`: every card as Anki shows it, checked against the real Anki renderer."""

from __future__ import annotations

import html
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from anki.collection import Collection
from anki.notes import Note
from click.testing import CliRunner

from generator.build import preview
from generator.cli import main
from generator.config import load_config
from tests import screenshots
from tests.helpers import (
    BUILD_TIME,
    build_tree,
    copy_course,
    import_package,
    visible_text,
    write_notes,
)

NOTE = re.compile(r'<article class="note"[^>]*data-guid="([^"]*)">(.*?)</article>', re.DOTALL)
SIDE = re.compile(
    r'<div class="card (front|back)" data-ord="(\d+)"><!--\1-->(.*?)<!--/\1--></div>', re.DOTALL
)


@pytest.fixture
def page(tmp_path: Path) -> Path:
    source = copy_course(tmp_path)
    return preview(
        load_config(source, tmp_path / "build", build_time=BUILD_TIME), tmp_path / "preview"
    )


def preview_cards(page: Path) -> dict[tuple[str, int], dict[str, str]]:
    found: dict[tuple[str, int], dict[str, str]] = {}
    for guid, body in NOTE.findall(page.read_text(encoding="utf-8")):
        for side, ordinal, content in SIDE.findall(body):
            found.setdefault((html.unescape(guid), int(ordinal)), {})[side] = content
    return found


def test_every_card_reads_as_in_anki(page: Path, tmp_path: Path, collection: Collection) -> None:
    build_tree(tmp_path / "source", tmp_path / "build", build_time=BUILD_TIME)
    import_package(collection, tmp_path / "build" / "sales-management.apkg")
    ours = preview_cards(page)
    card_ids = collection.find_cards("")
    assert len(ours) == len(card_ids) == 276
    for cid in card_ids:
        card = collection.get_card(cid)
        mine = ours[(card.note().guid, card.ord)]
        assert visible_text(mine["front"]) == visible_text(card.question())
        assert visible_text(mine["back"]) == visible_text(card.answer())


def test_preview_is_self_contained_and_has_its_controls(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    assert not re.search(r'(?:src|href)="(?:https?:)?//', text), "no network access"
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
    assert '<span id="count">276 cards</span>' in dom  # the page's script ran
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
    ours = preview_cards(preview(config, tmp_path / "preview"))
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


def test_watch_serves_the_preview_and_shows_an_edit_within_two_seconds(tmp_path: Path) -> None:
    source = write_notes(
        tmp_path / "source", {"a.md": "---\ndeck: A\n---\n\n- **Term**: Before.\n"}
    )
    server = subprocess.Popen(
        [sys.executable, "-m", "generator", "preview", "--watch", "--port", "0"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        lines = [server.stdout.readline(), server.stdout.readline()]
        assert lines[0] == "built the preview: 2 cards\n", lines
        address = re.fullmatch(r"serving the preview at (\S+) \(Ctrl\+C stops\)\n", lines[1])
        assert address and address.group(1).startswith("http://127.0.0.1:"), lines
        url = address.group(1)

        def get(path: str) -> str:
            with urllib.request.urlopen(url + path, timeout=5) as response:
                return str(response.read().decode())

        first = get("")
        assert "Before." in first and "const BUILT = 1;" in first  # the page reloads itself
        assert (tmp_path / "build" / "preview" / "index.html").is_file()
        with pytest.raises(urllib.error.HTTPError):
            get("etc/passwd")  # the page and its version, nothing else
        rebound = urllib.request.Request(
            url, headers={"Host": f"evil.example:{url.split(':')[-1]}"}
        )
        with pytest.raises(urllib.error.HTTPError, match="403"):
            urllib.request.urlopen(rebound, timeout=5)  # a name other than the loopback's

        (source / "a.md").write_text("---\ndeck: A\n---\n\n- **Term**: After.\n", encoding="utf-8")
        edited = time.monotonic()
        while "After." not in get("") and time.monotonic() - edited < 10:
            time.sleep(0.05)
        seen = time.monotonic() - edited
        assert "After." in get("") and get("version") == "2"
        assert seen < 2.0, f"the preview showed the edit after {seen:.2f} s"

        (source / "a.md").write_text("---\ndeck: A\n---\n\n- **Term**: {{c1::x\n", encoding="utf-8")
        while "problems" not in get("") and time.monotonic() - edited < 10:
            time.sleep(0.05)
        assert "a.md:5:3: error: unbalanced cloze" in html.unescape(get(""))
    finally:
        server.send_signal(signal.SIGINT)
        _out, err = server.communicate(timeout=10)
    assert server.returncode == 0, err
    assert "a.md:5:3: error: unbalanced cloze" in err and "Traceback" not in err


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
