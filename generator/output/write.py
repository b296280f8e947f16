"""Write: put every output in place atomically, or none of them.

Each file is written to a temporary file in its own directory; only when all of them are
written are they renamed over the old ones, with Ctrl-C held back during the renames. An
error, an interruption or a full disk leaves the previous outputs byte-for-byte as they were.
"""

from __future__ import annotations

import contextlib
import os
import signal
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

from ..diagnostics import CannotWrite


def write_all(files: dict[Path, bytes]) -> None:
    """Write every `path -> bytes`; files whose contents are unchanged are not touched."""
    staged: list[tuple[str, Path]] = []
    path = Path()
    try:
        for path, data in sorted(files.items()):
            _remove_stale_temporaries(path)
            if path.exists() and path.read_bytes() == data:
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            staged.append((tmp, path))
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(tmp, 0o644)
        with _signals_held():
            for tmp, path in staged:
                os.replace(tmp, path)
            staged.clear()
    except OSError as exc:  # named by the output it was for, not by a temporary file
        raise CannotWrite(path, exc.strerror or str(exc)) from exc
    finally:
        for tmp, _ in staged:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)


def _remove_stale_temporaries(path: Path) -> None:
    """Temporary files a killed build (SIGKILL, power loss) could not clean up."""
    if path.parent.is_dir():
        for stale in path.parent.glob(f".{path.name}.*.tmp"):
            with contextlib.suppress(FileNotFoundError):
                stale.unlink()


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Hold SIGINT and SIGTERM back for the few renames, so they happen all together."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    held = {signal.SIGINT, signal.SIGTERM}
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)
