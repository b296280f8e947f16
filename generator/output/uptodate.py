"""Up to date: recognise, cheaply and before any heavy import, a build with nothing to do.

The state file `build/.deckgen-state.json` records a fingerprint of everything a build reads
(every file in the source directory, lock and config included, and deckgen's own code) and
of every file it wrote. When both still match, the outputs are what a build would write.
Deleting the state file (or `build/`) is always safe.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import stat
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..diagnostics import Diagnostic, Severity
from ..fingerprint import code_version
from ..records import Location

STATE_NAME = ".deckgen-state.json"


def input_digests(source: Path) -> dict[str, bytes]:
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
        digests[rel.decode("utf-8", "replace")] = hashlib.sha256(data).digest()
    return digests


def fingerprint(digests: dict[str, bytes], out: Path) -> str:
    """A hash of the inputs (`input_digests`), the output directory and deckgen's code."""
    digest = hashlib.sha256(str(out.resolve()).encode("utf-8", "replace") + b"\0" + code_version())
    for rel in sorted(digests):
        digest.update(rel.encode() + b"\0" + digests[rel])
    return digest.hexdigest()


@dataclass(frozen=True, slots=True)
class State:
    """What the last build left in place."""

    inputs: str
    """The fingerprint of the inputs it read (`fingerprint`)."""
    outputs: tuple[Path, ...]
    """Its outputs."""
    stats: list[list[object]]
    """Each output's path, size and modification time as it wrote them."""
    warnings: tuple[Diagnostic, ...]
    """The warnings it reported."""
    packages: dict[str, str]
    """Each package's file name -> the hash of what it holds (`output.package.package_digests`)."""


def _outputs(paths: Iterable[Path]) -> list[list[object]] | None:
    try:
        # Absolute: the next build may run from another folder of the course.
        return [[str(p.resolve()), p.stat().st_size, p.stat().st_mtime_ns] for p in paths]
    except OSError:
        return None  # an output is gone


def record_state(
    out: Path,
    inputs: str,
    written: Iterable[Path],
    warnings: Iterable[Diagnostic],
    packages: dict[str, str],
) -> None:
    """Remember what this build read and wrote (after the outputs are in place)."""
    state = {
        "inputs": inputs,
        "outputs": _outputs(written),
        "packages": packages,
        "warnings": [
            [str(w.location.path), w.location.line, w.location.col, w.severity, w.message, w.code]
            for w in warnings
        ],
    }
    # Best effort: without a state file the next build simply runs.
    with contextlib.suppress(OSError):
        (out / STATE_NAME).write_text(json.dumps(state), encoding="utf-8")


def up_to_date(out: Path, inputs: str) -> State | None:
    """What the previous build left, if its outputs are current; else None."""
    state = last_state(out)
    if state is None or state.inputs != inputs or _outputs(state.outputs) != state.stats:
        return None
    return state


def last_state(out: Path) -> State | None:
    """What the previous build recorded, current or not; None without a readable state."""
    try:
        state = json.loads((out / STATE_NAME).read_text(encoding="utf-8"))
        paths = [Path(str(p)) for p, _, _ in state["outputs"]]
        warnings = tuple(
            Diagnostic(Location(str(path), int(line), int(col)), Severity(sev), str(msg), str(code))
            for path, line, col, sev, msg, code in state["warnings"]
        )
        packages = {str(name): str(digest) for name, digest in state["packages"].items()}
        return State(str(state["inputs"]), tuple(paths), state["outputs"], warnings, packages)
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None  # no state, another deckgen's, or damaged: build


def in_place(previous: State | None, out: Path, digests: dict[str, str]) -> set[str]:
    """The packages (file names) the previous build wrote with these `digests`, untouched
    since: what this build leaves in place instead of writing again."""
    if previous is None:
        return set()
    recorded = {str(stat[0]): stat for stat in previous.stats}
    same = set()
    for name, digest in digests.items():
        if previous.packages.get(name) != digest:
            continue
        now = _outputs([out / name])  # None when it is gone
        if now is not None and recorded.get(str(now[0][0])) == now[0]:
            same.add(name)
    return same


def remove_stale(previous: State | None, out: Path, outputs: Iterable[Path]) -> None:
    """Remove the packages the previous build wrote in `out` that this one did not (a deck
    whose last file was removed): left behind, `deckgen verify` and students would still find
    them. A state copied with its folder names the original's packages: they are left alone."""
    if previous is None:
        return
    current = {p.resolve() for p in outputs}
    here = out.resolve()
    for path in previous.outputs:
        if (
            path.suffix == ".apkg"
            and path.parent.resolve() == here
            and path.resolve() not in current
        ):
            with contextlib.suppress(OSError):
                path.unlink()
