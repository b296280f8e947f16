"""File cache: each notes file's notes (`each_file.FileNotes`), keyed by what makes them.

Lives in `build/.cache/notes/`, outside git; deleting it is always safe. The key is a hash
of the file's text and place, the settings the per-file stages read, and deckgen's code; the
media a file shows are checked on reading (path and SHA-256). A rebuild after one file
changed works on that one file again. Entries no build used last time are removed.

The cache must return exactly what working on the file would: tests/test_cache.py proves
the two equal, field by field.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..diagnostics import Diagnostic, Severity
from ..fingerprint import code_version
from ..records import Kind, Location, Note, Record, SourceFile, TagRef, Variant
from .media import MediaFile, shipped_name

if TYPE_CHECKING:
    from .each_file import FileNotes, Settings


@dataclass(frozen=True)
class CacheUpdate:
    """What a successful build writes to the cache: new entries, and which entries to keep."""

    fresh: dict[str, bytes] = field(default_factory=dict)
    """Key -> entry (`encode`), for the files worked on this time (bytes: a fraction of the
    memory of the notes, which a build holds until it has written everything)."""
    used: frozenset[str] = frozenset()
    """Every key this build used; the rest are removed."""

    def written(self) -> CacheUpdate:
        """The same keys, their bytes dropped: what is left once `store` has written them."""
        return CacheUpdate(dict.fromkeys(self.fresh, b""), self.used)


def key(source: SourceFile, settings: Settings) -> str:
    """A file's cache key: its text and place, the settings and deckgen's code."""
    return hashlib.sha256(
        b"\0".join(
            (
                code_version(),
                sys.version.encode(),  # marshal's format may change between versions
                str(settings.source).encode("utf-8", "surrogateescape"),
                ",".join(sorted(settings.variants)).encode(),
                ",".join(sorted(settings.vocabulary)).encode(),
                (settings.repository or "").encode(),
                settings.course.encode(),
                settings.language.encode(),
                source.path.encode("utf-8", "surrogateescape"),
                source.rel.encode(),
                source.text.encode(),
            )
        )
    ).hexdigest()


def store(directory: Path, update: CacheUpdate) -> None:
    """Write the new entries and remove the ones no longer used (and the parse cache an
    older deckgen kept beside it). Best effort: a cache that cannot be written only makes
    the next build slower."""
    for name, value in update.fresh.items():
        store_entry(directory / name, value)
    with contextlib.suppress(OSError):
        for path in directory.iterdir():
            if path.name not in update.used:
                path.unlink()
    if directory.parent.name == ".cache":
        shutil.rmtree(directory.parent / "parse", ignore_errors=True)


def load(path: Path, settings: Settings) -> FileNotes | None:
    """An entry, if it is exactly what deckgen stored and its media are unchanged: a flipped
    bit or an edit of the same length changes its checksum, and the file is worked on again
    (a cache is never trusted)."""
    entry = read_entry(path)
    return None if entry is None else decode(entry, settings)


def deck_key(deck: str, files: list[str]) -> str:
    """The key of a deck's confusion checks: the deck and the keys of the files its notes
    come from, in order (`each_deck`)."""
    parts = [b"deck", code_version(), sys.version.encode(), deck.encode()]
    return hashlib.sha256(b"\0".join(parts + [k.encode() for k in files])).hexdigest()


def load_problems(path: Path) -> tuple[Diagnostic, ...] | None:
    """Problems `encode_problems` stored, if they are exactly that."""
    entry = read_entry(path)
    try:
        return None if entry is None else _problems(marshal.loads(entry[SUM:]))
    except (EOFError, ValueError, TypeError, IndexError, KeyError, AttributeError):
        return None


def encode_problems(problems: list[Diagnostic]) -> bytes:
    return sealed(marshal.dumps([_problem(d) for d in problems]))


SUM = 32
"""Bytes of SHA-256 before each entry's payload: its checksum, and what names the result."""


def sealed(payload: bytes) -> bytes:
    """An entry as stored: the payload's SHA-256, then the payload."""
    return hashlib.sha256(payload).digest() + payload


def read_entry(path: Path) -> bytes | None:
    """The entry at `path`, if its checksum matches its payload."""
    try:
        entry = path.read_bytes()
    except OSError:
        return None
    if len(entry) < SUM or hashlib.sha256(memoryview(entry)[SUM:]).digest() != entry[:SUM]:
        return None
    return entry


def store_entry(path: Path, entry: bytes) -> None:
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        with os.fdopen(fd, "wb") as handle:
            handle.write(entry)
        os.replace(tmp, path)


