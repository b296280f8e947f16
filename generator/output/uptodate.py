"""Up to date: recognise, cheaply and before any heavy import, a build with nothing to do.

The state file `build/.deckgen-state.json` records a fingerprint of everything a build reads
(every file in the source directory, lock and config included, and deckgen's own code) and
of every file it wrote. When both still match, the outputs are what a build would write.
Deleting the state file (or `build/`) is always safe.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..diagnostics import Diagnostic, Severity
from ..fingerprint import code_version
from ..records import Location

STATE_NAME = ".deckgen-state.json"


def fingerprint(source: Path, out: Path) -> str:
    """A hash of the inputs: the source tree's files, the output directory and deckgen's code."""
    digest = hashlib.sha256(str(out.resolve()).encode() + b"\0" + code_version())
    for path in sorted(p for p in source.rglob("*") if p.is_file()):
        digest.update(path.relative_to(source).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


@dataclass(frozen=True, slots=True)
class State:
    """What the last build left in place."""

    outputs: tuple[Path, ...]
    """Its outputs, each still exactly as it wrote it."""
    warnings: tuple[Diagnostic, ...]
    """The warnings it reported."""


def _outputs(paths: Iterable[Path]) -> list[list[object]]:
    return [[str(p), p.stat().st_size, p.stat().st_mtime_ns] for p in paths]


def record_state(
    out: Path, inputs: str, written: Iterable[Path], warnings: Iterable[Diagnostic]
) -> None:
    """Remember what this build read and wrote (after the outputs are in place)."""
    state = {
        "inputs": inputs,
        "outputs": _outputs(written),
        "warnings": [
            [str(w.location.path), w.location.line, w.location.col, w.severity, w.message, w.code]
            for w in warnings
        ],
    }
    (out / STATE_NAME).write_text(json.dumps(state), encoding="utf-8")


def up_to_date(out: Path, inputs: str) -> State | None:
    """What the previous build left, if its outputs are current; else None."""
    try:
        state = json.loads((out / STATE_NAME).read_text(encoding="utf-8"))
        if state["inputs"] != inputs:
            return None
        paths = [Path(str(p)) for p, _, _ in state["outputs"]]
        if _outputs(paths) != state["outputs"]:
            return None
        warnings = tuple(
            Diagnostic(Location(str(path), int(line), int(col)), Severity(sev), str(msg), str(code))
            for path, line, col, sev, msg, code in state["warnings"]
        )
        return State(tuple(paths), warnings)
    except (OSError, ValueError, KeyError, TypeError):
        return None  # no state, another deckgen's, or damaged: build
