"""The note types a course already keeps (`note-types/*.json`, from an earlier import of a
deck's package), by name: a text export of the same deck keeps its GUIDs with them."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from ..identity.kept import KeptTypeError, load_kept
from ..identity.note_types import NoteType

Kept = tuple[str, NoteType]
"""A kept note type's file name in `note-types/`, and the note type."""


class KeptTypes:
    """The kept note types of the course whose notes folder is `folder`, read on first use."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder / "note-types"
        self._by_name: dict[str, Kept] | None = None

    def named(self, name: str) -> Kept | None:
        """The kept note type called `name`, if the course has one (and only one)."""
        if self._by_name is None:
            found: dict[str, list[Kept]] = defaultdict(list)
            for path in sorted(self.folder.glob("*.json")) if self.folder.is_dir() else ():
                try:
                    note_type = load_kept(path)
                except KeptTypeError:
                    continue  # `deckgen check` reports it
                found[note_type.name].append((path.name, note_type))
            self._by_name = {name: kept[0] for name, kept in found.items() if len(kept) == 1}
        return self._by_name.get(name) if name else None
