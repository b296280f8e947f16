"""A note type as genanki writes it (`genanki_model`), with the legacy `req` list of deckgen's
own note types, as genanki computes it, written out.

Anki before 2.1.28 decides which cards a note gets from a note type's `req`: for each
template, the fields that must all (or any one of which must) be non-empty. genanki finds it
by rendering every front once per field with chevron: for `deckgen List`'s 21 templates and
25 fields that is over a thousand renders, 0.7 s of every build. The values do not change
unless the fronts do, so they are written here; tests/test_note_model.py checks them against
genanki's own computation, for deckgen's note types and for them in a course's look (whose
header is text, never a field, and so changes no `req`).
"""

from __future__ import annotations

from functools import cache
from typing import Any

import genanki

from .note_types import NoteType
from .templates import legacy_req

_LIST_CARD, _ITEM_CARDS = 21, 22
"""`deckgen List`'s fields `ListCard` and `ItemCards` (`Item1`..`Item20` are 1..20)."""

LEGACY_REQ: dict[str, list[list[Any]]] = {
    "deckgen Term": [[0, "any", [0, 4, 6]], [1, "all", [2]], [2, "all", [3]]],
    "deckgen Question": [[0, "any", [0, 3, 4]], [1, "all", [2]]],
    "deckgen List": [  # the whole list, then one card per item
        [0, "all", [1, _LIST_CARD]],
        *([item, "all", [item, _ITEM_CARDS]] for item in range(1, 21)),
    ],
    "deckgen Cloze": [[0, "all", [2]]],  # Anki makes cloze cards by number
    # a card per side: the aspect (0) and that side's value (`Value1`.. are 7..12)
    "deckgen Comparison": [[side, "all", [0, 7 + side]] for side in range(6)],
}
"""Note type role -> its `req`, exactly as genanki 0.13 computes it."""


@cache
def genanki_model(self: NoteType) -> Any:
    """The genanki Model for a note type (one instance each, so genanki sees one model).

    A kept type's field and template ids are written only where its deck had them: Anki
    matches fields and templates by id where both sides have one, else by name."""
    assert self.model_id, f"{self.name}: a role, not a course's note type (course_type)"
    kept = self.kept
    options = {} if kept is None else {"latex_pre": kept.latex[0], "latex_post": kept.latex[1]}
    model = genanki.Model(
        self.model_id,
        self.name,
        fields=[_with_id({"name": name}, fid) for name, fid in self.fields],
        templates=[
            _with_id({"name": t.name, "qfmt": t.front, "afmt": t.back}, t.template_id)
            for t in self.templates
        ],
        css=self.css,
        model_type=genanki.Model.CLOZE if self.cloze else genanki.Model.FRONT_BACK,
        sort_field_index=0,
        **options,
    )
    # The legacy `req` list (ignored by Anki 2.1.28 and later): never genanki rendering the
    # templates with chevron, slow for deckgen's and untrusted for a kept type.
    model.__dict__["_req"] = (
        LEGACY_REQ[self.role] if kept is None else legacy_req(kept.fronts, self.field_names)
    )
    return model


def _with_id(spec: dict[str, Any], id_: int | None) -> dict[str, Any]:
    return spec if id_ is None else {**spec, "id": id_}
