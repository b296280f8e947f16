"""Up to date: what the last build left in the output folder, and this build's writes.

The state file `build/.deckgen-state` (`codec`) records a fingerprint of everything a build
read (every file in the source directory, lock and config included, the deck description and
deckgen's own code), the size and time of every file it wrote, its warnings and what each
package holds. When the inputs and the outputs still match, there is nothing to do; a package
that holds what this build would write, untouched since, is left in place. Deleting the state
file (or `build/`) is always safe.
"""

from __future__ import annotations

import contextlib
import hashlib
import stat
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .. import codec
from ..config import CONFIG_NAME
from ..diagnostics import Diagnostic
from ..fingerprint import code_version
from .write import Checkpoint, exclusive, recover, write_all

STATE_NAME = ".deckgen-state"

Written = tuple[str, int, int]
"""An output as a build left it: its absolute path, size and modification time (ns)."""


@dataclass(frozen=True, slots=True)
class State:
    """What a build left in place."""

    inputs: str
    """The fingerprint of the inputs it read (`LastBuild.fingerprint`)."""
    outputs: tuple[Written, ...]
    """Each output (packages, records.jsonl, the lock) as it wrote it."""
    warnings: tuple[Diagnostic, ...]
    """The warnings it reported."""
    packages: dict[str, str]
    """Each package's file name -> what it holds (`output.package.package_digests`)."""

    @property
    def paths(self) -> tuple[Path, ...]:
        return tuple(Path(path) for path, _, _ in self.outputs)


class LastBuild:
    """The output folder `out` as this build finds it, for the notes in `source`. `about`
    (the deck description: the release and its date) is an input that is in no file."""

    def __init__(self, source: Path, out: Path, about: str) -> None:
        self.source, self.out = source, out
        self.digests = _input_digests(source)
        """Each input by its path (and the description): what this build reads."""
        self.digests["deck description"] = hashlib.sha256(about.encode()).digest()
        self.state = _read(out / STATE_NAME)
        """What the last build recorded, current or not; None without a readable state."""

    def current(self) -> State | None:
        """The last build's state, if its inputs are this build's and its outputs untouched."""
        state = self.state
        if state is None or state.inputs != self.fingerprint():
            return None
        return state if _written(state.paths) == state.outputs else None

    def in_place(self, digests: dict[str, str]) -> set[str]:
        """The packages (file names) the last build wrote with these `digests`, untouched
        since: what this build leaves in place instead of writing again."""
        if self.state is None:
            return set()
        recorded = set(self.state.outputs)
        same = set()
        for name, digest in digests.items():
            now = _written([self.out / name])  # None when it is gone
            if self.state.packages.get(name) == digest and now and now[0] in recorded:
                same.add(name)
        return same

    def fingerprint(self) -> str:
        """A hash of the inputs, the output directory and deckgen's code."""
        where = str(self.out.resolve()).encode("utf-8", "replace")
        digest = hashlib.sha256(where + b"\0" + code_version())
        for rel in sorted(self.digests):
            digest.update(rel.encode() + b"\0" + self.digests[rel])
        return digest.hexdigest()

    def write(
        self,
        files: dict[Path, bytes],
        kept: Iterable[str],
        warnings: Iterable[Diagnostic],
        packages: dict[str, str],
        checkpoint: Checkpoint = lambda _: None,
    ) -> tuple[Path, ...]:
        """Write `files` all or nothing, remove the packages of the last build this one did
        not make (a deck whose last file was removed), and record the state; the outputs,
        the packages `kept` in place among them (`deckgen.toml` is not one)."""
        write_all(files, self.out, checkpoint)
        outputs = {*files, *(self.out / name for name in kept)}
        outputs.discard(self.source / CONFIG_NAME)
        self._remove_stale(outputs)
        # The state describes the inputs this build read, and those it wrote (the lock, a
        # course id): an input edited while the build ran makes the next build run again.
        for path, data in files.items():
            if path.is_relative_to(self.source):
                self.digests[path.relative_to(self.source).as_posix()] = _sha(data)
        state = State(
            self.fingerprint(), _written(sorted(outputs)) or (), tuple(warnings), packages
        )
        with contextlib.suppress(OSError):  # without a state file the next build simply runs
            (self.out / STATE_NAME).write_bytes(codec.encode(state, State))
        return tuple(sorted(outputs))

    def _remove_stale(self, outputs: set[Path]) -> None:
        """A state copied with its folder names the original's packages: left alone."""
        if self.state is None:
            return
        current = {p.resolve() for p in outputs}
        here = self.out.resolve()
        for path in self.state.paths:
            if (
                path.suffix == ".apkg"
                and path.parent.resolve() == here
                and path.resolve() not in current
            ):
                with contextlib.suppress(OSError):
                    path.unlink()


@contextmanager
def output_folder(source: Path, out: Path, about: str) -> Iterator[LastBuild]:
    """The output folder `out`, this build's alone (a second build waits), with what the last
    build left there (a build killed after its commit point is completed first)."""
    with exclusive(out):
        recover(out)
        yield LastBuild(source, out, about)


def _input_digests(source: Path) -> dict[str, bytes]:
    """Each regular file below `source` (the lock and config included) by its path: what a
    build reads. FIFOs, devices and symlink loops are left out: reading them could hang."""
    digests: dict[str, bytes] = {}
    for path in source.rglob("*"):
        try:
            if not stat.S_ISREG(path.stat().st_mode):
                continue
            data = path.read_bytes()
        except OSError:
            continue  # unreadable now: the build reports it where it reads the file
        rel = path.relative_to(source).as_posix().encode("utf-8", "surrogateescape")
        digests[rel.decode("utf-8", "replace")] = _sha(data)
    return digests


def _sha(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def _written(paths: Iterable[Path]) -> tuple[Written, ...] | None:
    """Each path, absolute (the next build may run from another folder), with its size and
    time; None when one is gone."""
    try:
        return tuple((str(p.resolve()), p.stat().st_size, p.stat().st_mtime_ns) for p in paths)
    except OSError:
        return None


def _read(path: Path) -> State | None:
    try:
        return codec.decode(path.read_bytes(), State)
    except (OSError, ValueError):
        return None  # no state, another deckgen's, or damaged: build
