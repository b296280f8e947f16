"""Hostile and broken inputs, as an attacker or a careless author would write them.

Each row of TABLE is an input, what must happen, and the exact outcome: the exit status, a
line the user reads (a located diagnostic with its code, or a clear message), never a
traceback, and nothing written when the build fails. Rows that build are then imported
into a real collection, and the card HTML is searched for any markup of the input.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from anki.collection import Collection
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from tests import forked
from tests.helpers import import_package, preview_shows

HEAD = "---\ndeck: D\n---\n\n"
TERM = HEAD + "- **T**: D\n"
EVIL = "<img src=x onerror=alert(1)>"
Setup = Callable[[Path, Path], None]


@dataclass(frozen=True)
class Case:
    """One row: an input and what must happen."""

    name: str
    must: str
    files: dict[str, str | bytes]
    exit: int
    says: str
    setup: Setup | None = None


def symlink(name: str, target: str | Callable[[Path], str]) -> Setup:
    def make(source: Path, root: Path) -> None:
        os.symlink(target(root) if callable(target) else target, source / name)

    return make


def fifo(source: Path, root: Path) -> None:
    os.mkfifo(root / "fifo")
    os.symlink(root / "fifo", source / "b.md")


def lock(value: str) -> dict[str, str | bytes]:
    return {
        "a.md": TERM,
        "deckgen.lock": '{"deckgen-lock": 3, "course": "0f8fad5b-d9cb-469f-a165-70867728950e"}\n{"deck": "D", "front": "t", "note": ["x", '
        + value
        + "]}\n",
    }


def kept(
    front: str = "{{Front}}", back: str = "{{FrontSide}}<hr>{{Back}}", css: str = ""
) -> dict[str, str | bytes]:
    """A notes file of a kept note type (as `deckgen import` writes one) with these templates."""
    from generator.identity.kept import kept_json

    model = {
        "id": 1_600_000_000_000,
        "name": "Basic",
        "flds": [{"name": "Front"}, {"name": "Back"}],
        "tmpls": [{"name": "Card 1", "qfmt": front, "afmt": back}],
        "css": css,
    }
    roles = {"prompt": "Front", "answer": "Back", "reverse": None}
    return {
        "a.md": "---\ndeck: D\nnote-type: note-types/basic.json\n---\n\n- **T**: D\n",
        "note-types/basic.json": kept_json(model, roles),
    }


ALIAS_BOMB = "a: &a [x,x,x,x,x,x,x,x,x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [" + ",".join([f"*{chr(97 + i)}"] * 9) + "]\n" for i in range(8)
)

TABLE = [
    # 1. injection: escaped once, at one place (more in test_injection_never_reaches_a_card)
    Case(
        "cloze in a link target",
        "error, not a silently lost deletion",
        {"a.md": HEAD + "- **T**: see [x](http://e.com/{{c1::y}})\n"},
        1,
        "a.md:5:3: error: a cloze deletion inside an HTML tag",
    ),
    Case(
        "cloze in an image source",
        "error, not a silently lost deletion",
        {"a.md": HEAD + "- The {{c1::answer}} ![i](http://e.com/{{c2::z}}.png)\n"},
        1,
        "[cloze-in-tag]",
    ),
    # 2. silent loss
    Case(
        "two decks, one package name",
        "error naming both decks",
        {"a.md": TERM, "b.md": "---\ndeck: d\n---\n\n- **U**: V\n"},
        1,
        "error: decks 'D' (at ",
    ),
    Case(
        "a lock of the first note model",
        "error saying what to do",
        {"a.md": TERM, "deckgen.lock": '{"deckgen-lock": 1}\n'},
        1,
        "deckgen.lock:1:1: error: deckgen.lock was written by an earlier deckgen (lock format 1)",
    ),
    # 3. no traceback, ever
    Case("symlink loop", "located error", {"b.md": TERM}, 1, "a.md:1:1: error: cannot read file", symlink("a.md", "a.md")),
    Case("symlink to a FIFO", "error, no hang", {"a.md": TERM}, 1, "b.md:1:1: error: not a regular file", fifo),
    Case("symlink to /dev/zero", "error, no memory blow-up", {"a.md": TERM}, 1, "error: not a regular file", symlink("z.md", "/dev/zero")),
    Case("file name not UTF-8", "located error", {"a.md": TERM, "\udcff.md": TERM}, 1, "error: the file name is not UTF-8"),
    Case("lone surrogate in YAML", "located error", {"a.md": '---\ndeck: "\\ud800"\n---\n\n- **T**: D\n'}, 1, "a.md:2:1: error: metadata holds text that is not valid Unicode"),
    Case("YAML nested 5,000 deep", "error", {"a.md": "---\ndeck: D\nx: " + "[" * 5000 + "]" * 5000 + "\n---\n"}, 1, "error: the metadata is nested too deeply [metadata-yaml]"),
    Case("YAML alias bomb", "error in well under a second", {"a.md": "---\ndeck: D\n" + ALIAS_BOMB + "? *i\n: 1\n---\n"}, 1, "expands to over 10000 values"),
    Case("deckgen.toml is a folder", "config error", {"a.md": TERM}, 1, "deckgen.toml:1:1: error: not a regular file [config]", lambda s, r: ((s / "deckgen.toml").unlink(), (s / "deckgen.toml").mkdir())),
    Case("TOML 3,000 deep", "config error", {"a.md": TERM, "deckgen.toml": "x = " + "[" * 3000 + "]" * 3000 + "\n"}, 1, "error: invalid TOML: nested too deeply [config]"),
    Case("lock mod 1e400", "lock error", lock("1e400"), 1, "deckgen.lock:2:1: error: malformed lock entry"),
    Case("lock mod of 23 digits", "lock error", lock("12345678901234567890123"), 1, "deckgen.lock:2:1: error: malformed lock entry"),
    Case("lock mod a dict", "lock error", lock('{"a": 1}'), 1, "deckgen.lock:2:1: error: malformed lock entry"),
    Case("lock mod in 2100", "lock error: never ship a future time", lock("4102444800"), 1, "deckgen.lock:2:1: error: 't' has a time in the future"),
    Case("cloze c99999999999999999999", "located error", {"a.md": HEAD + "- A {{c99999999999999999999::x}} y\n"}, 1, "a.md:5:3: error: cloze numbers go up to c500"),
    Case("cloze c5000000", "located error (Anki refuses it)", {"a.md": HEAD + "- A {{c5000000::x}} y\n"}, 1, "[cloze-number]"),
    Case("a 5,000-character deck name", "located error", {"a.md": "---\ndeck: " + "D" * 5000 + "\n---\n"}, 1, "a.md:2:1: error: deck name 'DDDD"),
    Case("U+001F in a definition", "builds, the separator a space", {"a.md": HEAD + "- **T**: a\x1fb\n"}, 0, "1 note in 1 package"),
    Case("U+2028 and U+0085 in deck and heading", "builds", {"a.md": "---\ndeck: \"D\u2028E\"\n---\n\n## H\u0085I\n\n- **T**: D\n"}, 0, "1 note in 1 package"),
    # 4. every check linear in its input: each row took minutes or hours (a pull request
    # could stall CI); the build's 60 s timeout fails them
    Case("unclosed {{c1:: repeated (24 KiB)", "located error, at once", {"a.md": HEAD + "- A " + "{{c1::" * 4000 + "\n"}, 1, "a.md:5:3: error: unbalanced cloze"),
    Case("unclosed {{c1:: then :: repeated", "located error, at once", {"a.md": HEAD + "- A {{c1::" + "::" * 60_000 + "\n"}, 1, "[cloze-unbalanced]"),
    Case("unclosed math in a cloze", "builds, at once", {"a.md": HEAD + "- A {{c1::x}} " + "\\\\(" * 60_000 + "\n"}, 0, "1 note in 1 package"),
    Case("unclosed \\( repeated", "builds, at once", {"a.md": HEAD + "- **T**: " + "\\( " * 100_000 + "\n"}, 0, "1 note in 1 package"),
    Case("unclosed \\[ repeated over lines", "builds, at once", {"a.md": HEAD + "- **T**: x\n" + "  \\[a\n" * 100_000}, 0, "1 note in 1 package"),
    Case("unclosed $$ repeated", "builds, at once", {"a.md": HEAD + "- **T**: x\n" + "\n  $$ a\n" * 20_000}, 0, "1 note in 1 package"),
    Case("unclosed {{c1:: in math", "located error, at once", {"a.md": HEAD + "- A {{c1::x}} $" + "{{c1::\\frac" * 3000 + "$\n"}, 1, "[cloze-unbalanced]"),
    Case("[a repeated (the inline shortcut's stall: the shortcut is gone)", "builds, at once", {"a.md": HEAD + "- **T**: " + "[a " * 100_000 + "\n"}, 0, "1 note in 1 package"),
    Case("[a](x y repeated", "builds, at once", {"a.md": HEAD + "- **T**: " + "[a](x y" * 40_000 + "\n"}, 0, "1 note in 1 package"),
    Case("[a](<x repeated, one > at the end", "located errors, at once", {"a.md": HEAD + "- **T**: " + "[a](<x" * 20_000 + ">\n"}, 1, "[unreadable-link]"),
    Case("[a](x then 200,000 spaces", "builds, at once", {"a.md": HEAD + "- **T**: [a](x" + " " * 200_000 + "\n"}, 0, "1 note in 1 package"),
    Case("20,000 one-line list items (comparing them took minutes)", "the list is refused before its items are compared", {"a.md": HEAD + "- **L**\n" + "".join(f"  - a{i} b{i}\n" for i in range(20_000))}, 1, "a list of 20000 items is too long"),
    Case("{{ repeated in a kept template", "builds, at once", kept(front="{{Front}}" + "{{" * 200_000), 0, "1 note in 1 package"),
    # 5. nothing fetches or links from a student's Anki
    Case("image from https", "located error", {"a.md": HEAD + "- **T**: ![x](https://e.com/x.png)\n"}, 1, "a.md:5:3: error: image 'https://e.com/x.png' is not a file beside the notes"),
    Case("image from //host", "located error", {"a.md": HEAD + "- **T**: ![x](//e.com/x.png)\n"}, 1, "[media-remote]"),
    Case("image from a data: address", "located error", {"a.md": HEAD + "- **T**: ![x](data:image/png;base64,iVBORw0KGgo=)\n"}, 1, "[media-remote]"),
    Case("sound from https", "located error", {"a.md": HEAD + "- **T**: ![](https://e.com/a.mp3)\n"}, 1, "audio 'https://e.com/a.mp3'"),
    Case("\\href in $math$", "located error", {"a.md": HEAD + "- **T**: $\\href{javascript:alert(1)}{x}$\n"}, 1, "a.md:5:3: error: math may not use \\href"),
    Case("\\style url() in display math", "located error", {"a.md": HEAD + "- **T**: x\n\n  $$\\style{background:url(https://e.com)}{y}$$\n"}, 1, "math may not use \\style"),
    Case("\\cssId, \\class, \\unicode in a cloze", "located error", {"a.md": HEAD + "- A {{c1::\\(\\cssId{a}{\\class{b}{\\unicode[Arial]{x41}}}\\)}}\n"}, 1, "\\class, \\cssId, \\unicode"),
    Case("\\require in a heading", "located error", {"a.md": HEAD + "## See $\\require{https://e.com/x.js}$\n\n- **T**: D\n"}, 1, "math may not use \\require"),
    Case("\\mmlToken in a deck name", "located error", {"a.md": '---\ndeck: "D \\\\(\\\\mmlToken{mi}[href=x]{a}\\\\)"\n---\n\n- **T**: D\n'}, 1, "math may not use \\mmlToken"),
    Case("\\href in a file name", "located error", {"\\(\\href{x}{y}\\).md": TERM}, 1, "math may not use \\href"),
    Case("\\href in the header", "config error", {"a.md": TERM, "deckgen.toml": '[tags]\n[style]\nheader = "\\\\(\\\\href{javascript:x}{y}\\\\)"\n'}, 1, "deckgen.toml:3:1: error: 'header' may not use \\href in math [config]"),
    # 6. a note type or stylesheet from anyone: nothing in it runs or fetches (generator/active.py)
    Case("<script> in a kept template", "located error", kept(front="{{Front}}<script>alert(1)</script>"), 1, "a.md:3:1: error: note-type 'note-types/basic.json': source/note-types/basic.json: template 'Card 1' (front), line 1, column 10: <script>"),
    Case("onerror= in a kept template", "located error", kept(back="<img src=x onerror=alert(1)>{{Back}}"), 1, "(back), line 1, column 12: the event handler onerror= runs script"),
    Case("javascript: as entities in a kept template", "located error", kept(back='<a href="&#106;ava&#x09;script:x">{{Back}}</a>'), 1, "a javascript: address"),
    Case("a remote image in a kept template", "located error", kept(back='<img src="//e.com/p.png">{{Back}}'), 1, "src= fetches from the network"),
    Case("a field in a tag of a kept template", "located error", kept(back='<img alt=">" {{Back}}>'), 1, "a field inside an HTML tag"),
    Case("<svg> in a kept template", "located error", kept(back="<svg><a><animate attributeName=href to=x /></a></svg>{{Back}}"), 1, "<svg> runs, loads or hides markup"),
    Case("@import in a kept stylesheet", "located error", kept(css=".card{}\n@\\69mport 'https://e.com/x.css';"), 1, "its css, line 2, column 1: @import"),
    Case("url(https) in a kept stylesheet", "located error", kept(css=".card{background:u\\72l( 'https://e.com/x.png')}"), 1, "its css, line 1, column 18: a url() of a web or data address"),
    Case("a kept note type symlinked outside source/", "error, not read", kept(), 1, "note-types/basic.json lies outside the source directory", lambda s, r: ((r / "outside.json").write_text((s / "note-types" / "basic.json").read_text()), (s / "note-types" / "basic.json").unlink(), (s / "note-types" / "basic.json").symlink_to(r / "outside.json"))),
    Case("@import in the course stylesheet", "located error", {"a.md": TERM, "look.css": ".card{}\n@import url(https://e.com/x.css);\n", "deckgen.toml": '[tags]\n[style]\ncss = "look.css"\n'}, 1, "look.css:2:1: error: stylesheet: @import fetches"),
    Case("image-set() in the course stylesheet", "located error", {"a.md": TERM, "look.css": '.card{background:image-set("//e.com/x.png" 1x)}\n', "deckgen.toml": '[tags]\n[style]\ncss = "look.css"\n'}, 1, "look.css:1:18: error: stylesheet: a url() of a web"),
    Case("a local url() in the course stylesheet", "builds", {"a.md": TERM, "look.css": "@font-face{font-family:x;src:url(_x.woff2)}\n/* see https://e.com */\n", "deckgen.toml": '[tags]\n[style]\ncss = "look.css"\n'}, 0, "1 note in 1 package"),
    Case("state file is a folder", "builds", {"a.md": TERM}, 0, "1 note in 1 package", lambda s, r: (r / "build" / ".deckgen-state").mkdir(parents=True)),
]  # fmt: skip


def run(source: Path, out: Path, *command: str) -> subprocess.CompletedProcess[str]:
    """deckgen in a process of its own (tests/forked.py: one forked from a process that has
    imported it, which the table's hundred runs take a third of the time to start)."""
    return forked.run([*command, "--source", str(source), "--out", str(out)], source.parent, 60)


def make(root: Path, files: dict[str, str | bytes], setup: Setup | None = None) -> Path:
    source = root / "source"
    source.mkdir(parents=True)
    (source / "deckgen.toml").write_text("[tags]\n", encoding="utf-8")
    for name, content in files.items():
        path = Path(os.fsencode(source / name).decode("utf-8", "surrogateescape"))
        data = content.encode("utf-8", "surrogatepass") if isinstance(content, str) else content
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    if setup:
        setup(source, root)
    return source


@pytest.mark.parametrize("case", TABLE, ids=[c.name for c in TABLE])
def test_adversarial_input(case: Case, tmp_path: Path) -> None:
    source = make(tmp_path, case.files, case.setup)
    out = tmp_path / "build"
    before = sorted(p.name for p in out.iterdir()) if out.exists() else None
    done = run(source, out, "build")
    said = done.stdout + done.stderr
    assert "Traceback" not in said, said
    assert done.returncode == case.exit, said
    assert case.says in said, f"{case.must}: {said}"
    if case.exit:
        after = sorted(p.name for p in out.iterdir()) if out.exists() else None
        assert after == before, "a failed build wrote something"


INJECTIONS = {
    "heading": HEAD + f"## H {EVIL}\n\n- **T**: D\n",
    "heading as entities": HEAD + "## H &lt;img src=x onerror=alert(1)&gt;\n\n- **T**: D\n",
    "deck name": f'---\ndeck: "D::{EVIL}"\n---\n\n- **T**: D\n',
    "note text": HEAD + f"- **T {EVIL}**: D {EVIL}\n- **L**\n  - {EVIL}\n",
}


@pytest.mark.parametrize("where", [*INJECTIONS, "file name", "image name"])
def test_injection_never_reaches_a_card(where: str, tmp_path: Path, collection: Collection) -> None:
    files: dict[str, str | bytes] = {"a.md": INJECTIONS.get(where, TERM)}
    if where == "file name":
        files = {f"{EVIL.replace('/', '')}.md": TERM}
    if where == "image name":
        files = {
            "a.md": HEAD + '- **T**: ![p](<x" onerror="alert(1).png>)\n',
            'x" onerror="alert(1).png': b"PNG",
        }
    source = make(tmp_path, files)
    done = run(source, tmp_path / "build", "build")
    assert done.returncode == 0, done.stdout + done.stderr
    (package,) = (tmp_path / "build").glob("*.apkg")
    import_package(collection, package)
    for cid in collection.find_cards(""):
        card = collection.get_card(cid)
        for html in (card.question(), card.answer(), *card.note().fields):
            assert not re.search(r"<img[^>]*\sonerror\s*=", html), html
    preview = run(source, tmp_path / "preview", "preview")
    assert preview.returncode == 0
    page = preview_shows((tmp_path / "preview" / "index.html").read_text(encoding="utf-8"))
    assert not re.search(r"<img[^>]*\sonerror\s*=", page)


def test_github_annotations_cannot_be_spoofed_by_a_file_name(tmp_path: Path) -> None:
    source = make(tmp_path, {"x,title=spoof:y.md": HEAD + "- not a card\n"})
    checked = forked.run(["check", "--source", str(source), "--format", "github"], None, 60)
    (line,) = [text for text in checked.stdout.splitlines() if text.startswith("::")]
    assert "x%2Ctitle=spoof%3Ay.md" in line
    properties = line.split("::")[1].removeprefix("warning ").split(",")
    assert [p.split("=", 1)[0] for p in properties] == ["file", "line", "col", "title"]


def _package(path: Path, members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", method) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def _collection(tmp: Path, *statements: str) -> bytes:
    db = tmp / "made.anki2"
    connection = sqlite3.connect(db)
    for statement in statements:
        connection.execute(statement)
    connection.commit()
    connection.close()
    data = db.read_bytes()
    db.unlink()
    return data


def _encrypted(path: Path) -> Path:
    data = bytearray(_package(path, {"collection.anki2": b"x" * 100}).read_bytes())
    for marker in (b"PK\x03\x04", b"PK\x01\x02"):  # the flag in both headers: bit 0
        at = data.index(marker)
        flag = at + (6 if marker == b"PK\x03\x04" else 8)
        data[flag] |= 1
    path.write_bytes(bytes(data))
    return path


PACKAGES: dict[str, tuple[Callable[[Path], Path], str]] = {
    "zip bomb": (
        lambda t: _package(t / "p.apkg", {"collection.anki2": bytes(60 << 20)}),
        "inflates too far for its size: a zip bomb",
    ),
    "encrypted member": (lambda t: _encrypted(t / "p.apkg"), "'collection.anki2' is encrypted"),
    "unknown compression": (
        lambda t: _package(t / "p.apkg", {"collection.anki2": b"x" * 100}, zipfile.ZIP_LZMA),
        "unknown compression",
    ),
    "no collection": (
        lambda t: _package(t / "p.apkg", {"media": b"{}"}),
        "no collection.anki2 inside",
    ),
    "tables that are views": (
        lambda t: _package(
            t / "p.apkg",
            {
                "collection.anki2": _collection(
                    t,
                    "CREATE TABLE col (models, decks)",
                    "CREATE TABLE cards (nid, did, ord)",
                    "CREATE VIEW notes AS WITH RECURSIVE r(x) AS (SELECT 1 UNION ALL "
                    "SELECT x + 1 FROM r) SELECT x AS id, '' AS guid, 0 AS mid, 0 AS mod, "
                    "'' AS flds, '' AS tags FROM r",
                )
            },
        ),
        "'notes' is not a table of an Anki collection",
    ),
    "malformed col JSON": (
        lambda t: _package(
            t / "p.apkg",
            {
                "collection.anki2": _collection(
                    t,
                    "CREATE TABLE col (models, decks)",
                    "INSERT INTO col VALUES ('{not json', '{}')",
                    "CREATE TABLE notes (id, guid, mid, mod, flds, tags)",
                    "CREATE TABLE cards (nid, did, ord)",
                )
            },
        ),
        "note types or decks are malformed",
    ),
    "not a zip at all": (
        lambda t: (t / "p.apkg").write_bytes(b"PK but not really") and t / "p.apkg",
        "not a package deckgen can read",
    ),
}


@pytest.mark.parametrize("command", ["diff", "verify"])
@pytest.mark.parametrize("kind", PACKAGES)
def test_a_foreign_package_is_refused_with_a_reason(
    kind: str, command: str, tmp_path: Path
) -> None:
    make_package, reason = PACKAGES[kind]
    folder = tmp_path / "given"
    folder.mkdir()
    package = make_package(folder)
    args = [str(package), str(package)] if command == "diff" else [str(folder)]
    done = forked.run([command, *args], None, 60)
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode == 2, done.stdout + done.stderr
    assert f"{package}: error: " in done.stderr and reason in done.stderr, done.stderr


MARK = "<x-evil>"
"""Put into every string that enters: escaped, it reads &lt;x-evil&gt;; raw, it is markup."""
line = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=20
)
name = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="/\x00<>\r\n\\"),
    min_size=1,
    max_size=20,
).filter(lambda n: not n.startswith(".") and n.strip() == n and n.lower() != "readme")
tag = st.from_regex(r"[^\s:\x00-\x1f\x7f-\x9f\u2028\u2029\x85\\\"]{1,12}", fullmatch=True)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(heading=line, deck=line, file=name, tag=tag, image=name, definition=line, front=line)
def test_any_text_anywhere_builds_or_is_reported_and_never_reaches_a_card_raw(
    tmp_path_factory: pytest.TempPathFactory,
    heading: str,
    deck: str,
    file: str,
    tag: str,
    image: str,
    definition: str,
    front: str,
) -> None:
    from generator.build import analyse
    from generator.config import load_config
    from generator.diagnostics import BuildFailed
    from generator.review.preview import preview_page

    root = tmp_path_factory.mktemp("any")
    flat = lambda text: " ".join(text.split())  # noqa: E731  one line of Markdown
    notes = (
        f"---\ndeck: {json.dumps('D ' + deck + MARK, ensure_ascii=False)}\ntags: [{json.dumps(tag, ensure_ascii=False)}]\n---\n\n"
        f"## {flat(heading)} {MARK}\n\nTags: {tag}\n\n"
        f"- **{flat(front) or 'F'} {MARK}**: {flat(definition)} {MARK} ![i {MARK}](<{image}.png>)\n"
        f"- **Q {flat(front)}?** {MARK}\n"
    )
    source = make(root, {f"{file}{MARK}.md": notes, f"{image}.png": b"PNG"})
    (source / "deckgen.toml").write_text(
        f'[tags]\n{json.dumps(tag, ensure_ascii=False)} = "t"\n', encoding="utf-8"
    )
    try:
        analysis = analyse(load_config(source, root / "out", build_time=1_700_000_000))
    except BuildFailed as failed:
        assert failed.diagnostics  # reported, with a code and a place
        event(f"reported: {sorted({d.code for d in failed.diagnostics if d.severity == 'error'})}")
        return
    event("built")
    for note in analysis.notes:
        for field in note.fields:
            assert MARK not in field, field
    page = preview_shows(preview_page(analysis.notes, analysis.media, "source"))
    assert MARK not in page


