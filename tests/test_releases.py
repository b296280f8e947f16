"""Releases never lose a review: a scripted history through the real Anki importer.

Release 1 is imported and studied, the student edits a note; the author then edits a
definition, fixes a term's spelling, reorders notes, moves a note to another file and adds
a note; release 2 is imported over the student's collection.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from anki.collection import Collection

from generator.build import Result
from tests.helpers import build_tree, copy_course, import_package

T1 = int(time.time()) - 60 * 86400  # release 1, two months ago
T2 = int(time.time()) - 86400  # release 2, yesterday
PROACTIVE = "01-proactive-selling.md"
VALUE = "02-value-based-selling.md"
FOUNDATIONS = "key-account-management/01-foundations.md"
ORGANISATION = "key-account-management/02-organisation.md"
GROUPING = (
    "- **Customer grouping**: Categorizing customers based on their present relationship and\n"
    "  their growth potential.\n"
)


def edit(source: Path, name: str, old: str, new: str) -> None:
    path = source / name
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} not found once in {name}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def release_1(source: Path) -> None:
    """The course as first released (no lock yet): with a spelling mistake in a term."""
    (source / "deckgen.lock").unlink()
    edit(source, PROACTIVE, "**Cross-selling**", "**Cross-seling**")


def release_2(source: Path) -> None:
    edit(
        source, PROACTIVE, "How much of a customer's spending", "The share of a customer's spending"
    )
    edit(source, PROACTIVE, "**Cross-seling**", "**Cross-selling**")
    # Reorder: reactive selling now comes before proactive selling.
    proactive = (
        "- **Proactive selling**: Selling products or services to potential customers in an\n"
        "  unsolicited manner: working with and contacting customers before they express or\n"
        "  indicate a need.\n"
    )
    edit(source, PROACTIVE, proactive, "")
    edit(
        source,
        PROACTIVE,
        "- **Request for proposal (RFP)**",
        proactive + "- **Request for proposal (RFP)**",
    )
    # Move a note to another file of the same deck.
    edit(source, ORGANISATION, GROUPING, "")
    edit(source, FOUNDATIONS, "- **Strategic accounts**", GROUPING + "- **Strategic accounts**")
    edit(
        source,
        VALUE,
        "- **Value selling**",
        "- **Value proposition**: What a customer gains from an offer.\n- **Value selling**",
    )


def notes_by_front(col: Collection) -> dict[tuple[str, str], int]:
    found = {}
    for nid in col.find_notes(""):
        note = col.get_note(nid)
        found[(note.note_type()["name"], note.fields[0])] = nid
    return found


@dataclass(frozen=True)
class History:
    """The scripted history: two releases, the student's collection in between."""

    source: Path
    """The notes as of release 2 (lock included)."""
    out: Path
    """Release 2's build directory."""
    first: Result
    """Release 1's build."""
    second: Result
    """Release 2's build."""
    log: Any
    """What Anki's import of release 2 reported."""
    notes_1: int
    """Notes in the collection after release 1."""
    reviewed: tuple[int, ...]
    """The cards the student reviewed."""
    scheduling: dict[int, tuple[object, ...]]
    """Each card's scheduling before release 2."""
    revlog: int
    """Review log entries before release 2."""
    tmp: Path
    """The test's scratch folder."""


@pytest.fixture(scope="module")
def studied(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[History, Collection]]:
    """The history, made once for the module: its tests only read it and the student's
    collection (the re-import of an identical release, last, changes nothing when it passes)."""
    tmp_path = tmp_path_factory.mktemp("history")
    (tmp_path / "collection").mkdir()
    collection = Collection(str(tmp_path / "collection" / "collection.anki2"))
    yield _history(tmp_path, collection), collection
    collection.close()


@pytest.fixture
def history(studied: tuple[History, Collection]) -> History:
    return studied[0]


@pytest.fixture
def collection(studied: tuple[History, Collection]) -> Collection:
    """The student's collection after release 2 (the module's, not a fresh one)."""
    return studied[1]


