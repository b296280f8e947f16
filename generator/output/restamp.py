"""Restamp: an edit rebuild stamps the notes of the files that changed, and patches the lock
the last build wrote instead of making it whole.

Each build leaves a memo, `build/.cache/stamps` (`remember`): for each notes file, by cache
key, the digest of its notes (`FileNotes.digest`) and each note's stamp (GUID, mod, seed);
the lock lines of the removed notes; and the SHA-256 of the lock it wrote. When the next
build finds that lock (`restamp`):

- a note of an unchanged file (same key, same digest) takes its stamp from the memo: its
  file's notes claimed their own lock entries last time, by key, and claim them again before
  any other matching is done;
- the other lock entries (those of the files that changed or are gone, made again from their
  notes in the file cache under their old keys, and the removed notes') are the lock the
  stamp stage sees, with the notes of the changed files (`identity.stamp`, unchanged);
- the lock is the last build's lines with those entries' lines dropped and the new ones put
  in their sorted place.

Anything that does not hold (no memo, a lock not as written, an old file's cache entry
gone, a duplicate across files, a file naming a kept note type, a time past the clock, a
line not where it should be, more changed than unchanged) and the whole lock is stamped
instead. tests/test_restamp.py proves the two ways equal.

records.jsonl is joined from the lines each file made (`output.records_file`), not patched:
patching it held the last one's 38 MB (100,000 records) twice at the build's peak.
"""

from __future__ import annotations

import hashlib
import json
import marshal
from bisect import bisect_left
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..cards import file_cache
from ..cards.each_file import Course, Settings
from ..config import Config
from ..diagnostics import BuildFailed, Diagnostic, shown_path
from ..fingerprint import code_version
from ..identity.lock import LockedRecord, head_lines, order, read_lines, record_line
from ..identity.stamp import FUTURE_TOLERANCE, Earlier, Stamp, Stamped, stamp


@dataclass(frozen=True, slots=True)
class Files:
    """The notes files a build stamped, in order: what `remember` keeps of each."""

    keys: tuple[str, ...]
    """Each file's cache key (`FileNotes.key`)."""
    digests: tuple[bytes, ...]
    """Each file's `FileNotes.digest`."""
    counts: tuple[int, ...]
    """How many of the build's notes (`Course.notes`) each file gave, in that order."""


@dataclass(frozen=True, slots=True)
class Restamped:
    """The stamp stage's result made from the last build's, and the lock it patched."""

    stamped: Stamped
    problems: list[Diagnostic]
    lock: str
    """deckgen.lock's text as this build leaves it."""


def files_of(course: Course) -> Files:
    counts = [0] * len(course.keys)
    for index in course.files:
        counts[index] += 1
    return Files(tuple(course.keys), tuple(course.digests), tuple(counts))


def restamp(
    course: Course, files: Files, config: Config, settings: Settings, earlier: Earlier
) -> Restamped | None:
    """The stamp stage of `course` from the memo the last build left in `config.out`, or
    None when it cannot be made that way (the caller stamps every note)."""
    memo = _read_memo(config.stamps_path)
    if memo is None or not course.complete or "" in files.keys or "" in memo.files:
        return None
    try:
        lock_bytes = config.lock_path.read_bytes()
        lock_text = lock_bytes.decode()
    except (OSError, UnicodeDecodeError):
        return None
    if _sha(lock_bytes) != memo.lock:
        return None
    del lock_bytes
    known: list[Stamp | None] = []
    unchanged: set[str] = set()
    for key, digest, count in zip(files.keys, files.digests, files.counts, strict=True):
        last = memo.files.get(key)
        if last is not None and last.digest == digest and len(last.mods) == count:
            if count and max(last.mods) > config.now + FUTURE_TOLERANCE:
                return None  # stamped whole, the time is reported
            unchanged.add(key)
            known.extend(zip(last.guids, last.mods, last.seeds, strict=True))
        else:
            known.extend([None] * count)
    same = len(known) - known.count(None)
    if 2 * same < len(known):
        return None  # more changed than not: stamping whole is as quick
    gone = _gone_files(memo, unchanged, config.cache_dir, settings)
    if gone is None:
        return None
    lines = lock_text.split("\n")
    del lock_text
    head = _head(lines, config.course.id)
    want = set(gone) | set(memo.removed)
    found = [n for n, line in enumerate(lines) if line in want]
    # Every line is the head's, an unchanged note's or one of `want`, each once.
    expected = len(gone) + len(memo.removed)
    if head is None or lines[-1] != "" or not len(found) == len(want) == expected:
        return None
    if found and found[0] < head:
        return None
    if len(lines) != head + same + expected + 1:
        return None
    shown = shown_path(config.lock_path)
    try:
        entries = read_lines([(n + 1, lines[n]) for n in [*range(head), *found]], shown)
    except BuildFailed:
        return None
    stamped, problems = stamp(
        course.notes,
        course.contents,
        course.guids,
        entries,
        config.build_time,
        config.now,
        shown,
        config.course,
        earlier,
        config.style,
        known,
    )
    body = _patched(
        lines[head:-1],
        {n - head for n in found},
        [(order(entry), record_line(entry)) for entry in stamped.lock.records],
    )
    if body is None:
        return None
    text = "\n".join([*head_lines(stamped.lock.course, stamped.lock.models), *body, ""])
    return Restamped(stamped, problems, text)


