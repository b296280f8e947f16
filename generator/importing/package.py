"""Anki packages (.apkg, .colpkg) from Anki or any generator.

A package in the format genanki and Anki's "support older Anki versions" export write (schema
11: an SQLite file in the zip) is read directly (`legacy`). Any other, and every .colpkg, is
imported into a scratch collection by the official anki package, which reads every format
Anki writes (the zstd-compressed schema 18 of today's exports), and read from there. Every
note type its notes use is kept (`identity.kept`: written as `note-types/<name>.json` and
named by the notes files of its notes), so a student who studied the deck keeps every review
when the first build of the imported notes updates their notes in place. How a type's fields
map (`shapes.shape`): its prompt (what the first template asks) and answer (what it answers
with) are the record's two sides, a switch field turns its reverse card on, and every other
field of a note is kept beside them (`ImportedCard.fields`). A type deckgen cannot keep
(`identity.kept` refuses it: over 100 templates, a template Anki cannot render) becomes
deckgen's own notes, said in one line.
"""

from __future__ import annotations

import contextlib
import hashlib
import tempfile
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..diagnostics import UsageError
from ..identity.kept import KeptTypeError, kept_json, read_kept
from ..identity.removed import TAG as REMOVED
from ..records import Kind
from ..slug import slug
from .cards import Found, ImportedCard
from .legacy import POSITIONS, Tables, legacy_tables
from .markup import deck_name, link_path, media_name, tag_name
from .own import Joining, OwnType, own_note, own_type, removed
from .shapes import Shape, convert, shape

STUDENT_TAGS = frozenset({"leech", "marked"})
"""Tags Anki adds to a student's notes (a leech, a note marked in review): in a student's
export of a deckgen package they are the student's, not the course's."""
_UNKNOWN = 1 << 60
"""The position of a note whose cards say none: after every known one."""
AUDIO = frozenset({"mp3", "m4a", "aac", "ogg", "oga", "opus", "wav", "flac", "webm"})
"""The sound formats deckgen ships (`cards.media`)."""


def read_package(path: Path, deck: str | None, scratch: Path, joining: Joining) -> Found:
    """Every note, the media they show and the note types they use, of an .apkg or .colpkg;
    the notes of a deckgen course the import `joining` takes, as that course's notes."""
    folder = Path(tempfile.mkdtemp(dir=scratch))
    tables = legacy_tables(path, folder) if path.suffix.lower() != ".colpkg" else None
    return _read(tables or _anki_tables(path, folder), path, deck, joining)


def _anki_tables(path: Path, folder: Path) -> Tables:
    """The package imported into a scratch collection by the anki package, which reads every
    format Anki writes, then read."""
    try:
        from anki.collection import Collection
    except ImportError:
        raise UsageError(
            f"{path}: error: deckgen import needs the official anki package to read this "
            "package: pip install anki==26.9.3 (with pipx: pipx inject deckgen-md anki==26.9.3)"
        ) from None
    col_path = folder / "collection.anki2"
    col = Collection(str(col_path))
    try:
        if path.suffix.lower() == ".colpkg":  # a whole collection, replacing the scratch one
            backend = col._backend
            col.close()
            backend.import_collection_package(
                col_path=str(col_path),
                backup_path=str(path.resolve()),
                media_folder=str(folder / "collection.media"),
                media_db=str(folder / "collection.media.db2"),
            )
            col = Collection(str(col_path))
        else:
            _import_apkg(col, path)
    except Exception as exc:  # the anki package's own errors: a file it cannot read
        with contextlib.suppress(Exception):
            col.close()
        raise UsageError(f"{path}: error: not an Anki package anki can read ({exc})") from None
    try:
        media = Path(col.media.dir())
        db: Any = col.db
        return Tables(
            {int(m["id"]): m for m in col.models.all()},
            {d.id: d.name for d in col.decks.all_names_and_ids()},
            dict(db.all("select nid, did from cards order by ord desc")),
            dict(db.all(POSITIONS)),
            db.all("select id, guid, mid, tags, flds from notes order by id"),
            lambda name: media / name,
        )
    finally:
        col.close()


