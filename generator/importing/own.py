"""deckgen's own packages, back to the notes they were built from.

A package deckgen built carries, in each of its note types, the course it belongs to (the
stylesheet's `/* deckgen course: <id> */`, `identity.look.course_type`) and the role it plays
(its fields, and its id made from the course id). Its notes are written back in deckgen's own
syntax (terms, questions, lists and cloze sentences), each in the notes file and under the
headings its `Source` and `Context` fields name, in the order students meet them (its cards'
positions), with the file's deck, tags, variants and `tts:` language in its metadata. The
course that imports them takes the package's course id, repository and look (when it has
never been built: `Joining`), so a build gives the same note types and GUIDs; a note whose GUID
the rebuilt course would not give it keeps its own (`<!-- guid: ... -->`), and anything the
notes file cannot say as the package has it (a note's tags or cards differing from its
file's) is flagged at the note (`own_files` writes the files, `own_blocks` the blocks of a
field).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, replace
from typing import Any

from ..config import REPOSITORY
from ..course_table import COURSE_ID, MAX_NAME
from ..identity.fold import fold, plain, row_text
from ..identity.ids import course_type_id, note_guid
from ..identity.look import OWN_STYLE
from ..identity.note_types import BY_KIND, FLAG, MAX_ITEMS
from ..identity.removed import TAG as REMOVED
from ..records import MAX_SIDES, Kind
from .cards import ImportedCard
from .markup import BREAK, field_markdown
from .notes import INDENT
from .own_blocks import as_markdown

_COURSE = re.compile(r"\A/\* deckgen course: ([0-9a-f-]{36}) \*/")
_SEPARATOR = " \u203a "
"""Between the parts of a Context or Source field (`cards.variants`)."""
_SAFE_PART = re.compile(r"[\w][\w .-]{0,99}", re.UNICODE)


@dataclass(frozen=True, slots=True)
class OwnType:
    """A note type of deckgen's own: the course it belongs to and the kind of record it holds."""

    course: str
    """The course id."""
    name: str
    """The course's name (the note type's name before ` · `)."""
    kind: Kind
    look: Look
    """The course's own look in the note type (`identity.look.dressed`)."""


@dataclass(frozen=True, slots=True)
class Look:
    """A course's `[style]`, as its note types show it."""

    css: str = ""
    header: str = ""
    footer: str = ""


def own_type(model: dict[str, Any]) -> OwnType | None:
    """`model` as one of a course's own note types, or None when deckgen did not make it."""
    match = _COURSE.match(str(model.get("css", "")))
    if match is None or not COURSE_ID.fullmatch(match.group(1)):
        return None
    names = tuple(str(f.get("name", "")) for f in model.get("flds", []))
    try:
        model_id = int(model.get("id", 0))  # a string in genanki's JSON, a number in Anki's
    except (TypeError, ValueError):
        return None
    for kind, role in BY_KIND.items():
        if names == role.field_names and model_id == course_type_id(match.group(1), role.role):
            name = " ".join(str(model.get("name", "")).rpartition(" \u00b7 ")[0].split())
            return OwnType(match.group(1), name[:MAX_NAME] or "deckgen", kind, _look(model))
    return None


@dataclass(slots=True)
class Joining:
    """The course an import joins, as deckgen's own packages need to know it."""

    course: str
    """Its id ("" where deckgen.toml has none yet)."""
    built: bool
    """It has a lock: its id is settled, and may have reached students."""
    adopted: OwnType | None = None
    """The package course whose id (and name) the import gives it."""

    def takes(self, own: OwnType) -> bool:
        """Whether notes of `own`'s course are written back as this course's notes: it was
        never built, and takes that course's id (the first one offered; its own id if that
        is the package's)."""
        if self.built or (self.adopted is not None and own.course != self.adopted.course):
            return False
        if own.course != self.course:
            self.adopted, self.course = own, own.course
        return True


