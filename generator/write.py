"""Write: put every output in place atomically, or none of them.

Each file is written to a temporary file in its own directory and renamed over the old
one only after all of them were written: an error, Ctrl-C or a full disk leaves the
previous outputs byte-for-byte as they were.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def write_all(files: dict[Path, bytes]) -> None:
    """Write every `path -> bytes`; unchanged files are left untouched."""
    staged: list[tuple[str, Path]] = []
    try:
        for path, data in sorted(files.items()):
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
        for tmp, path in staged:
            os.replace(tmp, path)
        staged.clear()
    finally:
        for tmp, _ in staged:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
