"""Read a built package back: its notes, with their note types, decks and times.

Used by `deckgen diff` to compare releases. It reads the schema-11 `collection.anki2`
that genanki (and so deckgen) writes; packages exported by Anki itself are not supported.
"""

from __future__ import annotations

import json
import sqlite3
import tempfile
import time
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..diagnostics import UsageError


@dataclass(frozen=True, slots=True)
class PackagedNote:
    """One note as a package holds it."""

    guid: str
    """Anki's GUID: what an import matches on."""
    note_type: str
    """The note type's name."""
    schema: tuple[tuple[str, ...], tuple[str, ...]]
    """The note type's field and template ids: adding or removing one is a schema change."""
    fields: tuple[tuple[str, str], ...]
    """(field name, value) in order."""
    tags: tuple[str, ...]
    """The note's tags, sorted."""
    mod: int
    """The note's modification time: an import updates only if this is newer."""
    deck: str
    """The deck of the note's first card."""

    @property
    def front(self) -> str:
        return self.fields[0][1] if self.fields else ""


def read_packages(paths: Iterable[Path]) -> dict[str, PackagedNote]:
    """GUID -> note, over all the given packages."""
    notes: dict[str, PackagedNote] = {}
    for path in paths:
        for note in _read(path):
            notes[note.guid] = note
    return notes


def packages_in(path: Path) -> list[Path]:
    """The package itself, or every package in a build directory."""
    if path.is_dir():
        found = sorted(path.glob("*.apkg"))
        if not found:
            raise UsageError(f"{path}: error: no .apkg packages in this directory")
        return found
    if path.suffix == ".apkg" and path.is_file():
        return [path]
    raise UsageError(f"{path}: error: not a .apkg package or a build directory")


MAX_COLLECTION = 1 << 30
"""The largest collection read from a package (1 GiB; 100,000 deckgen records are ~100 MB)."""
MAX_RATIO = 200
"""A member that claims to inflate more than this is a zip bomb (text deflates ~10x)."""
SQL_SECONDS = 10.0
"""How long the queries on one foreign collection may run (a recursive view never ends)."""


def _read(path: Path) -> list[PackagedNote]:
    """The notes of a package anyone may have handed over: everything is checked first."""
    try:
        with (
            zipfile.ZipFile(path) as archive,
            tempfile.TemporaryDirectory(prefix="deckgen-") as tmp,
        ):
            db = Path(tmp) / "collection.anki2"
            _extract(archive, db)
            return _notes(db)
    except (zipfile.BadZipFile, sqlite3.DatabaseError, OSError, EOFError) as exc:
        raise UsageError(f"{path}: error: not a package deckgen can read ({exc})") from None
    except _Refused as exc:
        raise UsageError(f"{path}: error: {exc}") from None


class _Refused(Exception):
    """A package that is not read, and why."""


def _extract(archive: zipfile.ZipFile, target: Path) -> None:
    try:
        info = archive.getinfo("collection.anki2")
    except KeyError:
        raise _Refused("no collection.anki2 inside: not an Anki package") from None
    if info.flag_bits & 0x1:
        raise _Refused("the collection is encrypted")
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise _Refused(f"the collection uses an unknown compression ({info.compress_type})")
    if info.file_size > MAX_COLLECTION:
        raise _Refused(f"the collection would be {info.file_size} bytes (at most {MAX_COLLECTION})")
    if info.file_size > MAX_RATIO * max(info.compress_size, 1) + (1 << 20):
        raise _Refused("the collection inflates too far for its size: a zip bomb")
    written = 0
    with archive.open(info) as source, target.open("wb") as sink:
        while chunk := source.read(1 << 20):
            written += len(chunk)
            if written > info.file_size:  # the header lied about the size
                raise _Refused("the collection is larger than the package says")
            sink.write(chunk)


def _notes(db: Path) -> list[PackagedNote]:
    # Read-only, and every query stopped after SQL_SECONDS: the file is someone else's.
    connection = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    deadline = time.monotonic() + SQL_SECONDS
    connection.set_progress_handler(lambda: int(time.monotonic() > deadline), 10_000)
    try:
        kinds = dict(connection.execute("SELECT name, type FROM sqlite_master"))
        for table in ("col", "notes", "cards"):
            if kinds.get(table) != "table":
                raise _Refused(f"'{table}' is not a table of an Anki collection")
        row = connection.execute("SELECT models, decks FROM col").fetchone()
        if row is None:
            raise _Refused("the collection has no 'col' row")
        try:
            models = json.loads(row[0])
            decks = {int(k): str(v["name"]) for k, v in json.loads(row[1]).items()}
            return _rows(connection, models, decks)
        except (ValueError, KeyError, TypeError, AttributeError, IndexError) as exc:
            raise _Refused(f"the collection's note types or decks are malformed ({exc})") from None
    except sqlite3.OperationalError as exc:
        if "interrupted" in str(exc):
            raise _Refused(f"reading the collection took over {SQL_SECONDS:.0f} s") from None
        raise
    finally:
        connection.close()


def _rows(connection: sqlite3.Connection, models: Any, decks: dict[int, str]) -> list[PackagedNote]:
    deck_of = dict(connection.execute("SELECT nid, did FROM cards ORDER BY ord DESC"))
    notes = []
    for nid, guid, mid, mod, flds, tags in connection.execute(
        "SELECT id, guid, mid, mod, flds, tags FROM notes ORDER BY id"
    ):
        model = models[str(mid)]
        names = tuple(f["name"] for f in model["flds"])
        # What Anki treats as the schema: fields and templates by id (by name without ids).
        shape = (
            tuple(str(f.get("id") or f["name"]) for f in model["flds"]),
            tuple(str(t.get("id") or t["name"]) for t in model["tmpls"]),
        )
        values = flds.split("\x1f")
        notes.append(
            PackagedNote(
                guid=guid,
                note_type=model["name"],
                schema=shape,
                fields=tuple(zip(names, values, strict=False)),
                tags=tuple(sorted(tags.split())),
                mod=int(mod),
                deck=decks.get(deck_of.get(nid, 0), "?"),
            )
        )
    return notes
