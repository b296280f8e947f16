"""The collection inside a package: genanki's schema, decks and note types, our note rows.

genanki writes the collection: its schema, the `col` row, the decks and the note types
(with the card requirements it derives from the templates). Its per-note writer is not
used: it stamps one timestamp on every note (docs/anki.md), and at 100,000 notes its
per-note Python work (a Note object, an HTML-tag check, one INSERT per note and per card)
costs more than all of genanki's floor. Here the note and card rows are the ones genanki
would write, field for field and id for id (tests/test_package.py compares them with
genanki's), each note with its own `mod`, inserted in two statements. Which cards a note
has is deckgen's own rule (`NoteType.ordinals`): genanki's does not read the several
numbers on one deletion that an enumeration's whole-list card uses.
"""

from __future__ import annotations

import itertools
import json
import sqlite3
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import genanki

from ..identity.genanki_model import genanki_model
from ..identity.ids import deck_id
from ..identity.note_types import NoteType, note_type_of
from ..records import Note
from .study import positions


def write_collection(
    notes: Sequence[Note],
    model_mods: dict[int, int],
    db_path: Path,
    preset: dict[str, Any],
    description: str = "",
) -> Callable[[], None]:
    """Write the Anki collection of `notes` (all under one top-level deck) to `db_path`, each
    deck described by `description` (an import replaces a deck's description when the
    package's is not empty: docs/anki.md, section 7) and given the options `preset`
    (`study.preset`); each new card at its place in the course's study order
    (`study.positions`).

    Returns the last step, which the caller must run, once, on any thread: it builds the
    indexes and closes the file. SQLite does that without Python's lock, so another thread
    can go on meanwhile (build.py: the package digests, the records and the lock)."""
    decks: dict[str, list[Note]] = defaultdict(list)
    for note in notes:
        decks[note.record.deck].append(note)
    cards = [note_type_of(note).ordinals(note.fields, bool(note.tags)) for note in notes]
    due = {id(note): at for note, at in zip(notes, positions(notes, cards), strict=True)}
    cards_of = {id(note): ordinals for note, ordinals in zip(notes, cards, strict=True)}
    # Note and card ids come from this timestamp; the newest mod keeps them reproducible.
    timestamp = max(note.mod for note in notes)
    ids = itertools.count(timestamp * 1000)
    connection = sqlite3.connect(db_path, check_same_thread=False)
    try:
        cursor = connection.cursor()
        # A scratch file: no rollback journal, no waiting for the disk.
        cursor.execute("PRAGMA journal_mode = OFF")
        cursor.execute("PRAGMA synchronous = OFF")
        genanki.Package([]).write_to_db(cursor, timestamp, ids)  # the schema and the col row
        # Indexes built once after the inserts rather than row by row: 30% faster.
        indexes = _drop_indexes(cursor)
        # Each deck (with the description, which a parent Anki makes on import would lack)
        # and note type as genanki's Deck.write_to_db adds them, in one update of the col row
        # rather than one a deck: a note type's `did` is the last deck that has it.
        (decks_json, models_json) = cursor.execute("SELECT decks, models FROM col").fetchone()
        deck_rows, models = json.loads(decks_json), json.loads(models_json)
        for name in _parents(decks):
            deck_rows[str(deck_id(name))] = genanki.Deck(deck_id(name), name, description).to_json()
        for name in sorted(decks):
            did = deck_id(name)
            deck_rows[str(did)] = genanki.Deck(did, name, description).to_json()
            note_rows, card_rows, note_types = _rows(decks[name], ids, cards_of, due)
            for note_type in note_types:
                model = genanki_model(note_type)
                models[str(model.model_id)] = model.to_json(timestamp, did)
            cursor.executemany(NOTE_ROW, note_rows)
            cursor.executemany(CARD_ROW.format(did=did, mod=int(timestamp)), card_rows)
            del note_rows, card_rows
        # A kept note type keeps its deck's mod, so a student's copy is never replaced.
        kept_mods = {
            n.note_type.model_id: n.note_type.kept.mod
            for n in notes
            if n.note_type is not None and n.note_type.kept is not None
        }
        for model in models.values():
            if int(model["id"]) in kept_mods:
                model["mod"] = kept_mods[int(model["id"])]
            elif int(model["id"]) in model_mods:
                model["mod"] = model_mods[int(model["id"])]
        cursor.execute(
            "UPDATE col SET decks = ?, models = ?",
            (json.dumps(deck_rows), json.dumps(models, sort_keys=True)),
        )
        offer_preset(cursor, preset)
    except BaseException:
        connection.close()
        raise

    def index_then_close() -> None:
        try:
            for sql in indexes:
                cursor.execute(sql)
            connection.commit()
        finally:
            connection.close()

    return index_then_close


