"""How a student meets a course's new cards (`output.study`), on the real scheduler: lecture
order, a note's cards on different days, the preset, and what Anki keeps of the positions."""

from __future__ import annotations

import collections
from pathlib import Path

from anki import import_export_pb2 as iepb
from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest
from hypothesis import given
from hypothesis import strategies as st

from generator.output.study import GAP, meetings, study_order
from tests.helpers import BUILD_TIME, build_tree, import_package, write_notes


@given(st.lists(st.integers(1, 25), max_size=60))
def test_study_order_puts_first_cards_in_lecture_order_and_siblings_a_day_apart(
    counts: list[int],
) -> None:
    cards = [list(range(n)) for n in counts]
    order = study_order(cards)
    assert sorted(order) == sorted((note, c) for note, n in enumerate(counts) for c in range(n))
    firsts = [slot for slot, (_, ordinal) in enumerate(order) if ordinal == 0]
    assert [order[slot][0] for slot in firsts] == list(range(len(counts)))
    last_first = max(firsts, default=-1)
    seen: dict[int, int] = {}
    for slot, (note, ordinal) in enumerate(order):
        if ordinal:  # each note's cards come in their own order
            assert order[seen[note]][1] == ordinal - 1
            # Closer than a day's new cards only where no first card is left to put between.
            assert slot - seen[note] >= GAP or slot > last_first, (note, slot)
        seen[note] = slot


def test_meetings_names_the_notes_whose_cards_share_a_day() -> None:
    order = study_order([[0, 1, 2], [0]])  # too few cards to keep the first note's apart
    assert meetings(order) == [(0, 3)]
    assert meetings(study_order([[0, 1]] + [[0]] * GAP)) == []


def course(tmp_path: Path) -> Path:
    """One deck of 63 notes in three files: terms with reverse cards, lists with a card per
    item and a whole-list card, a cloze and questions (a deck whose lists have enough cards
    after them to keep theirs apart: `study_order`)."""
    first = ["---\ndeck: Course\nvariants: [basic, reverse, cloze]\n---\n"]
    for n in range(12):
        first.append(f"- **Term {n:02}**: The meaning of term {n}.")
        if n % 4 == 3:
            first.append(
                f"- **Which parts has thing {n}?**\n  - Part A{n}\n  - Part B{n}\n  - Part C{n}"
            )
    second = ["---\ndeck: Course\n---\n", "- The {{c1::first}} and the {{c2::second}} deletion."]
    for n in range(12, 60):
        second.append(f"- **Question {n:02}?** Answer {n}.")
    return write_notes(
        tmp_path / "source", {"1-a.md": "\n".join(first) + "\n", "2-b.md": "\n".join(second) + "\n"}
    )


def study(collection: Collection, days: int) -> list[list[str]]:
    """The fronts of the new cards shown each day with the default options (20 a day), every
    card answered Easy; the next day's by unburying what was buried and raising today's
    limit again (the same gathering, in one collection day)."""
    top = collection.decks.id_for_name("Course")
    assert top is not None
    collection.decks.select(top)
    shown = []
    for _ in range(days):
        queued = collection.sched.get_queued_cards(fetch_limit=500).cards
        new = [collection.get_card(q.card.id) for q in queued if q.queue == 0]
        shown.append([f"{card.note().fields[0]}#{card.ord}" for card in new])
        for card in new:
            card.start_timer()
            collection.sched.answerCard(card, 4)
        collection.sched.unbury_deck(top)
        collection.sched.extend_limits(20, 0)
    return shown


def test_new_cards_come_in_lecture_order_and_never_two_of_a_note_on_a_day(
    tmp_path: Path, collection: Collection
) -> None:
    build_tree(course(tmp_path), tmp_path / "out")
    import_package(collection, tmp_path / "out" / "course.apkg")
    days = study(collection, 6)
    first_day = [front.split("#")[0] for front in days[0]]
    assert len(set(first_day)) == 20, "the first 20 new cards come from 20 notes"
    # Anki shows a day's cards card type by card type; the notes are those of the lecture's
    # first 20 items, in order.
    lecture = [
        *(f"Term {n:02}" for n in range(12)),
        *(f"Which parts has thing {n}?" for n in (3, 7, 11)),
    ]
    lecture = sorted(lecture, key=lambda f: (int(f.split()[-1].rstrip("?")), "Which" in f))
    lecture += ["The {{c1::first}} and the {{c2::second}} deletion."]
    lecture += [f"Question {n:02}?" for n in range(12, 60)]
    assert set(first_day) == set(lecture[:20])
    firsts = [f for f in days[0] if f.endswith("#0")]
    assert firsts == [f"{f}#0" for f in lecture[:20] if f"{f}#0" in firsts]
    for day in days:
        notes = collections.Counter(front.split("#")[0] for front in day)
        assert max(notes.values(), default=1) == 1, f"two cards of a note on one day: {day}"
    assert sum(map(len, days)) == collection.card_count(), "every card came"


def test_with_the_preset_siblings_never_meet_even_in_a_small_deck(
    tmp_path: Path, collection: Collection
) -> None:
    small = "---\ndeck: Course\n---\n\n- **Which three?**\n  - One\n  - Two\n  - Three\n- **Term**: Meaning.\n"
    build_tree(write_notes(tmp_path / "source", {"a.md": small}), tmp_path / "out")
    options = ImportAnkiPackageOptions(
        merge_notetypes=False,
        update_notes=iepb.IMPORT_ANKI_PACKAGE_UPDATE_CONDITION_IF_NEWER,
        update_notetypes=iepb.IMPORT_ANKI_PACKAGE_UPDATE_CONDITION_IF_NEWER,
        with_scheduling=False,
        with_deck_configs=True,  # "Import any deck presets"
    )
    package = str(tmp_path / "out" / "course.apkg")
    collection.import_anki_package(ImportAnkiPackageRequest(package_path=package, options=options))
    days = study(collection, 4)
    assert [len({f.split("#")[0] for f in day}) for day in days] == [len(day) for day in days]
    assert days[0] and sum(map(len, days)) == collection.card_count()


def test_anki_keeps_the_positions_and_a_later_release_puts_a_new_note_in_its_place(
    tmp_path: Path, collection: Collection
) -> None:
    source = write_notes(
        tmp_path / "source",
        {"a.md": "---\ndeck: Course\n---\n\n" + "".join(f"- **T{n}**: M{n}.\n" for n in range(6))},
    )
    build_tree(source, tmp_path / "r1")
    import_package(collection, tmp_path / "r1" / "course.apkg")

    def positions() -> dict[str, int]:
        rows = collection.db.all(
            "select n.sfld, c.due from cards c join notes n on c.nid = n.id where c.ord = 0"
        )
        return {str(front): int(due) for front, due in rows}

    first = positions()
    assert sorted(first, key=first.__getitem__) == [f"T{n}" for n in range(6)]
    text = (source / "a.md").read_text().replace("- **T3**", "- **New**: Between.\n- **T3**")
    (source / "a.md").write_text(text)
    build_tree(source, tmp_path / "r2", build_time=BUILD_TIME + 60)
    import_package(collection, tmp_path / "r2" / "course.apkg")
    second = positions()
    assert {k: v for k, v in second.items() if k != "New"} == first  # cards are never changed
    assert first["T2"] < second["New"] <= first["T3"]  # a tie is broken by card id: after T3