@given(
    st.lists(
        st.tuples(line, line, st.none() | line, line, st.integers(0, 253_402_300_799)),
        max_size=5,
        unique_by=lambda r: (r[0], r[1], r[2]),
    )
)
def test_the_lock_reads_back_what_it_wrote_whatever_the_text(
    rows: list[tuple[str, str, str | None, str, int]],
) -> None:
    import tempfile

    from generator.identity.lock import Lock, LockedRecord, format_lock, read_lock

    records = tuple(
        sorted(
            (
                LockedRecord(deck, front, pin, seed or "s", "c", mod)
                for deck, front, pin, seed, mod in rows
            ),
            key=lambda r: (r.deck, r.front, r.pin or ""),
        )
    )
    lock = Lock((), records)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "deckgen.lock"
        path.write_bytes(format_lock(lock).encode("utf-8"))
        assert read_lock(path) == lock


INTERPRETED = "[latex]x[/latex] [$]y[/$] [$$]z[/$$] [sound:a.mp3] [anki:tts lang=en_US]h[/anki:tts]"
"""What Anki itself interprets in a card's text: LaTeX to typeset, sounds to play, speech."""


def test_text_anki_interprets_stays_text_wherever_the_author_wrote_it(
    tmp_path: Path, collection: Collection
) -> None:
    """In a note, a heading, a deck name, a file name and the course's header and footer:
    no LaTeX image, no sound or speech, on either side of any card."""
    text = INTERPRETED.replace("/", "\u2215")  # a file name holds no '/'
    files: dict[str, str | bytes] = {
        f"{text}.md": f"---\ndeck: {json.dumps('D ' + INTERPRETED)}\n---\n\n## H {INTERPRETED}\n\n"
        f"- **T {INTERPRETED}**: D {INTERPRETED} [LaTeX]w[/LaTeX]\n- A {{{{c1::x}}}} {INTERPRETED}\n",
        "deckgen.toml": f"[tags]\n[style]\nheader = {json.dumps(INTERPRETED)}\n"
        f"footer = {json.dumps(INTERPRETED)}\n",
    }
    source = make(tmp_path, {})
    for name, content in files.items():
        (source / name).write_text(str(content), encoding="utf-8")
    done = run(source, tmp_path / "build", "build")
    assert done.returncode == 0, done.stdout + done.stderr
    (package,) = (tmp_path / "build").glob("*.apkg")
    import_package(collection, package)
    cards = [collection.get_card(cid) for cid in collection.find_cards("")]
    assert len(cards) >= 3
    for card in cards:
        for html in (card.question(), card.answer()):
            assert "[latex]" not in html.lower() and "[$" not in html, html
            assert "latex-" not in html and "[anki:play" not in html, html
        assert not card.question_av_tags() and not card.answer_av_tags()
