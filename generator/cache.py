"""Cache: each file's parse results, keyed by a hash of its content (and of deckgen's code).

Lives in `build/.cache/parse/`, outside git; deleting it is always safe. A rebuild after one
file changed parses that one file again. Entries no build used last time are removed.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .diagnostics import Diagnostic
from .parse import parse_file
from .records import Entry, SourceFile, Variant
from .uptodate import code_version


@dataclass(frozen=True)
class CacheUpdate:
    """What a successful build writes to the cache: new entries, and which entries to keep."""

    fresh: dict[str, tuple[list[Entry], list[Diagnostic]]] = field(default_factory=dict)
    """Key -> parse result, for the files parsed this time."""
    used: frozenset[str] = frozenset()
    """Every key this build used; the rest are removed."""


def parse_cached(
    sources: Iterable[SourceFile],
    default_variants: frozenset[Variant],
    directory: Path,
    on_file: Callable[[], None] = lambda: None,
) -> tuple[tuple[Entry, ...], list[Diagnostic], CacheUpdate]:
    """`parse.parse`, with each file's result read from the cache when its content is unchanged.

    Nothing is written here: `store` writes the update once the build has succeeded, so a
    check or a failed build leaves build/ alone.
    """
    entries: list[Entry] = []
    problems: list[Diagnostic] = []
    variants = ",".join(sorted(default_variants)).encode()
    fresh: dict[str, tuple[list[Entry], list[Diagnostic]]] = {}
    used: set[str] = set()
    for source in sources:
        key = hashlib.sha256(
            b"\0".join(
                (
                    code_version(),
                    variants,
                    source.path.encode(),
                    source.rel.encode(),
                    source.text.encode(),
                )
            )
        ).hexdigest()
        used.add(key)
        found = _load(directory / key)
        if found is None:
            found = fresh[key] = parse_file(source, default_variants)
        entries.extend(found[0])
        problems.extend(found[1])
        on_file()
    return tuple(entries), problems, CacheUpdate(fresh, frozenset(used))


def store(directory: Path, update: CacheUpdate) -> None:
    """Write the new entries and remove the ones no longer used. Best effort: a cache that
    cannot be written only makes the next build slower."""
    for key, value in update.fresh.items():
        _store(directory / key, value)
    with contextlib.suppress(OSError):
        for path in directory.iterdir():
            if path.name not in update.used:
                path.unlink()


def _load(path: Path) -> tuple[list[Entry], list[Diagnostic]] | None:
    try:
        with path.open("rb") as handle:
            value = pickle.load(handle)  # our own file, written below: never untrusted input
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError, TypeError):
        return None
    return value if isinstance(value, tuple) and len(value) == 2 else None


def _store(path: Path, value: tuple[list[Entry], list[Diagnostic]]) -> None:
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        with os.fdopen(fd, "wb") as handle:
            pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