@dataclass(frozen=True, slots=True)
class OwnNote:
    """One note of a course's own note type, as a notes file will say it."""

    position: int
    """Its first card's place in the order students meet them."""
    deck: str
    rel: str
    """The notes file it came from, below the notes folder (`Source`), or "" if unsafe."""
    sections: tuple[str, ...]
    """The headings above it (`Context`)."""
    kind: Kind
    tags: tuple[str, ...]
    variants: frozenset[str]
    """The variants its cards need."""
    language: str
    card: ImportedCard
    """Its first line (`notes.item_markdown`): the front, and the back of a term or question."""
    tail: str
    """What follows that line: a list's items, a cloze's extra text."""
    repository: str
    """The course's repository its Source field links to, or ""."""
    table: tuple[tuple[str, str, str], ...] = ()
    """A comparison row's sides: each thing's name (HTML, then Markdown) and its side."""
    items: tuple[str, ...] = ()
    """A list's items as HTML (a table's list of aspects is found by them)."""
    front: str = ""
    """A list's front as HTML."""
    fields_aspect: tuple[str, ...] = ()
    """A comparison row's aspect as HTML (as its table's list of aspects holds it)."""


def own_note(
    fields: list[str],
    kind: Kind,
    *,
    position: int,
    deck: str,
    tags: tuple[str, ...],
    guid: str,
    course: str,
    media: Any,
) -> OwnNote:
    """A note's fields (HTML, in its role's order) as a note of a notes file."""
    names = BY_KIND[kind].field_names
    got = dict(zip(names, fields + [""] * (len(names) - len(fields)), strict=True))
    repairs: list[str] = []
    rel = _rel(got["Source"])
    up = "../" * rel.count("/")  # media/ is beside the notes folder's top files

    def shipped(name: str, what: str) -> str | None:
        target: str | None = media(name, what)
        if not target or not up:
            return target
        return f"<{up}{target[1:]}" if target.startswith("<") else up + target

    def convert(text: str, *, braces: bool = False, front: bool = False) -> str:
        media.repairs = repairs  # `package._Media`: what it says of the field's media
        converted, more = field_markdown(text, shipped, braces=braces, front=front)
        repairs.extend(more)
        return converted

    def markdown(name: str, *, braces: bool = False, front: bool = False) -> str:
        return convert(got[name], braces=braces, front=front)

    def blocks(name: str, indent: str = INDENT) -> tuple[str, str]:
        """The field's first paragraph, and its blocks after it (`own_blocks`)."""
        head, rest, faithful = as_markdown(got[name], convert, indent)
        if not faithful:
            repairs.append(
                f"its field {name} holds a code block, quote or table, written here as text: "
                "check it"
            )
        return head, rest

    sides = [k for k in range(1, MAX_SIDES + 1) if got.get(f"Name{k}")]
    if kind is Kind.COMPARISON:  # identity.fold.row_text: a row is its table's names and aspect
        shown = row_text(plain(got["Aspect"]), [plain(got[f"Name{k}"]) for k in sides])
    else:
        shown = plain(got["Text" if kind is Kind.CLOZE else "Front"])
    seed = f"{deck}\x1f{fold(shown)}"  # identity.fold.first_seed, unpinned
    pin = None if note_guid(course, seed) == guid else guid
    variants: set[str] = set()
    table: tuple[tuple[str, str, str], ...] = ()
    if kind is Kind.COMPARISON:
        card = ImportedCard(deck, kind, markdown("Aspect"), guid=pin)
        tail = ""
        table = tuple((got[f"Name{k}"], markdown(f"Name{k}"), markdown(f"Value{k}")) for k in sides)
    elif kind is Kind.CLOZE:
        variants.add("cloze")
        card = ImportedCard(deck, kind, markdown("Text", braces=True), guid=pin)
        head, rest = blocks("Extra")
        tail = f"\n\n{INDENT}{_lines(head)}{rest}" if got["Extra"] else ""
    elif kind is Kind.ENUMERATION:
        if got["ListCard"]:
            variants.add("basic")
        if got["ItemCards"]:
            variants.add("cloze")
        card = ImportedCard(deck, kind, markdown("Front", front=True), guid=pin)
        ordered, tail = bool(got["Ordered"]), ""
        for k in range(1, len(names)):
            if got.get(f"Item{k}"):
                mark = f"{k}." if ordered else "-"
                within = INDENT + " " * (len(mark) + 1)
                head, rest = blocks(f"Item{k}", within)
                tail += f"\n{INDENT}{mark} {_lines(head, within)}{rest}"
    else:
        variants.add("basic")
        if got.get("Reverse") == FLAG:
            variants.add("reverse")
        if got["Typed"] == FLAG:
            variants.add("typed")
        back, tail = blocks("Back")
        card = ImportedCard(deck, kind, markdown("Front", front=True), back, guid=pin)
    card = replace(card, repairs=tuple(dict.fromkeys(repairs)))
    return OwnNote(
        position,
        deck,
        rel,
        _sections(got["Context"], got["Source"], deck),
        kind,
        tags,
        frozenset(variants),
        got.get("Language", ""),
        card,
        tail,
        repository_of(got["Source"]),
        table,
        tuple(got.get(f"Item{k}", "") for k in range(1, MAX_ITEMS + 1) if got.get(f"Item{k}")),
        got.get("Front", ""),
        (got["Aspect"],) if kind is Kind.COMPARISON else (),
    )


