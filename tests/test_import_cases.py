"""`deckgen import` of what teachers really bring, and of what an attacker would hand over.

Every case imports, checks (no error: an imported course builds), builds, and imports the
build into a real Anki collection. What `deckgen import` prints is checked where it is the
point: what it mapped, kept, flagged and never dropped.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import genanki
from anki.collection import Collection
from anki.notes import Note

from generator.build import Result
from tests.helpers import BUILD_TIME, build_tree, export_deck, import_package, init_course
from tests.helpers import run_deckgen as deckgen


def course(tmp_path: Path, *, sample: bool = False) -> Path:
    """A course `deckgen init` made (its sample notes removed unless `sample`)."""
    root = tmp_path / "course"
    init_course(root, "--title", "Biology")
    if not sample:
        (root / "source" / "01-getting-started.md").unlink()
    return root


def imported(
    root: Path, *args: str, collection: Collection | None = None
) -> tuple[str, str, Result]:
    """Import, then check (no error), build and import every package into `collection`;
    what import printed, what check printed, and the build."""
    done = deckgen("import", *args, cwd=root)
    assert done.returncode == 0, done.stderr
    checked = deckgen("check", cwd=root)
    assert checked.returncode == 0 and " error" not in checked.stderr.replace("0 error(s)", ""), (
        checked.stderr
    )
    result = build_tree(root / "source", root / "build", build_time=BUILD_TIME)
    if collection is not None:
        for package in result.packages:
            log = import_package(collection, package).log
            assert not log.conflicting and not log.duplicate
    return done.stdout, checked.stderr, result


def by_guid(collection: Collection, guid: str) -> Note:
    """The note with this GUID."""
    (nid,) = collection.db.list("select id from notes where guid = ?", guid)
    return collection.get_note(nid)


def files(root: Path) -> dict[str, str]:
    """Every file of the course's notes folder, by path, as text."""
    source = root / "source"
    return {
        p.relative_to(source).as_posix(): p.read_text(errors="replace")
        for p in sorted(source.rglob("*"))
        if p.is_file()
    }


def test_a_spreadsheet_csv_keeps_every_column_and_its_header_is_recognised(
    tmp_path: Path, collection: Collection
) -> None:
    sheet = tmp_path / "Cell biology.csv"
    sheet.write_bytes(
        "\ufeffTerm,Definition,Notes\r\n"
        '"Mitochondrion","The cell\'s power plant, making ATP","exam, chapter 2"\r\n'
        'Ribosome,"Makes proteins, reading mRNA",\r\n'.encode()
    )
    root = course(tmp_path, sample=True)
    said, checked, _ = imported(root, str(sheet), collection=collection)
    assert "row 1 is a header (Term, Definition, Notes)" in said
    assert "column 'Notes' is not on the cards: kept beside each note as a comment" in said
    notes = files(root)["cell-biology.md"]
    assert 'deck: "Biology::Cell Biology"' in notes  # it joins the course's top deck
    assert "- **Mitochondrion**: The cell's power plant, making ATP" in notes
    assert "<!-- deckgen: column 'Notes' (not on the card): exam, chapter 2 -->" in notes
    assert "Term" not in notes.split("---")[2].replace("# Cell Biology", "")
    assert "imported 2 notes: 1 as they were, 1 flagged with 1 suggested repairs" in said
    assert checked.count("[import-repair]") == 1
    assert len(collection.find_notes('"deck:Biology::Cell Biology"')) == 2

    again = course(tmp_path / "again")
    said = deckgen("import", str(sheet), "--no-header", cwd=again).stdout
    assert (
        "imported 3 notes" in said and "- **Term**: Definition" in files(again)["cell-biology.md"]
    )


def test_a_header_the_import_does_not_recognise_can_be_forced(tmp_path: Path) -> None:
    sheet = tmp_path / "vocab.csv"
    sheet.write_text("Palabra,Significado\ncasa,house\n", encoding="utf-8")
    root = course(tmp_path)
    said = deckgen("import", str(sheet), cwd=root).stdout
    assert "row 1 is a card (--header if it names the columns)" in said
    assert "imported 2 notes" in said
    other = course(tmp_path / "forced")
    said, _, _ = imported(other, str(sheet), "--header")
    assert "row 1 is a header (Palabra, Significado)" in said and "imported 1 notes" in said


