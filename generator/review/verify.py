"""Verify: import every built package into a scratch collection with the official `anki` package
and report what Anki sees (needs the `anki` package: `pip install anki==26.9.3`)."""

from __future__ import annotations

import hashlib
import re
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..diagnostics import UsageError
from .apkg import check_packages


@dataclass(frozen=True, slots=True)
class Verification:
    """What Anki saw when it imported a build."""

    packages: tuple[str, ...]
    """The packages imported, by file name."""
    notes: int
    """Notes in the collection after the import."""
    cards_by_note_type: dict[str, int]
    """Note type name -> number of cards."""
    cards_by_deck: dict[str, int]
    """Deck name -> number of cards (not counting subdecks)."""
    tags: tuple[str, ...]
    """Every tag."""
    empty_cards: tuple[str, ...] = ()
    """Cards Anki would list under Tools > Empty Cards, as 'note type: front'."""
    duplicates: tuple[str, ...] = ()
    """Notes imported as duplicates, or whose first field duplicates another's."""
    flagged: tuple[str, ...] = field(default=())
    """Other notes Anki's editor would flag (empty first field, missing cloze)."""

    @property
    def ok(self) -> bool:
        return not self.empty_cards and not self.duplicates

    def report(self) -> list[str]:
        """What `deckgen verify` prints."""
        lines = [f"packages: {', '.join(self.packages)}", f"notes: {self.notes}"]
        for title, counts in (
            ("cards by note type", self.cards_by_note_type),
            ("cards by deck", self.cards_by_deck),
        ):
            lines += [f"{title}:", *(f"  {name}: {count}" for name, count in counts.items())]
        lines.append(f"tags: {' '.join(self.tags)}")
        for title, items in (
            ("empty cards", self.empty_cards),
            ("duplicates", self.duplicates),
            ("flagged", self.flagged),
        ):
            lines += [f"{title}: {len(items)}", *(f"  {item}" for item in items)]
        return lines


def import_package(col: Any, package: Path) -> Any:
    """Import a package as Anki's GUI does by default on a fresh profile (docs/anki.md, section 9):
    update notes and note types only if newer, no merging of note types, no scheduling."""
    from anki import import_export_pb2 as iepb
    from anki.collection import ImportAnkiPackageOptions, ImportAnkiPackageRequest

    if_newer = iepb.IMPORT_ANKI_PACKAGE_UPDATE_CONDITION_IF_NEWER
    options = ImportAnkiPackageOptions(
        merge_notetypes=False,
        update_notes=if_newer,
        update_notetypes=if_newer,
        with_scheduling=False,
        with_deck_configs=False,
    )
    return col.import_anki_package(
        ImportAnkiPackageRequest(package_path=str(package), options=options)
    )


def open_scratch(tmp: Path) -> Any:
    """A new, empty Anki collection in `tmp`, with an index the duplicate check needs.

    Anki's duplicate check looks a note's first field up by its checksum and note type;
    without statistics SQLite takes the note type index and scans every note of the type,
    so checking every note is quadratic (26 s for 10,000 notes). An index on both makes
    each look-up one seek; it changes no result."""
    try:
        from anki.collection import Collection
    except ImportError:
        raise UsageError(
            "deckgen verify needs the official anki package: pip install anki==26.9.3 "
            "(installed with pipx: pipx inject deckgen-md anki==26.9.3)"
        ) from None
    col: Any = Collection(str(tmp / "collection.anki2"))
    col.db.execute("CREATE INDEX IF NOT EXISTS deckgen_mid_csum ON notes (mid, csum)")
    # A scratch collection, thrown away: no write needs to wait for the disk.
    col.db.execute("PRAGMA synchronous = OFF")
    return col


def verify(packages: list[Path]) -> Verification:
    """Import the packages into a fresh collection and look at the result."""
    check_packages(packages)  # refuses, with a reason, what is not a sound package
    with tempfile.TemporaryDirectory(prefix="deckgen-verify-") as tmp:
        col = open_scratch(Path(tmp))
        try:
            duplicates: list[str] = []
            for package in packages:
                log = import_package(col, package).log
                duplicates += [
                    f"{package.name}: duplicate GUID: {n.fields[0][:60]}" for n in log.duplicate
                ]
            return _seen(col, tuple(p.name for p in packages), duplicates)
        finally:
            col.close()


