"""Read a built package back: its notes, with their note types, decks and times; its note
types' look; its media files.

Used by `deckgen diff` to compare releases. It reads the schema-11 `collection.anki2`
that genanki (and so deckgen) writes; packages exported by Anki itself are not supported.
"""

from __future__ import annotations

import hashlib
import json
import re
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
    model_id: int
    """The note type's id."""
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
    cards: tuple[str, ...] = ()
    """The names of its cards, by ordinal: a template's name, or `Cloze N`."""
    switches: frozenset[str] = frozenset()
    """Fields of its note type that no template shows, only tests (`{{#Reverse}}`): they
    switch cards on and off, and a student never reads them."""

    @property
    def front(self) -> str:
        return self.fields[0][1] if self.fields else ""


@dataclass(frozen=True, slots=True)
class PackagedType:
    """A note type as a package holds it."""

    name: str
    """Its name."""
    schema: tuple[tuple[str, ...], tuple[str, ...]]
    """Its field and template ids (names where it has none)."""
    look: str
    """A hash of its stylesheet and templates: what a card looks like."""


@dataclass(frozen=True, slots=True)
class Build:
    """Everything a set of packages holds that a release changes."""

    notes: dict[str, PackagedNote]
    """GUID -> note."""
    note_types: dict[int, PackagedType]
    """Note type id -> note type (the ones its notes use)."""
    media: dict[str, str]
    """Media file name -> sha256 of its contents."""


def read_packages(paths: Iterable[Path]) -> dict[str, PackagedNote]:
    """GUID -> note, over all the given packages."""
    return read_build(paths).notes


def read_build(paths: Iterable[Path]) -> Build:
    """The notes, note types and media of all the given packages."""
    build = Build({}, {}, {})
    for path in paths:
        notes, types, media = _read(path)
        build.notes.update((note.guid, note) for note in notes)
        build.note_types.update(types)
        build.media.update(media)
    return build


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


def _shows(field: str) -> re.Pattern[str]:
    """`{{Field}}`, `{{type:Field}}`, `{{text:Field}}`...: a template that shows the field
    (`{{#Field}}`, `{{^Field}}` and `{{/Field}}` only test it)."""
    return re.compile(r"\{\{(?:[^#^/{}][^{}]*:)?\s*" + re.escape(field) + r"\s*\}\}")


MAX_COLLECTION = 1 << 30
"""The largest collection read from a package (1 GiB; 100,000 deckgen records are ~100 MB)."""
MAX_RATIO = 200
"""A member that claims to inflate more than this is a zip bomb (text deflates ~10x)."""
SQL_SECONDS = 10.0
"""How long the queries on one foreign collection may run (a recursive view never ends)."""


def check_packages(paths: Iterable[Path]) -> None:
    """Refuse, with a reason, a package that is not sound, without reading its notes: what
    `deckgen verify` checks before the Anki importer reads it."""
    for path in paths:
        _read(path, rows=False)


def _read(
    path: Path, rows: bool = True
) -> tuple[list[PackagedNote], dict[int, PackagedType], dict[str, str]]:
    """A package anyone may have handed over: everything is checked first."""
    try:
        with (
            zipfile.ZipFile(path) as archive,
            tempfile.TemporaryDirectory(prefix="deckgen-") as tmp,
        ):
            db = Path(tmp) / "collection.anki2"
            with db.open("wb") as sink:
                _extract(archive, "collection.anki2", sink.write)
            notes, types = _notes(db, rows)
            return notes, types, _media(archive)
    except (zipfile.BadZipFile, sqlite3.DatabaseError, OSError, EOFError) as exc:
        raise UsageError(f"{path}: error: not a package deckgen can read ({exc})") from None
    except _Refused as exc:
        raise UsageError(f"{path}: error: {exc}") from None


class _Refused(Exception):
    """A package that is not read, and why."""


def _extract(archive: zipfile.ZipFile, member: str, sink: Any) -> None:
    """Stream one member into `sink`, refusing what could hurt (a bomb, a lie about size)."""
    try:
        info = archive.getinfo(member)
    except KeyError:
        if member == "collection.anki2":
            raise _Refused("no collection.anki2 inside: not an Anki package") from None
        raise _Refused(f"'{member}' is listed in its media but missing") from None
    if info.flag_bits & 0x1:
        raise _Refused(f"'{member}' is encrypted")
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise _Refused(f"'{member}' uses an unknown compression ({info.compress_type})")
    if info.file_size > MAX_COLLECTION:
        raise _Refused(f"'{member}' would be {info.file_size} bytes (at most {MAX_COLLECTION})")
    if info.file_size > MAX_RATIO * max(info.compress_size, 1) + (1 << 20):
        raise _Refused(f"'{member}' inflates too far for its size: a zip bomb")
    written = 0
    with archive.open(info) as source:
        while chunk := source.read(1 << 20):
            written += len(chunk)
            if written > info.file_size:  # the header lied about the size
                raise _Refused(f"'{member}' is larger than the package says")
            sink(chunk)


