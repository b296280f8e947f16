"""Helpers for the tests: build real decks and import them with the real Anki importer."""

from __future__ import annotations

import atexit
import json
import re
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from hypothesis import settings

from generator.build import Result, build
from generator.config import load_config

# The Anki GUI's import defaults, the same that `deckgen verify` uses.
from generator.review.verify import import_package as import_package

ROOT = Path(__file__).resolve().parent.parent
COURSE = ROOT / "tests" / "fixtures" / "course"
SHOWCASE = ROOT / "tests" / "fixtures" / "showcase"
"""A small course with math, code, an image and a sound (tests/screenshots.py shows it)."""
"""A frozen copy of the course (notes, deckgen.toml, deckgen.lock) that the tool's tests own:
a teacher's edit to source/ never turns them red. Only the course checks read the live course
in source/ (LIVE_COURSE)."""
LIVE_COURSE = ROOT / "source"
"""The course a teacher edits: read only by the course checks (tests/test_course_checks.py,
tests/test_seeds.py)."""
BUILD_TIME = 1_700_000_000


def examples(dev: int, ci: int) -> int:
    """A property's example count: `ci` under the ci profile (what .ci/run runs) and in
    proportion under the larger `deep`; `dev` under the default profile, the README's test
    command run locally, where a sixth of ci's count would still cost seconds (tests/conftest.py).
    Choose `dev` large enough that the test still fails on the bug it was written for."""
    ci_profile = settings.get_profile("ci").max_examples
    if settings.default.max_examples >= ci_profile:
        return ci * settings.default.max_examples // ci_profile
    return dev


