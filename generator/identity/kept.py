"""Kept note types: an imported deck's own note types, so its students keep their history.

Anki updates a student's note in place only when the package's note type has the note's
note type id and the same fields and templates (matched by id where both have one, else by
name; docs/anki.md, sections 4 and 11). deckgen's own note types cannot be that for a deck
made elsewhere, so `deckgen import` writes each note type it maps to a JSON file beside the
notes (`note-types/<name>.json`), and the notes file names it in its metadata
(`note-type: note-types/basic.json`). Its records are then built as notes of that type: the
same ids, field names, templates and stylesheet, and the note type's own `mod`, so a
student's copy of the type is never replaced.

The file is untrusted input, read with limits and checked field by field. Changing its ids,
fields or templates turns every student's note of that type into a conflicting one.
"""

from __future__ import annotations

import json
import re
import stat
from pathlib import Path
from typing import Any

from ..active import css_problems, template_problems
from .note_types import NoteType, Template
from .templates import Kept, TemplateError, cloze_fields, parse

FORMAT = "deckgen kept note type 1"
"""The `format` of a kept note type file."""
MAX_BYTES = 1 << 20
MAX_PARTS = 100
"""The most fields, or templates, a kept note type may have."""
_MAX_ID = (1 << 63) - 1
_NAME = re.compile(r"[^\x00-\x1f\x7f:{}\"]{1,200}")
ROLES = ("prompt", "answer", "reverse")
"""Which field holds the term, question or cloze text; the definition, answer or extra;
and which one switches a reverse card on."""


class KeptTypeError(ValueError):
    """A kept note type file deckgen cannot use; the message says why."""


