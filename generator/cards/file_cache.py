"""File cache: what working on a notes file (and checking a deck) gave the last build, by a
key of everything that makes it.

Lives in `build/.cache/notes/`, outside git; deleting it is always safe. A key is a hash of
deckgen's code and Python's version and of the inputs the caller names (a file's text, place
and the settings; a deck and its files' keys); an entry is `codec`'s sealed bytes. A rebuild
after one file changed works on that one file again. Nothing is written while a build runs:
`store` writes the new entries and removes those this build did not use, once every check has
passed, so a `check` or a failed build leaves build/ alone.

An entry must be exactly what working afresh gives: tests/test_cache.py proves the two equal.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import TypeVar, cast

from .. import codec
from ..fingerprint import code_version

T = TypeVar("T")
Memory = dict[str, tuple[object, bytes | None]]
"""Name -> a value, and its entry until a build stores it (`Cache.memory`)."""


def key(*parts: str) -> str:
    """A cache key: deckgen's code, Python's version and `parts`."""
    digest = hashlib.sha256(code_version() + sys.version.encode())
    for part in parts:
        digest.update(b"\0" + part.encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


class Cache:
    """The entries of `build/.cache/notes/` a build reads, and those it will store."""

    def __init__(self, directory: Path | None, memory: Memory | None = None) -> None:
        self.directory = directory
        """None: nothing is read or kept (every result is worked afresh)."""
        self.memory = memory
        """What one process keeps of its builds (`preview --watch`): each entry read or made,
        decoded, with its bytes while no build has stored them, and what `hold` was given;
        None: nothing (each build reads its entries from the directory)."""
        self.fresh: dict[str, bytes] = {}
        """Key -> entry made by this build (bytes: a fraction of the memory of the notes)."""
        self.used: set[str] = set()
        """Every key this build read or made: the entries `store` keeps."""

    def load(self, name: str, kind: type[T]) -> T | None:
        """The `kind` kept under `name`, if it is exactly what deckgen stored."""
        if self.directory is None:
            return None
        if self.memory is not None and name in self.memory:
            value, unstored = self.memory[name]  # (decoded from its entry, or made: `keep`)
            if unstored is not None:
                self.fresh[name] = unstored
            self.used.add(name)
            return cast(T, value)
        try:
            value = codec.decode((self.directory / name).read_bytes(), kind)
        except (OSError, ValueError):
            return None  # none, damaged, or another deckgen's: worked afresh
        self.used.add(name)
        if self.memory is not None:
            self.memory[name] = (value, None)
        return value

    def keep(self, name: str, entry: bytes, value: object = None) -> None:
        """Store `entry` (`codec.encode` of `value`) under `name` when the build succeeds."""
        if self.directory is not None:
            self.fresh[name] = entry
            self.used.add(name)
            if self.memory is not None and value is not None:
                self.memory[name] = (value, entry)  # a build that fails stores nothing

    def hold(self, name: str, value: object) -> None:
        """Keep `value` in `memory` alone, never written, until the next `store`."""
        if self.memory is not None:
            self.memory[name] = (value, None)

    def held(self, name: str, kind: type[T]) -> T | None:
        """What `hold` kept under `name`."""
        found = None if self.memory is None else self.memory.get(name)
        return None if found is None else cast(T, found[0])

    def store(self) -> None:
        """Write the new entries and remove the ones this build did not use. Best effort: a
        cache that cannot be written only makes the next build slower."""
        if self.directory is None:
            return
        for name, entry in self.fresh.items():
            with contextlib.suppress(OSError):
                self.directory.mkdir(parents=True, exist_ok=True)
                fd, tmp = tempfile.mkstemp(dir=self.directory, prefix=".tmp-")
                with os.fdopen(fd, "wb") as handle:
                    handle.write(entry)
                os.replace(tmp, self.directory / name)
        self.fresh = {}
        if self.memory is not None:  # what this build did not use goes, as on disk
            kept = {n: (found[0], None) for n, found in self.memory.items() if n in self.used}
            self.memory.clear()
            self.memory.update(kept)
        with contextlib.suppress(OSError):
            for path in self.directory.iterdir():
                if path.name not in self.used:
                    path.unlink()
            for path in self.directory.parent.iterdir():  # what an older deckgen kept
                if path != self.directory and self.directory.parent.name == ".cache":
                    shutil.rmtree(path) if path.is_dir() else path.unlink()


NO_CACHE = Cache(None)
"""Nothing read, nothing kept: `check`, `stats` and the library's default."""
