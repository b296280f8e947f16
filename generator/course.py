"""Course: find the course a command runs in, and start a new one (`deckgen init`).

A course is a folder of notes (`source/`) holding `deckgen.toml`. Commands find it as git,
ruff and pytest find their roots: from the working directory upward, the first folder that
holds `deckgen.toml` (the notes folder itself) or `source/deckgen.toml` (the course root).
Outputs go to `build/` beside the notes folder.
"""

from __future__ import annotations

import json
import tomllib
from importlib import metadata
from pathlib import Path

from .config import CONFIG_NAME
from .course_table import UNNAMED, new_course_id, read_course
from .diagnostics import UsageError
from .parse.metadata import read_metadata
from .records import Location

SOURCE = "source"
BUILD = "build"


def find_source(start: Path) -> Path | None:
    """The notes folder of the course `start` is in, or None outside any course."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / CONFIG_NAME).is_file():
            return folder
        if (folder / SOURCE / CONFIG_NAME).is_file():
            return folder / SOURCE
    return None


def course_source(given: Path | None, cwd: Path) -> Path:
    """`--source` if given, else the course the working directory is in."""
    if given is not None:
        return given
    found = find_source(cwd)
    if found is None:
        raise UsageError(
            f"{cwd}: error: not in a course: no {CONFIG_NAME} here or in any folder above "
            "(nor in a source/ folder beside one). Start one with `deckgen init`, or name the "
            "notes with --source"
        )
    return shown(found, cwd)


def default_out(source: Path, cwd: Path) -> Path:
    """`build/` beside the notes folder."""
    return shown(source.resolve().parent / BUILD, cwd)


def shown(path: Path, cwd: Path) -> Path:
    """`path` relative to the working directory when it is inside it (as a user types it)."""
    try:
        return path.resolve().relative_to(cwd.resolve())
    except ValueError:
        return path


def deckgen_spec() -> str:
    """How this deckgen was installed, as a pip requirement CI can install it from."""
    try:
        direct = metadata.distribution("deckgen-md").read_text("direct_url.json")
    except metadata.PackageNotFoundError:
        direct = None
    if direct:
        url = json.loads(direct)
        vcs = url.get("vcs_info")
        if vcs and not url["url"].startswith("file:"):
            return f"deckgen-md @ {vcs['vcs']}+{url['url']}@{vcs.get('commit_id', '')}".rstrip("@")
        if not url["url"].startswith("file:"):
            return f"deckgen-md @ {url['url']}"
    return ""  # installed from a local folder: CI cannot install it from there


def init_course(root: Path, title: str, spec: str) -> list[tuple[str, Path]]:
    """Write a working course into `root`, joining what is there: a file that exists is kept
    as it is (a `.gitignore` gets the lines it lacks appended), and the example notes are
    written only into a folder without notes. What was done, as (wrote|kept|appended to, path).

    `spec` is how CI installs deckgen (a pip requirement, `deckgen_spec()`); without one the
    workflows read it from the repository variable DECKGEN_SPEC and stop, saying so, until
    it is set.
    """
    files = _files(title, spec)
    example = f"{SOURCE}/01-getting-started.md"
    _, problems = read_metadata(files[example].split("---\n")[1], example, 2)
    if problems:
        raise UsageError(f"--title: error: {problems[0].message} (the course's top deck)")
    named = read_course(
        tomllib.loads(files[f"{SOURCE}/{CONFIG_NAME}"])["course"],
        UNNAMED,
        lambda _: Location("", 1),
    )
    if isinstance(named, list):
        raise UsageError(f"--title: error: {named[0].message} (the course's name)")
    notes = root / SOURCE
    if (notes / CONFIG_NAME).exists() or any(notes.glob("**/*.md")):
        del files[example]  # a course, or notes, already there: no example among them
    done = []
    for name, text in files.items():
        path = root / name
        if path.exists() or path.is_symlink():
            if name == ".gitignore" and (added := _missing_lines(path, text)):
                with path.open("a", encoding="utf-8") as ignore:
                    ignore.write(added)
                done.append(("appended to", path))
            else:
                done.append(("kept", path))
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        done.append(("wrote", path))
    return done


def _missing_lines(path: Path, wanted: str) -> str:
    """The lines of `wanted` that the file at `path` lacks (`build`, `/build/` and `build/`
    are one pattern here), as text to append to it."""
    text = path.read_text(encoding="utf-8", errors="replace")
    have = {line.strip().strip("/") for line in text.splitlines()}
    lines = [line for line in wanted.splitlines() if line.strip("/") not in have]
    if not lines:
        return ""
    return ("\n" if text and not text.endswith("\n") else "") + "\n".join(lines) + "\n"


def _files(title: str, spec: str) -> dict[str, str]:
    deck = " ".join(title.split()) or "My Course"
    course = (
        "# Which course this is: its note types and cards are made from the id. Never change\n"
        "# the id (students would get every card again); the name can change.\n"
        f"[course]\nid = {json.dumps(new_course_id())}\n"
        f"name = {json.dumps(deck, ensure_ascii=False)}\n\n"
    )
    return {
        f"{SOURCE}/{CONFIG_NAME}": CONFIG.replace("{course}", course),
        f"{SOURCE}/01-getting-started.md": EXAMPLE.replace(
            "{deck}", json.dumps(f"{deck}::Getting Started", ensure_ascii=False)
        ),
        ".gitignore": "build/\n.venv/\n",
        ".pre-commit-config.yaml": PRE_COMMIT,
        ".github/workflows/ci.yml": CI.replace("{setup}", _setup(spec, every_tag=False)),
        ".github/workflows/release.yml": RELEASE.replace("{setup}", _setup(spec, every_tag=True)),
        "README.md": README.replace("{deck}", deck),
    }


def _setup(spec: str, *, every_tag: bool) -> str:
    """The steps every workflow starts with: the checkout (with every tag, for release notes),
    Python, and deckgen with the anki package `deckgen verify` uses."""
    fetch = "          fetch-depth: 0 # every tag: the notes compare with the previous release\n"
    steps = (
        "      - uses: actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1\n"
        "        with:\n"
        f"{fetch * every_tag}"
        "          persist-credentials: false\n"
        "      - uses: actions/setup-python@5fda3b95a4ea91299a34e894583c3862153e4b97 # v7.0.0\n"
        "        with:\n"
        '          python-version: "3.11"\n'
    )
    if spec:
        return steps + (
            "      - name: Install deckgen\n"
            f'        run: python -m pip install "{spec}" anki==26.9.3\n'
        )
    return steps + (
        "      - name: Install deckgen (from the repository variable DECKGEN_SPEC)\n"
        "        env:\n"
        "          DECKGEN_SPEC: ${{ vars.DECKGEN_SPEC }}\n"
        "        run: |\n"
        '          if [ -z "$DECKGEN_SPEC" ]; then\n'
        '            echo "::error::Set the repository variable DECKGEN_SPEC to a pip'
        ' requirement for deckgen, e.g. deckgen-md @ git+https://github.com/OWNER/deckgen"\n'
        "            exit 1\n"
        "          fi\n"
        '          python -m pip install "$DECKGEN_SPEC" anki==26.9.3\n'
    )


CONFIG = """\
# deckgen.toml: settings for the whole course. `deckgen check` explains every problem.

