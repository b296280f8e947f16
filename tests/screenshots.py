"""Screenshots of the preview in headless Chromium, at desktop (1200 px) and phone (390 px)
width, by day and by night, of the showcase course (math, highlighted code, a 2000 px wide
image, sound: tests/fixtures/showcase).

`python -m tests.screenshots` writes them to docs/ (the README shows them);
tests/test_preview.py takes them afresh and checks that nothing overflows the window and that
the text stands out from its background.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from generator.build import preview
from generator.config import load_config
from tests.helpers import BUILD_TIME, SHOWCASE

DOCS = Path(__file__).parent.parent / "docs"
WIDTHS = {"desktop": 1200, "phone": 390}
HEIGHT = {"desktop": 1100, "phone": 1800}
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--hide-scrollbars", "--virtual-time-budget=5000",
]  # fmt: skip

_MEASURE = """<script>
addEventListener("load", () => {
  // What sticks out of the frame: the page itself, or a card, an image or a code block.
  const bad = [], width = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth > width) bad.push("page:" + document.documentElement.scrollWidth);
  for (const el of document.querySelectorAll(".card, .card img, .card pre, .card div"))
    if (el.getBoundingClientRect().right > width + 0.5) bad.push(el.tagName + ":" + Math.round(el.getBoundingClientRect().right));
  parent.postMessage({width: width, overflow: bad.join(" ") || "none"}, "*");
});
</script></body>"""
_FRAME = """<!doctype html><html><head><style>body {{ margin: 0; }} iframe {{ border: 0; }}</style>
</head><body><iframe src="{page}" width="{width}" height="{height}"></iframe><script>
addEventListener("message", e => {{
  document.body.setAttribute("data-overflow", e.data.overflow);
  document.body.setAttribute("data-width", e.data.width);
}});
</script></body></html>"""
MIN_WINDOW = 500
"""Headless Chromium's narrowest window: a phone's width is a frame inside it."""


def showcase_preview(folder: Path) -> Path:
    """The preview page of the showcase course, built in `folder`."""
    source = folder / "showcase"
    shutil.copytree(SHOWCASE, source)
    config = load_config(source, folder / "build", build_time=BUILD_TIME)
    return preview(config, folder / "preview")[0]


def _chromium(page: Path, width: str, night: bool, *args: str) -> str:
    """Run Chromium on a page that shows `page` in a frame `width` wide."""
    flags = ",".join(["night"] * night + ["phone"] * (width == "phone"))
    frame = page.with_name(f"frame-{width}-{night}.html")
    frame.write_text(
        _FRAME.format(page=f"{page.name}#view={flags}", width=WIDTHS[width], height=HEIGHT[width]),
        encoding="utf-8",
    )
    return chromium(frame.as_uri(), (max(WIDTHS[width], MIN_WINDOW), HEIGHT[width]), *args)


def chromium(url: str, window: tuple[int, int], *args: str) -> str:
    """Headless Chromium on `url` in a window of `window` pixels, with a profile of its own;
    what it prints (the DOM with --dump-dom)."""
    assert CHROMIUM is not None
    with tempfile.TemporaryDirectory() as profile:
        run = subprocess.run(
            [
                CHROMIUM,
                *FLAGS,
                f"--user-data-dir={profile}",
                "--window-size={},{}".format(*window),
                *args,
                url,
            ],
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
    return run.stdout


def shoot(page: Path, width: str, night: bool, shot: Path) -> None:
    """A screenshot of `page` at `width` ("desktop" or "phone"), by day or by night."""
    from PIL import Image

    _chromium(page, width, night, f"--screenshot={shot}")
    with Image.open(shot) as image:
        cropped = image.crop((0, 0, WIDTHS[width], HEIGHT[width]))
    cropped.save(shot, optimize=True)


def overflow(page: Path, width: str, night: bool) -> tuple[int, str]:
    """The frame's width as the page saw it, and what sticks out of it ("none")."""
    measured = page.with_name("measure.html")
    text = page.read_text(encoding="utf-8")
    # The page's policy runs its own scripts alone: the measuring one is let in by dropping it.
    text = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", text, count=1)
    measured.write_text(text.replace("</body>", _MEASURE, 1), encoding="utf-8")
    dom = _chromium(measured, width, night, "--dump-dom")
    found = re.search(r'data-overflow="([^"]*)" data-width="(\d+)"', dom)
    assert found, dom[-500:]
    return int(found.group(2)), found.group(1)


def name(width: str, night: bool) -> str:
    return f"preview-{width}-{'night' if night else 'day'}.png"


def main() -> None:
    if CHROMIUM is None:
        sys.exit("headless Chromium is not installed (Debian package 'chromium')")
    with tempfile.TemporaryDirectory() as folder:
        page = showcase_preview(Path(folder))
        for width in WIDTHS:
            for night in (False, True):
                shoot(page, width, night, DOCS / name(width, night))
                print(f"wrote {DOCS / name(width, night)}")


if __name__ == "__main__":
    main()
