"""`deckgen import`: existing cards become notes that check, build and import.

Every round trip is built and imported into a real collection; imported notes keep their
GUIDs. What Anki does with a student's existing cards on the first import after a
conversion is proved in tests/test_import_history.py.
"""

from __future__ import annotations

from pathlib import Path

import genanki
import pytest
from anki.collection import Collection
from hypothesis import given
from hypothesis import strategies as st

from generator.importing.markup import _ESCAPES, escape_text
from tests.helpers import BUILD_TIME, build_tree, empty_course, export_deck, import_package
from tests.helpers import run_deckgen as deckgen

SEEDS = Path(__file__).parent / "fixtures" / "seeds"


def genanki_package(path: Path, image: Path) -> Path:
    """A teacher's deck made by another generator: basic, reversed and cloze notes, tags,
    an image and a sub-deck."""
    basic = genanki.BASIC_MODEL
    reversed_ = genanki.BASIC_AND_REVERSED_CARD_MODEL
    cloze = genanki.CLOZE_MODEL
    top, sub = genanki.Deck(2_001, "Spanish"), genanki.Deck(2_002, "Spanish::Verbs")
    top.add_note(
        genanki.Note(
            basic,
            ["<b>Hola</b>", "Hello&nbsp;<div>(greeting)</div>"],
            tags=["greetings"],
            guid="g-hola",
        )
    )
    top.add_note(
        genanki.Note(
            basic,
            ["¿Qué tal?", 'How are you? <img src="wave.png">'],
            tags=["greetings"],
            guid="g-que",
        )
    )
    sub.add_note(genanki.Note(reversed_, ["hablar", "to speak"], tags=["verbs"], guid="g-hablar"))
    sub.add_note(
        genanki.Note(cloze, ["Yo {{c1::hablo}} español.", ""], tags=["verbs"], guid="g-hablo")
    )
    package = genanki.Package([top, sub])
    package.media_files = [str(image)]
    package.write_to_file(str(path), timestamp=BUILD_TIME - 86_400)
    return path


def test_a_generated_package_round_trips(tmp_path: Path, collection: Collection) -> None:
    (tmp_path / "wave.png").write_bytes(b"\x89PNG fake image")
    original = genanki_package(tmp_path / "spanish.apkg", tmp_path / "wave.png")

    root = empty_course(tmp_path)
    done = deckgen("import", str(original), cwd=root)
    assert done.returncode == 0, done.stderr
    notes = (root / "source" / "spanish.md").read_text()
    assert "- **\\*\\*Hola\\*\\*** " not in notes and "- **Hola**" not in notes  # bold kept as bold
    assert "<!-- guid: g-hola -->" in notes and "![](media/wave.png)" in notes
    assert "deckgen: the field had HTML clutter" in notes
    assert (root / "source" / "media" / "wave.png").read_bytes() == b"\x89PNG fake image"
    reversed_file = (
        root / "source" / "spanish-verbs-basic-and-reversed-card-genanki.md"
    ).read_text()
    assert "note-type: note-types/basic-and-reversed-card-genanki.json" in reversed_file
    assert "- **hablar**: to speak" in reversed_file
    assert 'greetings = "imported"' in (root / "source" / "deckgen.toml").read_text()
    checked = deckgen("check", cwd=root)
    assert "[import-repair]" in checked.stderr and " error(s)" in checked.stderr
    assert "0 error(s)" in checked.stderr, checked.stderr

    result = build_tree(root / "source", root / "build", build_time=BUILD_TIME)
    assert {n.guid for n in result.notes} == {"g-hola", "g-que", "g-hablar", "g-hablo"}
    fresh = Collection(str(tmp_path / "fresh.anki2"))
    assert len(import_package(fresh, root / "build" / "spanish.apkg").log.new) == 4
    fresh.close()


