"""Headless Chromium driven over the DevTools protocol (on a pipe: no port, no library).

bench.py times the preview in it (opened until interactive, a search answered, an edit shown
by `preview --watch`); tests/test_preview.py watches what the page asks of the network.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync",
    "--disable-background-networking", "--disable-component-update", "--hide-scrollbars",
    "--disable-extensions", "--mute-audio", "--window-size=1200,900",
]  # fmt: skip


class Browser:
    """One headless Chromium with a profile of its own and one page, until closed."""

    def __init__(self) -> None:
        if CHROMIUM is None:
            raise RuntimeError("headless Chromium is not installed (Debian package 'chromium')")
        self._profile = tempfile.TemporaryDirectory(prefix="deckgen-chromium-")
        to_browser, self._commands = os.pipe()
        self._replies, from_browser = os.pipe()

        def pipes() -> None:  # Chromium reads commands on fd 3 and answers on fd 4
            high = os.dup(to_browser), os.dup(from_browser)  # either may be 3 or 4 now
            os.dup2(high[0], 3)
            os.dup2(high[1], 4)

        self._process = subprocess.Popen(
            [CHROMIUM, *FLAGS, f"--user-data-dir={self._profile.name}", "--remote-debugging-pipe"],
            preexec_fn=pipes,
            pass_fds=(3, 4),  # their numbers in the child, after `pipes`
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(to_browser)
        os.close(from_browser)
        self._buffer = b""
        self._next = 0
        self.events: list[dict[str, Any]] = []
        """Every event the page sent since it was opened (with `Network.enable`: requests)."""
        target = self.call("Target.createTarget", url="about:blank")["targetId"]
        self._session = self.call("Target.attachToTarget", targetId=target, flatten=True)[
            "sessionId"
        ]
        self.call("Page.enable", session=True)

    def call(self, method: str, session: bool = False, **params: Any) -> dict[str, Any]:
        """Send one command and wait for its answer (events meanwhile go to `events`)."""
        self._next += 1
        message: dict[str, Any] = {"id": self._next, "method": method, "params": params}
        if session:
            message["sessionId"] = self._session
        os.write(self._commands, json.dumps(message).encode() + b"\0")
        while True:
            reply = self._read()
            if reply.get("id") == self._next:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                result: dict[str, Any] = reply.get("result", {})
                return result
            if "method" in reply:
                self.events.append(reply)

    def _read(self) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            chunk = os.read(self._replies, 1 << 20)
            if not chunk:
                raise RuntimeError("Chromium closed its pipe")
            self._buffer += chunk
        message, _, self._buffer = self._buffer.partition(b"\0")
        found: dict[str, Any] = json.loads(message)
        return found

    def evaluate(self, expression: str) -> Any:
        """The value of `expression` in the page (a promise is waited for)."""
        result = self.call(
            "Runtime.evaluate",
            session=True,
            expression=expression,
            awaitPromise=True,
            returnByValue=True,
        )
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression[:80]}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def open(self, url: str) -> None:
        """Navigate to `url` (returns once the navigation started)."""
        self.call("Page.navigate", session=True, url=url)

    def until(self, expression: str, timeout: float = 60.0, step: float = 0.02) -> float:
        """Seconds until `expression` is true in the page, polled every `step` seconds."""
        start = time.perf_counter()
        while time.perf_counter() - start < timeout:
            try:
                if self.evaluate(expression):
                    return time.perf_counter() - start
            except RuntimeError:  # the page was between two documents
                pass
            time.sleep(step)
        raise TimeoutError(f"not true after {timeout:.0f} s: {expression}")

    def close(self) -> None:
        with contextlib.suppress(RuntimeError, OSError):
            self.call("Browser.close")
        try:
            self._process.wait(10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        os.close(self._commands)
        os.close(self._replies)
        self._profile.cleanup()

    def __enter__(self) -> Browser:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def file_url(path: Path) -> str:
    return path.resolve().as_uri()