def _import_apkg(col: Any, path: Path) -> None:
    from anki import import_export_pb2 as iepb

    # A new collection's stock note types would make the package's own types be renamed
    # ("Basic-1a2b3") on import: move them out of the way.
    for model in col.models.all():
        model["name"] = f"deckgen scratch {model['id']}"
        col.models.save(model)
    options = iepb.ImportAnkiPackageOptions(
        merge_notetypes=False, with_scheduling=False, with_deck_configs=False
    )
    col.import_anki_package(
        iepb.ImportAnkiPackageRequest(package_path=str(path.resolve()), options=options)
    )


class _Media:
    """The package's media files the notes show: each under a safe name in media/."""

    def __init__(self, find: Callable[[str], Path | None]) -> None:
        self.find = find
        self.files: dict[str, Path] = {}  # name in media/ -> the file
        self.names: dict[str, str] = {}  # name in the deck -> name in media/
        self.repairs: list[str] = []  # of the field being converted

    def __call__(self, name: str, kind: str) -> str | None:
        local = self.names.get(name)
        if local is None:
            unsafe = "/" in name or "\\" in name or name in ("", ".", "..")
            source = None if unsafe else self.find(name)
            if source is None or not source.is_file():
                self.repairs.append(
                    f"its {kind} '{name}' is not in the package: add the file to "
                    "media/ and show it with ![](media/...)"
                )
                return None
            if kind == "sound" and name.rpartition(".")[2].lower() not in AUDIO:
                self.repairs.append(
                    f"its sound '{name}' is in a format deckgen does not ship "
                    f"(it plays {', '.join(sorted(AUDIO))}): convert it and show it with ![](media/...)"
                )
                return None
            local = _unstamped(media_name(name), source)
            stem, dot, ext = local.rpartition(".")
            n = 1
            while local in self.files:  # two names that are one once made safe
                n += 1
                local = f"{stem}-{n}.{ext}" if dot else f"{local}-{n}"
            self.names[name], self.files[local] = local, source
        return link_path(f"media/{local}")


def _unstamped(name: str, source: Path) -> str:
    """`name` without the content hash deckgen's build adds to the media it ships
    (`cards.media.shipped_name`: `figure-3374389f60.png`), so a package deckgen built comes
    back with the names its notes had, and builds to the names it shipped."""
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    head, dash, digest = stem.rpartition("-")
    if not (dash and head and len(digest) == 10) or digest.strip("0123456789abcdef"):
        return name
    if hashlib.sha256(source.read_bytes()).hexdigest()[:10] != digest:
        return name
    return f"{head}.{ext}" if ext else head


