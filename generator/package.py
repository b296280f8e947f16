"""Package: notes -> one reproducible .apkg per top-level deck, written with genanki.

genanki writes the collection: its schema, the `col` row, the decks and the note types
(with the card requirements it derives from the templates). Its per-note writer is not
used: it stamps one timestamp on every note (ANKI.md), and at 100,000 notes its per-note
Python work (a Note object, an HTML-tag check, one INSERT per note and per card) costs
more than all of genanki's floor. Here the note and card rows are the ones genanki would
write, field for field and id for id (tests/test_package.py compares them with genanki's),
each note with its own `mod`, inserted in two statements. The zip has fixed entry times
and permissions, deflated, so the same notes give the same bytes.
"""

from __future__ import annotations

import hashlib
import io
import itertools
import json
import re
import shutil
import sqlite3
import tempfile
import zipfile
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Executor, Future
from pathlib import Path
from typing import Any

import genanki

from .media import media_names
from .models import NOTE_TYPES, genanki_model
from .records import Note

ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def package_name(top_deck: str) -> str:
    """The .apkg file name for a top-level deck: `Sales Management` -> `sales-management.apkg`."""
    slug = re.sub(r"[^0-9a-z]+", "-", top_deck.casefold()).strip("-")
    return f"{slug or 'deck'}.apkg"


def deck_id(name: str) -> int:
    """A stable id for a deck (Anki matches decks by name; the id only has to be stable)."""
    return int(hashlib.sha256(name.encode()).hexdigest()[:12], 16) + 2


def package(
    notes: Iterable[Note], model_mods: dict[str, int], media: dict[str, bytes], pool: Executor
) -> dict[str, Future[bytes]]:
    """File name -> package bytes (when done), one package per top-level deck, with the
    media it shows. Each collection is written here and zipped on `pool`.

    zlib runs without the GIL, so the caller can go on with other work (build.py formats
    the records and the lock) while the packages are deflated: 100,000 records, 0.5 s less.
    """
    groups: dict[str, list[Note]] = defaultdict(list)
    for note in notes:
        groups[note.record.deck.split("::")[0]].append(note)
    jobs: dict[str, Future[bytes]] = {}
    for top, group in sorted(groups.items()):
        # On disk, not in memory: the database is 4x the package (100,000 records: 107 MB).
        scratch = tempfile.TemporaryDirectory(prefix="deckgen-")
        try:
            db_path = Path(scratch.name) / "collection.anki2"
            _collection(group, model_mods, db_path)
            # Media entries are numbered in name order (genanki's order depends on a set()).
            shipped = sorted(media_names(field for note in group for field in note.fields))
            entries: dict[str, bytes | Path] = {
                "collection.anki2": db_path,
                "media": json.dumps(dict(enumerate(shipped))).encode(),
            }
            entries.update({str(i): media[name] for i, name in enumerate(shipped)})
            jobs[package_name(top)] = pool.submit(_zip_then_remove, entries, scratch)
        except BaseException:
            scratch.cleanup()
            raise
    return jobs


def _zip_then_remove(
    entries: dict[str, bytes | Path], scratch: tempfile.TemporaryDirectory[str]
) -> bytes:
    try:
        return _zip(entries)
    finally:
        scratch.cleanup()


def _collection(notes: Sequence[Note], model_mods: dict[str, int], db_path: Path) -> None:
    """Write the Anki collection of `notes` (all under one top-level deck) to `db_path`."""
    decks: dict[str, list[Note]] = defaultdict(list)
    for note in notes:
        decks[note.record.deck].append(note)
    # Note and card ids come from this timestamp; the newest mod keeps them reproducible.
    timestamp = max(note.mod for note in notes)
    ids = itertools.count(timestamp * 1000)
    connection = sqlite3.connect(db_path)
    try:
        cursor = connection.cursor()
        # A scratch file: no rollback journal, no waiting for the disk.
        cursor.execute("PRAGMA journal_mode = OFF")
        cursor.execute("PRAGMA synchronous = OFF")
        genanki.Package([]).write_to_db(cursor, timestamp, ids)
        # Indexes built once after the inserts rather than row by row: 30% faster.
        indexes = _drop_indexes(cursor)
        for name in sorted(decks):
            deck = genanki.Deck(deck_id(name), name)
            for variant in dict.fromkeys(note.variant for note in decks[name]):
                deck.add_model(genanki_model(NOTE_TYPES[variant]))
            deck.write_to_db(cursor, timestamp, ids)  # the deck and its note types, no notes
            note_rows, card_rows = _rows(decks[name], deck.deck_id, timestamp, ids)
            cursor.executemany(f"INSERT INTO notes VALUES({_marks(11)})", note_rows)
            cursor.executemany(f"INSERT INTO cards VALUES({_marks(18)})", card_rows)
            del note_rows, card_rows
        for sql in indexes:
            cursor.execute(sql)
        (models_json,) = cursor.execute("SELECT models FROM col").fetchone()
        models = json.loads(models_json)
        for model in models.values():
            if model["name"] in model_mods:
                model["mod"] = model_mods[model["name"]]
        cursor.execute("UPDATE col SET models = ?", (json.dumps(models, sort_keys=True),))
        connection.commit()
    finally:
        connection.close()


