"""The collection inside a package: genanki's schema, decks and note types, our note rows.

genanki writes the collection: its schema, the `col` row, the decks and the note types
(with the card requirements it derives from the templates). Its per-note writer is not
used: it stamps one timestamp on every note (docs/anki.md), and at 100,000 notes its
per-note Python work (a Note object, an HTML-tag check, one INSERT per note and per card)
costs more than all of genanki's floor. Here the note and card rows are the ones genanki
would write, field for field and id for id (tests/test_package.py compares them with
genanki's), each note with its own `mod`, inserted in two statements.
"""

from __future__ import annotations

import itertools
import json
import re
import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import genanki

from ..identity.ids import deck_id
from ..identity.note_types import NOTE_TYPES, genanki_model
from ..records import Note


def write_collection(notes: Sequence[Note], model_mods: dict[str, int], db_path: Path) -> None:
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