# Plain tuples in marshal's format: 10x faster both ways than pickling the frozen records
# (100,000 records: ~1 s a build), and marshal builds no objects but those. Its key
# includes the Python version.


def encode(result: FileNotes) -> bytes:
    """A file's result as a cache entry (`sealed`; never of a file naming a kept note type)."""
    assert not result.kept
    return sealed(
        marshal.dumps(
            (
                [(_record(note.record), note.fields) for note in result.notes],
                [_problem(d) for d in result.problems],
                [
                    (name, media.path, hashlib.sha256(media.data).hexdigest())
                    for name, media in sorted(result.media.items())
                ],
                result.words,
                result.contents,
                result.guids,
                result.lines,
                [_problem(d) for d in result.alone],
            )
        )
    )


def decode(entry: bytes, settings: Settings) -> FileNotes | None:
    """What `encode` made, or None when it is not that, or a media file it names changed.
    Its checksum is the result's `digest` (`load` checks it against the payload)."""
    from .each_file import FileNotes

    try:
        payload = memoryview(entry)[SUM:]
        rows, problem_rows, media_rows, words, contents, guids, lines, alone = marshal.loads(
            payload
        )
        media = _media(media_rows, settings.source)
        if media is None:
            return None
        records = _Records()
        notes = tuple(records.note(row, fields) for row, fields in rows)
        problems = _problems(problem_rows)
        words = tuple(tuple(w) for w in words)
        if not len(notes) == len(words) == len(contents) == len(guids) == len(lines):
            return None
        return FileNotes(
            notes,
            problems,
            media,
            words,
            tuple(map(str, contents)),
            tuple(map(str, guids)),
            tuple(map(bytes, lines)),
            _problems(alone),
            digest=entry[:SUM],
        )
    except (EOFError, ValueError, TypeError, IndexError, KeyError, AttributeError):
        return None  # truncated or from another deckgen: work on the file again


def _media(rows: list[tuple[str, str, str]], source: Path) -> dict[str, MediaFile] | None:
    """The media files an entry names, if each is still inside `source` with the same bytes."""
    media: dict[str, MediaFile] = {}
    for name, rel, digest in rows:
        try:
            path = (source / rel).resolve()
            if not path.is_relative_to(source):
                return None
            data = path.read_bytes()
        except (OSError, RuntimeError):  # RuntimeError: a symbolic link loop
            return None
        if hashlib.sha256(data).hexdigest() != digest:
            return None
        if shipped_name(path.stem, path.suffix, data) != name:
            return None
        media[str(name)] = MediaFile(str(rel), data)
    return media


def _record(r: Record) -> tuple[object, ...]:
    assert r.note_type is None
    topics = tuple((t.name, *_location(t.location)) for t in r.topics)
    variants = tuple(sorted(v.value for v in r.variants))
    head = (r.kind.value, r.deck, r.front, r.back, r.items, r.ordered, r.section, topics)
    return (*head, variants, r.pin, _location(r.location), r.rel, r.tags, r.folded, r.key, r.tts)


_KINDS = {kind.value: kind for kind in Kind}  # a dict, not Kind(value): a tenth of the time


class _Records:
    """Decodes records; those of one file share their topics, variants and tags tuples."""

    def __init__(self) -> None:
        self.topics: dict[Any, tuple[TagRef, ...]] = {}
        self.variants: dict[Any, frozenset[Variant]] = {}
        self.tags: dict[Any, tuple[str, ...]] = {}

    def note(self, row: Any, fields: Any) -> Note:
        kind, deck, front, back, items, ordered, section, topics, variants, *rest = row
        pin, location, rel, tags, folded, key_, tts = rest
        if topics not in self.topics:
            self.topics[topics] = tuple(TagRef(n, Location(p, li, c)) for n, p, li, c in topics)
        if variants not in self.variants:
            self.variants[variants] = frozenset(Variant(v) for v in variants)
        tags = self.tags.setdefault(tags, tuple(tags))
        record = Record(
            _KINDS[kind],
            deck,
            front,
            back,
            tuple(items),
            bool(ordered),
            tuple(section),
            self.topics[topics],
            self.variants[variants],
            pin,
            Location(*location),
            rel,
            tags,
            folded,
            key_,
            None,
            tts,
        )
        return Note(record, tuple(fields), tags)


def _problem(d: Diagnostic) -> tuple[object, ...]:
    return (_location(d.location), d.severity.value, d.message, d.code)


def _problems(rows: Any) -> tuple[Diagnostic, ...]:
    return tuple(
        Diagnostic(Location(*location), Severity(severity), str(message), str(code))
        for location, severity, message, code in rows
    )


def _location(location: Location) -> tuple[str, int, int]:
    return location.path, location.line, location.col