def _media(archive: zipfile.ZipFile) -> dict[str, str]:
    """Media file name -> sha256, from the package's `media` map."""
    if "media" not in archive.namelist():
        return {}
    raw = bytearray()

    def keep(chunk: bytes) -> None:
        raw.extend(chunk)
        if len(raw) > 1 << 24:
            raise _Refused("its media list is over 16 MiB")

    _extract(archive, "media", keep)
    try:
        names = json.loads(raw.decode("utf-8"))
        if not isinstance(names, dict) or not all(isinstance(v, str) for v in names.values()):
            raise ValueError("not a map of names")
    except ValueError as exc:
        raise _Refused(f"its media list is malformed ({exc})") from None
    hashes = {}
    for member, name in names.items():
        digest = hashlib.sha256()
        _extract(archive, str(member), digest.update)
        hashes[name] = digest.hexdigest()
    return hashes


def _notes(db: Path, rows: bool) -> tuple[list[PackagedNote], dict[int, PackagedType]]:
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
            return _rows(connection, models, decks) if rows else ([], {})
        except (ValueError, KeyError, TypeError, AttributeError, IndexError) as exc:
            raise _Refused(f"the collection's note types or decks are malformed ({exc})") from None
    except sqlite3.OperationalError as exc:
        if "interrupted" in str(exc):
            raise _Refused(f"reading the collection took over {SQL_SECONDS:.0f} s") from None
        raise
    finally:
        connection.close()


def _rows(
    connection: sqlite3.Connection, models: Any, decks: dict[int, str]
) -> tuple[list[PackagedNote], dict[int, PackagedType]]:
    deck_of: dict[int, int] = {}
    ords: dict[int, list[int]] = {}
    for nid, did, ord_ in connection.execute("SELECT nid, did, ord FROM cards ORDER BY nid, ord"):
        deck_of.setdefault(nid, did)
        ords.setdefault(nid, []).append(int(ord_))
    kinds: dict[int, _Kind] = {}
    notes = []
    for nid, guid, mid, mod, flds, tags in connection.execute(
        "SELECT id, guid, mid, mod, flds, tags FROM notes ORDER BY id"
    ):
        kind = kinds.get(mid) or kinds.setdefault(mid, _Kind.of(models[str(mid)]))
        card_names = kind.card_names
        notes.append(
            PackagedNote(
                guid=guid,
                note_type=kind.type.name,
                model_id=int(mid),
                schema=kind.type.schema,
                fields=tuple(zip(kind.names, flds.split("\x1f"), strict=False)),
                tags=tuple(sorted(tags.split())),
                mod=int(mod),
                deck=decks.get(deck_of.get(nid, 0), "?"),
                cards=tuple(card_names(o) for o in ords.get(nid, ())),
                switches=kind.switches,
            )
        )
    return notes, {int(mid): kind.type for mid, kind in kinds.items()}


@dataclass(frozen=True, slots=True)
class _Kind:
    """What every note of one note type shares, worked out once per note type."""

    type: PackagedType
    """The note type."""
    names: tuple[str, ...]
    """Its field names."""
    switches: frozenset[str]
    """Its fields no template shows (`PackagedNote.switches`)."""
    templates: tuple[str, ...]
    """Its template names, by ordinal; () for a cloze type, whose cards are `Cloze N`."""

    @staticmethod
    def of(model: Any) -> _Kind:
        names = tuple(str(f["name"]) for f in model["flds"])
        # What Anki treats as the schema: fields and templates by id (by name without ids).
        shape = (
            tuple(str(f.get("id") or f["name"]) for f in model["flds"]),
            tuple(str(t.get("id") or t["name"]) for t in model["tmpls"]),
        )
        look = json.dumps([model.get("css", ""), [[t["qfmt"], t["afmt"]] for t in model["tmpls"]]])
        shows = " ".join(t["qfmt"] + t["afmt"] for t in model["tmpls"])
        return _Kind(
            PackagedType(str(model["name"]), shape, hashlib.sha256(look.encode()).hexdigest()[:16]),
            names,
            frozenset(n for n in names if not _shows(n).search(shows)),
            () if model.get("type") == 1 else tuple(str(t["name"]) for t in model["tmpls"]),
        )

    def card_names(self, ordinal: int) -> str:
        if not self.templates:
            return f"Cloze {ordinal + 1}"
        return self.templates[ordinal] if ordinal < len(self.templates) else "?"
