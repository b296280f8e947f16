"""Notes of a kept note type: the records of a file that names one (`note-type:` in its
metadata) become notes of the imported deck's own note type (`identity.kept`), so students
who studied that deck keep their history.

The record's parts go to the fields the type's `roles` name: the term, question or cloze
text to `prompt`, the definition, answer or cloze extra to `answer`, and a reverse card is
switched on by filling `reverse` when the file's variants ask for one. Every other field is
filled by name, by the item's `Name: text` lines (`parse.fields.named_fields`). A term or question
needs a front/back type, a cloze sentence a cloze type; an enumeration cannot be one.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from ..diagnostics import Diagnostic, error, shown_path
from ..identity.kept import KeptTypeError, load_kept
from ..identity.note_types import BY_KIND, FLAG, NoteType
from ..records import FileRef, Kind, Record, Variant


class KeptTypes:
    """The kept note types a build's records name, each loaded once."""

    def __init__(self, source: Path) -> None:
        self.source = source
        self.loaded: dict[str, NoteType | Diagnostic] = {}
        self.by_id: dict[int, tuple[str, NoteType]] = {
            t.model_id: ("deckgen", t) for t in BY_KIND.values()
        }

    def of(self, record: Record) -> NoteType | Diagnostic | None:
        """The kept note type of `record`, why it cannot be used (the same problem for every
        record of the file), or None when the record's file names none."""
        ref = record.note_type
        if ref is None:
            return None
        rel = PurePosixPath(record.rel).parent / ref.path
        key = rel.as_posix()
        if key not in self.loaded:
            self.loaded[key] = self._load(ref, rel)
        return self.loaded[key]

    def _load(self, ref: FileRef, rel: PurePosixPath) -> NoteType | Diagnostic:
        parts = rel.parts
        if rel.is_absolute() or ".." in parts or any(p.startswith(".") for p in parts):
            return _bad(ref, "must be a path inside the course's notes folder")
        path = self.source / rel
        try:  # a symbolic link out of the notes folder is refused, as an image's is
            outside = not path.resolve().is_relative_to(self.source.resolve())
        except (OSError, RuntimeError):  # RuntimeError: a symbolic link loop
            outside = False  # load_kept says why it cannot be read
        if outside:
            return _bad(ref, f"{shown_path(path)} lies outside the source directory")
        try:
            note_type = load_kept(path)
        except KeptTypeError as exc:
            return _bad(ref, f"{shown_path(path)}: {exc}")
        other = self.by_id.setdefault(note_type.model_id, (rel.as_posix(), note_type))
        if other[1] != note_type:
            return _bad(
                ref,
                f"{shown_path(path)} has note type id {note_type.model_id}, as {other[0]} has: "
                "two note types cannot share an id",
            )
        return note_type


def kept_fields(record: Record, note_type: NoteType) -> tuple[str, ...] | Diagnostic:
    """The fields of `record`'s note as `note_type`, or why it cannot be one."""
    kept = note_type.kept
    assert kept is not None
    if (
        record.kind in (Kind.ENUMERATION, Kind.COMPARISON)
        or (record.kind is Kind.CLOZE) != note_type.cloze
    ):
        want = "a cloze sentence" if note_type.cloze else "a term or a question"
        article = "an" if record.kind is Kind.ENUMERATION else "a"
        return error(
            record.location,
            "note-type",
            f"{article} {record.kind} cannot be a note of the kept note type '{note_type.name}', which "
            f"holds {want}: move it to a notes file without 'note-type'",
        )
    fields = [""] * len(note_type.fields)
    fields[kept.prompt] = record.front
    if kept.answer is not None:
        fields[kept.answer] = record.back
    if kept.reverse is not None and Variant.REVERSE in record.variants:
        fields[kept.reverse] = FLAG
    names = note_type.field_names
    for name, html in record.fields:
        at = names.index(name) if name in names else None
        why = None
        if at is None:
            why = (
                f"is not a field of the kept note type '{note_type.name}' (its fields: "
                f"{', '.join(names)}); to keep the line in the text above it, join the two lines"
            )
        elif at == kept.prompt or (at == kept.answer and record.back):
            why = "fills a field the item's own text fills already"
        elif at == kept.reverse:
            why = "switches the reverse card on: the file's variants set it"
        if why is not None or at is None:
            return error(record.location, "note-type", f"the line '{name}: ...' {why}")
        fields[at] = html
    return tuple(fields)


def _bad(ref: FileRef, why: str) -> Diagnostic:
    return error(ref.location, "note-type", f"note-type '{ref.path}': {why}")
