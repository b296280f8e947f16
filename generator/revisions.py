"""Builds to compare: a package, a build directory, or a git revision of the notes built now.

`deckgen diff` reads both sides through `load_build`. Building a revision runs the whole
pipeline, so this module sits in the build layer, after review/.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .build import build
from .config import LOCK_NAME, RELEASE_TAG, load_config
from .course_table import CourseIdentity
from .diagnostics import BuildFailed, UsageError
from .identity.stamp import Recall
from .review.apkg import Build, packages_in, read_build
from .review.diff import compare, to_json
from .review.recall import History, recall_in
from .review.release_notes import to_markdown


def release_notes(
    specs: Sequence[str], source: Path, release: str | None, output_format: str
) -> str:
    """`deckgen diff`: OLD and NEW compared, or NEW against the release before `release`
    (or nothing: a first release), as Markdown release notes or JSON."""
    old: Spec | None = Spec(specs[0]) if len(specs) == 2 else None
    if release is not None and len(specs) == 1:
        previous = previous_release(release, source)
        # The tag itself, never a file or folder that happens to bear its name.
        old = Spec(f"refs/tags/{previous}", revision=True) if previous else None
    with load_build(Spec(specs[-1]), source) as after:
        if old is None:
            result = compare(Build({}, {}, {}), after)
        else:
            with load_build(old, source) as before:
                result = compare(before, after)
    if output_format == "json":
        return to_json(result) + "\n"
    return to_markdown(result, release, first=old is None)


def previous_release(tag: str, source: Path) -> str | None:
    """The highest release tag below `tag` (pre-releases never count), None for the first
    release. A shallow clone is refused: its missing tags would make any release look first."""
    match = RELEASE_TAG.fullmatch(tag)
    if match is None:
        raise UsageError(f"{tag}: error: not a release tag (vMAJOR.MINOR.PATCH, or -SUFFIX)")
    where = source if source.is_dir() else Path.cwd()

    def git(*args: str) -> str:
        run = subprocess.run(["git", *args], capture_output=True, text=True, cwd=where)
        if run.returncode != 0:
            raise UsageError(f"{where}: error: git {args[0]} failed: {run.stderr.strip()}")
        return run.stdout

    if git("rev-parse", "--is-shallow-repository").strip() != "false":
        raise UsageError(
            f"{tag}: error: a shallow clone has not every tag: fetch them (fetch-depth: 0)"
        )
    mine = tuple(int(n) for n in match.groups()[:3])
    earlier = []
    for name in git("tag", "--list", "v*").split():
        found = RELEASE_TAG.fullmatch(name)
        if found and found.group(4) is None:
            version = tuple(int(n) for n in found.groups()[:3])
            if version < mine:
                earlier.append((version, name))
    return max(earlier)[1] if earlier else None


@dataclass(frozen=True, slots=True)
class Spec:
    """A build as a user names it on the command line."""

    text: str
    """A .apkg, a build directory, or a git revision of the notes."""
    revision: bool = False
    """Known to be a git revision (a tag deckgen found itself): a file of that name is not it."""


@contextmanager
def load_build(spec: Spec, source: Path) -> Iterator[Build]:
    """A build: a .apkg, a build directory, or a git revision of the notes (built now)."""
    with packages_of(spec, source) as packages:
        yield read_build(packages)


@contextmanager
def packages_of(spec: Spec, source: Path) -> Iterator[list[Path]]:
    """The packages of a build: those at a path, or those the notes at a revision build now
    (in a scratch folder, deleted afterwards). A name that is both a path and a revision is
    refused, as git refuses it: `./NAME` is the path, `refs/tags/NAME` the tag."""
    if not spec.revision and _is_path(spec.text, source):
        yield packages_in(Path(spec.text))
        return
    with tempfile.TemporaryDirectory(prefix="deckgen-revision-") as tmp:
        yield packages_in(_build_revision(spec.text, source, Path(tmp)))


def _is_path(spec: str, source: Path) -> bool:
    if not Path(spec).exists():
        return False
    written_as_path = spec.startswith(("/", "./", "../")) or spec.endswith(".apkg")
    if written_as_path or not source.is_dir():
        return True
    known = subprocess.run(
        ["git", "rev-parse", "--verify", "--quiet", "--end-of-options", f"{spec}^{{commit}}"],
        capture_output=True,
        cwd=source,
        check=False,
    )
    if known.returncode == 0:
        raise UsageError(
            f"{spec}: error: both a path and a git revision: write ./{spec} for the path, "
            f"or refs/tags/{spec} (refs/heads/{spec}) for the revision"
        )
    return True


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
    # The notes as a checkout of that commit has them, written by git itself through an
    # index of our own (the repository's index and work tree are untouched). Not `git archive`
    # and tarfile: extracting an archive safely (`filter=`) needs Python 3.11.4, and Debian 12
    # has 3.11.2.
    index = {**os.environ, "GIT_INDEX_FILE": str(tmp / "index")}
    tree = f"{commit_id}:{'' if rel == '.' else rel}"
    for args in (
        ["read-tree", tree],
        ["checkout-index", "--all", f"--prefix={tmp / 'tree' / rel}/"],
    ):
        run = subprocess.run(["git", *args], capture_output=True, check=False, cwd=top, env=index)
        if run.returncode != 0:
            reason = run.stderr.decode(errors="replace").strip()
            raise UsageError(f"{revision}: error: git {args[0]} failed: {reason}")
    try:
        build(load_config(tmp / "tree" / rel, tmp / "build", build_time=commit_time))
    except BuildFailed as failed:
        first = failed.diagnostics[0] if failed.diagnostics else "unknown problem"
        raise UsageError(
            f"{revision}: error: the notes at this revision do not build: {first}"
        ) from None
    return tmp / "build"


def lock_commit(source: Path) -> Callable[[CourseIdentity], Recall]:
    """The notes at the commit that last wrote the lock, built when first asked: what the
    lock describes, and so what students have of a note removed since (build.py asks when
    the output folder cannot say). Outside git, or before any commit, it knows nothing."""

    def earlier(course: CourseIdentity) -> Recall:
        def git(*args: str) -> str:
            run = subprocess.run(["git", *args], capture_output=True, text=True, cwd=source)
            return run.stdout.strip() if run.returncode == 0 else ""

        commit = git("log", "-1", "--format=%H", "--", LOCK_NAME) if source.is_dir() else ""
        if not commit:
            return recall_in({}, course)
        with tempfile.TemporaryDirectory(prefix="deckgen-lock-commit-") as tmp:
            try:
                built = read_build(packages_in(_build_revision(commit, source, Path(tmp))))
            except UsageError:  # that commit's notes do not build: it cannot tell
                return recall_in({}, course)
        return recall_in(built.notes, course)

    return earlier


def history(source: Path) -> History:
    """What git holds of the course's past: the notes at the commit that last wrote the lock
    (built when first asked), and the notes each release tag shipped."""
    from .removals import released_keys

    return History(lock_commit(source), lambda: released_keys(source))
