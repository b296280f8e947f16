"""The package stage writes exactly the rows genanki's own per-note writer would write.

deckgen inserts note and card rows itself (genanki's per-note path is slower than the whole
floor at 100,000 notes). The reference here is genanki's public API used the plain way
(genanki.Note, Deck, Package.write_to_db), with each note's mod set afterwards, as deckgen
did before: every table must come out the same, row for row.
"""

from __future__ import annotations

import io
import itertools
import json
import sqlite3
import zipfile
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import genanki
import pytest

from benchmarks.synthetic import write_source
from generator.build import analyse
from generator.config import load_config
from generator.identity.genanki_model import genanki_model
from generator.identity.ids import deck_id, preset_id
from generator.identity.note_types import note_type_of
from generator.output.collection import offer_preset
from generator.output.package import package_digests, packages
from generator.output.study import preset
from generator.records import Location, Note

from .helpers import BUILD_TIME, COURSE, TEST_COURSE_ID, write_notes

TABLES = ("col", "notes", "cards", "revlog", "graves")


ABOUT = "<p>Release v1.0.0 of 2023-11-14.</p>"


PRESET = preset(preset_id(TEST_COURSE_ID), "Test: bury siblings")


def genanki_reference(notes: Sequence[Note], model_mods: dict[int, int], db: Path) -> None:
    """The collection genanki writes for these notes through its public per-note API: every
    deck, and each parent deck that holds no note, described by ABOUT."""
    decks: dict[str, genanki.Deck] = {}
    for note in notes:
        name = note.record.deck
        deck = decks.setdefault(name, genanki.Deck(deck_id(name), name, ABOUT))
        deck.add_note(
            genanki.Note(
                model=genanki_model(note_type_of(note)),
                fields=list(note.fields),
                tags=list(note.tags),
                guid=note.guid,
            )
        )
    timestamp = max(note.mod for note in notes)
    connection = sqlite3.connect(db)
    cursor = connection.cursor()
    parents = {"::".join(n.split("::")[:i]) for n in decks for i in range(1, n.count("::") + 1)}
    empty = [genanki.Deck(deck_id(n), n, ABOUT) for n in sorted(parents - set(decks))]
    genanki.Package([*empty, *(decks[name] for name in sorted(decks))]).write_to_db(
        cursor, timestamp, itertools.count(timestamp * 1000)
    )
    cursor.executemany("UPDATE notes SET mod = ? WHERE guid = ?", [(n.mod, n.guid) for n in notes])
    offer_preset(cursor, PRESET)  # deckgen's one addition to genanki's col row
    (models_json,) = cursor.execute("SELECT models FROM col").fetchone()
    models = json.loads(models_json)
    for model in models.values():
        model["mod"] = model_mods.get(int(model["id"]), model["mod"])
    cursor.execute("UPDATE col SET models = ?", (json.dumps(models, sort_keys=True),))
    connection.commit()
    connection.close()


