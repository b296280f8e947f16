"""The note types deckgen writes: fixed ids, fields and templates with ids, one stylesheet.

Anki matches note types by id and treats a change of fields or templates as a schema
change that turns existing notes into "conflicting" ones (docs/anki.md, section 4). So every id
here is fixed forever, and `schema` changes only with a deliberate `version` bump.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import cache
from typing import Any

import genanki

from ..records import Variant

CSS = """\
.card {
  font-family: -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  font-size: 20px;
  line-height: 1.5;
  text-align: left;
  color: #1d1d1f;
  background: #ffffff;
  max-width: 42em;
  margin: 0 auto;
  padding: 0.75em 1em;
}
.card.nightMode, .nightMode .card, .night_mode .card {
  color: #e8e8ea;
  background: #1e1e20;
}
.context { font-size: 0.7em; color: #6e6e73; margin-bottom: 0.75em; }
.prompt { font-weight: 600; }
.hint { font-size: 0.75em; color: #6e6e73; margin-top: 0.5em; }
.answer { margin-top: 0.25em; }
.answer ol, .answer ul, .cloze-text ol, .cloze-text ul { padding-left: 1.4em; margin: 0.25em 0; }
.answer li, .cloze-text li { margin: 0.2em 0; }
.cloze { font-weight: 700; color: #0a60c2; }
.nightMode .cloze, .night_mode .cloze, .card.nightMode .cloze { color: #6cb4ff; }
.source { margin-top: 1.5em; font-size: 0.6em; color: #8e8e93; font-family: ui-monospace, Menlo, Consolas, monospace; }
code { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 0.9em; }
hr#answer { border: none; border-top: 1px solid #d2d2d7; margin: 0.75em 0; }
.nightMode hr#answer, .night_mode hr#answer { border-top-color: #48484a; }
@media (max-width: 480px) {
  .card { font-size: 18px; padding: 0.5em 0.6em; }
}
"""

_CONTEXT = '{{#Context}}<div class="context">{{Context}}</div>{{/Context}}'
_SOURCE = '{{#Source}}<div class="source">{{Source}}</div>{{/Source}}'


@dataclass(frozen=True, slots=True)
class NoteType:
    """One of deckgen's note types, as data."""

    variant: Variant
    """The variant whose notes use this type."""
    model_id: int
    """Anki's note type id: fixed forever."""
    name: str
    """Shown in Anki's note type list."""
    version: int
    """Bumped, deliberately, whenever a field or template is added or removed (a schema change)."""
    fields: tuple[tuple[str, int], ...]
    """(name, id) of each field, in order."""
    templates: tuple[tuple[str, int, str, str], ...]
    """(name, id, question format, answer format) of each card template."""
    cloze: bool = False
    """True for a cloze note type."""

    @property
    def schema(self) -> str:
        """Hash of what Anki treats as the schema: which fields and templates exist, by id.

        Measured with anki 26.9.3: adding or removing a field or template makes the import
        copy the note type and report newer notes as conflicting; renaming one that keeps
        its id does not (the note type is simply updated).
        """
        shape = [self.cloze, [fid for _, fid in self.fields], [t[1] for t in self.templates]]
        return hashlib.sha256(json.dumps(shape).encode()).hexdigest()[:16]

    @property
    def content(self) -> str:
        """Hash of everything Anki stores for the note type (schema, templates, CSS)."""
        return hashlib.sha256(
            json.dumps([self.schema, list(self.templates), CSS]).encode()
        ).hexdigest()[:16]


@cache
def genanki_model(self: NoteType) -> Any:
    """The genanki Model for a note type (one instance each, so genanki sees one model)."""
    return genanki.Model(
        self.model_id,
        self.name,
        fields=[{"name": name, "id": fid} for name, fid in self.fields],
        templates=[
            {"name": name, "id": tid, "qfmt": q, "afmt": a} for name, tid, q, a in self.templates
        ],
        css=CSS,
        model_type=genanki.Model.CLOZE if self.cloze else genanki.Model.FRONT_BACK,
        sort_field_index=0,
    )


BASIC = NoteType(
    variant=Variant.BASIC,
    model_id=1_764_211_001,
    name="deckgen Basic",
    version=1,
    fields=(
        ("Front", 5_310_204_101),
        ("Back", 5_310_204_102),
        ("Context", 5_310_204_103),
        ("Source", 5_310_204_104),
    ),
    templates=(
        (
            "Term to definition",
            5_310_204_151,
            f'{_CONTEXT}<div class="prompt">{{{{Front}}}}</div>',
            f'{{{{FrontSide}}}}<hr id="answer"><div class="answer">{{{{Back}}}}</div>{_SOURCE}',
        ),
    ),
)

REVERSE = NoteType(
    variant=Variant.REVERSE,
    model_id=1_764_211_002,
    name="deckgen Reverse",
    version=1,
    fields=(
        ("Definition", 5_310_204_201),
        ("Term", 5_310_204_202),
        ("Context", 5_310_204_203),
        ("Source", 5_310_204_204),
    ),
    templates=(
        (
            "Definition to term",
            5_310_204_251,
            f'{_CONTEXT}<div class="prompt">{{{{Definition}}}}</div><div class="hint">Which term is this?</div>',
            f'{{{{FrontSide}}}}<hr id="answer"><div class="answer">{{{{Term}}}}</div>{_SOURCE}',
        ),
    ),
)

CLOZE = NoteType(
    variant=Variant.CLOZE,
    model_id=1_764_211_003,
    name="deckgen Cloze",
    version=1,
    fields=(
        ("Text", 5_310_204_301),
        ("Extra", 5_310_204_302),
        ("Context", 5_310_204_303),
        ("Source", 5_310_204_304),
    ),
    templates=(
        (
            "Cloze",
            5_310_204_351,
            f'{_CONTEXT}<div class="cloze-text">{{{{cloze:Text}}}}</div>',
            f'{_CONTEXT}<div class="cloze-text">{{{{cloze:Text}}}}</div>'
            f'{{{{#Extra}}}}<div class="answer">{{{{Extra}}}}</div>{{{{/Extra}}}}{_SOURCE}',
        ),
    ),
    cloze=True,
)

NOTE_TYPES: dict[Variant, NoteType] = {t.variant: t for t in (BASIC, REVERSE, CLOZE)}
LOCATION_FIELDS = frozenset({"Context", "Source"})
"""Fields that say where a note lives, not what it says (left out of its content hash)."""
