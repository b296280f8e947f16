"""Anki's card rule for any note type (which templates of a note make a card), and `Kept`,
what a note type kept from an imported deck adds to a `NoteType`.

deckgen's own note types state their rule as data (`Template.needs`); a note type kept from
an imported deck has whatever templates its author wrote, so its cards follow Anki's own
rule, ported here from Anki's template.rs (`renders_with_fields`, `field_is_empty`): a card
exists when its front template, walked with the note's non-empty fields, reaches a field
replacement; a `{{#X}}` section is entered only when X is non-empty, a `{{^X}}` one only
when X is empty. tests/test_kept_card_rule.py checks it against Anki on random templates,
tests/test_import_history.py through Anki's importer.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

_EMPTY = re.compile(r"(?:\s|</?(?:br|div) ?/?>)*", re.IGNORECASE)
_CLOZE_NUMBER = re.compile(r"{{c(\d+)::.+?}}", re.DOTALL)  # Anki's rule, and genanki's
SPECIAL_FIELDS = frozenset({"Card", "CardFlag", "Deck", "Subdeck", "Tags", "Type", "CardID"})
"""What a template may show besides the note's fields (`FrontSide` left out: it never makes a
card); a note field of the same name hides one."""
ALTERNATE_SYNTAX = "{{=<% %>=}}"
"""Anki's legacy alternate delimiters: not read here; a template that uses them is refused."""


class TemplateError(ValueError):
    """A template Anki could not render: an unclosed or unopened section, or sections nested
    deeper than MAX_DEPTH."""


MAX_DEPTH = 100
"""The deepest nesting of sections read (a hostile template could nest thousands)."""


@dataclass(frozen=True, slots=True)
class TemplateNode:
    """A field replacement or a section of a template, as far as the card rule reads it."""

    kind: str
    """`field`, `if` (`{{#X}}`) or `unless` (`{{^X}}`)."""
    key: str
    """The field name (for `field`, the part after the last filter)."""
    children: tuple[TemplateNode, ...] = ()


def field_is_empty(text: str) -> bool:
    """Anki's test: only whitespace and empty `<br>` / `<div>` tags."""
    return _EMPTY.fullmatch(text) is not None


def parse(template: str) -> tuple[TemplateNode, ...]:
    """The nodes of a template that decide whether it renders (text and comments dropped)."""
    if template.lstrip().startswith(ALTERNATE_SYNTAX):
        raise TemplateError("uses Anki's legacy alternate delimiters {{=<% %>=}}")
    return _parse(_tags(template), None)


def _tags(template: str) -> Iterator[str]:
    """What is between each `{{` and its `}}`, outside HTML comments: the matches of
    `\\{\\{(.*?)\\}\\}|<!--.*?-->` (dot matching all) that are not comments, found in one pass.
    (The pattern searched the rest of the template again from every unclosed `{{`: a
    kept template of `{{` repeated took minutes.) Once an opening has no closing after it,
    no later one of its kind has either."""
    brace, comment = template.find("{{"), template.find("<!--")
    while brace >= 0 or comment >= 0:
        if brace >= 0 and (comment < 0 or brace < comment):
            end = template.find("}}", brace + 2)
            if end < 0:
                brace = -1
                continue
            yield template[brace + 2 : end].lstrip("{").strip()
            end += 2
        else:
            end = template.find("-->", comment + 4)
            if end < 0:
                comment = -1
                continue
            end += 3
        if 0 <= brace < end:
            brace = template.find("{{", end)
        if 0 <= comment < end:
            comment = template.find("<!--", end)


def _parse(tags: Iterator[str], open_key: str | None, depth: int = 0) -> tuple[TemplateNode, ...]:
    if depth > MAX_DEPTH:
        raise TemplateError(f"nests sections over {MAX_DEPTH} deep")
    nodes: list[TemplateNode] = []
    for tag in tags:
        if len(tag) >= 2 and tag[0] in "#^":
            key = tag[1:].lstrip()
            nodes.append(
                TemplateNode("if" if tag[0] == "#" else "unless", key, _parse(tags, key, depth + 1))
            )
        elif len(tag) >= 2 and tag[0] == "/":
            if tag[1:].lstrip() == open_key:
                return tuple(nodes)
            raise TemplateError(f"closes '{tag[1:].lstrip()}', which is not open")
        else:
            nodes.append(TemplateNode("field", tag.rsplit(":", 1)[-1]))
    if open_key is not None:
        raise TemplateError(f"never closes '{open_key}'")
    return tuple(nodes)


def renders(nodes: Sequence[TemplateNode], nonempty: set[str]) -> bool:
    """True when a template with these nodes renders a card (Anki's `renders_with_fields`)."""
    for node in nodes:
        if node.kind == "field":
            if node.key in nonempty:
                return True
        elif node.kind == "if":
            if node.key in nonempty and renders(node.children, nonempty):
                return True
        elif node.key not in nonempty and renders(node.children, nonempty):
            return True
    return False


def cloze_fields(templates: Sequence[str]) -> list[str]:
    """The fields a cloze note type's templates read with the `cloze:` filter."""
    found: list[str] = []
    for template in templates:
        for tag in _tags(template):
            filters = tag.split(":")
            if len(filters) > 1 and "cloze" in filters[:-1] and filters[-1] not in found:
                found.append(filters[-1])
    return found


def cloze_ordinals(texts: Sequence[str]) -> list[int]:
    """The cards of a cloze note: one per deletion number in the texts (Anki's
    `cloze_number_in_fields` over all of a note's fields; ordinals above 499 are card 499)."""
    numbers = {int(n) for text in texts for n in _CLOZE_NUMBER.findall(text)}
    return sorted({min(n - 1, 499) for n in numbers if n > 0})


def rendered_ordinals(
    fronts: Sequence[tuple[TemplateNode, ...]],
    names: Sequence[str],
    fields: Sequence[str],
    tagged: bool,
) -> list[int]:
    """The templates (by their parsed fronts) that make a card for a note with these fields:
    Anki's rule (rslib/src/notetype/cardgen.rs), in which the special fields count as
    non-empty (`Tags` only on a note with tags)."""
    nonempty = {name for name, text in zip(names, fields, strict=True) if not field_is_empty(text)}
    special = SPECIAL_FIELDS if tagged else SPECIAL_FIELDS - {"Tags"}
    nonempty |= special - set(names)
    return [i for i, front in enumerate(fronts) if renders(front, nonempty)]


def legacy_req(fronts: Sequence[tuple[TemplateNode, ...]], names: Sequence[str]) -> list[Any]:
    """A note type's legacy `req` list: for each template, the fields any one of which makes
    it render. (Anki 2.1.28 and later ignore it; genanki would render the templates with
    chevron to find it.)"""
    return [
        [ordinal, "any", [i for i, name in enumerate(names) if renders(front, {name})]]
        for ordinal, front in enumerate(fronts)
    ]


@dataclass(frozen=True, slots=True)
class Kept:
    """What a note type kept from an imported deck adds to a `NoteType`: its own mod, which of
    its fields hold a record's parts, and its templates' fronts parsed for the card rule."""

    mod: int
    """The note type's mod in the deck it came from: never newer, so Anki never replaces
    the student's copy of it."""
    prompt: int
    """The field of the term, question or cloze text."""
    answer: int | None
    """The field of the definition, answer or cloze extra."""
    reverse: int | None
    """The field whose being non-empty switches a reverse card on, if the type has one."""
    fronts: tuple[tuple[TemplateNode, ...], ...]
    """Each template's front, parsed once (`parse`)."""
    latex: tuple[str, str] = ("", "")
    """LaTeX preamble and postamble."""
