"""Progress: how a long build tells the user where it is, without the stages knowing how."""

from __future__ import annotations

import gc
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Protocol, TextIO


class Progress(Protocol):
    """What the build reports: a stage starting (with how many things it will do), and steps."""

    def stage(self, name: str, total: int) -> None: ...

    def advance(self, count: int = 1) -> None: ...

    def checkpoint(self, name: str) -> None: ...

    def done(self) -> None: ...


class Silent:
    """No progress at all: the default for the library, for CI logs and for --quiet."""

    def stage(self, name: str, total: int) -> None:
        pass

    def advance(self, count: int = 1) -> None:
        pass

    def checkpoint(self, name: str) -> None:
        pass  # steps inside a stage are not shown

    def done(self) -> None:
        pass


SILENT = Silent()


class TerminalBar:
    """One line, redrawn in place, that appears only once the build has run for `delay` seconds."""

    WIDTH = 24

    def __init__(self, stream: TextIO | None = None, delay: float = 1.0) -> None:
        self.stream = stream or sys.stderr  # looked up now: sys.stderr may be replaced
        self.delay = delay
        self.start = time.monotonic()
        self.name, self.total, self.count, self.shown = "", 0, 0, False

    def stage(self, name: str, total: int) -> None:
        self.name, self.total, self.count = name, total, 0
        self._draw()

    def advance(self, count: int = 1) -> None:
        self.count += count
        if (
            self.total < 100
            or self.count % max(1, self.total // 100) == 0
            or self.count == self.total
        ):
            self._draw()

    def checkpoint(self, name: str) -> None:
        pass  # steps inside a stage are not shown

    def done(self) -> None:
        if self.shown:
            self.stream.write("\r\033[K")
            self.stream.flush()

    def _draw(self) -> None:
        if time.monotonic() - self.start < self.delay:
            return
        self.shown = True
        if self.count == 0:  # a stage that does not report steps: its size is the news
            line = f"{self.name:<10} {self.total} ..."
        else:
            filled = self.WIDTH * self.count // self.total if self.total else self.WIDTH
            line = f"{self.name:<10} [{'#' * filled}{'-' * (self.WIDTH - filled)}] {self.count}/{self.total}"
        self.stream.write(f"\r\033[K{line}")
        self.stream.flush()


class Verbose:
    """A line per stage with its time, for --verbose (and for finding where time goes)."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.start = self.last = time.monotonic()
        self.name, self.total = "", 0

    def stage(self, name: str, total: int) -> None:
        self._finish()
        self.name, self.total = name, total

    def advance(self, count: int = 1) -> None:
        pass

    def checkpoint(self, name: str) -> None:
        pass  # steps inside a stage are not shown

    def done(self) -> None:
        self._finish()
        self.stream.write(f"total      {time.monotonic() - self.start:7.3f} s\n")

    def _finish(self) -> None:
        now = time.monotonic()
        if self.name:
            self.stream.write(f"{self.name:<10} {now - self.last:7.3f} s  ({self.total})\n")
        self.last = now


def choose(*, quiet: bool, verbose: bool, terminal: bool) -> Progress:
    """The progress a command shows: stage times with --verbose, a bar on a terminal, else
    nothing."""
    if verbose:
        return Verbose()
    if quiet or not terminal:
        return SILENT
    return TerminalBar()


@contextmanager
def gc_paused(freeze: bool = True) -> Iterator[None]:
    """Pause the cyclic garbage collector for one build.

    The pipeline makes hundreds of thousands of frozen records and no reference cycles, so
    the collector only costs time: 100,000 records build in 21 s instead of 31 s, with the
    same peak memory. It is the process's business: the CLI asks for it, the library never does.
    With `freeze`, what the build made is never scanned again (a process that goes on, as
    `preview --watch` does, leaves it out: its cycles, if any, must still be collected).
    """
    gc.disable()
    try:
        yield
    finally:
        if freeze:
            gc.freeze()  # what the build made is never collected: enabling must not scan it all
        gc.enable()
