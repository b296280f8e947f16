"""The references deckgen is measured against, each writing what deckgen's own packages hold.

    python -m benchmarks.floor dump BUILD_DIR DUMP      # deckgen's packages -> DUMP (not timed)
    python -m benchmarks.floor genanki DUMP OUT_DIR     # the floor: genanki writes those notes
    python -m benchmarks.floor limit DUMP OUT_DIR       # the physical limit: sqlite3 + zipfile
    python -m benchmarks.floor stock DUMP OUT.apkg      # the records as stock Basic/Cloze notes
    python -m benchmarks.floor anki-import BUILD_DIR    # Anki itself imports the packages
    python -m benchmarks.floor markdown SOURCE_DIR      # markdown-it alone parses the notes

The dump is everything the packages hold, read back from their collections: note types,
decks, notes (GUID, fields, tags) and cards, and the rows as stored. **genanki** writes the
same notes, with the same note types, into the same decks, through its public API, one
package per deckgen package; **limit** writes the same rows with `executemany` into a fresh
database of the same schema and deflates it with `zipfile`, nothing else; **stock** is a
deck a teacher would bring to `deckgen import` (Anki's own Basic and Cloze note types, the
records' front and back), whose genanki write time is the import's reference; **anki-import**
is Anki's own import of the build (with `deckgen verify`'s options), the reference for
`verify`; **markdown** reads the notes as deckgen does and parses each with deckgen's own
markdown-it instance (its plugins are the format's definition), nothing else: the part of a
build no deckgen can skip while markdown-it-py reads the notes. `same_notes` proves a floor wrote what deckgen wrote: bench.py runs it on every
floor package it times, and tests/test_benchmark_floor.py on a small course.

Each mode runs as a process of its own, started by bench.py, so it pays the interpreter's
start-up and its imports as deckgen does. The dump is read with `marshal`, a few tenths of a
second at 100,000 records, counted in the references' time.
"""

from __future__ import annotations

import json
import marshal
import sqlite3
import sys
import tempfile
import zipfile
from collections import Counter
from pathlib import Path
from typing import Any

TIMESTAMP = 1_700_000_000.0
"""genanki's package timestamp: fixed, so two runs write the same bytes."""


def dump(build: Path, out: Path) -> None:
    """Every package in `build`, as rows, into `out`."""
    packages = []
    for path in sorted(build.glob("*.apkg")):
        with zipfile.ZipFile(path) as archive, tempfile.TemporaryDirectory() as tmp:
            archive.extract("collection.anki2", tmp)
            media_names = json.loads(archive.read("media")) if "media" in archive.namelist() else {}
            media = {member: archive.read(member) for member in media_names}
            db = sqlite3.connect(Path(tmp) / "collection.anki2")
            schema = db.execute(
                "SELECT type, sql FROM sqlite_master WHERE sql IS NOT NULL"
            ).fetchall()
            tables = {
                t: db.execute(f"SELECT * FROM {t}").fetchall()
                for t in ("col", "notes", "cards", "revlog", "graves")
            }
            db.close()
        packages.append(
            {"name": path.name, "schema": schema, "tables": tables, "media": media_names}
            | {"files": media}
        )
    out.write_bytes(marshal.dumps(packages))


def _load(path: Path) -> list[dict[str, Any]]:
    packages: list[dict[str, Any]] = marshal.loads(path.read_bytes())
    return packages


