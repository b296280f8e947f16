"""Packages in Anki's schema 11 (genanki's, and Anki's "support older Anki versions" export),
read directly: the collection is an SQLite file in the zip, its note types and decks JSON in
its `col` row, its media numbered files named by the zip's `media` map.

A tenth of the time of importing the package into a scratch collection (which needs the anki
package, and is what `package` does for every other format). The file is untrusted: it is
unpacked only up to a size, opened read-only with its schema distrusted, and anything that
is not as Anki writes it sends the package to the anki package, which knows every format.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import sqlite3
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MAX_UNPACKED = 2 << 30
"""The largest collection or media file unpacked from a package."""
POSITIONS = "select nid, min(due) from cards group by nid"
"""Each note's lowest card position (`Tables.position`)."""
_NEWER = ("collection.anki21b",)
"""A collection in a newer format than this module reads (zstd-compressed, schema 18)."""


@dataclass(frozen=True, slots=True)
class Tables:
    """What a package holds, read from its collection's tables."""

    models: dict[int, dict[str, Any]]
    """Note type id -> the note type, as Anki's Python API gives it (`col.models.all()`)."""
    decks: dict[int, str]
    """Deck id -> its name."""
    first_deck: dict[int, int]
    """Note id -> the deck of its first card (notes with no card are missing)."""
    position: dict[int, int]
    """Note id -> the lowest position (`due`) of its cards: a new card's place in the order
    students meet them (notes with no card are missing)."""
    notes: list[tuple[int, str, int, str, str]]
    """Each note: id, GUID, note type id, tags, fields joined by U+001F; in order of id."""
    media: Callable[[str], Path | None]
    """A media file's name in the deck -> the file, or None when the package lacks it."""


def legacy_tables(path: Path, folder: Path) -> Tables | None:
    """The tables of a schema-11 package, unpacked into `folder`; None when the package is not
    one (or not as Anki writes one)."""
    try:
        with zipfile.ZipFile(path) as package:
            names = set(package.namelist())
            inner = next((n for n in ("collection.anki21", "collection.anki2") if n in names), None)
            if inner is None or any(n in names for n in _NEWER):
                return None
            database = _unpack(package, inner, folder / "collection.sqlite")
            mapping = json.loads(package.read("media")) if "media" in names else {}
            if database is None or not isinstance(mapping, dict):
                return None
            tables = _tables(database)
            if tables is None:
                return None
            numbers = {str(name): str(number) for number, name in mapping.items()}
            media_folder = folder / "media"
            media_folder.mkdir()

            def media(name: str) -> Path | None:
                number = numbers.get(name)
                if number is None or number not in names:
                    return None
                with zipfile.ZipFile(path) as again:
                    return _unpack(again, number, media_folder / number)

            models, decks, first_deck, position, notes = tables
            return Tables(models, decks, first_deck, position, notes, media)
    except (OSError, zipfile.BadZipFile, ValueError, sqlite3.Error, KeyError, TypeError):
        return None  # the anki package says what is wrong with it, if anything


def _unpack(package: zipfile.ZipFile, name: str, target: Path) -> Path | None:
    """One member of the zip written to `target`; None when it is too large."""
    if package.getinfo(name).file_size > MAX_UNPACKED:
        return None
    with package.open(name) as source, target.open("wb") as out:
        shutil.copyfileobj(source, out)
    return target


def _tables(database: Path) -> tuple[Any, ...] | None:
    uri = f"file:{database.resolve()}?mode=ro&immutable=1"
    with contextlib.closing(sqlite3.connect(uri, uri=True)) as db:
        db.execute("pragma trusted_schema = off")  # a view or trigger in it runs nothing
        row = db.execute("select models, decks from col").fetchone()
        models = {int(k): v for k, v in json.loads(row[0]).items()}
        decks = {int(k): str(v["name"]) for k, v in json.loads(row[1]).items()}
        if not all(isinstance(m, dict) and "flds" in m and "tmpls" in m for m in models.values()):
            return None
        first_deck = dict(db.execute("select nid, did from cards order by ord desc").fetchall())
        position = dict(db.execute(POSITIONS).fetchall())
        notes = db.execute("select id, guid, mid, tags, flds from notes order by id").fetchall()
    if any(mid not in models for _, _, mid, _, _ in notes):
        return None
    return models, decks, first_deck, position, notes