{course}# Which cards each notes file makes, unless its metadata says otherwise:
# basic, reverse (definition -> term), cloze (one card per list item), typed (type the answer).
# variants = ["basic", "reverse", "cloze"]

# The course's repository: each card's Source line links to a prefilled form to report an
# error on it, and each release's deck description links to the release's notes.
# repository = "https://github.com/you/your-course"

# The course's own look on every card: a stylesheet in this folder, added to deckgen's, and
# a line of text above the fields and below the answer. A change reaches students' cards on
# their next import, reviews kept.
# [style]
# css = "style.css"
# header = "My course"
# footer = "Questions? Ask in the course forum."

# Every tag the notes use is declared here, so a misspelt tag is an error, not a new tag.
# Anki tags hold no spaces; "::" makes a hierarchy (grammar::verbs).
[tags]
basics = "The first lesson"
# grammar = "Grammar rules"
# vocabulary = "Words and their meanings"
"""

EXAMPLE = """\
---
deck: {deck}
tags: [basics]
---

# Getting started

Prose like this explains things and makes no card. Every list item that starts with a
**bold** term is a card; `deckgen preview` shows them all.

## Terms and questions

- **Flashcard**: A card with a prompt on one side and its answer on the other.
- **Spaced repetition**: Reviewing each fact just before it would be forgotten.
- **Why review at growing intervals?** Each successful recall makes a memory last longer.