def _read(tables: Tables, path: Path, deck: str | None, joining: Joining) -> Found:
    found = Found(path)
    models, decks, first_deck = tables.models, tables.decks, tables.first_deck
    media = _Media(tables.media)
    types: dict[int, tuple[Shape, str | None, str]] = {}  # shape, kept file, origin
    owns: dict[int, OwnType | None] = {}
    tagged: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {}  # tags, repairs
    counts: Counter[int] = Counter()
    gone = 0
    student_tagged = 0  # notes with a tag Anki gives a student's notes
    for nid, guid, mid, tags, flds in tables.notes:
        if mid not in owns:
            owns[mid] = _own(models[mid], joining, found)
        own = owns[mid]
        if own is not None:
            home = decks.get(first_deck.get(nid, 0))
            if removed(tags):
                gone += 1
                continue
            own_names = {name for t in tags.split() if (name := tag_name(t))}
            if own_names & STUDENT_TAGS:
                student_tagged += 1
            own_tags = tuple(sorted(own_names - STUDENT_TAGS))
            found.tags.update(own_tags)
            found.own.append(
                own_note(
                    flds.split("\x1f"),
                    own.kind,
                    position=tables.position.get(nid) or _UNKNOWN + nid,
                    deck=deck or deck_name(home or "") or deck_name(path.stem) or "Imported",
                    tags=own_tags,
                    guid=guid,
                    course=own.course,
                    media=media,
                )
            )
            counts[mid] += 1
            continue
        if mid not in types:
            form = shape(models[mid])
            types[mid] = (
                form,
                _keep(models[mid], form, found),
                f"{path.name}: {models[mid]['name']}",
            )
        form, kept, origin = types[mid]
        if tags not in tagged:
            names = tuple(tag_name(t) for t in tags.split())
            changed = names != tuple(tags.split())
            shown = " ".join(sorted(tags.split()))
            why = (f"its tags '{shown}' were made ones deckgen can declare",) * changed
            tagged[tags] = (tuple(sorted({n for n in names if n})), why)
        card = convert(flds.split("\x1f"), form, media)
        back, named = card.back, card.fields
        if kept is not None and card.kind is Kind.CLOZE and back and form.answer is not None:
            # A line of its own, `Back Extra: ...`: as a paragraph after the sentence it would
            # come back wrapped in <p>, and every student's note be updated for nothing.
            back, named = "", ((form.names[form.answer], back), *named)
        home = decks.get(first_deck.get(nid, 0))
        lost = () if home is not None else ("the note had no card in the package",)
        found.cards.append(
            ImportedCard(
                deck=deck or deck_name(home or "") or deck_name(path.stem) or "Imported",
                kind=card.kind,
                front=card.front,
                back=back,
                # A kept type's own templates decide its cards: the file's variants set only
                # its switch field.
                reverse=card.reverse and (kept is None or form.switch is not None),
                typed=card.typed and kept is None,
                guid=guid,
                tags=tagged[tags][0],
                repairs=card.repairs + lost + tagged[tags][1],
                origin=origin,
                note_type=kept,
                key=card.key,
                fields=named,
            )
        )
        counts[mid] += 1
    found.media.update(media.files)
    for mid, count in sorted(counts.items(), key=lambda item: models[item[0]]["name"]):
        found.said.append(f"{path.name}: {count} notes of note type '{models[mid]['name']}'")
    if student_tagged:
        found.said.append(
            f"{path.name}: left out the tags {' and '.join(sorted(STUDENT_TAGS))} of "
            f"{student_tagged} notes: Anki gives them to a student's notes, not the course's"
        )
    if gone:
        found.said.append(
            f"{path.name}: left out {gone} notes the course had removed (tagged {REMOVED}): "
            "they are not written back"
        )
    return found


def _own(model: dict[str, Any], joining: Joining, found: Found) -> OwnType | None:
    """`model` as a note type of the deckgen course the import joins, else None (said once
    per course: its notes are then kept under their note types, like any deck's)."""
    own = own_type(model)
    if own is None:
        return None
    if joining.takes(own):
        return own
    if joining.built and own.course == joining.course:
        raise UsageError(
            f"{found.source}: error: a package of this very course ({own.course}): its notes "
            "are in its notes files already; take a note deleted since from git's history"
        )
    why = (
        "which has been built already"
        if joining.built
        else f"which takes the id of deckgen course '{joining.adopted.name}' in this import"
        if joining.adopted is not None
        else "which is another"
    )
    line = (
        f"{found.source.name}: its notes are of deckgen course '{own.name}' ({own.course}), "
        f"not of this course, {why}: they are kept under their note types (import into a "
        "course that was never built to get its notes back as written)"
    )
    if line not in found.said:
        found.said.append(line)
    return None


def _keep(model: dict[str, Any], form: Shape, found: Found) -> str | None:
    """The kept note type file of `model`, written into `found`; None (said) when deckgen
    cannot keep it."""
    names = [f["name"] for f in model["flds"]]
    roles = {
        "prompt": names[form.prompt],
        "answer": None if form.answer is None else names[form.answer],
        "reverse": None if form.switch is None else names[form.switch],
    }
    text = kept_json(model, roles)
    try:
        read_kept(text.encode("utf-8"))
    except KeptTypeError as exc:
        found.said.append(
            f"{found.source.name}: note type '{model['name']}' cannot be kept ({exc}): its notes "
            "become deckgen's own, which students who studied the deck get as new notes"
        )
        return None
    stem = slug(model["name"], 60, "note-type")
    name = (
        f"{stem}.json" if f"{stem}.json" not in found.note_types else f"{stem}-{model['id']}.json"
    )
    found.note_types[name] = text
    return name
