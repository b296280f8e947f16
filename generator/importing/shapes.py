"""How a note type's fields map to a record: which field is asked, which answers, which
switches the reverse card on; and a note's fields converted along that map.

Any note type maps: its prompt is the field its first template asks (the first field it
shows, for a type that asks none), its answer the first other field that template's back
shows (or none), and every other field is kept under its own name beside them. A cloze type's
prompt is the field its template reads with `cloze:`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..identity.fold import fold, plain
from ..identity.templates import TemplateError, cloze_fields
from ..records import Kind
from .markup import field_markdown

_FIELD = re.compile(r"\{\{(?!FrontSide)(?:[#^/]|type:|text:|hint:|furigana:)?([^}#^/]+?)\}\}")


@dataclass(frozen=True, slots=True)
class Shape:
    """How the fields of one note type map."""

    kind: Kind
    """TERM (front/back types; a question if its front ends with `?`) or CLOZE."""
    names: tuple[str, ...]
    """The type's field names, in order."""
    prompt: int
    """The field of the term, question or cloze text."""
    answer: int | None
    """The field of the definition, answer or cloze extra, if any."""
    switch: int | None
    """The field that switches a reverse card on (Anki's "Add Reverse"), if any."""
    reverse: bool
    """A template asks the other way: the answer, for the prompt."""
    typed: bool
    """A template has the answer typed in."""


@dataclass(frozen=True, slots=True)
class Converted:
    """A note's fields as Markdown, along its type's shape."""

    kind: Kind
    front: str
    back: str
    reverse: bool
    typed: bool
    key: str
    """The front folded (`identity.fold`) from the note's own text."""
    fields: tuple[tuple[str, str], ...]
    """Every other non-empty field: (name, Markdown)."""
    repairs: tuple[str, ...]


def shape(model: dict[str, Any]) -> Shape:
    """The shape of an Anki note type (a `col.models` dict)."""
    names = tuple(str(f["name"]) for f in model["flds"])
    templates = model["tmpls"] or [{"qfmt": "", "afmt": ""}]
    if model.get("type") == 1:
        try:
            read = cloze_fields([t["qfmt"] for t in templates])
        except TemplateError:
            read = []
        prompt = names.index(read[0]) if read and read[0] in names else 0
        answer = _first(_fields(templates[0]["afmt"], names), names, skip=(prompt,))
        return Shape(Kind.CLOZE, names, prompt, answer, None, False, False)
    asked = _fields(templates[0]["qfmt"], names, typed=False)
    shown = asked or _fields(templates[0]["qfmt"] + templates[0]["afmt"], names)
    prompt = names.index(shown[0]) if shown else 0
    answer = _first(_fields(templates[0]["afmt"], names), names, skip=(prompt,))
    typed = any("{{type:" in t["qfmt"] for t in templates)
    reversing = [
        t
        for t in templates[1:]
        if answer is not None and _fields(t["qfmt"], names, typed=False)[:1] == [names[answer]]
    ]
    switch = None
    for template in reversing:
        for name in re.findall(r"\{\{#([^}]+?)\}\}", template["qfmt"]):
            if name.strip() in names and names.index(name.strip()) not in (prompt, answer):
                switch = names.index(name.strip())
    return Shape(Kind.TERM, names, prompt, answer, switch, bool(reversing), typed)


def convert(fields: list[str], form: Shape, media: Any) -> Converted:
    """A note's fields (HTML, in the type's order) converted along `form`; `media` is the
    package's `Media` with a `repairs` list it fills."""
    fields = (fields + [""] * len(form.names))[: len(form.names)]
    cloze = form.kind is Kind.CLOZE
    repairs: list[str] = []

    def markdown(index: int | None, *, braces: bool = False, front: bool = False) -> str:
        if index is None or not fields[index].strip():
            return ""
        media.repairs = repairs
        text, more = field_markdown(fields[index], media, braces=braces, front=front)
        repairs.extend(more)
        return text

    front = markdown(form.prompt, braces=cloze, front=not cloze)
    if not front:
        repairs.append(
            f"its field '{form.names[form.prompt]}', the front, is empty: write one to make "
            "it a card (a line without a bold front is none)"
        )
    back = markdown(form.answer)
    named = tuple(
        (name, text)
        for i, name in enumerate(form.names)
        if i not in (form.prompt, form.answer, form.switch) and (text := markdown(i, braces=True))
    )
    visible = plain(fields[form.prompt])
    kind = form.kind
    if kind is Kind.TERM and visible.endswith("?"):
        kind = Kind.QUESTION
    reverse = form.reverse if form.switch is None else bool(fields[form.switch].strip())
    return Converted(
        kind, front, back, reverse, form.typed, fold(visible), named, tuple(dict.fromkeys(repairs))
    )


def _first(found: list[str], names: tuple[str, ...], skip: tuple[int, ...]) -> int | None:
    for name in found:
        if names.index(name) not in skip:
            return names.index(name)
    return None


def _fields(template: str, names: tuple[str, ...], *, typed: bool = True) -> list[str]:
    """The fields a template shows: those it always shows, then those inside a conditional
    section (`{{#X}}...{{/X}}`), each in order; `{{type:X}}` only when `typed` (on a front
    it is the answer being asked for, not the prompt)."""
    always: list[str] = []
    sometimes: list[str] = []
    depth = 0
    for match in _FIELD.finditer(template):
        opening = template[match.start() + 2 : match.start() + 7]
        if opening[:1] in "#^":
            depth += 1
            continue
        if opening[:1] == "/":
            depth = max(depth - 1, 0)
            continue
        if not typed and opening == "type:":
            continue
        name = match.group(1).strip().rpartition(":")[2]
        if name in names:
            (sometimes if depth else always).append(name)
    return list(dict.fromkeys(always + sometimes))
