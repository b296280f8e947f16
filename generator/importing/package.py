"""Anki packages (.apkg, .colpkg) from Anki or any generator, read with the official anki package.

The package is imported into a scratch collection, which reads every format Anki writes
(schema 11 and the newer zstd-compressed ones), and each note is mapped by its note type:

- a cloze note type: a cloze record (its first field; the second, if any, its extra text);
- a front/back note type whose first template asks for one field and answers with another:
  a term or question; a second template that asks the other way makes it reversed, and
  `{{type:...}}` in a template makes it typed;
- anything else is not imported, and reported per note type with its note count.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..diagnostics import UsageError
from ..records import Kind
from .cards import ImportedCard
from .markup import markdown_of

_FIELD = re.compile(r"\{\{(?!FrontSide)(?:[#^/]|type:|text:|hint:|furigana:)?([^}#^/]+?)\}\}")


@dataclass(frozen=True, slots=True)
class PackageCards:
    """What a package held."""

    cards: list[ImportedCard]
    """The notes that map to deckgen records."""
    media: dict[str, Path]
    """Media file name -> the file, copied out of the package."""
    skipped: dict[str, int]
    """Note type name -> notes not imported, for each type that does not map."""


def read_package(path: Path, deck: str | None, scratch: Path) -> PackageCards:
    """The cards, media and unmapped note types of an .apkg or .colpkg."""
    try:
        from anki import import_export_pb2 as iepb
        from anki.collection import Collection
    except ImportError:
        raise UsageError(
            "deckgen import needs the official anki package to read .apkg and .colpkg files: "
            "pip install anki==26.9.3"
        ) from None
    folder = Path(tempfile.mkdtemp(dir=scratch))
    col_path = folder / "collection.anki2"
    try:
        if path.suffix.lower() == ".colpkg":
            col = Collection(str(col_path))
            col.close_for_full_sync()
            col._backend.import_collection_package(
                col_path=str(col_path),
                backup_path=str(path),
                media_folder=str(folder / "collection.media"),
                media_db=str(folder / "collection.media.db2"),
            )
            col = Collection(str(col_path))
        else:
            col = Collection(str(col_path))
            options = iepb.ImportAnkiPackageOptions(
                merge_notetypes=False, with_scheduling=False, with_deck_configs=False
            )
            col.import_anki_package(
                iepb.ImportAnkiPackageRequest(package_path=str(path), options=options)
            )
    except Exception as exc:  # the anki package's own errors: a file it cannot read
        raise UsageError(f"{path}: error: not an Anki package anki can read ({exc})") from None
    try:
        return _cards(col, path, deck, Path(col.media.dir()))
    finally:
        col.close()


def _cards(col: Any, path: Path, deck: str | None, media_dir: Path) -> PackageCards:
    cards: list[ImportedCard] = []
    skipped: Counter[str] = Counter()
    used: dict[str, Path] = {}
    for nid in col.find_notes(""):
        note = col.get_note(nid)
        model = note.note_type()
        shape = _shape(model)
        if shape is None:
            skipped[model["name"]] += 1
            continue
        kind, front_at, back_at, reverse, typed = shape
        deck_name = deck or col.decks.name(note.cards()[0].did)
        front, repairs = markdown_of(_media(note.fields[front_at], media_dir, used))
        back, more = "", list[str]()
        if back_at is not None and back_at < len(note.fields):
            back, more = markdown_of(_media(note.fields[back_at], media_dir, used))
        cards.append(
            ImportedCard(
                deck=deck_name,
                kind=kind,
                front=front,
                back=back,
                reverse=reverse,
                typed=typed,
                guid=note.guid,
                tags=tuple(sorted(note.tags)),
                repairs=tuple(repairs + more),
                origin=f"{path}: {model['name']}",
            )
        )
    return PackageCards(cards, used, dict(skipped))


def _shape(model: dict[str, Any]) -> tuple[Kind, int, int | None, bool, bool] | None:
    """How a note type maps: kind, front field, back field, reversed, typed; None if not."""
    names = [f["name"] for f in model["flds"]]
    templates = model["tmpls"]
    if model.get("type") == 1:  # cloze
        return (Kind.CLOZE, 0, 1 if len(names) > 1 else None, False, False)
    if not templates or len(names) < 2:
        return None
    asked = _fields(templates[0]["qfmt"], names, typed=False)
    answered = [n for n in _fields(templates[0]["afmt"], names) if n not in asked]
    if len(asked) != 1 or not answered:
        return None
    front, back = names.index(asked[0]), names.index(answered[0])
    typed = any("{{type:" in t["qfmt"] for t in templates)
    reverse = any(
        _fields(t["qfmt"], names, typed=False)[:1] == [names[back]] for t in templates[1:]
    )
    return (Kind.TERM, front, back, reverse, typed)


def _fields(template: str, names: list[str], *, typed: bool = True) -> list[str]:
    """The fields a template shows, in order (conditionals left out; `{{type:X}}` only
    when `typed`: on a front it is the answer being asked for, not the prompt)."""
    found = []
    for match in _FIELD.finditer(template):
        opening = template[match.start() + 2 : match.start() + 7]
        if opening[:1] in "#^/" or (not typed and opening == "type:"):
            continue
        name = match.group(1).strip()
        if name in names and name not in found:
            found.append(name)
    return found


def _media(html: str, media_dir: Path, used: dict[str, Path]) -> str:
    """Image sources pointed at media/ beside the notes, and each file noted for copying."""

    def ship(match: re.Match[str]) -> str:
        name = match.group(2)
        if (media_dir / name).is_file():
            used[name] = media_dir / name
            return f"{match.group(1)}media/{name}{match.group(3)}"
        return match.group(0)

    return re.sub(r'(<img[^>]*\ssrc=")([^"/]+)(")', ship, html)


def copy_media(files: dict[str, Path], folder: Path) -> list[Path]:
    """Copy the media the notes show into `folder` (never over a different file)."""
    written = []
    for name, source in sorted(files.items()):
        target = folder / name
        if target.exists() and target.read_bytes() != source.read_bytes():
            raise UsageError(f"{target}: error: exists and differs from the package's {name}")
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        written.append(target)
    return written
