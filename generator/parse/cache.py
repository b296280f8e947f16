"""Cache: each file's parse results, keyed by a hash of its content (and of deckgen's code).

Lives in `build/.cache/parse/`, outside git; deleting it is always safe. A rebuild after one
file changed parses that one file again. Entries no build used last time are removed.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import sys
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..diagnostics import Diagnostic, Severity
from ..fingerprint import code_version
from ..records import Entry, FileRef, Location, SourceFile, TagRef, Variant
from .walk import parse_file


@dataclass(frozen=True)
class CacheUpdate:
    """What a successful build writes to the cache: new entries, and which entries to keep."""

    fresh: dict[str, bytes] = field(default_factory=dict)
    """Key -> encoded parse result, for the files parsed this time (bytes: a tenth of the
    memory of the records, which a build holds until it has written everything)."""
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
    fresh: dict[str, bytes] = {}
    used: set[str] = set()
    keyed = [(key := _key(source, variants), source, _load(directory / key)) for source in sources]
    parsed = _parse_all([source for _, source, found in keyed if found is None], default_variants)
    for key, source, found in keyed:
        used.add(key)
        if found is None:
            data = parsed.get(source.path)
            if data is None:
                found = parse_file(source, default_variants)
                data = _encode(found)
            else:
                found = _decode(data)
            fresh[key] = data
        entries.extend(found[0])
        problems.extend(found[1])
        on_file()
    return tuple(entries), problems, CacheUpdate(fresh, frozenset(used))


PARALLEL_BYTES = 2_000_000
"""Notes to parse (bytes) over which files are parsed in several processes: below it, starting
them costs more than it saves (markdown-it reads about 2 MB a second)."""


def _parse_all(sources: list[SourceFile], default_variants: frozenset[Variant]) -> dict[str, bytes]:
    """Each file's parse result, encoded, by path: in one process per core when there is
    enough to parse, else none (the caller parses them one by one)."""
    workers = min(len(sources), os.cpu_count() or 1)
    if workers < 2 or sum(len(s.text) for s in sources) < PARALLEL_BYTES:
        return {}
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # forkserver: a fresh process imports deckgen once (fork would copy a process with threads).
    method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
    context = multiprocessing.get_context(method)
    chunks = max(1, len(sources) // (workers * 4))
    try:
        with ProcessPoolExecutor(workers, mp_context=context) as pool:
            results = pool.map(
                _parse_encoded, sources, [default_variants] * len(sources), chunksize=chunks
            )
            return {source.path: data for source, data in zip(sources, results, strict=True)}
    except Exception:  # a worker that died (memory, a signal): parse here, as if alone
        return {}


def _parse_encoded(source: SourceFile, default_variants: frozenset[Variant]) -> bytes:
    return _encode(parse_file(source, default_variants))


def _key(source: SourceFile, variants: bytes) -> str:
    """A file's cache key: its content, its place, the default variants and deckgen's code."""
    return hashlib.sha256(
        b"\0".join(
            (
                code_version(),
                sys.version.encode(),  # marshal's format may change between versions
                variants,
                source.path.encode(),
                source.rel.encode(),
                source.text.encode(),
            )
        )
    ).hexdigest()


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
    """An entry, if it is exactly what deckgen stored: a flipped bit or an edit of the same
    length changes its checksum, and the file is parsed again (a cache is never trusted)."""
    try:
        data = path.read_bytes()
        checksum, payload = data[:_SUM], data[_SUM:]
        if len(checksum) != _SUM or hashlib.sha256(payload).digest() != checksum:
            return None
        return _decode(payload)
    except (OSError, EOFError, ValueError, TypeError, IndexError, KeyError, AttributeError):
        return None  # missing, truncated or from another deckgen: parse again


_SUM = 32  # bytes of sha256 before each entry's payload


def _store(path: Path, data: bytes) -> None:
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        with os.fdopen(fd, "wb") as handle:
            handle.write(hashlib.sha256(data).digest() + data)
        os.replace(tmp, path)


# The cache holds plain tuples in marshal's format: 10x faster both ways than pickling the
# frozen records (100,000 records: ~1 s a build). Its key includes the Python version.


def _encode(value: tuple[list[Entry], list[Diagnostic]]) -> bytes:
    entries, problems = value
    return marshal.dumps(
        (
            [
                (
                    _location(e.location),
                    (e.rel, e.deck, e.section, e.front, e.back, e.items, e.ordered, e.pin),
                    tuple((t.name, *_location(t.location)) for t in e.topics),
                    tuple(sorted(v.value for v in e.variants)),
                    _ref(e.note_type),
                    e.tts,
                )
                for e in entries
            ],
            [(_location(d.location), d.severity.value, d.message, d.code) for d in problems],
        )
    )


def _decode(data: bytes) -> tuple[list[Entry], list[Diagnostic]]:
    rows, problem_rows = marshal.loads(data)
    # Entries of one file share their topics and variants: decode each once.
    topics: dict[tuple[tuple[str, str, int, int], ...], tuple[TagRef, ...]] = {}
    variants: dict[tuple[str, ...], frozenset[Variant]] = {}
    entries = []
    refs: dict[object, FileRef | None] = {None: None}
    for location, fields, tags, kinds, ref, tts in rows:
        if tags not in topics:
            topics[tags] = tuple(TagRef(n, Location(p, li, c)) for n, p, li, c in tags)
        if kinds not in variants:
            variants[kinds] = frozenset(Variant(v) for v in kinds)
        # `fields` are rel .. pin, in Entry's order, between its location and its topics.
        if ref not in refs:
            refs[ref] = FileRef(ref[0], Location(*ref[1]))
        row = (Location(*location), *fields, topics[tags], variants[kinds], refs[ref], tts)
        entries.append(Entry(*row))
    problems = [
        Diagnostic(Location(*location), Severity(severity), message, code)
        for location, severity, message, code in problem_rows
    ]
    return entries, problems


def _location(location: Location) -> tuple[str, int, int]:
    return location.path, location.line, location.col


def _ref(ref: FileRef | None) -> tuple[str, tuple[str, int, int]] | None:
    return None if ref is None else (ref.path, _location(ref.location))