def _drop_indexes(cursor: sqlite3.Cursor) -> list[str]:
    """Drop genanki's indexes; return the statements that make them again."""
    found = cursor.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name"
    ).fetchall()
    for name, _ in found:
        cursor.execute(f"DROP INDEX {name}")
    return [sql for _, sql in found]


def _marks(count: int) -> str:
    return ",".join("?" * count)


Row = tuple[int | str, ...]


def _rows(
    notes: Sequence[Note], did: int, timestamp: int, ids: Iterator[int]
) -> tuple[list[Row], list[Row]]:
    """The rows genanki's Note.write_to_db and Card.write_to_db would insert, with each note's mod."""
    note_rows: list[Row] = []
    card_rows: list[Row] = []
    for note in notes:
        cards = _CARDS[note.variant]
        nid = next(ids)
        fields = note.fields
        tags = " " + " ".join(note.tags) + " "
        note_rows.append(
            (
                nid,
                note.guid,
                cards.model_id,
                note.mod,
                -1,
                tags,
                "\x1f".join(fields),
                fields[0],
                0,
                0,
                "",
            )
        )
        for ord_ in cards.ords(fields):
            card_rows.append(
                (next(ids), nid, did, ord_, timestamp, -1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, "")
            )
    return note_rows, card_rows


class _Cards:
    """Which cards a note of one type has: genanki's rule (Note.cards), computed per model once."""

    def __init__(self, model: Any) -> None:
        self.model_id: int = model.model_id
        self.cloze = model.model_type == genanki.Model.CLOZE
        # Front/back: the template requirements genanki derives (model._req).
        self.req = (
            [(ord_, any if how == "any" else all, needed) for ord_, how, needed in model._req]
            if not self.cloze
            else []
        )
        # Cloze: the fields the first template's `{{cloze:...}}` names.
        qfmt = model.templates[0]["qfmt"]
        names = set(
            re.findall(r"{{[^}]*?cloze:(?:[^}]?:)*(.+?)}}", qfmt)
            + re.findall("<%cloze:(.+?)%>", qfmt)
        )
        positions = {f["name"]: i for i, f in enumerate(model.fields)}
        self.cloze_fields = [positions.get(name, -1) for name in names]

    def ords(self, fields: Sequence[str]) -> Iterable[int]:
        if not self.cloze:
            return [ord_ for ord_, op, needed in self.req if op(fields[i] for i in needed)]
        found: set[int] = set()
        for i in self.cloze_fields:
            value = fields[i] if i >= 0 else ""
            found.update(int(n) - 1 for n in _CLOZE_NUMBER.findall(value) if int(n) > 0)
        return found  # genanki iterates the set as it is, and gives no card when it is empty


_CLOZE_NUMBER = re.compile(r"{{c(\d+)::.+?}}", re.DOTALL)
_CARDS = {variant: _Cards(genanki_model(note_type)) for variant, note_type in NOTE_TYPES.items()}


def _zip(entries: dict[str, bytes | Path]) -> bytes:
    """A deflated zip with fixed entry times and permissions; files are streamed from disk."""
    buffer = io.BytesIO()
    # Level 1: 4x smaller than stored, at a third of level 6's time (100,000 records:
    # 27 MB in 0.6 s against 24 MB in 1.9 s).
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for name, data in entries.items():
            if isinstance(data, Path):
                # A name (not a ZipInfo) takes the archive's level and ZipInfo's fixed 1980 time.
                with data.open("rb") as source, archive.open(name, "w") as target:
                    # Large chunks: the GIL is taken back once per chunk, not per megabyte.
                    shutil.copyfileobj(source, target, 1 << 23)
            else:
                info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, data, compresslevel=1)
        for info in archive.infolist():  # read from here when the central directory is written
            info.create_system = 3
            info.external_attr = 0o100644 << 16
    return buffer.getvalue()