def remember(path: Path, files: Files, stamped: Stamped, lock: bytes) -> None:
    """Write the memo of this build (best effort: without it, the next build stamps whole)."""
    rows: list[tuple[Any, ...]] = []
    at = 0
    for key, digest, count in zip(files.keys, files.digests, files.counts, strict=True):
        stamps = stamped.stamps[at : at + count]
        at += count
        guids, mods, seeds = zip(*stamps, strict=True) if stamps else ((), (), ())
        rows.append((key, digest, guids, mods, seeds))
    removed = [record_line(r) for r in stamped.lock.records if r.removed is not None]
    memo = (_VERSION, code_version(), _sha(lock), rows, removed)
    file_cache.store_entry(path, file_cache.sealed(marshal.dumps(memo)))


_VERSION = 2


@dataclass(frozen=True, slots=True)
class _Last:
    """One file's notes as the last build stamped them."""

    digest: bytes
    guids: tuple[str, ...]
    mods: tuple[int, ...]
    seeds: tuple[str | None, ...]


@dataclass(frozen=True, slots=True)
class _Memo:
    lock: bytes
    files: dict[str, _Last]
    removed: tuple[str, ...]


def _read_memo(path: Path) -> _Memo | None:
    """The memo at `path`, if it is exactly what this deckgen wrote (read like a cache entry:
    its checksum, then the type of every value)."""
    entry = file_cache.read_entry(path)
    if entry is None:
        return None
    try:
        version, code, lock, rows, removed = marshal.loads(entry[file_cache.SUM :])
        if version != _VERSION or code != code_version():
            return None
        files: dict[str, _Last] = {}
        for key, digest, guids, mods, seeds in rows:
            last = _Last(digest, tuple(guids), tuple(mods), tuple(seeds))
            fine = (
                isinstance(key, str)
                and isinstance(digest, bytes)
                and len(last.guids) == len(last.mods) == len(last.seeds)
                and all(type(m) is int for m in last.mods)
                and all(type(g) is str for g in last.guids)
                and all(s is None or type(s) is str for s in last.seeds)
            )
            if not fine:
                return None
            files[key] = last
        if not isinstance(lock, bytes):
            return None
        if not all(type(line) is str for line in removed):
            return None
        return _Memo(lock, files, tuple(removed))
    except (EOFError, ValueError, TypeError, AttributeError):
        return None


def _sha(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def _gone_files(
    memo: _Memo, unchanged: set[str], cache: Path, settings: Settings
) -> list[str] | None:
    """The lock lines the last build wrote for the notes of the files that are not unchanged,
    made again from their cache entries; None when one is gone."""
    lines: list[str] = []
    for key, last in memo.files.items():
        if key in unchanged:
            continue
        old = file_cache.load(cache / key, settings)
        if old is None or old.digest != last.digest or len(old.notes) != len(last.mods):
            return None
        for at, note in enumerate(old.notes):
            record = note.record
            seed = last.seeds[at] or record.key
            entry = LockedRecord(
                record.deck, record.folded, record.pin, seed, old.contents[at], last.mods[at]
            )
            lines.append(record_line(entry))
    return lines


def _head(lines: list[str], course: str) -> int | None:
    """How many lines the lock's head (`head_lines`) takes."""
    start = head_lines(course, [])
    if lines[:2] != start:
        return None
    at = 2
    while at < len(lines) and lines[at].startswith('{"model": '):
        at += 1
    return at


def _lock_order(line: str) -> tuple[str, str, str]:
    """`identity.lock.order` of the entry a lock line holds."""
    data = json.loads(line)
    return data["deck"], data["front"], data.get("pin") or ""


def _patched(
    lines: list[str], drop: set[int], add: list[tuple[tuple[str, str, str], str]]
) -> list[str] | None:
    """The lock's record lines (sorted by `identity.lock.order`) without the lines at the
    indexes `drop`, with each (order, line) of `add` in its sorted place; None when an added
    entry's place is already taken."""
    key = _lock_order
    kept = [line for n, line in enumerate(lines) if n not in drop]
    add.sort(key=lambda pair: pair[0])
    patched: list[str] = []
    start = 0
    for n, (k, line) in enumerate(add):
        # Galloping from the last place: the lines of one file's notes are mostly together.
        low, bound, step = start, start, 1
        while bound < len(kept) and key(kept[bound]) < k:
            low, bound, step = bound + 1, bound + 1 + step, step * 2
        at = bisect_left(kept, k, low, min(bound, len(kept)), key=key)
        if (at < len(kept) and key(kept[at]) == k) or (n and add[n - 1][0] == k):
            return None
        patched.extend(kept[start:at])
        patched.append(line)
        start = at
    patched.extend(kept[start:])
    return patched