## A list

- **What are the steps of a review?**
  1. Read the prompt
  2. Recall the answer
  3. Rate how well you knew it

## A cloze

- Anki shows a card again {{c1::sooner}} when you forget it and {{c2::later}} when you know it.

## A pinned identity

- **Interval**: The time until a card is due again. <!-- id: interval -->
"""

PRE_COMMIT = """\
# pre-commit: run `deckgen check --strict` before each commit that touches the notes.
repos:
  - repo: local
    hooks:
      - id: deckgen-check
        name: deckgen check
        entry: deckgen check --strict
        language: system
        pass_filenames: false
        files: ^source/
"""

CI = """\
# Check the notes, build the decks from the committed lock and verify them with Anki.
name: CI
on:
  push:
    branches: [main]
  pull_request:
permissions:
  contents: read
concurrency:
  group: ci-${{ github.ref }}
  cancel-in-progress: true
jobs:
  decks:
    name: Check, build and verify the decks
    runs-on: ubuntu-24.04
    steps:
{setup}      - name: Check the notes
        run: deckgen check --format github --strict
      - name: Build from the committed lock
        run: deckgen build --locked
      - name: Verify with the Anki importer
        run: deckgen verify
"""

RELEASE = """\
# On a tag v1.2.3 (v1.2.3-rc.1: a pre-release): check, build and verify the decks, write
# release notes against the previous release, and publish them as a GitHub release.
name: Release
on:
  push:
    tags: ["v*"]
permissions: {}
concurrency:
  group: release-${{ github.ref }}
  cancel-in-progress: false
jobs:
  release:
    name: Build, verify and publish the decks
    runs-on: ubuntu-24.04
    permissions:
      contents: write # to publish the release
    steps:
{setup}      - name: Check, build from the committed lock, verify
        run: |
          deckgen check --strict
          # The decks' description names the release and the date of its commit.
          SOURCE_DATE_EPOCH=$(git log -1 --format=%ct) deckgen build --locked \\
            --release "$GITHUB_REF_NAME"
          deckgen verify
      - name: Upgrade the previous release's students (every card studied) to this one
        run: deckgen verify --release "$GITHUB_REF_NAME" build
      - name: Release notes
        run: |
          deckgen diff --release "$GITHUB_REF_NAME" build > notes.md
          printf '\\n---\\n\\nBuilt with %s.\\n' "$(deckgen --version)" >> notes.md
      - name: Publish
        env:
          GH_TOKEN: ${{ github.token }}
        run: |
          kind=()
          case "$GITHUB_REF_NAME" in *-*) kind=(--prerelease) ;; esac
          gh release create "$GITHUB_REF_NAME" build/*.apkg --title "$GITHUB_REF_NAME" \\
            --notes-file notes.md "${kind[@]}"
"""

README = """\
# {deck}

Flashcards for Anki, written as Markdown notes in `source/` and built with deckgen.

## For students

1. Download the `.apkg` file of the newest release.
2. Anki (desktop): File > Import; AnkiDroid and AnkiMobile: open the file.
3. For each new release, import the new file the same way, with the default settings:
   changed cards are updated and **every review you did is kept**.

Tip: tick *Import any deck presets* on the first import, so that a fact's cards (for
example a term and its reverse) never come on the same day.

## For authors

    deckgen check      # every problem, with file and line
    deckgen preview    # every card in build/preview/index.html
    deckgen build      # the decks in build/; commit source/deckgen.lock with the notes

Tag a commit `v1.0.0` and push the tag to publish a release.
"""
