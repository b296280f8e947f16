"""Read a built package back: its notes, with their note types, decks and times.

Used by `deckgen diff` to compare releases. It reads the schema-11 `collection.anki2`
that genanki (and so deckgen) writes; packages exported by Anki itself are not supported.
"""

from __future__ import annotations

import json
import sqlite3
import tempfile
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

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


def _read(path: Path) -> list[PackagedNote]:
    try:
        with (
            zipfile.ZipFile(path) as archive,
            tempfile.TemporaryDirectory(prefix="deckgen-") as tmp,
        ):
            db = Path(tmp) / "collection.anki2"
            db.write_bytes(archive.read("collection.anki2"))
            return _notes(db)
    except (zipfile.BadZipFile, KeyError, sqlite3.DatabaseError) as exc:
        raise UsageError(f"{path}: error: not a package deckgen can read ({exc})") from None


def _notes(db: Path) -> list[PackagedNote]:
    connection = sqlite3.connect(db)
    try:
        models_json, decks_json = connection.execute("SELECT models, decks FROM col").fetchone()
        models = json.loads(models_json)
        decks = {int(k): v["name"] for k, v in json.loads(decks_json).items()}
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
    finally:
        connection.close()
