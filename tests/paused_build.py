"""`python -m tests.paused_build STAGE MARKER deckgen-arguments...`: deckgen's command line,
stopped at a stage or checkpoint of the build (`progress.Progress`), for tests that interrupt
a build at a named point instead of racing a timer (tests/test_robustness.py). It creates
MARKER there and waits to be signalled. The hook lives here, not in deckgen."""

from __future__ import annotations

import sys
import time

from generator.cli import main, notes
from generator.progress import Progress


class PauseAt:
    """A progress that, at stage or checkpoint `name`, creates `marker` and waits."""

    def __init__(self, inner: Progress, name: str, marker: str) -> None:
        self.inner, self.name, self.marker = inner, name, marker

    def stage(self, name: str, total: int) -> None:
        self.inner.stage(name, total)
        if name == self.name:
            self._pause()

    def advance(self, count: int = 1) -> None:
        self.inner.advance(count)

    def checkpoint(self, name: str) -> None:
        self.inner.checkpoint(name)
        if name == self.name:
            self._pause()

    def done(self) -> None:
        self.inner.done()

    def _pause(self) -> None:
        with open(self.marker, "w"):
            pass
        while True:  # until a signal ends the process or the test kills it
            time.sleep(0.05)


if __name__ == "__main__":
    stage, marker, *arguments = sys.argv[1:]
    chosen = notes.progress_for
    notes.progress_for = lambda **kw: PauseAt(chosen(**kw), stage, marker)  # type: ignore[assignment]
    sys.argv = ["deckgen", *arguments]
    main()
