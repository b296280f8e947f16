"""Up to date: recognise, cheaply and before any heavy import, a build with nothing to do.

The state file `build/.deckgen-state.json` records a fingerprint of everything a build reads
(every file in the source directory, lock and config included, and deckgen's own code) and
of every file it wrote. When both still match, the outputs are what a build would write.
Deleting the state file (or `build/`) is always safe.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path

STATE_NAME = ".deckgen-state.json"
_CODE = Path(__file__).resolve().parent


@cache
def code_version() -> bytes:
    """A hash of deckgen's own code: a new deckgen never trusts an old deckgen's outputs or cache."""
    return code_hash(_CODE)


def code_hash(package: Path) -> bytes:
    """A hash of every `*.py` below `package`, subpackages included, each by its path inside
    the package: a moved or renamed module changes the hash as surely as an edited one."""
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*.py"), key=lambda p: p.relative_to(package).as_posix()):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.digest()


def fingerprint(source: Path, out: Path) -> str:
    """A hash of the inputs: the source tree's files, the output directory and deckgen's code."""
    digest = hashlib.sha256(str(out.resolve()).encode() + b"\0" + code_version())
    for path in sorted(p for p in source.rglob("*") if p.is_file()):
        digest.update(path.relative_to(source).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _outputs(paths: list[Path]) -> list[list[object]]:
    return [[str(p), p.stat().st_size, p.stat().st_mtime_ns] for p in paths]


def record(out: Path, inputs: str, written: list[Path], warnings: list[str]) -> None:
    """Remember what this build read and wrote (after the outputs are in place)."""
    state = {"inputs": inputs, "outputs": _outputs(written), "warnings": warnings}
    (out / STATE_NAME).write_text(json.dumps(state), encoding="utf-8")


def up_to_date(out: Path, inputs: str) -> list[str] | None:
    """The previous build's warnings if its outputs are current, else None."""
    try:
        state = json.loads((out / STATE_NAME).read_text(encoding="utf-8"))
        if state["inputs"] != inputs:
            return None
        if _outputs([Path(str(p)) for p, _, _ in state["outputs"]]) != state["outputs"]:
            return None
        return [str(w) for w in state["warnings"]]
    except (OSError, ValueError, KeyError, TypeError):
        return None