def kept_json(model: dict[str, Any], roles: dict[str, str | None]) -> str:
    """The file `deckgen import` writes for an Anki note type (a `col.models` dict)."""
    data = {
        "format": FORMAT,
        "warning": "Students' notes of this type are matched by these ids, field names and "
        "templates: change none of them (docs: deckgen import).",
        "id": int(model["id"]),
        "name": model["name"],
        "mod": int(model.get("mod") or 0),
        "cloze": model.get("type") == 1,
        "roles": roles,
        "fields": [{"name": f["name"], "id": f.get("id") or None} for f in model["flds"]],
        "templates": [
            {"name": t["name"], "id": t.get("id") or None, "front": t["qfmt"], "back": t["afmt"]}
            for t in model["tmpls"]
        ],
        "css": model.get("css", ""),
        "latex": [model.get("latexPre", ""), model.get("latexPost", "")],
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def load_kept(path: Path) -> NoteType:
    """The note type in a kept note type file; KeptTypeError when it is not one."""
    try:
        if not stat.S_ISREG(path.stat().st_mode):  # a FIFO or a device could hang the build
            raise KeptTypeError("not a regular file")
        with path.open("rb") as file:
            data = file.read(MAX_BYTES + 1)
    except OSError as exc:
        raise KeptTypeError(f"cannot read it ({exc.strerror or exc})") from None
    return read_kept(data)


def read_kept(data: bytes) -> NoteType:
    """The note type in a kept note type file's bytes; KeptTypeError when it is not one
    (`deckgen import` checks what it writes with it)."""
    if len(data) > MAX_BYTES:
        raise KeptTypeError(f"over {MAX_BYTES} bytes: not a kept note type")
    try:
        raw = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise KeptTypeError("not UTF-8") from None
    except json.JSONDecodeError as exc:
        raise KeptTypeError(f"line {exc.lineno}, column {exc.colno}: not JSON: {exc.msg}") from None
    except RecursionError:
        raise KeptTypeError("nested too deeply") from None
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        raise KeptTypeError(f"not a kept note type (its 'format' must be '{FORMAT}')")
    return _note_type(raw)


def _note_type(raw: dict[str, Any]) -> NoteType:
    model_id = _id(raw.get("id"), "id", required=True)
    assert model_id is not None
    name = _name(raw.get("name"), "name")
    cloze = raw.get("cloze")
    if not isinstance(cloze, bool):
        raise KeptTypeError("'cloze' must be true or false")
    fields = tuple(
        (_name(f.get("name"), "a field's name"), _id(f.get("id"), "a field's id"))
        for f in _parts(raw.get("fields"), "fields")
    )
    names = [name for name, _ in fields]
    if len(set(names)) != len(names):
        raise KeptTypeError("two fields have the same name")
    templates = tuple(
        Template(
            _name(t.get("name"), "a template's name"),
            _id(t.get("id"), "a template's id"),
            _text(t.get("front"), "a template's front"),
            _text(t.get("back"), "a template's back"),
        )
        for t in _parts(raw.get("templates"), "templates")
    )
    try:
        fronts = tuple(parse(t.front) for t in templates)
        for template in templates:
            parse(template.back)
    except TemplateError as exc:
        raise KeptTypeError(f"a template Anki cannot render: it {exc}") from None
    roles = raw.get("roles")
    if not isinstance(roles, dict) or set(roles) != set(ROLES):
        raise KeptTypeError(f"'roles' must name the fields {', '.join(ROLES)} (or null)")
    at = {role: _role(roles[role], role, names) for role in ROLES}
    if at["prompt"] is None:
        raise KeptTypeError("'roles' must name the prompt field")
    mod = raw.get("mod")
    if not isinstance(mod, int) or isinstance(mod, bool) or not 0 <= mod <= _MAX_ID:
        raise KeptTypeError("'mod' must be a time in seconds")
    latex = raw.get("latex")
    if not (isinstance(latex, list) and len(latex) == 2 and all(isinstance(x, str) for x in latex)):
        raise KeptTypeError("'latex' must be a preamble and a postamble")
    if cloze:
        read = cloze_fields([t.front for t in templates])
        if len(templates) != 1 or not read or any(n not in names for n in read):
            raise KeptTypeError("a cloze type needs one template that reads a field with cloze:")
    kept = Kept(
        mod=mod,
        prompt=at["prompt"],
        answer=at["answer"],
        reverse=at["reverse"],
        fronts=fronts,
        latex=(latex[0], latex[1]),
    )
    css = _text(raw.get("css"), "'css'")
    _inert(templates, css)
    return NoteType(model_id, name, 0, fields, templates, cloze=cloze, css=css, kept=kept)


def _inert(templates: tuple[Template, ...], css: str) -> None:
    """Nothing in the templates or the stylesheet runs or fetches (`active`'s policy)."""
    for template in templates:
        for side, text in (("front", template.front), ("back", template.back)):
            if found := template_problems(text):
                raise KeptTypeError(f"template '{template.name}' ({side}), {found[0]}")
    if found_css := css_problems(css):
        line, col, why = found_css[0]
        raise KeptTypeError(f"its css, line {line}, column {col}: {why}")


def _parts(value: object, what: str) -> list[dict[str, Any]]:
    if not isinstance(value, list) or not value or len(value) > MAX_PARTS:
        raise KeptTypeError(f"'{what}' must be a list of 1 to {MAX_PARTS}")
    if not all(isinstance(v, dict) for v in value):
        raise KeptTypeError(f"each of '{what}' must be an object")
    return value


def _id(value: object, what: str, *, required: bool = False) -> int | None:
    """A note type id (positive), or a field's or template's (any non-zero 64-bit integer:
    Anki makes them at random, signed)."""
    if value is None and not required:
        return None
    low = 1 if required else -_MAX_ID - 1
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= _MAX_ID:
        raise KeptTypeError(f"{what} must be a {'positive ' if required else ''}64-bit integer")
    if value == 0:
        raise KeptTypeError(f"{what} must not be 0")
    return value


def _name(value: object, what: str) -> str:
    if not isinstance(value, str) or not _NAME.fullmatch(value) or value != value.strip():
        raise KeptTypeError(f'{what} must be 1 to 200 characters, no control characters or :{{}}"')
    return value


def _text(value: object, what: str) -> str:
    if not isinstance(value, str):
        raise KeptTypeError(f"{what} must be text")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise KeptTypeError(f"{what} holds text that is not valid Unicode") from None
    return value


def _role(value: object, role: str, names: list[str]) -> int | None:
    if value is None:
        return None
    if not isinstance(value, str) or value not in names:
        raise KeptTypeError(f"role '{role}' must name one of the fields ({', '.join(names)})")
    return names.index(value)