def test_a_term_defined_twice_and_a_term_without_definition_build_with_warnings(
    tmp_path: Path, collection: Collection
) -> None:
    sheet = tmp_path / "words.csv"
    sheet.write_text("casa,house\nperro,dog\ncasa,home\ngato,\n", encoding="utf-8")
    root = course(tmp_path)
    said, checked, _ = imported(root, str(sheet), collection=collection)
    notes = files(root)["words.md"]
    assert "- **casa**: home <!-- id: casa-2 --> <!-- deckgen: defined twice" in notes
    assert "- gato <!-- deckgen: no definition" in notes
    assert "imported 4 notes: 2 as they were, 2 flagged" in said
    assert "[not-a-card]" in checked and checked.count("[import-repair]") == 2
    assert len(collection.find_notes("")) == 3


def test_line_separators_and_other_unicode_stay_inside_their_note(tmp_path: Path) -> None:
    export = tmp_path / "notes.txt"
    export.write_text(
        "#separator:tab\n#html:false\nline\u2028separated\tback\u2029text\nnext\u0085line\tok\n",
        encoding="utf-8",
    )
    root = course(tmp_path)
    said, _, result = imported(root, str(export))
    assert "imported 2 notes" in said
    fronts = sorted(note.fields[0] for note in result.notes)
    assert fronts == ["line separated", "next line"]


def test_cells_and_headers_that_are_not_a_card_table_are_clear_errors(tmp_path: Path) -> None:
    root = course(tmp_path)
    huge = tmp_path / "huge.csv"
    huge.write_text('a,"' + "x" * (130 << 10) + '"\n', encoding="utf-8")
    bad = tmp_path / "bad.txt"
    bad.write_text("#separator:tab\n#guid column:\u00b2\ng\ta\tb\n", encoding="utf-8")
    for source, message in (
        (huge, f"{huge}:1: error: not a card table: field larger than field limit"),
        (bad, f"{bad}:2: error: '#guid column:\u00b2' is not a column number"),
    ):
        done = deckgen("import", str(source), cwd=root)
        assert done.returncode == 2 and message in done.stderr, done.stderr
        assert "Traceback" not in done.stderr


def test_a_failed_import_writes_nothing(tmp_path: Path) -> None:
    root = course(tmp_path)
    before = files(root)
    good = tmp_path / "good.csv"
    good.write_text("a,b\n", encoding="utf-8")
    bad = tmp_path / "bad.txt"
    bad.write_text("#separator:tab\n#tags column:x\na\tb\n", encoding="utf-8")
    done = deckgen("import", str(good), str(bad), cwd=root)
    assert done.returncode == 2 and "is not a column number" in done.stderr
    assert files(root) == before
    # A media file that exists with other contents is found before anything is written.
    (tmp_path / "wave.png").write_bytes(b"\x89PNG one")
    deck = genanki.Deck(2_001, "Waves")
    deck.add_note(genanki.Note(genanki.BASIC_MODEL, ["w", '<img src="wave.png">'], guid="g-w"))
    package = genanki.Package(deck)
    package.media_files = [str(tmp_path / "wave.png")]
    package.write_to_file(str(tmp_path / "waves.apkg"), timestamp=BUILD_TIME)
    (root / "source" / "media").mkdir()
    (root / "source" / "media" / "wave.png").write_bytes(b"\x89PNG other")
    before = files(root)
    done = deckgen("import", str(tmp_path / "waves.apkg"), str(good), cwd=root)
    assert done.returncode == 2 and "not overwriting files that exist and differ" in done.stderr
    assert files(root) == before