def _look(model: dict[str, Any]) -> Look:
    """The course's stylesheet, header and footer in a note type deckgen made."""
    css = str(model.get("css", "")).partition(f"\n{OWN_STYLE}\n")[2]
    templates = model.get("tmpls") or [{}]
    shown = str(templates[0].get("qfmt", "")) + str(templates[0].get("afmt", ""))

    def text(kind: str) -> str:
        found = re.search(rf'<div class="course-{kind}">([^<]*)</div>', shown)
        return " ".join(html.unescape(found.group(1)).split()) if found else ""

    return Look(css, text("header"), text("footer"))


def repository_of(source: str) -> str:
    """The course's repository, from the error report link of a Source field, or ""."""
    link = re.search(r'<a href="([^"]*)"', source)
    if link is None:
        return ""
    url = html.unescape(link.group(1))
    url = re.split(r"/(?:-/)?issues/new\?", url)[0] if "/issues/new?" in url else url
    return url if REPOSITORY.fullmatch(url) else ""


def removed(tags: str) -> bool:
    """A note the course had removed, shipped marked (`identity.removed`)."""
    return any(tag.startswith(f"{REMOVED}::") for tag in tags.split())


def _lines(text: str, indent: str = INDENT) -> str:
    return text.replace(BREAK, "\\\n" + indent)


def _rel(source: str) -> str:
    """The notes file a Source field names (`source/x/y.md › Heading`), below the notes
    folder; "" when it is not a plain relative path of a Markdown file."""
    where = plain(source.partition(" \u00b7 ")[0]).partition(_SEPARATOR)[0]
    parts = where.split("/")[1:]
    ok = (
        0 < len(parts) <= 8
        and len(where) <= 240
        and parts[-1].endswith(".md")
        and all(_SAFE_PART.fullmatch(p) for p in parts)
    )
    return "/".join(parts) if ok and parts[-1] != "README.md" else ""


def _sections(context: str, source: str, deck: str) -> tuple[str, ...]:
    """The headings above a note, from its Context field (`cards.variants._breadcrumb`: the
    deck's leaf first where the deck is nested, a title that is the leaf left out) and its
    Source (the last heading)."""
    parts = [plain(p) for p in context.split(_SEPARATOR)] if context else []
    _, has_heading, last = plain(source.partition(" \u00b7 ")[0]).partition(_SEPARATOR)
    leaf = deck.split("::")[-1]
    if parts and ("::" in deck or (parts == [leaf] and not has_heading)):
        parts = parts[1:]
    if has_heading and (not parts or parts[-1] != last):
        parts.append(last)
    if "::" in deck and parts and parts[0] != leaf:
        parts.insert(0, leaf)  # the context shows no title that is the deck's name: its file's
    return tuple(parts)