def tables(db: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every table's rows; a card's without its position (`due`), which genanki leaves 0 and
    deckgen sets (tests/test_study.py checks the positions)."""
    connection = sqlite3.connect(db)
    try:
        found = {t: connection.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall() for t in TABLES}
        found["cards"] = [row[:8] + row[9:] for row in found["cards"]]
        found["schema"] = connection.execute(
            "SELECT type, name, sql FROM sqlite_master ORDER BY name"
        ).fetchall()
        return found
    finally:
        connection.close()


def packaged_tables(data: bytes, tmp_path: Path) -> dict[str, list[tuple[object, ...]]]:
    db = tmp_path / "deckgen.anki2"
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        db.write_bytes(archive.read("collection.anki2"))
    return tables(db)


def assert_same_as_genanki(source: Path, tmp_path: Path) -> int:
    result = analyse(load_config(source, tmp_path / "build", build_time=BUILD_TIME))
    groups: dict[str, list[Note]] = defaultdict(list)
    for note in result.notes:
        groups[note.record.deck.split("::")[0]].append(note)
    made = packages(
        result.notes, result.stamped.model_mods, result.media, PRESET, ABOUT, lambda _: set()
    )
    written = made.written
    assert len(written) == len(groups) and not made.kept
    cards = 0
    for (name, data), top in zip(sorted(written.items()), sorted(groups), strict=True):
        reference = tmp_path / f"{name}.reference.anki2"
        genanki_reference(groups[top], result.stamped.model_mods, reference)
        expected, actual = tables(reference), packaged_tables(data, tmp_path)
        for table in expected:
            assert actual[table] == expected[table], f"{name}: table {table} differs"
        cards += len(actual["cards"])
    return cards


def test_course_package_rows_equal_genankis(tmp_path: Path) -> None:
    cards = assert_same_as_genanki(COURSE, tmp_path)
    assert cards == 233


def test_synthetic_package_rows_equal_genankis(tmp_path: Path) -> None:
    source = tmp_path / "source"
    write_source(source, 2_000, files=7)
    assert assert_same_as_genanki(source, tmp_path) > 3_000


@pytest.mark.parametrize(
    "text",
    [
        # cloze numbers out of order, repeated, and above 9 (one card per distinct number)
        "- The {{c3::third}}, {{c1::first}}, {{c12::twelfth}} and {{c1::first again}}.\n",
        # several decks under one top-level deck, tagged sections, every variant
        "## A\n\nTags: kam\n\n- **Term one**: a definition\n- **Which two?**\n  - x\n  - y\n",
    ],
)
def test_edge_case_package_rows_equal_genankis(tmp_path: Path, text: str) -> None:
    source = write_notes(
        tmp_path / "source",
        {
            "a.md": "---\ndeck: Top::A\nvariants: [basic, reverse, cloze]\n---\n\n" + text,
            "b.md": "---\ndeck: Top::B\n---\n\n- **Other term**: in another deck\n",
            "c.md": "---\ndeck: Second\n---\n\n- **Term three**: a second package\n",
        },
    )
    assert assert_same_as_genanki(source, tmp_path) >= 3


def test_a_packages_digest_changes_with_everything_it_holds(tmp_path: Path) -> None:
    """`package_digests` decides whether a package is left in place: any change to a note
    (a field, where one field ends, a tag, its GUID or mod), to a shipped image's bytes, to
    the description or a note type's mod changes its package's digest, and only its own."""
    source = write_notes(
        tmp_path / "source",
        {
            "a.md": "---\ndeck: Alpha\n---\n\n- **One**: First ![i](i.png).\n- **Two**: Ab.\n",
            "b.md": "---\ndeck: Beta\n---\n\n- **Three**: Third.\n",
        },
    )
    (source / "i.png").write_bytes(b"\x89PNG one")
    result = analyse(load_config(source, tmp_path / "build", build_time=BUILD_TIME))
    notes, mods, media = list(result.notes), result.stamped.model_mods, result.media

    def digests(
        notes: Sequence[Note] = notes,
        mods: dict[int, int] = mods,
        about: str = ABOUT,
        offered: dict[str, object] = PRESET,
        **shipped: bytes,
    ) -> dict[str, str]:
        return package_digests(notes, mods, {**media, **shipped}, offered, about)

    base = digests()
    assert base == digests() and set(base) == {"alpha.apkg", "beta.apkg"}
    two = notes[1]
    moved = (two.fields[0] + two.fields[1][:1], two.fields[1][1:], *two.fields[2:])
    image = next(iter(media))
    changed = [
        digests(
            [notes[0], replace(two, fields=(*two.fields[:-1], two.fields[-1] + "x")), notes[2]]
        ),
        digests([notes[0], replace(two, fields=moved), notes[2]]),
        digests([notes[0], replace(two, tags=("kam",)), notes[2]]),
        digests([notes[0], replace(two, guid=two.guid + "x"), notes[2]]),
        digests([notes[0], replace(two, mod=two.mod + 1), notes[2]]),
        digests(
            [
                notes[0],
                replace(two, record=replace(two.record, location=Location("x", 9))),
                notes[2],
            ]
        ),
        digests(**{image: b"\x89PNG two"}),
    ]
    for other in changed:
        assert other["alpha.apkg"] != base["alpha.apkg"] and other["beta.apkg"] == base["beta.apkg"]
    assert len({other["alpha.apkg"] for other in changed}) == len(changed)
    assert digests(about="<p>Another.</p>")["beta.apkg"] != base["beta.apkg"]
    assert digests(offered={**PRESET, "name": "Renamed"})["beta.apkg"] != base["beta.apkg"]
    assert digests(mods={k: v + 1 for k, v in mods.items()})["beta.apkg"] != base["beta.apkg"]