def _seen(col: Any, packages: tuple[str, ...], duplicates: list[str]) -> Verification:
    """What a collection holds, read in bulk: one query for the cards, and Anki's own field
    check only on the notes it could flag (every other note is NORMAL by its rules)."""
    from anki.notes import NoteFieldsCheckResult

    types = {m.id: m.name for m in col.models.all_names_and_ids()}
    decks = {d.id: d.name for d in col.decks.all_names_and_ids()}
    by_type: Counter[str] = Counter()
    by_deck: Counter[str] = Counter()
    for mid, did, cards in col.db.all(
        "SELECT n.mid, c.did, count() FROM cards c JOIN notes n ON c.nid = n.id "
        "GROUP BY n.mid, c.did"
    ):
        by_type[types.get(mid, "?")] += cards
        by_deck[decks.get(did, "?")] += cards
    flagged: list[str] = []
    for nid in _could_be_flagged(col):
        note = col.get_note(nid)
        state = note.fields_check()
        if state == NoteFieldsCheckResult.DUPLICATE:
            duplicates.append(f"duplicate first field: {label(note)}")
        elif state != NoteFieldsCheckResult.NORMAL:
            flagged.append(f"{NoteFieldsCheckResult.Name(state).lower()}: {label(note)}")
    return Verification(
        packages=packages,
        notes=col.note_count(),
        cards_by_note_type=dict(sorted(by_type.items())),
        cards_by_deck=dict(sorted(by_deck.items())),
        tags=tuple(sorted(col.tags.all())),
        empty_cards=empty_cards(col),
        duplicates=tuple(duplicates),
        flagged=tuple(flagged),
    )


def empty_cards(col: Any) -> tuple[str, ...]:
    """The cards Anki's Tools > Empty Cards lists, each as its note's label, sorted (Anki's
    order varies from run to run)."""
    return tuple(
        sorted(
            label(col.get_note(entry.note_id))
            for entry in col.get_empty_cards().notes
            for _ in entry.card_ids
        )
    )


_EMPTY_CHECKSUM = int(hashlib.sha1(b"").hexdigest()[:8], 16)
"""Anki's checksum of a first field that is empty once its HTML is stripped."""
_DELETION = re.compile(r"\{\{c\d+::")


def _could_be_flagged(col: Any) -> list[int]:
    """The notes Anki's field check could call other than NORMAL (rslib `note_fields_check`):
    a first field whose checksum another note of its type shares (a duplicate) or that is the
    checksum of no text (empty); a cloze deletion in a note type that is not cloze; a cloze
    type's note with no deletion in its cloze fields, or one in another field."""
    clozed: dict[int, set[int]] = {}  # cloze note type -> the fields its templates cloze
    for model in col.models.all():
        if model.get("type") == 1:
            shown = " ".join(t["qfmt"] for t in model["tmpls"])
            names = [f["name"] for f in model["flds"]]
            clozed[model["id"]] = {i for i, n in enumerate(names) if f"cloze:{n}}}}}" in shown}
    shared = set(
        col.db.list(
            "SELECT n.id FROM notes n JOIN (SELECT mid, csum FROM notes GROUP BY mid, csum "
            "HAVING count() > 1) d ON n.mid = d.mid AND n.csum = d.csum"
        )
    )
    found = []
    for nid, mid, csum, flds in col.db.execute("SELECT id, mid, csum, flds FROM notes"):
        if nid in shared or csum == _EMPTY_CHECKSUM:
            found.append(nid)
        elif mid not in clozed:
            if _DELETION.search(flds):
                found.append(nid)
        else:
            has = [bool(_DELETION.search(f)) for f in flds.split("\x1f")]
            inside = [h for i, h in enumerate(has) if i in clozed[mid]]
            if not any(inside) or sum(has) > sum(inside):
                found.append(nid)
    return found


def label(note: Any) -> str:
    """A note as a student would recognise it: its note type and the start of its front."""
    return f"{note.note_type()['name']}: {note.fields[0][:60]}"