def _history(tmp_path: Path, collection: Collection) -> History:
    source = copy_course(tmp_path)
    release_1(source)
    first = build_tree(source, tmp_path / "r1", build_time=T1)
    import_package(collection, tmp_path / "r1" / "sales-management.apkg")
    notes_1 = collection.note_count()

    # The student studies: five reviews.
    collection.decks.set_current(collection.decks.id_for_name("Sales Management"))
    reviewed = []
    for _ in range(5):
        card = collection.sched.getCard()
        assert card is not None
        collection.sched.answerCard(card, 3)
        reviewed.append(card.id)
    scheduling = {cid: _schedule(collection, cid) for cid in collection.find_cards("")}
    revlog = collection.db.scalar("select count() from revlog")

    # ... and adds a mnemonic of their own to a note the author will not touch.
    (nid,) = collection.find_notes('"Front:Reactive selling"')
    note = collection.get_note(nid)
    note["Back"] += " <i>My mnemonic: re-act = they act first.</i>"
    collection.update_note(note)

    release_2(source)
    second = build_tree(source, tmp_path / "r2", build_time=T2)
    response = import_package(collection, tmp_path / "r2" / "sales-management.apkg")
    return History(
        source=source,
        out=tmp_path / "r2",
        first=first,
        second=second,
        log=response.log,
        notes_1=notes_1,
        reviewed=tuple(reviewed),
        scheduling=scheduling,
        revlog=revlog,
        tmp=tmp_path,
    )


def _schedule(col: Collection, cid: int) -> tuple[object, ...]:
    card = col.get_card(cid)
    return (
        card.nid,
        card.did,
        card.type,
        card.queue,
        card.due,
        card.ivl,
        card.factor,
        card.reps,
        card.lapses,
    )


def test_release_2_updates_exactly_the_changed_notes(
    history: History, collection: Collection
) -> None:
    log = history.log
    assert not log.conflicting
    # Share of wallet and Cross-selling changed: one note each, forward and reverse cards in it.
    assert sorted(n.fields[0] for n in log.updated) == ["Cross-selling", "Share of wallet"]
    assert sorted(n.fields[0] for n in log.new) == ["Value proposition"]
    assert collection.note_count() == history.notes_1 + 1


def test_no_duplicate_notes_and_changes_applied_in_place(
    history: History, collection: Collection
) -> None:
    fronts = notes_by_front(collection)
    assert len(fronts) == collection.note_count(), "two notes of one type share a front"
    assert ("Sales Management · Term", "Cross-selling") in fronts
    assert ("Sales Management · Term", "Cross-seling") not in fronts
    share = collection.get_note(fronts[("Sales Management · Term", "Share of wallet")])
    assert share["Back"].startswith("The share of a customer's spending")


def test_every_review_and_schedule_survives(history: History, collection: Collection) -> None:
    scheduling = history.scheduling
    for cid, before in scheduling.items():
        assert _schedule(collection, cid) == before
    assert collection.db.scalar("select count() from revlog") == history.revlog == 5
    for cid in history.reviewed:
        assert collection.get_card(cid).reps == 1


def test_the_students_edit_survives(history: History, collection: Collection) -> None:
    (nid,) = collection.find_notes('"Front:Reactive selling"')
    assert collection.get_note(nid)["Back"].endswith("<i>My mnemonic: re-act = they act first.</i>")


def test_moved_and_reordered_notes_keep_identity(history: History) -> None:
    first = {n.record.front: n for n in history.first.notes}
    second = {n.record.front: n for n in history.second.notes}
    for front in ("Customer grouping", "Proactive selling", "Reactive selling"):
        a, b = first[front], second[front]
        assert (a.guid, a.mod) == (b.guid, b.mod), front
    assert second["Customer grouping"].record.rel == "key-account-management/01-foundations.md"
    fixed = second["Cross-selling"]
    assert fixed.guid == first["Cross-seling"].guid and fixed.mod == T2


def test_rebuild_is_byte_identical_and_reimport_changes_nothing(
    history: History, collection: Collection
) -> None:
    out = history.out
    tmp = history.tmp
    build_tree(history.source, tmp / "again", build_time=T2 + 3600)
    for name in ("sales-management.apkg", "records.jsonl"):
        assert (tmp / "again" / name).read_bytes() == (out / name).read_bytes()
    before = {nid: collection.get_note(nid).mod for nid in collection.find_notes("")}
    response = import_package(collection, tmp / "again" / "sales-management.apkg")
    assert not response.log.new and not response.log.updated and not response.log.conflicting
    assert {nid: collection.get_note(nid).mod for nid in collection.find_notes("")} == before


def test_no_timestamp_is_in_the_future(history: History) -> None:
    now = time.time()
    assert all(n.mod <= now for n in history.second.notes)
