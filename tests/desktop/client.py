"""The real Anki desktop client (aqt, under Xvfb), started on a scratch profile with the
deckgen_probe add-on and a plan of steps; what the add-on wrote comes back as JSON."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
from pathlib import Path
from typing import Any

VENV = os.environ.get("DECKGEN_DESKTOP_VENV", "")
"""A virtualenv with the Anki desktop client of the version the tests use (`aqt[qt]==26.9.3`),
which .ci/run installs and names here."""
ADDON = Path(__file__).parent / "deckgen_probe"
SCREEN = "1600x1200x24"
TIME_LIMIT = 600
"""Seconds one run of the client may take, start to quit (the add-on's own waits give up
after a minute each, and say what they waited for)."""

_SEED = """
import sys
import anki.lang
from aqt.profiles import ProfileManager
anki.lang.set_lang("en_US")
manager = ProfileManager(ProfileManager.get_created_base_folder(sys.argv[1]))
manager.setupMeta()
manager.setLang("en_US")
"""
"""A profile folder with the language chosen: Anki's first start then opens the profile at once
instead of asking for a language."""


def missing() -> str | None:
    """Why the client cannot run here, or None."""
    if not VENV:
        return "DECKGEN_DESKTOP_VENV is not set (.ci/run installs the Anki desktop client)"
    if not (Path(VENV) / "bin" / "anki").is_file():
        return f"DECKGEN_DESKTOP_VENV={VENV} holds no Anki desktop client (bin/anki)"
    if shutil.which("xvfb-run") is None:
        return "xvfb-run is not installed (Debian package 'xvfb'; .ci/run installs it)"
    return None


def run(
    steps: list[dict[str, Any]], out: Path, base: Path, window: tuple[int, int]
) -> dict[str, Any]:
    """Run the client once with these steps, on a fresh profile in the folder `base`; the
    add-on's `result.json`. Each step's JSON and screenshots are left in `out`."""
    shutil.rmtree(base, ignore_errors=True)
    python = str(Path(VENV) / "bin" / "python")
    subprocess.run([python, "-c", _SEED, str(base)], check=True, capture_output=True)
    shutil.copytree(ADDON, base / "addons21" / ADDON.name)
    plan = out / "plan.json"
    plan.write_text(json.dumps({"out": str(out), "window": window, "steps": steps}, indent=1))
    # As root, Chromium (QtWebEngine) starts only without its sandbox.
    env = {**os.environ, "DECKGEN_PROBE": str(plan), "QTWEBENGINE_CHROMIUM_FLAGS": "--no-sandbox"}
    command = ["xvfb-run", "-a", "-s", f"-screen 0 {SCREEN}", str(Path(VENV) / "bin" / "anki")]
    with (out / "anki-output.txt").open("w") as log:
        client = subprocess.Popen(
            [*command, "-b", str(base)], env=env, stdout=log, stderr=log, start_new_session=True
        )
        try:
            client.wait(timeout=TIME_LIMIT)
        except subprocess.TimeoutExpired:
            os.killpg(client.pid, signal.SIGKILL)
            client.wait()
    result = out / "result.json"
    if not result.is_file():
        tail = (out / "anki-output.txt").read_text(errors="replace")[-3000:]
        raise AssertionError(
            f"Anki stopped (exit {client.returncode}) before the plan's end:\n{tail}"
        )
    found: dict[str, Any] = json.loads(result.read_text())
    return found


def written(out: Path, name: str) -> Any:
    """What the add-on wrote for the step called `name`."""
    return json.loads((out / f"{name}.json").read_text(encoding="utf-8"))