def write_genanki(dumped: Path, out: Path) -> int:
    """The floor: genanki writes the dumped notes; how many notes it wrote."""
    import genanki

    written = 0
    for package in _load(dumped):
        col = package["tables"]["col"][0]
        models, decks = json.loads(col[9]), json.loads(col[10])
        by_id = {
            int(mid): genanki.Model(
                int(mid),
                m["name"],
                fields=[{"name": f["name"]} for f in m["flds"]],
                templates=[
                    {"name": t["name"], "qfmt": t["qfmt"], "afmt": t["afmt"]} for t in m["tmpls"]
                ],
                css=m["css"],
                model_type=m["type"],
                latex_pre=m["latexPre"],
                latex_post=m["latexPost"],
                sort_field_index=m["sortf"],
            )
            for mid, m in models.items()
        }
        deck_of: dict[int, int] = {}
        for card in sorted(package["tables"]["cards"], key=lambda c: -c[3]):
            deck_of[card[1]] = card[2]  # the deck of the note's first card
        made = {
            int(did): genanki.Deck(int(did), d["name"], d.get("desc", ""))
            for did, d in decks.items()
        }
        for nid, guid, mid, _mod, _usn, tags, flds, *_ in package["tables"]["notes"]:
            note = genanki.Note(
                model=by_id[mid], fields=flds.split("\x1f"), guid=guid, tags=tags.split()
            )
            made[deck_of[nid]].add_note(note)
            written += 1
        with tempfile.TemporaryDirectory() as tmp:
            files = []
            for member, name in package["media"].items():
                (Path(tmp) / name).write_bytes(package["files"][member])
                files.append(str(Path(tmp) / name))
            genanki.Package(list(made.values()), media_files=files).write_to_file(
                str(out / package["name"]), timestamp=TIMESTAMP
            )
    return written


def write_limit(dumped: Path, out: Path) -> int:
    """The physical limit: the same rows into a database of the same schema, deflated."""
    written = 0
    for package in _load(dumped):
        with tempfile.TemporaryDirectory() as tmp:
            db_path = Path(tmp) / "collection.anki2"
            db = sqlite3.connect(db_path)
            for kind, sql in package["schema"]:
                if kind == "table":
                    db.execute(sql)
            for name, rows in package["tables"].items():
                if rows:
                    marks = ",".join("?" * len(rows[0]))
                    db.executemany(f"INSERT INTO {name} VALUES ({marks})", rows)
            for kind, sql in package["schema"]:
                if kind != "table":  # indexes once the rows are in, as deckgen does
                    db.execute(sql)
            db.commit()
            db.close()
            written += len(package["tables"]["notes"])
            with zipfile.ZipFile(out / package["name"], "w", zipfile.ZIP_DEFLATED) as archive:
                archive.write(db_path, "collection.anki2")
                archive.writestr("media", json.dumps(package["media"]))
                for member, data in package["files"].items():
                    archive.writestr(member, data)
    return written


def write_stock(dumped: Path, out: Path) -> int:
    """The records as a teacher's own deck: a Basic note (first field, and the second or the
    list items as the back) or a Cloze note (the text) each, in one package."""
    import genanki

    basic = genanki.Model(
        1_607_392_319,
        "Basic",
        fields=[{"name": "Front"}, {"name": "Back"}],
        templates=[{"name": "Card 1", "qfmt": "{{Front}}", "afmt": "{{FrontSide}}<hr>{{Back}}"}],
    )
    cloze = genanki.Model(
        1_607_392_320,
        "Cloze",
        fields=[{"name": "Text"}, {"name": "Back Extra"}],
        templates=[{"name": "Cloze", "qfmt": "{{cloze:Text}}", "afmt": "{{cloze:Text}}"}],
        model_type=genanki.Model.CLOZE,
    )
    deck = genanki.Deck(2_059_400_110, "Bench")
    for package in _load(dumped):
        models = json.loads(package["tables"]["col"][0][9])
        for _nid, guid, mid, _mod, _usn, tags, flds, *_ in package["tables"]["notes"]:
            m = models[str(mid)]
            named = dict(zip((f["name"] for f in m["flds"]), flds.split("\x1f"), strict=True))
            first = next(iter(named.values()))
            if m["type"] == genanki.Model.CLOZE:
                fields, model = [first, ""], cloze
            else:  # a list's back: its items, each a field of its own
                items = (v for k, v in named.items() if k.startswith("Item") and v)
                fields, model = [first, named.get("Back") or "<br>".join(items)], basic
            deck.add_note(genanki.Note(model=model, fields=fields, guid=guid, tags=tags.split()))
    genanki.Package(deck).write_to_file(str(out), timestamp=TIMESTAMP)
    return len(deck.notes)