def test_a_package_exported_by_anki_itself_imports(tmp_path: Path, collection: Collection) -> None:
    source = Collection(str(tmp_path / "teacher.anki2"))
    basic = source.models.by_name("Basic")
    typed = source.models.by_name("Basic (type in the answer)")
    for model, front, back in ((basic, "Gato", "Cat"), (typed, "Perro", "Dog")):
        assert model is not None
        note = source.new_note(model)
        note["Front"], note["Back"] = front, back
        source.add_note(note, source.decks.id("Animals") or 1)
    occlusion = source.models.new("Image occlusion (custom)")
    source.models.add_field(occlusion, source.models.new_field("Image"))
    template = source.models.new_template("Card 1")
    template["qfmt"], template["afmt"] = "{{Image}}", "{{Image}}"
    source.models.add_template(occlusion, template)
    source.models.add(occlusion)
    note = source.new_note(occlusion)
    note["Image"] = "x"
    source.add_note(note, source.decks.id("Animals") or 1)
    exported = export_deck(source, source.decks.id("Animals") or 1, tmp_path / "animals.apkg")
    source.close()

    root = empty_course(tmp_path)
    done = deckgen("import", str(exported), cwd=root)
    assert done.returncode == 0, done.stderr
    assert "animals.apkg: 1 notes of note type 'Image occlusion (custom)'" in done.stdout
    typed = (root / "source" / "animals-basic-type-in-the-answer.md").read_text()
    assert "- **Perro**: Dog" in typed
    build_tree(root / "source", root / "build")
    log = import_package(collection, root / "build" / "animals.apkg").log
    assert len(log.new) == 3  # the note of the type that maps to nothing is kept too
    (nid,) = collection.find_notes('"Front:Perro"')
    note = collection.get_note(nid)  # still a note of its own type: one card, typed in
    # (A fresh collection has a stock type of that name: Anki adds a "+", as for the original.)
    assert note.note_type()["name"].startswith("Basic (type in the answer)")
    assert [c.ord for c in note.cards()] == [0]
    assert "{{type:Back}}" in note.note_type()["tmpls"][0]["qfmt"]


@pytest.mark.parametrize(
    ("name", "text", "fronts"),
    [
        ("verbs.csv", 'comer,to eat\n"beber, tomar",to drink\n', ["comer", "beber, tomar"]),
        ("verbs.tsv", "comer\tto eat\nbeber\tto drink\n", ["comer", "beber"]),
        (
            "export.txt",
            "#separator:tab\n#html:true\n#guid column:1\n#tags column:4\ng1\t<i>comer</i>\tto eat\tverbs\n"
            "g2\tbeber\tto drink\tverbs\n",
            ["_comer_", "beber"],
        ),
    ],
)
def test_text_exports_round_trip(
    name: str, text: str, fronts: list[str], tmp_path: Path, collection: Collection
) -> None:
    (tmp_path / name).write_text(text, encoding="utf-8")
    root = empty_course(tmp_path)
    done = deckgen("import", str(tmp_path / name), "--deck", "Verbs", cwd=root)
    assert done.returncode == 0, done.stderr
    notes = (root / "source" / "verbs.md").read_text()
    for front in fronts:
        assert f"- **{front}**: to " in notes
    result = build_tree(root / "source", root / "build")
    if name == "export.txt":  # no note type to make them match: students get new notes
        assert "its 2 GUIDs were dropped" in done.stdout
        assert not {n.guid for n in result.notes} & {"g1", "g2"}
    assert len(import_package(collection, root / "build" / "verbs.apkg").log.new) == 2


def test_the_flashcard_page_export_yields_a_record_per_pair_and_flags_what_the_course_repaired(
    tmp_path: Path,
) -> None:
    root = empty_course(tmp_path)
    seed = next(SEEDS.glob("000_*.txt"))
    done = deckgen("import", str(seed), "--deck", "Sales", cwd=root)
    assert done.returncode == 0, done.stderr
    assert "wrote" in done.stdout and "(100 notes, 19 flagged)" in done.stdout
    assert "19 flagged with 20 suggested repairs" in done.stdout
    assert (root / "source" / "sales.md").read_text().count("<!-- deckgen: ") == 20
    checked = deckgen("check", cwd=root).stderr
    assert "\n0 error(s)" in checked
    repairs = [line for line in checked.splitlines() if "[import-repair]" in line]
    assert len(repairs) == 20
    back_to_front = [line for line in repairs if "back to front" in line]
    assert len(back_to_front) >= 10  # "A radically different ...": "What is KAM's essence?"
    assert any("split over 4 lines" in line for line in repairs)  # "Customers are selected, ..."
    assert any("defined twice" in line for line in repairs)  # Value-based selling
    assert "source/sales.md:" in repairs[0]


def test_import_refuses_to_overwrite_notes(tmp_path: Path) -> None:
    root = empty_course(tmp_path)
    (tmp_path / "v.csv").write_text("a,b\n")
    assert deckgen("import", str(tmp_path / "v.csv"), cwd=root).returncode == 0
    again = deckgen("import", str(tmp_path / "v.csv"), cwd=root)
    assert again.returncode == 2 and "not overwriting notes that exist" in again.stderr


@given(st.text(alphabet=st.sampled_from([*map(chr, _ESCAPES), "a", " ", "é", "\n"])) | st.text())
def test_escaping_finds_every_character_it_maps(text: str) -> None:
    """escape_text searches for the characters it maps instead of translating every one: it
    gives what the translation gives."""
    assert escape_text(text) == text.translate(_ESCAPES)
