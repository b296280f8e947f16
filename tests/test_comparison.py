"""Comparison tables: a Markdown table in the notes is a note per row, whose cards each ask
for one thing's side with the others shown, and a list of its aspects; built, imported into a
real Anki collection (anki 26.9.3) and read as a student reads each card."""

from __future__ import annotations

import json
from pathlib import Path

from anki.collection import Collection

from generator.identity.comparison_type import COMPARISON
from tests.helpers import (
    build_tree,
    cards_as_anki_adds_them,
    import_package,
    visible_text,
    write_notes,
)

HEAD = "---\ndeck: Sales\ntags: [kam]\n---\n\n# Key Account Management\n\n## Selling compared\n\n"
TABLE = (
    "| | Transactional selling | Key account management |\n"
    "| --- | --- | --- |\n"
    "| Overall objective | Sales | Preferred supplier status |\n"
    "| Salesperson's goal <!-- id: goal --> | The closed sale | Relationship management |\n"
)
THREE = (
    "\n## Power\n\n"
    "| Which aspects tell the three powers apart? | Legislative | Executive | Judicial |\n"
    "| --- | --- | --- | --- |\n"
    "| Task | Makes laws | Carries out laws | Interprets laws |\n"
    "| Held by | Parliament | Government | Courts |\n"
)


def built(tmp_path: Path, text: str, name: str = "out", build_time: int = 1_700_000_000) -> Path:
    source = write_notes(tmp_path / "source", {"a.md": text})
    build_tree(source, tmp_path / name, build_time=build_time)
    return tmp_path / name / "sales.apkg"


def seen(collection: Collection) -> dict[str, list[tuple[str, str]]]:
    """Each note's first field -> (front, back) of each of its cards, as a student reads them."""
    found = {}
    for nid in collection.find_notes(""):
        note = collection.get_note(nid)
        cards = sorted(note.cards(), key=lambda c: c.ord)
        found[visible_text(note.fields[0])] = [
            (visible_text(c.question()), visible_text(c.answer())) for c in cards
        ]
    return found


def test_each_row_is_a_note_whose_cards_ask_each_side_with_the_other_shown(
    tmp_path: Path, collection: Collection
) -> None:
    import_package(collection, built(tmp_path, HEAD + TABLE + THREE))
    cards = seen(collection)
    context = "Key Account Management \u203a Selling compared"
    source = "source/a.md \u203a Selling compared"
    assert cards["Overall objective"] == [
        (
            f"{context} Transactional selling \u2014 Overall objective: ? "
            "Key account management: Preferred supplier status",
            f"{context} Transactional selling \u2014 Overall objective: ? "
            f"Key account management: Preferred supplier status Sales {source}",
        ),
        (
            f"{context} Key account management \u2014 Overall objective: ? "
            "Transactional selling: Sales",
            f"{context} Key account management \u2014 Overall objective: ? "
            f"Transactional selling: Sales Preferred supplier status {source}",
        ),
    ]
    # The pin is no text of the card.
    assert cards["Salesperson's goal"][1][0].endswith(
        "Key account management \u2014 Salesperson's goal: ? Transactional selling: The closed sale"
    )
    # Three things compared: a card for each, the two others shown.
    task = [front for front, _ in cards["Task"]]
    assert [f.split("Power ", 1)[1] for f in task] == [
        "Legislative \u2014 Task: ? Executive: Carries out laws Judicial: Interprets laws",
        "Executive \u2014 Task: ? Legislative: Makes laws Judicial: Interprets laws",
        "Judicial \u2014 Task: ? Legislative: Makes laws Executive: Carries out laws",
    ]
    assert cards["Task"][2][1].endswith("Interprets laws source/a.md \u203a Power")
    # The aspects: one card that hides the whole list, asked by the header's question, or
    # by one made from the names compared.
    (aspects,) = cards["What aspects compare Transactional selling and Key account management?"]
    assert aspects[0].endswith("[...] [...]")
    assert aspects[1].endswith(f"Overall objective Salesperson's goal {source}")
    (powers,) = cards["Which aspects tell the three powers apart?"]
    assert "Task Held by" in powers[1]
    assert collection.card_count() == 2 + 2 + 3 + 3 + 1 + 1
    # The note type keeps its fixed field and template ids, so a later merge can match them.
    (nid,) = collection.find_notes('"Aspect:Task"')
    model = collection.get_note(nid).note_type()
    assert model is not None and model["name"] == "Test \u00b7 Comparison"
    assert [(f["name"], f["id"]) for f in model["flds"]] == list(COMPARISON.fields)
    assert [t["id"] for t in model["tmpls"]] == [t.template_id for t in COMPARISON.templates]
    assert cards_as_anki_adds_them(collection) == 6  # deckgen's card rule is Anki's


def test_a_rows_cards_are_siblings_and_its_identity_survives_rewording_its_cells(
    tmp_path: Path, collection: Collection
) -> None:
    first = built(tmp_path, HEAD + TABLE, "v1")
    import_package(collection, first)
    (nid,) = collection.find_notes('"Aspect:Overall objective"')
    note = collection.get_note(nid)
    assert [c.ord for c in note.cards()] == [0, 1]  # one note: Anki buries them together
    guids = {json.loads(line)["front"]: json.loads(line)["guid"] for line in _records(first)}
    collection.decks.select(collection.decks.id_for_name("Sales") or 1)
    for _ in range(20):  # the student studies every card shown today
        card = collection.sched.getCard()
        if card is None:
            break
        collection.sched.answerCard(card, 4)
    reworded = (
        TABLE.replace("| Sales |", "| Sales volume |")
        .replace("Overall objective", "Overall objectives")
        .replace("Salesperson's goal", "What the salesperson wants")  # pinned: a new wording
        .replace("The closed sale", "A closed sale")
    )
    second = built(tmp_path, HEAD + reworded, "v2", build_time=1_700_100_000)
    after = {json.loads(line)["front"]: json.loads(line)["guid"] for line in _records(second)}
    assert after["Overall objectives"] == guids["Overall objective"]
    assert after["What the salesperson wants"] == guids["Salesperson's goal"]
    log = import_package(collection, second).log
    assert (len(log.new), len(log.updated)) == (0, 3)  # the two rows and the list of aspects
    note = collection.get_note(nid)
    assert note["Value1"] == "Sales volume" and note["Aspect"] == "Overall objectives"
    assert [c.reps for c in note.cards()] == [1, 1]  # the reviews stayed with the note


