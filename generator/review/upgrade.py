"""Upgrade: what a student who studied the last release gets from the new one, seen by the
real importer (`deckgen verify --from OLD`).

The old packages are imported into a scratch collection as a student did, every card is
answered once (so each has a review, an interval and a due date to lose), then the new
packages are imported with Anki's default settings, and the collection is read back: the
notes the import added, updated, left alone as conflicting or refused as duplicates, the
empty cards, the cards that stay in a deck the new release no longer puts them in, and any
review or schedule that did not survive.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from unicodedata import normalize

from ..identity.note_types import location_fields
from .apkg import PackagedNote, check_packages, read_build
from .verify import empty_cards, import_package, label, open_scratch


@dataclass(frozen=True, slots=True)
class Upgrade:
    """What the import of a new release did to a collection that studied the old one."""

    reviewed: int
    """Cards of the old release answered before the upgrade."""
    new: tuple[str, ...]
    """Notes the import added, as 'note type: front'."""
    updated: int
    """Notes the import updated in place."""
    conflicting: tuple[str, ...]
    """Notes left as they were: their note type's fields or cards changed, and "Merge note
    types" is off by default."""
    unchanged: int
    """Notes the import left as they were, being the same (Anki logs them "duplicate")."""
    not_updated: tuple[str, ...]
    """Notes the new release changed that the import skipped: their time is not newer."""
    empty_cards: tuple[str, ...]
    """Cards left empty (Tools > Empty Cards would list them)."""
    moved: tuple[str, ...]
    """Notes whose cards stay in a deck the new release no longer puts them in."""
    lost: tuple[str, ...]
    """Reviewed cards whose history or schedule did not survive, or that are gone."""

    @property
    def ok(self) -> bool:
        return not self.lost and not self.not_updated

    def report(self) -> list[str]:
        """What `deckgen verify --from` prints."""
        lines = [
            f"cards reviewed before the upgrade: {self.reviewed}",
            f"new notes: {len(self.new)}",
            *(f"  {n}" for n in self.new),
            f"updated notes: {self.updated}",
            f"unchanged notes: {self.unchanged}",
        ]
        for title, items in (
            ('conflicting notes (updated only with "Merge note types")', self.conflicting),
            ("changed notes the import skipped (not newer)", self.not_updated),
            ("empty cards (Tools > Empty Cards)", self.empty_cards),
            ("moved notes (students' cards stay where they are)", self.moved),
            ("reviews lost", self.lost),
        ):
            lines += [f"{title}: {len(items)}", *(f"  {item}" for item in items)]
        return lines


_SCHEDULE = "SELECT id, ivl, due, reps, lapses, type, queue FROM cards"


def upgrade(old: list[Path], new: list[Path]) -> Upgrade:
    """Import `old`, study every card once, import `new`, and say what happened."""
    check_packages([*old, *new])  # refuses, with a reason, what is not a sound package
    shipped = read_build(new).notes
    with tempfile.TemporaryDirectory(prefix="deckgen-upgrade-") as tmp:
        col = open_scratch(Path(tmp))
        try:
            for package in old:
                import_package(col, package)
            _study(col)
            before = {row[0]: row[1:] for row in col.db.all(_SCHEDULE)}
            reviews = col.db.scalar("SELECT count() FROM revlog")
            logs = [import_package(col, package).log for package in new]
            after = {row[0]: row[1:] for row in col.db.all(_SCHEDULE)}
            lost = [
                f"{_card(col, cid) if cid in after else 'a card'}: "
                + ("its schedule changed" if cid in after else "gone from the collection")
                for cid, schedule in before.items()
                if after.get(cid) != schedule
            ]
            if col.db.scalar("SELECT count() FROM revlog") < reviews:
                lost.append("the review log lost entries")
            return Upgrade(
                reviewed=len(before),
                new=tuple(_logged(n) for log in logs for n in log.new),
                updated=sum(len(log.updated) for log in logs),
                conflicting=tuple(_logged(n) for log in logs for n in log.conflicting),
                unchanged=sum(len(log.duplicate) for log in logs),
                not_updated=_not_updated(col, shipped, [n for log in logs for n in log.duplicate]),
                empty_cards=empty_cards(col),
                moved=_moved(col, {guid: note.deck for guid, note in shipped.items()}),
                lost=tuple(lost),
            )
        finally:
            col.close()


def _study(col: Any) -> None:
    """Answer every card once with Good, as a student who studied the whole release did."""
    for cid in col.find_cards(""):
        card = col.get_card(cid)
        card.start_timer()
        col.sched.answerCard(card, 3)


def _moved(col: Any, decks_now: dict[str, str]) -> tuple[str, ...]:
    decks = {d.id: d.name for d in col.decks.all_names_and_ids()}
    where: dict[str, set[str]] = {}
    for guid, did in col.db.all("SELECT n.guid, c.did FROM cards c JOIN notes n ON c.nid = n.id"):
        where.setdefault(guid, set()).add(decks.get(did, "?"))
    moved = []
    for guid, deck in decks_now.items():
        elsewhere = sorted(where.get(guid, set()) - {deck})
        if elsewhere:
            nid = col.db.scalar("SELECT id FROM notes WHERE guid = ?", guid)
            moved.append(
                f"{label(col.get_note(nid))}: stays in {', '.join(elsewhere)} "
                f"(this release puts it in {deck})"
            )
    return tuple(sorted(moved))


def _not_updated(col: Any, shipped: dict[str, PackagedNote], skipped: list[Any]) -> tuple[str, ...]:
    """The skipped notes whose fields the package has otherwise than the collection. The
    location fields of deckgen's own note types (Context, Source) do not count: by design a moved note or a renamed
    heading does not re-stamp a note (`identity.ids.content_hash`), so students see the new
    line with the note's next change, as diff and the release notes say."""
    held = {nid: (guid, flds) for nid, guid, flds in col.db.all("SELECT id, guid, flds FROM notes")}
    late = []
    for note in skipped:
        guid, fields = held.get(note.id.nid, ("", ""))
        if guid in shipped:
            ours = fields.split("\x1f")
            theirs = shipped[guid].fields
            where = location_fields(tuple(name for name, _ in theirs))
            if len(ours) != len(theirs) or any(
                normalize("NFC", value) != normalize("NFC", held_value)
                for (name, value), held_value in zip(theirs, ours, strict=True)
                if name not in where
            ):
                late.append(_logged(note))
    return tuple(late)


def _card(col: Any, cid: int) -> str:
    card = col.get_card(cid)
    return f"{label(card.note())} (card {card.ord + 1})"


def _logged(note: Any) -> str:
    """A note of an import's log, as 'front' (the log carries its fields, not its type)."""
    return str(note.fields[0])[:60] if note.fields else "?"