def run_deckgen(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """deckgen in a real process, as a user runs it (a traceback would reach stderr)."""
    return subprocess.run(
        [sys.executable, "-m", "generator", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
    )


_INITS: dict[tuple[str, ...], Path] = {}


def init_course(root: Path, *args: str) -> None:
    """What `deckgen init *args` writes in the new folder `root`. One real `deckgen init` per
    test process for each `args` and folder name, then a copy (a deckgen process costs half a
    second): every copy has the same course id, which no test compares across tests. `deckgen
    init` itself is tested in tests/test_init.py."""
    key = (root.name, *args)
    if key not in _INITS:
        made = Path(tempfile.mkdtemp(prefix="deckgen-init-")) / root.name
        atexit.register(shutil.rmtree, made.parent, True)
        made.mkdir()
        done = run_deckgen("init", *args, cwd=made)
        assert done.returncode == 0, done.stderr
        _INITS[key] = made
    shutil.copytree(_INITS[key], root, symlinks=True)


def run_forked(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """What run_deckgen gives, in a process forked from one that has imported deckgen
    (tests/forked.py): a third of the CPU. For a run whose output is compared with no other
    run's (forked runs share a hash seed and what was imported)."""
    from tests import forked

    return forked.run(list(args), cwd, 120)


def empty_course(tmp_path: Path) -> Path:
    """A course folder `deckgen init` made, without its example notes: where a teacher's
    `deckgen import` goes."""
    root = tmp_path / "course"
    init_course(root)
    (root / "source" / "01-getting-started.md").unlink()
    return root


def build_tree(source: Path, out: Path, build_time: int = BUILD_TIME, **flags: bool) -> Result:
    """Run a real build of `source` into `out` (lock read from and written to `source`)."""
    return build(load_config(source, out, build_time=build_time, **flags))


def copy_course(tmp_path: Path, course: Path = COURSE) -> Path:
    """A private copy of the course notes, lock included, that a test may edit."""
    target = tmp_path / "source"
    shutil.copytree(course, target)
    return target


TEST_COURSE_ID = "0f8fad5b-d9cb-469f-a165-70867728950e"
"""The course id of the courses `write_notes` makes: the same notes, the same GUIDs."""


def write_notes(
    directory: Path,
    files: dict[str, str],
    vocabulary: tuple[str, ...] = ("kam", "culture"),
    course_id: str | None = TEST_COURSE_ID,
) -> Path:
    """A source directory with a deckgen.toml declaring `vocabulary` and the course id
    (None: none, as in a folder of notes made by hand), and the given files."""
    directory.mkdir(parents=True, exist_ok=True)
    tags = "\n".join(f'{t} = "{t}"' for t in vocabulary)
    course = f'\n[course]\nid = "{course_id}"\nname = "Test"\n' if course_id else ""
    (directory / "deckgen.toml").write_text(f"[tags]\n{tags}\n{course}", encoding="utf-8")
    for name, text in files.items():
        path = directory / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return directory


def visible_text(html: str) -> str:
    """What a student reads: styles and tags dropped, whitespace collapsed."""
    html = re.sub(r"<style>.*?</style>", "", html, flags=re.DOTALL)
    text = re.sub(r"<[^>]+>", " ", html)
    return re.sub(r"\s+", " ", text).strip()


def outputs(out: Path) -> dict[str, bytes]:
    """A build's outputs by name (the packages and records; not the cache or the state file)."""
    return {
        p.name: p.read_bytes()
        for p in sorted(out.iterdir())
        if p.is_file() and not p.name.startswith(".")
    }


def workflow_findings(*paths: Path) -> str:
    """What GitHub's workflow schema (check-jsonschema's vendored copy) and zizmor (offline,
    its strictest persona) say of these workflows beyond "informational"; "" when nothing."""
    zizmor = Path(sys.executable).parent / "zizmor"
    said = []
    for command in (
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows"],
        [str(zizmor), "--offline", "--persona", "auditor", "--min-severity", "low"],
    ):
        run = subprocess.run(
            [*command, *map(str, paths)], capture_output=True, text=True, check=False
        )
        if run.returncode != 0:
            said.append(run.stdout + run.stderr)
    return "\n".join(said)


def cards_as_anki_adds_them(collection: Any) -> int:
    """Add each note of `collection` afresh, as Anki adds a note (its own card rule), and
    check it gets exactly the cards the package shipped; how many notes were checked."""
    notes = collection.find_notes("")
    for nid in notes:
        shipped = collection.get_note(nid)
        fresh = collection.new_note(shipped.note_type())
        for name, value in shipped.items():
            fresh[name] = value
        collection.add_note(fresh, collection.decks.id_for_name("Scratch") or 1)
        assert sorted(c.ord for c in fresh.cards()) == sorted(c.ord for c in shipped.cards())
    return len(notes)


def git(repo: Path, *args: str) -> str:
    """Run git in `repo` as a test author; its output."""
    identity = ["-c", "user.name=T", "-c", "user.email=t@example.org"]
    return subprocess.run(
        ["git", *identity, *args], cwd=repo, capture_output=True, text=True, check=True
    ).stdout


def export_deck(collection: Any, deck_id: int, path: Path) -> Path:
    """Export one deck of `collection` as Anki's File > Export does (an .apkg with media,
    no scheduling): how a teacher hands over a deck."""
    from anki.collection import DeckIdLimit, ExportAnkiPackageOptions

    collection.export_anki_package(
        out_path=str(path),
        options=ExportAnkiPackageOptions(
            with_scheduling=False, with_deck_configs=False, with_media=True, legacy=False
        ),
        limit=DeckIdLimit(deck_id),
    )
    return path


def contrast(foreground: str, background: str) -> float:
    """WCAG's contrast ratio of two colours, written `#rrggbb` or as a browser computes them
    (`rgb(r, g, b)`, `rgba(r, g, b, a)`: a translucent text colour is blended over the
    background first). 4.5 is the least for text (WCAG AA)."""

    def channels(colour: str) -> list[float]:
        if colour.startswith("#"):
            return [int(colour[i : i + 2], 16) for i in (1, 3, 5)] + [1.0]
        found = [float(n) for n in re.findall(r"[\d.]+", colour)]
        return found + [1.0] * (4 - len(found))

    def luminance(rgb: list[float]) -> float:
        srgb = [c / 255 for c in rgb]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in srgb]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    *back, _ = channels(background)
    *fore, alpha = channels(foreground)
    fore = [alpha * f + (1 - alpha) * b for f, b in zip(fore, back, strict=True)]
    high, low = sorted((luminance(fore), luminance(back)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def preview_notes(page: str) -> list[list[Any]]:
    """The notes a preview page carries as data (`review.preview.entry`), each card's back
    with its front put back where the page's script puts it."""
    found = re.search(r'<script type="application/json" id="notes">(.*?)</script>', page, re.S)
    assert found, "no notes in the page"
    notes: list[list[Any]] = json.loads(found.group(1))
    for note in notes:
        for card in note[6]:
            card[3] = card[3].replace("\0", card[2], 1)
    return notes


def preview_shows(page: str) -> str:
    """The HTML a preview page puts on screen: its frame and every card side (not the notes'
    data, which its script reads and escapes: text there is not markup)."""
    sides = [side for note in preview_notes(page) for card in note[6] for side in card[2:]]
    data = r'<script type="application/json" id="notes">.*?</script>'
    frame = re.sub(data, "", page, count=1, flags=re.S)
    return "\n".join([frame, *sides])


@contextmanager
def preview_watch(folder: Path) -> Iterator[dict[str, str]]:
    """`deckgen preview --watch --port 0` on the course in `folder`, as a user runs it: what
    it said first (`built`) and its address (`url`); stopped with Ctrl+C on leaving, when it
    must exit 0 with no traceback, its stderr then under `errors`."""
    server = subprocess.Popen(
        [sys.executable, "-m", "generator", "preview", "--watch", "--port", "0"],
        cwd=folder,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    said: dict[str, str] = {}
    try:
        assert server.stdout is not None
        lines = [server.stdout.readline(), server.stdout.readline()]
        address = re.fullmatch(r"serving the preview at (\S+) \(Ctrl\+C stops\)\n", lines[1])
        assert address and address.group(1).startswith("http://127.0.0.1:"), lines
        said.update(built=lines[0], url=address.group(1))
        yield said
    finally:
        server.send_signal(signal.SIGINT)
        _out, said["errors"] = server.communicate(timeout=30)
    assert server.returncode == 0 and "Traceback" not in said["errors"], said["errors"]