def _records(package: Path) -> list[str]:
    return (package.parent / "records.jsonl").read_text(encoding="utf-8").splitlines()


def test_records_say_what_a_row_compares(tmp_path: Path) -> None:
    lines = [json.loads(line) for line in _records(built(tmp_path, HEAD + TABLE))]
    (row,) = [r for r in lines if r["front"] == "Overall objective"]
    assert row["kind"] == "comparison"
    assert row["columns"] == ["Transactional selling", "Key account management"]
    assert row["items"] == ["Sales", "Preferred supplier status"]
    (goal,) = [r for r in lines if r.get("pin") == "goal"]
    assert goal["source"] == "a.md:13"
    (aspects,) = [r for r in lines if r["kind"] == "enumeration"]
    assert "columns" not in aspects and aspects["items"] == [
        "Overall objective",
        "Salesperson's goal",
    ]


def test_a_table_inside_a_list_item_is_part_of_its_answer(
    tmp_path: Path, collection: Collection
) -> None:
    item = "- **Powers**: as follows\n\n" + "".join(f"  {line}\n" for line in THREE.split("\n")[3:])
    import_package(collection, built(tmp_path, HEAD + item))
    cards = seen(collection)
    assert list(cards) == ["Powers"]
    assert "Legislative Executive Judicial Task Makes laws" in cards["Powers"][0][1]


def test_preview_stats_and_release_notes_show_comparisons_as_anki_does(
    tmp_path: Path, collection: Collection
) -> None:
    from generator.build import preview
    from generator.config import load_config
    from tests.helpers import preview_notes, run_forked

    package = built(tmp_path, HEAD + TABLE + THREE)
    source = tmp_path / "source"
    page = preview(load_config(source, tmp_path / "p", build_time=1_700_000_000), tmp_path / "pv")[
        0
    ]
    ours = {
        (note[5], ordinal): (front, back)
        for note in preview_notes(page.read_text(encoding="utf-8"))
        for _, ordinal, front, back in note[6]
    }
    import_package(collection, package)
    card_ids = collection.find_cards("")
    assert len(ours) == len(card_ids) == 12
    for cid in card_ids:
        card = collection.get_card(cid)
        front, back = ours[(card.note().guid, card.ord)]
        assert visible_text(front) == visible_text(card.question())
        assert visible_text(back) == visible_text(card.answer())
    stats = run_forked("stats", "--source", str(source)).stdout
    assert "| Sales | 6 | 12 |" in stats  # what Anki imported: 6 notes, 12 cards
    notes = run_forked("diff", str(package), "--source", str(source)).stdout
    assert "Overall objective" in notes
    assert "Transactional selling: Sales; Key account management: Preferred supplier" in notes
    verified = run_forked("verify", str(package.parent), "--source", str(source))
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert "Comparison" in verified.stdout


def test_a_row_replaced_by_another_is_a_new_note_not_the_old_ones_history(
    tmp_path: Path,
) -> None:
    """Two rows of one table share its names, so their fronts look alike (80% and more):
    a rename is judged on the aspect alone, or a new row would take over a deleted one's
    GUID and reviews."""
    table = TABLE.replace(" <!-- id: goal -->", "")
    first = built(tmp_path, HEAD + table, "v1")
    guids = {json.loads(line)["front"]: json.loads(line)["guid"] for line in _records(first)}
    replaced = table.replace(
        "| Salesperson's goal | The closed sale | Relationship management |",
        "| Sales skills | Closing | Building trust |",
    ).replace("Overall objective", "Overall objectives")
    second = built(tmp_path, HEAD + replaced, "v2", build_time=1_700_100_000)
    after = {json.loads(line)["front"]: json.loads(line)["guid"] for line in _records(second)}
    assert after["Overall objectives"] == guids["Overall objective"]  # a spelling fix
    assert after["Sales skills"] not in guids.values()  # another fact: a note of its own


def test_a_package_with_comparisons_imports_into_a_course_students_keep(
    tmp_path: Path, collection: Collection
) -> None:
    """`deckgen import` of a package deckgen built: its rows are not written back as a table
    yet, so they come back as notes of their kept note type; the course builds, and students
    who studied the package get no new note and no conflict."""
    from generator.importing.run import Options, import_cards

    package = built(tmp_path, HEAD + TABLE)
    source = write_notes(tmp_path / "colleague", {}, vocabulary=())
    imported = import_cards([package], source, Options())
    assert sum(f.notes for f in imported.files) == 3
    build_tree(source, tmp_path / "rebuilt", build_time=1_700_100_000)
    import_package(collection, package)
    log = import_package(collection, tmp_path / "rebuilt" / "sales.apkg").log
    assert (len(log.new), len(log.conflicting)) == (0, 0)
    assert collection.note_count() == 3