def anki_import(build: Path) -> int:
    """Anki imports every package of `build` into a fresh collection; its note count."""
    from anki.collection import Collection

    from generator.review.verify import import_package

    with tempfile.TemporaryDirectory() as tmp:
        col = Collection(str(Path(tmp) / "collection.anki2"))
        try:
            for package in sorted(build.glob("*.apkg")):
                import_package(col, package)
            return int(col.note_count())
        finally:
            col.close()


def contents(packages: list[Path]) -> tuple[Counter[tuple[Any, ...]], Counter[tuple[Any, ...]]]:
    """What a student gets from `packages`: each note (GUID, note type, fields, tags) with its
    note type's look, and each card (GUID, ordinal, deck), counted."""
    notes: Counter[tuple[Any, ...]] = Counter()
    cards: Counter[tuple[Any, ...]] = Counter()
    for path in packages:
        with zipfile.ZipFile(path) as archive, tempfile.TemporaryDirectory() as tmp:
            archive.extract("collection.anki2", tmp)
            db = sqlite3.connect(Path(tmp) / "collection.anki2")
            models_json, decks_json = db.execute("SELECT models, decks FROM col").fetchone()
            models, decks = json.loads(models_json), json.loads(decks_json)
            guids = {}
            for nid, guid, mid, flds, tags in db.execute(
                "SELECT id, guid, mid, flds, tags FROM notes"
            ):
                m = models[str(mid)]
                look = (
                    m["name"],
                    m["type"],
                    m["css"],
                    tuple(f["name"] for f in m["flds"]),
                    tuple((t["name"], t["qfmt"], t["afmt"]) for t in m["tmpls"]),
                )
                notes[(guid, look, flds, tuple(sorted(tags.split())))] += 1
                guids[nid] = guid
            for nid, ordinal, did in db.execute("SELECT nid, ord, did FROM cards"):
                cards[(guids[nid], ordinal, decks[str(did)]["name"])] += 1
            db.close()
    return notes, cards


def same_notes(deckgen: list[Path], floor: list[Path]) -> tuple[int, int]:
    """Raise unless `floor` holds exactly the notes, note types and cards of `deckgen`'s
    packages; the number of notes and cards."""
    ours, theirs = contents(deckgen), contents(floor)
    for what, mine, other in (("notes", ours[0], theirs[0]), ("cards", ours[1], theirs[1])):
        if mine != other:
            missing, extra = mine - other, other - mine
            raise SystemExit(
                f"the floor did not write deckgen's {what}: {sum(mine.values())} against "
                f"{sum(other.values())}; e.g. missing {next(iter(missing), None)}, "
                f"extra {next(iter(extra), None)}"
            )
    return sum(ours[0].values()), sum(ours[1].values())


def parse_notes(source: Path) -> int:
    """Every notes file in `source` read and parsed as a build reads it; the tokens' count."""
    from generator.parse.markdown import MD
    from generator.parse.read import read_sources

    files, _ = read_sources(source)
    return sum(len(MD.parse(file.text)) for file in files)


def main(argv: list[str]) -> None:
    mode, first, *rest = argv
    if mode == "dump":
        dump(Path(first), Path(rest[0]))
    elif mode == "anki-import":
        print(anki_import(Path(first)))
    elif mode == "markdown":
        print(parse_notes(Path(first)))
    else:
        write = {"genanki": write_genanki, "limit": write_limit, "stock": write_stock}[mode]
        print(write(Path(first), Path(rest[0])))


if __name__ == "__main__":
    main(sys.argv[1:])
