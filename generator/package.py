"""Package: notes -> one reproducible .apkg per top-level deck, written with genanki.

genanki stamps one timestamp on everything and zips with the clock (ANKI.md). Here its
SQLite writer is kept, each note then gets its own `mod`, and the zip is made with fixed
entry times and permissions, deflated, so the same notes give the same bytes.
"""

from __future__ import annotations

import hashlib
import io
import itertools
import json
import re
import sqlite3
import tempfile
import zipfile
from collections import defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path

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
    notes: Iterable[Note], model_mods: dict[str, int], media: dict[str, bytes]
) -> dict[str, bytes]:
    """File name -> package bytes, one package per top-level deck, with the media it shows."""
    groups: dict[str, list[Note]] = defaultdict(list)
    for note in notes:
        groups[note.record.deck.split("::")[0]].append(note)
    return {
        package_name(top): _apkg(group, model_mods, media) for top, group in sorted(groups.items())
    }


def _apkg(notes: Sequence[Note], model_mods: dict[str, int], media: dict[str, bytes]) -> bytes:
    decks: dict[str, genanki.Deck] = {}
    for note in notes:
        name = note.record.deck
        deck = decks.get(name) or decks.setdefault(name, genanki.Deck(deck_id(name), name))
        deck.add_note(
            genanki.Note(
                model=genanki_model(NOTE_TYPES[note.variant]),
                fields=list(note.fields),
                tags=list(note.tags),
                guid=note.guid,
            )
        )
    # Note and card ids come from this timestamp; the newest mod keeps them reproducible.
    timestamp = max(note.mod for note in notes)
    with tempfile.TemporaryDirectory(prefix="deckgen-") as tmp:
        db_path = Path(tmp) / "collection.anki2"
        connection = sqlite3.connect(db_path)
        try:
            cursor = connection.cursor()
            genanki.Package([decks[name] for name in sorted(decks)]).write_to_db(
                cursor, timestamp, itertools.count(timestamp * 1000)
            )
            # genanki has one timestamp for all; each note gets its own mod. Without an index
            # on guid each update would scan the table (quadratic: minutes at 20,000 notes).
            cursor.execute("CREATE INDEX deckgen_guid ON notes (guid)")
            cursor.executemany(
                "UPDATE notes SET mod = ? WHERE guid = ?", [(n.mod, n.guid) for n in notes]
            )
            cursor.execute("DROP INDEX deckgen_guid")
            (models_json,) = cursor.execute("SELECT models FROM col").fetchone()
            models = json.loads(models_json)
            for model in models.values():
                if model["name"] in model_mods:
                    model["mod"] = model_mods[model["name"]]
            cursor.execute("UPDATE col SET models = ?", (json.dumps(models, sort_keys=True),))
            connection.commit()
        finally:
            connection.close()
        collection = db_path.read_bytes()
    # Media entries are numbered in name order (genanki's order depends on a set()).
    shipped = sorted(media_names(field for note in notes for field in note.fields))
    entries = {
        "collection.anki2": collection,
        "media": json.dumps(dict(enumerate(shipped))).encode(),
    }
    entries.update({str(i): media[name] for i, name in enumerate(shipped)})
    return _zip(entries)


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o100644 << 16
            # Level 1: 4x smaller than stored, at a third of level 6's time (100,000 records:
            # 27 MB in 0.6 s against 24 MB in 1.9 s).
            archive.writestr(info, data, compresslevel=1)
    return buffer.getvalue()