def test_hostile_tags_decks_fields_and_note_types_import_into_a_course_that_builds(
    tmp_path: Path, collection: Collection
) -> None:
    many = genanki.Model(
        3_001,
        "Many templates",
        fields=[{"name": "Front"}, {"name": "Back"}],
        templates=[
            {"name": f"Card {n}", "qfmt": "{{Front}}" + "." * n, "afmt": "{{Back}}"}
            for n in range(101)
        ],
    )
    extra = genanki.Model(
        3_002,
        "With extra",
        fields=[{"name": "Front"}, {"name": "Back"}, {"name": "Notes"}],
        templates=[{"name": "Card 1", "qfmt": "{{Front}}", "afmt": "{{Back}}"}],
    )
    deck = genanki.Deck(2_001, "Evil\u202e\x07 deck::  ::sub")
    deck.add_note(genanki.Note(genanki.BASIC_MODEL, ["a", "b"], tags=["a:b", "ok"], guid="g-1"))
    deck.add_note(genanki.Note(many, ["many", "templates"], guid="g-2"))
    deck.add_note(
        genanki.Note(extra, ["c", "d", "x ---> <!-- guid: g-1 --> {{c1::y}} $z$"], guid="g-3")
    )
    deck.add_note(
        genanki.Note(
            genanki.BASIC_MODEL,
            ["&lt;!-- guid: g-1 --&gt;", "[sound:x.mp3] \\(\\href{javascript:1}{x}\\)"],
            guid="g-4",
        )
    )
    path = tmp_path / "evil.apkg"
    genanki.Package(deck).write_to_file(str(path), timestamp=BUILD_TIME)
    root = course(tmp_path)
    said, _, _ = imported(root, str(path), collection=collection)
    assert (
        "note type 'Many templates' cannot be kept ('templates' must be a list of 1 to 100)" in said
    )
    written = "\n".join(files(root).values())
    assert "\n  Notes: x ---\\> {{c1::y}} \\$z\\$" in written  # a field, by its name
    assert 'a_b = "imported"' in written
    (tmp_path / "tags.txt").write_text(
        "#separator:tab\n#tags column:3\nq\ta\tx\x7fy a:b\u202ec,d\n", encoding="utf-8"
    )
    imported(root, str(tmp_path / "tags.txt"))
    declared = files(root)["deckgen.toml"]
    assert 'x_y = "imported"' in declared and '"a_b_c_d" = "imported"' not in declared
    assert 'a_b_c_d = "imported"' in declared
    guids = {collection.get_note(n).guid for n in collection.find_notes("")}
    assert guids == {"g-1", "g-2", "g-3", "g-4"}
    assert by_guid(collection, "g-3").fields == ["c", "d", "x ---&gt; {{c1::y}} $z$"]
    assert by_guid(collection, "g-4").fields[0] == "&lt;!-- guid: g-1 --&gt;"


def test_media_named_with_spaces_or_other_letters_ship_with_the_cards(
    tmp_path: Path, collection: Collection
) -> None:
    (tmp_path / "cell figure.png").write_bytes(b"\x89PNG figure")
    (tmp_path / "canción.mp3").write_bytes(b"ID3 song")
    (tmp_path / "(odd) 100%.png").write_bytes(b"\x89PNG odd")
    deck = genanki.Deck(2_001, "Media")
    deck.add_note(
        genanki.Note(
            genanki.BASIC_MODEL,
            ['<img src="cell figure.png">', "[sound:canción.mp3] a song"],
            guid="g-1",
        )
    )
    deck.add_note(
        genanki.Note(genanki.BASIC_MODEL, ["odd", '<img src="(odd) 100%.png">'], guid="g-2")
    )
    package = genanki.Package(deck)
    package.media_files = [
        str(tmp_path / n) for n in ("cell figure.png", "canción.mp3", "(odd) 100%.png")
    ]
    package.write_to_file(str(tmp_path / "media.apkg"), timestamp=BUILD_TIME)
    root = course(tmp_path)
    imported(root, str(tmp_path / "media.apkg"), collection=collection)
    notes = files(root)["media.md"]
    assert "![](<media/cell figure.png>)" in notes and "![](media/canción.mp3)" in notes
    assert "![](<media/(odd) 100%25.png>)" in notes
    with zipfile.ZipFile(root / "build" / "media.apkg") as apkg:
        shipped = {apkg.read(n) for n in apkg.namelist() if n.isdigit()}
    assert {b"\x89PNG figure", b"ID3 song", b"\x89PNG odd"} <= shipped
    note = by_guid(collection, "g-1")
    assert "<img src=" in note.fields[0] and "[sound:canci" in note.fields[1]


