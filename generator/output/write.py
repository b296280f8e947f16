"""Write: put every output in place atomically, or none of them, whatever kills the build.

Each file is written to a temporary file beside it and flushed to disk. Only when all of
them are written does a journal (`.deckgen-journal.json`, in the output directory) record
which temporary file becomes which output; then the files are renamed, and the journal is
removed. The journal's own rename is the one commit point: a build killed before it leaves
every previous output as it was; a build killed after it (even by SIGKILL or a power cut)
is completed by the next build (`recover`), before that build reads anything. Packages in
build/ and the lock in source/ therefore never disagree.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import signal
import stat
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

from ..diagnostics import CannotWrite, UsageError

JOURNAL_NAME = ".deckgen-journal.json"

Checkpoint = Callable[[str], None]
"""Called at each named step of a write (`staged`, `journal`, `rename N`, `done`): a test
pauses the process there to kill it at a known point."""


def write_all(
    files: dict[Path, bytes], journal_dir: Path, checkpoint: Checkpoint = lambda _: None
) -> None:
    """Write every `path -> bytes`; files whose contents are unchanged are not touched."""
    staged: list[tuple[str, Path]] = []
    path = Path()
    committed = False
    try:
        for path, data in sorted(files.items()):
            _remove_stale_temporaries(path)
            if path.is_dir() or (path.exists() and not path.is_file()):
                # Found now, not at the renames: after the commit point a rename must not fail.
                raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
            if _same(path, data):
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            staged.append((tmp, path))
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(tmp, 0o644)
        checkpoint("staged")
        if not staged:
            return
        path = journal_dir / JOURNAL_NAME
        _write_journal(path, staged)
        committed = True
        checkpoint("journal")
        with _signals_held():
            for number, (tmp, path) in enumerate(staged):
                checkpoint(f"rename {number}")
                os.replace(tmp, path)
            (journal_dir / JOURNAL_NAME).unlink()
        checkpoint("done")
    except OSError as exc:  # named by the output it was for, not by a temporary file
        raise CannotWrite(path, exc.strerror or str(exc)) from exc
    finally:
        if not committed:
            for tmp, _ in staged:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(tmp)


def recover(journal_dir: Path) -> bool:
    """Complete the renames of a write that was killed after its commit point. True if there
    was one. A journal that cannot be read is removed: it was never committed (its own
    rename is atomic), so the previous outputs stand."""
    path = journal_dir / JOURNAL_NAME
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False  # no journal (or none that can be one): nothing to complete
    try:
        moves = [(str(tmp), Path(str(final))) for tmp, final in json.loads(text)]
    except (ValueError, TypeError):
        moves = []
    for tmp, final in moves:
        if not os.path.exists(tmp):
            continue  # renamed before the kill
        if not (Path(tmp).parent == final.parent and Path(tmp).name.startswith(f".{final.name}.")):
            continue  # not a temporary file of ours: a journal is input, never trusted blindly
        os.replace(tmp, final)
    with contextlib.suppress(FileNotFoundError):
        path.unlink()
    return True


def _write_journal(path: Path, staged: list[tuple[str, Path]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump([[tmp_path, str(final)] for tmp_path, final in staged], handle)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)  # the commit point


def _same(path: Path, data: bytes) -> bool:
    try:
        return path.is_file() and path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False


def _remove_stale_temporaries(path: Path) -> None:
    """Temporary files a build killed before its commit point could not clean up."""
    if path.parent.is_dir():
        for stale in path.parent.glob(f".{path.name}.*.tmp"):
            with contextlib.suppress(FileNotFoundError):
                stale.unlink()


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Hold SIGINT and SIGTERM back for the few renames, so they happen all together."""
    if threading.current_thread() is not threading.main_thread() or os.name != "posix":
        yield  # (Windows has no signal masks: a Ctrl+C there may land between two renames,
        return  # and the journal completes them on the next build, as after a power cut)
    held = {signal.SIGINT, signal.SIGTERM}
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _lock_folder() -> Path:
    """Where this user's build locks live: a folder no other user can write to, so nobody
    else can hold (or plant) a course's lock. The user's runtime folder (XDG_RUNTIME_DIR)
    where there is one, else their cache folder, else a folder of their own in the system's
    temporary directory, made by them and refused if it is anyone else's."""
    candidates = []
    if os.environ.get("XDG_RUNTIME_DIR"):
        candidates.append(Path(os.environ["XDG_RUNTIME_DIR"]) / "deckgen")
    cache = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    candidates.append(Path(cache) / "deckgen" / "locks")
    owner = os.getuid() if os.name == "posix" else None
    # (Windows: the temporary folder is the user's own already, and getpass.getuser() can fail)
    own = "deckgen-locks" if owner is None else f"deckgen-locks-{owner}"
    candidates.append(Path(tempfile.gettempdir()) / own)
    for folder in candidates:
        try:
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            held = os.lstat(folder)
        except OSError:
            continue
        # A real folder (not a link), this user's, that nobody else may write in (Windows:
        # the folders above are the user's own profile's).
        if stat.S_ISDIR(held.st_mode) and (
            owner is None or (held.st_uid == owner and not held.st_mode & 0o022)
        ):
            return folder
    raise UsageError(
        "error: no folder of this user's own to hold deckgen's build lock in: "
        f"{', '.join(str(c) for c in candidates)} could not be made, or are someone else's"
    )


@contextlib.contextmanager
def exclusive(out: Path, timeout: float = 600.0) -> Iterator[None]:
    """Hold the build lock of an output directory: a second build on one tree waits here.

    The lock file lives in a folder of the user's own (`_lock_folder`), named by a hash of
    `out`: a build that fails early leaves no file in build/ or in the notes, and no other
    user of the machine can block a course's builds. `filelock` holds it (flock on POSIX,
    msvcrt on Windows); the file stays, so no build can lock a file another just unlinked.
    """
    from filelock import FileLock, Timeout  # here: it loads asyncio, which an import does not need

    key = hashlib.sha256(str(out.resolve()).encode("utf-8", "replace")).hexdigest()[:16]
    lock = FileLock(_lock_folder() / f"deckgen-build-{key}.lock", preserve_lock_file=True)
    try:
        lock.acquire(timeout=timeout)
    except Timeout:
        raise UsageError(
            f"{out}: error: another deckgen build has been writing here for "
            f"{timeout:.0f} s; try again when it is done"
        ) from None
    try:
        yield
    finally:
        lock.release()
