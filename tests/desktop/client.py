"""The real Anki desktop client (aqt, under Xvfb), started on a scratch profile with the
deckgen_probe add-on and a plan of steps; what the add-on wrote comes back as JSON."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import time
import warnings
from pathlib import Path
from typing import Any

VENV = os.environ.get("DECKGEN_DESKTOP_VENV", "")
"""A virtualenv with the Anki desktop client of the version the tests use (`aqt[qt]==26.9.3`),
which .ci/run installs and names here."""
ADDON = Path(__file__).parent / "deckgen_probe"
SCREEN = "1600x1200x24"
STALLED = 150
"""Seconds the add-on may go without a word in its progress log before the client is taken to
be stuck (each of the add-on's waits gives up after a minute and says what it waited for, so
silence this long means Anki's own event loop stopped)."""
TIME_LIMIT = 1800
"""Seconds one run of the client may take, start to quit, however busy the machine."""

_SEED = """
import sys
import anki.lang
from aqt.profiles import ProfileManager, VideoDriver
anki.lang.set_lang("en_US")
manager = ProfileManager(ProfileManager.get_created_base_folder(sys.argv[1]))
manager.setupMeta()
manager.set_update_check(False)
manager.set_check_for_addon_updates(False)
manager.set_video_driver(VideoDriver.Software)
manager.setLang("en_US")
"""
"""A profile folder with the language chosen, so Anki's first start opens the profile at once
instead of asking for a language; no check for updates of Anki or its add-ons (nothing on the
network: a student's Anki does them, but what they find is not what is tested); and Anki's
"software" video driver (Preferences > Video driver; with `--disable-gpu` below), as a student's
machine without working OpenGL runs it. Xvfb has no GPU: with OpenGL, Chromium's GPU process
renders on Mesa's llvmpipe, and here its channel is lost at every start ("Failed to send
GpuControl.CreateCommandBuffer"); a grab of a page then waits on that process."""


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
    add-on's `result.json`. Each step's JSON and screenshots are left in `out`.

    If the client goes silent before the plan's first step (Anki starting up, before it has
    seen a package), it is started once more, on a fresh profile, with a warning that says
    where it stopped; stuck anywhere later, the run fails and says where."""
    for attempt in (1, 2):
        stuck = _once(steps, out, base, window)
        if stuck is None:
            found: dict[str, Any] = json.loads((out / "result.json").read_text())
            return found
        if attempt == 2 or ": begins" in _progress(out):
            raise AssertionError(stuck)
        warnings.warn(f"the client was started again: {stuck}", stacklevel=2)
    raise AssertionError("unreachable")


def _once(
    steps: list[dict[str, Any]], out: Path, base: Path, window: tuple[int, int]
) -> str | None:
    """One start of the client; None once it wrote `result.json`, else what is known of
    where it stopped."""
    shutil.rmtree(base, ignore_errors=True)
    for old in ("result.json", "progress.txt", "threads.txt", "anki.pid"):
        (out / old).unlink(missing_ok=True)
    python = str(Path(VENV) / "bin" / "python")
    subprocess.run([python, "-c", _SEED, str(base)], check=True, capture_output=True)
    shutil.copytree(ADDON, base / "addons21" / ADDON.name)
    plan = out / "plan.json"
    plan.write_text(json.dumps({"out": str(out), "window": window, "steps": steps}, indent=1))
    # As root, Chromium (QtWebEngine) starts only without its sandbox.
    flags = "--no-sandbox --disable-gpu"  # Anki adds the second only when no flags are set
    env = {
        **os.environ,
        "DECKGEN_PROBE": str(plan),
        "QTWEBENGINE_CHROMIUM_FLAGS": flags,
        # Else a second Anki of this user (the developer's own, another run of the tier) is
        # sent our arguments and ours exits: "Already running; reusing existing instance."
        "ANKI_SINGLE_INSTANCE_KEY": f"deckgen-probe-{os.getpid()}-{time.time_ns()}",
    }
    command = ["xvfb-run", "-a", "-s", f"-screen 0 {SCREEN}", str(Path(VENV) / "bin" / "anki")]
    why = ""
    with (out / "anki-output.txt").open("w") as log:
        client = subprocess.Popen(
            [*command, "-b", str(base)], env=env, stdout=log, stderr=log, start_new_session=True
        )
        started = heard = time.monotonic()
        said = ""
        while client.poll() is None:
            time.sleep(1)
            now = time.monotonic()
            if (progress := _progress(out)) != said:
                said, heard = progress, now
            if now - heard > STALLED or now - started > TIME_LIMIT:
                why = (
                    f"nothing said for {now - heard:.0f} s"
                    if now - heard > STALLED
                    else f"still running after {TIME_LIMIT} s"
                )
                _dump_threads(out)
                os.killpg(client.pid, signal.SIGKILL)
                client.wait()
    if (out / "result.json").is_file():
        return None
    said = "\n".join(_progress(out).splitlines()[-8:]) or "(nothing: the add-on never ran)"
    threads = out / "threads.txt"
    dumped = threads.read_text(errors="replace") if threads.is_file() else ""
    if len(dumped) > 4000:  # the main thread is the last
        dumped = dumped[dumped.find("\n", len(dumped) - 4000) + 1 :]
    tail = (out / "anki-output.txt").read_text(errors="replace")[-3000:]
    return (
        f"Anki stopped (exit {client.returncode}{', ' + why if why else ''}) before the plan's"
        f" end.\nThe add-on's last words (seconds since it loaded):\n{said}\n"
        f"Anki's Python threads then:\n{dumped or '(none)'}\nAnki's output:\n{tail}"
    )


def _progress(out: Path) -> str:
    """What the add-on has said so far (progress.txt: a line per step and per wait)."""
    try:
        return (out / "progress.txt").read_text(errors="replace")
    except FileNotFoundError:
        return ""


def _dump_threads(out: Path) -> None:
    """Ask the stuck client for its Python threads' stacks (the add-on has faulthandler write
    them to threads.txt on SIGUSR1), and give it a moment to write them."""
    try:
        pid = int((out / "anki.pid").read_text())
        os.kill(pid, signal.SIGUSR1)
    except (FileNotFoundError, ValueError, ProcessLookupError):
        return
    time.sleep(2)


def written(out: Path, name: str) -> Any:
    """What the add-on wrote for the step called `name`."""
    return json.loads((out / f"{name}.json").read_text(encoding="utf-8"))