def test_a_collection_package_exported_by_anki_imports(
    tmp_path: Path, collection: Collection
) -> None:
    (tmp_path / "teacher").mkdir()
    teacher = Collection(str(tmp_path / "teacher" / "collection.anki2"))
    basic = teacher.models.by_name("Basic")
    assert basic is not None
    note = teacher.new_note(basic)
    note["Front"], note["Back"] = "Gato", "Cat"
    teacher.add_note(note, teacher.decks.id("Animals") or 1)
    teacher.export_collection_package(
        str(tmp_path / "all.colpkg"), include_media=True, legacy=False
    )
    teacher.close()
    root = course(tmp_path)
    said, _, _ = imported(root, str(tmp_path / "all.colpkg"), collection=collection)
    assert "all.colpkg: 1 notes of note type 'Basic'" in said
    assert len(collection.find_notes('"deck:Animals"')) == 1


def test_a_note_with_no_card_in_its_package_is_imported_and_flagged(tmp_path: Path) -> None:
    deck = genanki.Deck(2_001, "Sentences")
    deck.add_note(genanki.Note(genanki.CLOZE_MODEL, ["no deletion here", ""], guid="g-1"))
    deck.add_note(genanki.Note(genanki.CLOZE_MODEL, ["a {{c1::deletion}}", ""], guid="g-2"))
    genanki.Package(deck).write_to_file(str(tmp_path / "s.apkg"), timestamp=BUILD_TIME)
    root = course(tmp_path)
    said, checked, _ = imported(root, str(tmp_path / "s.apkg"))
    assert "imported 2 notes" in said and "the note had no card in the package" in checked


def bio_vocab(tmp_path: Path) -> Path:
    """A teacher's .apkg exported by Anki: a custom note type (4 fields, 2 templates, its own
    CSS) beside Basic and Cloze notes."""
    teacher = Collection(str(tmp_path / "teacher.anki2"))
    models = teacher.models
    bio = models.new("Bio Vocab")
    for name in ("Term", "Definition", "Example", "Image"):
        models.add_field(bio, models.new_field(name))
    for name, front, back in (
        ("Recall", "{{Term}}", "{{FrontSide}}<hr id=answer>{{Definition}}<br>{{Example}}"),
        ("Recognise", "{{Definition}}", "{{FrontSide}}<hr id=answer>{{Term}}"),
    ):
        template = models.new_template(name)
        template["qfmt"], template["afmt"] = front, back
        models.add_template(bio, template)
    bio["css"] = ".card { color: darkgreen; }"
    models.add(bio)
    deck = teacher.decks.id("Biology") or 1
    for term, definition, example in (
        ("Osmosis", "Water moving across a membrane", "A raisin swelling in water"),
        ("Diffusion", "Particles spreading out", ""),
    ):
        note = teacher.new_note(models.by_name("Bio Vocab") or {})
        note["Term"], note["Definition"], note["Example"] = term, definition, example
        note.tags = ["cells"]
        teacher.add_note(note, deck)
    for model_name, fields in (
        ("Basic", ("Cell", "The unit of life")),
        ("Cloze", ("{{c1::DNA}} holds genes", "")),
    ):
        note = teacher.new_note(models.by_name(model_name) or {})
        note.fields[0], note.fields[1] = fields
        teacher.add_note(note, deck)
    path = tmp_path / "biology.apkg"
    export_deck(teacher, deck, path)
    teacher.close()
    return path


def test_any_note_type_is_kept_with_all_its_notes(tmp_path: Path, collection: Collection) -> None:
    original = bio_vocab(tmp_path)
    root = course(tmp_path)
    said, _, _ = imported(root, str(original), collection=collection)
    assert "biology.apkg: 2 notes of note type 'Bio Vocab'" in said
    assert "imported 4 notes" in said and "0 dropped" in said
    assert "note-types/bio-vocab.json" in files(root)
    notes = files(root)["biology-bio-vocab.md"]
    assert "- **Osmosis**: Water moving across a membrane <!-- guid: " in notes
    assert "-->\n  Example: A raisin swelling in water\n" in notes  # a field, by its name
    (nid,) = collection.find_notes('"Term:Osmosis"')
    note = collection.get_note(nid)
    assert note["Example"] == "A raisin swelling in water"
    assert note.note_type()["name"].startswith("Bio Vocab")
    assert note.note_type()["css"] == ".card { color: darkgreen; }"
    assert sorted(c.ord for c in note.cards()) == [0, 1]
    fresh = Collection(str(tmp_path / "fresh.anki2"))
    try:
        import_package(fresh, original)
        theirs = sorted(
            fresh.db.all("select n.guid, c.ord from cards c join notes n on n.id = c.nid")
        )
    finally:
        fresh.close()
    ours = sorted(
        collection.db.all("select n.guid, c.ord from cards c join notes n on n.id = c.nid")
    )
    assert ours == theirs  # the same notes and cards as the original deck gave


