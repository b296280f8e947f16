"""The packages work in the Anki versions students really run, each in its own virtualenv.

`.ci/run` installs the official `anki` wheels of older versions into virtualenvs and names
them in DECKGEN_ANKI_VENVS (separated by the path separator); the newest, the one this
suite imports, always runs. Each version imports a first release, studies every card,
imports a second release that edits notes and switches reverse and typed cards on, and
renders every card (tests/anki_versions/probe.py).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import build_tree, write_notes
from tests.test_note_model import built, notes_file

PROBE = Path(__file__).parent / "anki_versions" / "probe.py"
OLDER = [Path(p) for p in os.environ.get("DECKGEN_ANKI_VENVS", "").split(os.pathsep) if p]
PYTHONS = [sys.executable] + [str(venv / "bin" / "python") for venv in OLDER]


@pytest.fixture(scope="module")
def releases(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    tmp = tmp_path_factory.mktemp("releases")
    first = built(tmp, "basic, cloze", 1_700_000_000, name="one")
    edited = notes_file("basic, reverse, typed, cloze").replace(
        "in good faith", "in good faith, even unobserved"
    )
    build_tree(write_notes(tmp / "source", {"a.md": edited}), tmp / "two", build_time=1_700_086_400)
    second = tmp / "two" / "course.apkg"
    return [str(first), str(second)]


@pytest.mark.skipif(not OLDER, reason="DECKGEN_ANKI_VENVS is not set (.ci/run sets it)")
def test_ci_names_the_older_versions() -> None:
    assert len(OLDER) >= 2


@pytest.mark.parametrize(
    "python", PYTHONS, ids=lambda p: "this-venv" if p == sys.executable else Path(p).parents[1].name
)
def test_an_anki_version_imports_updates_and_renders_every_card(
    python: str, releases: list[str]
) -> None:
    done = subprocess.run(
        [python, str(PROBE), *releases], capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout)
    first, second = seen["imports"]
    assert first == {"new": 6, "updated": 0, "duplicate": 0, "conflicting": 0}
    # Four terms and the question changed (cards switched on, one definition edited); the
    # list did not. Anki before 25.02 logs a skipped unchanged note as a "duplicate".
    assert (second["new"], second["updated"], second["conflicting"]) == (0, 5, 0)
    assert len(seen["notes"]) == 6, "no note was imported twice"
    assert seen["reviews_kept"] and seen["revlog"] == seen["reviewed"] == 4 + 1 + 4
    assert seen["empty_cards"] == 0
    cards = seen["notes"]
    assert [c["ord"] for c in cards["Trust"]] == [0, 1, 2]  # forward, reverse, typed added
    assert "even unobserved" in cards["Trust"][0]["answer"]
    assert [c["ord"] for c in cards["What does a tender invite?"]] == [0, 1]
    steps = cards["Steps of a visit"]
    assert [c["ord"] for c in steps] == [0, 1, 2, 3]
    assert "Prepare" not in steps[0]["question"] and steps[0]["question"].count("[...]") == 3
    assert "Prepare" not in steps[1]["question"] and "Meet" in steps[1]["question"]
    assert "Follow up" not in steps[3]["question"] and "Prepare" in steps[3]["question"]
    for note in cards.values():
        for card in note:
            assert card["question"] and card["answer"]