def offer_preset(cursor: sqlite3.Cursor, preset: dict[str, Any]) -> None:
    """Add the course's deck options preset, and give it to every deck.

    With it, a student who imports with "Import any deck presets" never sees two cards of
    one record on the same day. Without that option Anki keeps the student's own presets.
    """
    dconf_json, decks_json = cursor.execute("SELECT dconf, decks FROM col").fetchone()
    presets, decks = json.loads(dconf_json), json.loads(decks_json)
    presets[str(preset["id"])] = preset
    for deck in decks.values():
        if deck["id"] != 1:  # Anki's Default deck keeps the Default preset
            deck["conf"] = preset["id"]
    cursor.execute(
        "UPDATE col SET dconf = ?, decks = ?",
        (json.dumps(presets, sort_keys=True), json.dumps(decks, sort_keys=True)),
    )


def _parents(decks: dict[str, list[Note]]) -> list[str]:
    """The decks above the notes' decks that hold no note themselves (Anki would make them
    on import, with no description)."""
    above = {
        "::".join(name.split("::")[:depth])
        for name in decks
        for depth in range(1, name.count("::") + 1)
    }
    return sorted(above - set(decks))


def _drop_indexes(cursor: sqlite3.Cursor) -> list[str]:
    """Drop genanki's indexes; return the statements that make them again."""
    found = cursor.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name"
    ).fetchall()
    for name, _ in found:
        cursor.execute(f"DROP INDEX {name}")
    return [sql for _, sql in found]


NOTE_ROW = "INSERT INTO notes VALUES(?, ?, ?, ?, -1, ?, ?, ?, 0, 0, '')"
"""A note row as genanki writes it: id, guid, mid, mod, usn, tags, flds, sfld, csum, flags,
data. What is the same in every row is written here, not bound once a row (a fifth of the
time of writing the notes)."""
CARD_ROW = (
    "INSERT INTO cards VALUES(?, ?, {did}, ?, {mod}, -1, 0, 0, ?, 0, 0, 0, 0, 0, 0, 0, 0, '')"
)
"""A card row as genanki writes it: id, nid, did, ord, mod, usn, type, queue, due, ivl,
factor, reps, lapses, left, odue, odid, flags, data; the deck and mod (the package's
timestamp) are the same for a deck's cards."""

Row = tuple[int | str, ...]


def _rows(
    notes: Sequence[Note],
    ids: Iterator[int],
    cards_of: dict[int, list[int]],
    due: dict[int, dict[int, int]],
) -> tuple[list[Row], list[Row], list[NoteType]]:
    """The rows genanki's Note.write_to_db and Card.write_to_db would insert, with each
    note's mod, and cards by deckgen's card rule (`cards_of`: `NoteType.ordinals` by id() of
    the note) at their positions (`due`): their values that `NOTE_ROW` and `CARD_ROW` leave
    to bind; and the note types of `notes`, each once, in order."""
    note_rows: list[Row] = []
    card_rows: list[Row] = []
    note_types: dict[int, NoteType] = {}  # by id(): equal types are one genanki model
    for note in notes:
        note_type = note_type_of(note)
        if id(note_type) not in note_types:
            note_types[id(note_type)] = note_type
        nid = next(ids)
        fields = note.fields
        tags = " " + " ".join(note.tags) + " "
        note_rows.append(
            (nid, note.guid, note_type.model_id, note.mod, tags, "\x1f".join(fields), fields[0])
        )
        at = due[id(note)]
        for ord_ in cards_of[id(note)]:
            card_rows.append((next(ids), nid, ord_, at[ord_]))
    return note_rows, card_rows, list(note_types.values())
