"""The preview promises "one file, no network": nothing in it fetches an address or runs a
script that came from the notes, a kept note type or the course's stylesheet; and
`preview --watch` shrugs off clients that hang up (issue #31)."""

from __future__ import annotations

import re
import socket
import struct
import time
import urllib.request
from pathlib import Path

import pytest

from benchmarks.browser import CHROMIUM, Browser, file_url
from generator.identity.kept import kept_json
from tests.helpers import preview_shows, preview_watch, run_deckgen, write_notes

HOSTILE_FRONT = (
    "<script>window.pwned = 1</script>"
    '<div onclick="window.pwned = 2">{{Front}}</div>'
    '<img src="https://example.invalid/t.png" onerror="window.pwned = 3">'
    '<a href="javascript:window.pwned = 4">x</a><iframe src="https://example.invalid/f"></iframe>'
    '<div style="background: url(https://example.invalid/s.png)">s</div>'
    "<style>@import url(https://example.invalid/i.css);</style>"
)
HOSTILE_BACK = (
    '{{FrontSide}}<hr id=answer>{{Back}}<svg><image href="//example.invalid/v.png"/></svg>'
)
HOSTILE_CSS = (
    '@import "https://example.invalid/c.css";\n.card { background: u\\72l(https://example.invalid/b.png); }\n'
    '.x { background-image: image-set("https://example.invalid/i.png" 1x); }\n'
)


def _kept(source: Path) -> None:
    model = {
        "id": 1_500_000_000_001,
        "name": "Hostile",
        "type": 0,
        "flds": [{"name": "Front"}, {"name": "Back"}],
        "tmpls": [{"name": "Card 1", "qfmt": HOSTILE_FRONT, "afmt": HOSTILE_BACK}],
        "css": HOSTILE_CSS,
    }
    (source / "note-types").mkdir()
    roles = {"prompt": "Front", "answer": "Back", "reverse": None}
    (source / "note-types" / "hostile.json").write_text(kept_json(model, roles), encoding="utf-8")
    (source / "k.md").write_text(
        "---\ndeck: K\nnote-type: note-types/hostile.json\n---\n\n- **Term**: Definition.\n",
        encoding="utf-8",
    )


def _styled(source: Path) -> None:
    (source / "style.css").write_text(HOSTILE_CSS, encoding="utf-8")
    with (source / "deckgen.toml").open("a", encoding="utf-8") as toml:
        toml.write('\n[style]\ncss = "style.css"\n')


HEAD = "---\ndeck: D\n---\n\n"
CASES = {
    "remote images in the notes": HEAD
    + "- **Far**: ![far](https://example.invalid/r.png) and ![near](//example.invalid/p.png)\n",
    "a kept note type with script, handlers and remote sources": _kept,
    "a course stylesheet that fetches": _styled,
}


def hostile_preview(case: str, folder: Path) -> Path | None:
    """The preview page of a course with the case's input; None if deckgen refused it (with
    a located error: then nothing is shown at all)."""
    source = write_notes(folder / "source", {"a.md": HEAD + "- **Plain**: text.\n"})
    setup = CASES[case]
    if isinstance(setup, str):
        (source / "b.md").write_text(setup, encoding="utf-8")
    else:
        setup(source)
    done = run_deckgen("preview", "--source", str(source), "--out", str(folder / "p"))
    if done.returncode != 0:
        assert re.search(r":\d+:\d+: error: ", done.stderr) and "Traceback" not in done.stderr
        return None
    return folder / "p" / "index.html"


@pytest.mark.parametrize("case", list(CASES))
def test_nothing_in_the_preview_fetches_or_runs_what_it_was_given(
    case: str, tmp_path: Path
) -> None:
    page = hostile_preview(case, tmp_path)
    if page is None:
        pytest.skip("deckgen refuses this input: nothing is previewed")
    text = page.read_text(encoding="utf-8")
    shown = preview_shows(text)
    assert "Plain" in shown
    assert len(re.findall(r"<script\b", shown)) == 1, "the page's own script alone"
    assert not re.search(r"<(?:iframe|object|embed|link|base|meta http-equiv=.refresh)", shown)
    assert not re.search(r"\son\w+\s*=", shown), "no event handler"
    assert "javascript:" not in shown and "@import" not in shown
    assert not re.search(
        r"""(?:src|href)\s*=\s*["']?(?:https?:)?//[^"']*\.invalid""",
        shown.replace(
            'href="https://',
            "",  # (links are the reader's to follow, not fetches)
        ),
    )
    assert not re.search(r"""url\(\s*['"]?(?!data:)""", shown), "no url() but data:"
    assert not re.search(r"image-set\(", shown)
    policy = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">', text)
    assert policy and "default-src 'none'" in policy.group(1)
    assert re.search(r"script-src 'sha256-[^' ]+'(?: |;)", policy.group(1))


@pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium is not installed")
@pytest.mark.parametrize("case", list(CASES))
def test_chromium_asks_for_nothing_but_the_page_even_without_its_policy(
    case: str, tmp_path: Path
) -> None:
    """What a browser does with the page: every request it makes is for the page itself or
    a data: URI, and no script but the page's ran; the same once its Content-Security-Policy
    is taken out, so the content itself carries nothing (the policy is the second line)."""
    page = hostile_preview(case, tmp_path)
    if page is None:
        pytest.skip("deckgen refuses this input: nothing is previewed")
    bare = page.with_name("bare.html")
    policy = r'<meta http-equiv="Content-Security-Policy"[^>]*>'
    bare.write_text(re.sub(policy, "", page.read_text(encoding="utf-8")), encoding="utf-8")
    for path in (page, bare):
        with Browser() as browser:
            browser.call("Network.enable", session=True)
            browser.open(file_url(path))
            browser.until("document.querySelector('.note') !== null", timeout=30)
            for card in ("front", "back"):  # every handler that could fire, fired
                browser.evaluate(
                    f'document.querySelectorAll(".card.{card} *").forEach(e => e.click())'
                )
            time.sleep(0.5)
            asked = [
                e["params"]["request"]["url"]
                for e in browser.events
                if e["method"] == "Network.requestWillBeSent"
            ]
            assert asked and all(u.startswith(("file:///", "data:")) for u in asked), asked
            assert browser.evaluate("window.pwned === undefined"), path.name


def test_watch_shrugs_off_clients_that_hang_up(tmp_path: Path) -> None:
    terms = "".join(f"- **Term {i}**: Definition number {i}.\n" for i in range(300))
    write_notes(tmp_path / "source", {"a.md": HEAD + terms})
    with preview_watch(tmp_path) as watch:
        found = re.fullmatch(r"http://(127\.0\.0\.1):(\d+)/", watch["url"])
        assert found, watch
        address = (found.group(1), int(found.group(2)))
        host = f"Host: {address[0]}:{address[1]}\r\n".encode()

        def hang_up(request: bytes) -> None:
            with socket.create_connection(address, timeout=5) as client:
                client.sendall(request)
                # Closed with a reset, as a browser tab killed mid-answer.
                client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))

        for request in (
            b"GET / HTTP/1.1\r\n" + host + b"\r\n",  # the page, never read
            b"GET /changes?since=1 HTTP/1.1\r\n" + host + b"\r\n",  # a wait for changes
            b"GET / HTTP/1.1\r\nHo",  # half a request
        ):
            for _ in range(5):
                hang_up(request)
        time.sleep(1)
        with urllib.request.urlopen(watch["url"], timeout=5) as answer:
            assert "Term 299" in answer.read().decode()  # it goes on serving
    assert "Exception" not in watch["errors"], watch["errors"]  # (nor a traceback: helper)
