"""Anki packages (.apkg, .colpkg) from Anki or any generator, read with the official anki package.

The package is imported into a scratch collection, which reads every format Anki writes
(schema 11 and the newer zstd-compressed ones), and each note is mapped by its note type:

- a cloze note type: a cloze record (its first field; the second, if any, its extra text);
- a front/back note type whose first template asks for one field and answers with another:
  a term or question; a second template that asks the other way makes it reversed, and
  `{{type:...}}` in a template makes it typed;
- anything else is not imported, and reported per note type with its note count.

Each note type that maps is kept (`identity.kept`): written as `note-types/<name>.json` and
named by the notes files of its notes, so a student who studied the deck keeps every
review when the first build of the imported notes updates their notes in place.
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
from ..identity.fold import plain
from ..identity.kept import kept_json
from ..output.package import slug
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
    note_types: dict[str, str]
    """Kept note type file name -> its text (`identity.kept.kept_json`)."""


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
        if path.suffix.lower() == ".colpkg":  # the whole collection, its note types as they are
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
            # A new collection's stock note types would make the package's own types be
            # renamed ("Basic-1a2b3") on import: move them out of the way.
            for model in col.models.all():
                model["name"] = f"deckgen scratch {model['id']}"
                col.models.save(model)
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
    kept: dict[int, str] = {}  # note type id -> its file name
    texts: dict[str, str] = {}
    for nid in col.find_notes(""):
        note = col.get_note(nid)
        model = note.note_type()
        shape = _shape(model)
        if shape is None:
            skipped[model["name"]] += 1
            continue
        kind, front_at, back_at, switch, reverse, typed = shape
        if int(model["id"]) not in kept:
            names = [f["name"] for f in model["flds"]]
            roles = {
                "prompt": names[front_at],
                "answer": None if back_at is None else names[back_at],
                "reverse": None if switch is None else names[switch],
            }
            name = _file_name(model, texts)
            kept[int(model["id"])] = name
            texts[name] = kept_json(model, roles)
        if switch is not None:
            reverse = bool(note.fields[switch].strip())
        deck_name = deck or col.decks.name(note.cards()[0].did)
        front, repairs = markdown_of(_media(note.fields[front_at], media_dir, used))
        back, more = "", list[str]()
        if back_at is not None and back_at < len(note.fields):
            back, more = markdown_of(_media(note.fields[back_at], media_dir, used))
        dropped = [
            f"its field '{field['name']}' held text deckgen does not keep: {_short(text)}"
            for i, (field, text) in enumerate(zip(model["flds"], note.fields, strict=False))
            if i not in (front_at, back_at, switch) and text.strip()
        ]
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
                repairs=tuple(repairs + more + dropped),
                origin=f"{path}: {model['name']}",
                note_type=kept[int(model["id"])],
            )
        )
    return PackageCards(cards, used, dict(skipped), texts)


def _file_name(model: dict[str, Any], taken: dict[str, str]) -> str:
    """`note-types/` file name for a note type: its name, and its id if that name is taken."""
    stem = slug(model["name"], 60, "note-type")
    return f"{stem}-{model['id']}.json" if f"{stem}.json" in taken else f"{stem}.json"


def _short(html: str, limit: int = 40) -> str:
    text = plain(html)
    return text if len(text) <= limit else text[:limit] + "..."


def _shape(model: dict[str, Any]) -> tuple[Kind, int, int | None, int | None, bool, bool] | None:
    """How a note type maps: kind, front field, back field, the field that switches a reverse
    card on, reversed, typed; None if it does not map."""
    names = [f["name"] for f in model["flds"]]
    templates = model["tmpls"]
    if model.get("type") == 1:  # cloze
        return (Kind.CLOZE, 0, 1 if len(names) > 1 else None, None, False, False)
    if not templates or len(names) < 2:
        return None
    asked = _fields(templates[0]["qfmt"], names, typed=False)
    answered = [n for n in _fields(templates[0]["afmt"], names) if n not in asked]
    if len(asked) != 1 or not answered:
        return None
    front, back = names.index(asked[0]), names.index(answered[0])
    typed = any("{{type:" in t["qfmt"] for t in templates)
    reversing = [
        t for t in templates[1:] if _fields(t["qfmt"], names, typed=False)[:1] == [names[back]]
    ]
    switch = None
    for template in reversing:
        for name in re.findall(r"\{\{#([^}]+?)\}\}", template["qfmt"]):
            if name.strip() in names and names.index(name.strip()) not in (front, back):
                switch = names.index(name.strip())
    return (Kind.TERM, front, back, switch, bool(reversing), typed)


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
