"""Builds to compare: a package, a build directory, or a git revision of the notes built now.

`deckgen diff` reads both sides through `load_build`. Building a revision runs the whole
pipeline, so this module sits in the build layer, after review/.
"""

from __future__ import annotations

import io
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from .build import build
from .config import load_config
from .diagnostics import BuildFailed, UsageError
from .review.apkg import Build, packages_in, read_build
from .review.diff import Diff, compare


def compare_builds(specs: Sequence[str], source: Path) -> Diff:
    """`deckgen diff`: OLD and NEW compared, or NEW against nothing (a first release)."""
    with load_build(specs[-1], source) as after:
        if len(specs) == 1:
            return compare(Build({}, {}, {}), after)
        with load_build(specs[0], source) as before:
            return compare(before, after)


@contextmanager
def load_build(spec: str, source: Path) -> Iterator[Build]:
    """A build: a .apkg, a build directory, or a git revision of the notes (built now)."""
    path = Path(spec)
    if path.exists():
        yield read_build(packages_in(path))
        return
    with tempfile.TemporaryDirectory(prefix="deckgen-diff-") as tmp:
        out = _build_revision(spec, source, Path(tmp))
        yield read_build(packages_in(out))


def _build_revision(revision: str, source: Path, tmp: Path) -> Path:
    def git(*args: str, cwd: Path) -> bytes:
        run = subprocess.run(["git", *args], capture_output=True, check=False, cwd=cwd)
        if run.returncode != 0:
            reason = run.stderr.decode().strip().splitlines()[-1:] or ["git failed"]
            raise UsageError(
                f"{revision}: error: not a file, a build directory or a git revision ({reason[0]})"
            )
        return run.stdout

    if not source.is_dir():
        raise UsageError(
            f"{source}: error: source directory does not exist (needed to build {revision})"
        )
    top = Path(git("rev-parse", "--show-toplevel", cwd=source).decode().strip())
    rel = source.resolve().relative_to(top.resolve()).as_posix()
    # Resolved to a commit id first: the revision reaches no other git command, so it can
    # never be read as an option (`--output=FILE`).
    commit = git("rev-parse", "--verify", "--end-of-options", f"{revision}^{{commit}}", cwd=top)
    commit_id = commit.decode().strip()
    commit_time = int(git("log", "-1", "--format=%ct", commit_id, "--", cwd=top).decode().strip())
    tar = git("archive", "--format=tar", commit_id, "--", rel, cwd=top)
    with tarfile.open(fileobj=io.BytesIO(tar)) as archive:
        archive.extractall(tmp / "tree", filter="data")
    try:
        build(load_config(tmp / "tree" / rel, tmp / "build", build_time=commit_time))
    except BuildFailed as failed:
        first = failed.diagnostics[0] if failed.diagnostics else "unknown problem"
        raise UsageError(
            f"{revision}: error: the notes at this revision do not build: {first}"
        ) from None
    return tmp / "build"