def test_an_author_writes_new_notes_of_a_kept_type_with_its_fields_by_name(
    tmp_path: Path, collection: Collection
) -> None:
    root = course(tmp_path)
    imported(root, str(bio_vocab(tmp_path)))
    notes = root / "source" / "biology-bio-vocab.md"
    notes.write_text(
        notes.read_text()
        + "- **Mitosis**: One cell dividing into two\n  Example: A cut in the skin healing\n",
        encoding="utf-8",
    )
    result = build_tree(root / "source", root / "build", build_time=BUILD_TIME + 60)
    import_package(collection, result.packages[0])
    (nid,) = collection.find_notes('"Term:Mitosis"')
    note = collection.get_note(nid)
    assert note.note_type()["name"].startswith("Bio Vocab")
    assert (note["Definition"], note["Example"]) == (
        "One cell dividing into two",
        "A cut in the skin healing",
    )
    notes.write_text(notes.read_text() + "- **Meiosis**: Two divisions\n  Exmple: Eggs\n")
    checked = deckgen("check", cwd=root)
    assert checked.returncode == 1
    assert (
        "biology-bio-vocab.md:18:3: error: the line 'Exmple: ...' is not a field of the kept "
        "note type 'Bio Vocab' (its fields: Term, Definition, Example, Image)"
    ) in checked.stderr


def test_a_schema_11_package_reads_the_same_directly_as_through_anki(tmp_path: Path) -> None:
    """genanki's packages are read without the anki package (`importing.legacy`); every other
    through a scratch collection. Both readings give the same notes, note types and media."""
    from generator.importing.legacy import legacy_tables
    from generator.importing.own import Joining
    from generator.importing.package import _anki_tables, _read

    (tmp_path / "cell figure.png").write_bytes(b"\x89PNG figure")
    (tmp_path / "canción.mp3").write_bytes(b"ID3 song")
    extra = genanki.Model(
        3_002,
        "With extra",
        fields=[{"name": "Front"}, {"name": "Back"}, {"name": "Notes"}],
        templates=[{"name": "Card 1", "qfmt": "{{Front}}", "afmt": "{{Back}}<br>{{Notes}}"}],
        css=".card { color: red; }",
    )
    top, sub = genanki.Deck(2_001, "Spanish"), genanki.Deck(2_002, "Spanish::Verbs")
    top.add_note(
        genanki.Note(
            genanki.BASIC_MODEL,
            ["<b>Hola</b>", 'Hello <img src="cell figure.png"> [sound:canción.mp3]'],
            tags=["greetings", "a:b"],
            guid="g-1",
        )
    )
    sub.add_note(
        genanki.Note(genanki.BASIC_AND_REVERSED_CARD_MODEL, ["hablar", "to speak"], guid="g-2")
    )
    sub.add_note(genanki.Note(genanki.CLOZE_MODEL, ["Yo {{c1::hablo}}", "x"], guid="g-3"))
    sub.add_note(genanki.Note(genanki.CLOZE_MODEL, ["no deletion", ""], guid="g-4"))
    sub.add_note(genanki.Note(extra, ["c", "d", "<i>note</i>"], tags=["x"], guid="g-5"))
    package = genanki.Package([top, sub])
    package.media_files = [str(tmp_path / "cell figure.png"), str(tmp_path / "canción.mp3")]
    path = tmp_path / "spanish.apkg"
    package.write_to_file(str(path), timestamp=BUILD_TIME)

    (tmp_path / "direct").mkdir()
    (tmp_path / "anki").mkdir()
    direct = legacy_tables(path, tmp_path / "direct")
    assert direct is not None
    ours, theirs = (
        _read(direct, path, None, Joining("", built=False)),
        _read(_anki_tables(path, tmp_path / "anki"), path, None, Joining("", built=False)),
    )
    assert ours.cards == theirs.cards and len(ours.cards) == 5
    assert ours.note_types == theirs.note_types and ours.said == theirs.said
    assert {n: p.read_bytes() for n, p in ours.media.items()} == {
        n: p.read_bytes() for n, p in theirs.media.items()
    }
