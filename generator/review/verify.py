"""Verify: import every built package into a scratch collection with the official `anki` package
and report what Anki sees (needs the `anki` package: `pip install anki==26.9.3`)."""

from __future__ import annotations

import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..diagnostics import UsageError
from .apkg import packages_in, read_packages


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


def verify(build_dir: Path) -> Verification:
    """Import every .apkg in `build_dir` into a fresh collection and look at the result."""
    try:
        from anki.collection import Collection
        from anki.notes import NoteFieldsCheckResult
    except ImportError:
        raise UsageError(
            "deckgen verify needs the official anki package: pip install anki==26.9.3"
        ) from None
    packages = packages_in(build_dir)
    read_packages(packages)  # refuses, with a reason, what is not a sound package
    with tempfile.TemporaryDirectory(prefix="deckgen-verify-") as tmp:
        col = Collection(str(Path(tmp) / "collection.anki2"))
        try:
            duplicates: list[str] = []
            for package in packages:
                log = import_package(col, package).log
                duplicates += [
                    f"{package.name}: duplicate GUID: {n.fields[0][:60]}" for n in log.duplicate
                ]
            by_type: Counter[str] = Counter()
            by_deck: Counter[str] = Counter()
            for cid in col.find_cards(""):
                card = col.get_card(cid)
                by_type[card.note_type()["name"]] += 1
                by_deck[col.decks.name(card.did)] += 1
            flagged: list[str] = []
            for nid in col.find_notes(""):
                note = col.get_note(nid)
                state = note.fields_check()
                label = _label(note)
                if state == NoteFieldsCheckResult.DUPLICATE:
                    duplicates.append(f"duplicate first field: {label}")
                elif state != NoteFieldsCheckResult.NORMAL:
                    flagged.append(f"{NoteFieldsCheckResult.Name(state).lower()}: {label}")
            empty = []
            for entry in col.get_empty_cards().notes:
                note = col.get_note(entry.note_id)
                empty += [_label(note)] * len(entry.card_ids)
            return Verification(
                packages=tuple(p.name for p in packages),
                notes=col.note_count(),
                cards_by_note_type=dict(sorted(by_type.items())),
                cards_by_deck=dict(sorted(by_deck.items())),
                tags=tuple(sorted(col.tags.all())),
                empty_cards=tuple(empty),
                duplicates=tuple(duplicates),
                flagged=tuple(flagged),
            )
        finally:
            col.close()


def _label(note: Any) -> str:
    """A note as a student would recognise it: its note type and the start of its front."""
    return f"{note.note_type()['name']}: {note.fields[0][:60]}"
