"""The note types deckgen writes: one note per record, every card of a record a sibling.

- `deckgen Term`: the term's forward card, and its reverse and typed-answer cards, switched
  on by the `Reverse` and `Typed` fields (Anki's "optional reversed card" pattern).
- `deckgen Question`: the forward card, and the typed-answer card switched on by `Typed`.
- `deckgen List`: an enumeration: a card that hides the whole list (`ListCard`) and a card
  per item that hides that item alone (`ItemCards`), up to MAX_ITEMS items, by conditional
  templates: every Anki version renders them (Anki 24.11 leaves a deletion with several
  numbers, `{{c1,2::...}}`, blank: tests/test_anki_versions.py).
- `deckgen Cloze`: cloze sentences.
- `deckgen Comparison` (`comparison_type`): a row of a comparison table, a card per thing
  compared.

Anki matches note types by id and treats a change of fields or templates as a schema
change that turns existing notes into "conflicting" ones (docs/anki.md, section 4). So every
id here is fixed forever, and `schema` changes only with a deliberate `version` bump.

The types below are the ROLES every course's note types play: their fields, templates and
card rules. A course ships them under ids and names of its own (`look.course_type`: the id made
from the course id by `ids.course_type_id`, the name showing the course), so two courses never
share a note type (docs/anki.md, section 14). The roles' own `model_id` is 0: never shipped.
Field and template ids are the same in every course (Anki matches them only within a note
type) and fixed forever.
"""

from __future__ import annotations

from ..records import Kind, Note
from .comparison_type import COMPARISON
from .note_type import ANSWER as _ANSWER
from .note_type import CONTEXT as _CONTEXT
from .note_type import FLAG as FLAG
from .note_type import REVERSE_CONTEXT as _REVERSE_CONTEXT
from .note_type import SOURCE as SOURCE
from .note_type import SPOKEN as _SPOKEN
from .note_type import NoteType as NoteType
from .note_type import Template as Template

TERM = NoteType(
    model_id=0,
    name="deckgen Term",
    role="deckgen Term",
    version=1,
    fields=(
        ("Front", 5_310_205_101),
        ("Back", 5_310_205_102),
        ("Reverse", 5_310_205_103),
        ("Typed", 5_310_205_104),
        ("Context", 5_310_205_105),
        ("ReverseContext", 5_310_205_106),
        ("Language", 5_310_205_108),
        ("Source", 5_310_205_107),
    ),
    templates=(
        Template(
            "Term to definition",
            5_310_205_151,
            f'{_CONTEXT}<div class="prompt">{{{{Front}}}}</div>{_SPOKEN}',
            f'{{{{FrontSide}}}}{_ANSWER}<div class="answer">{{{{Back}}}}</div>{SOURCE}',
            needs=("Front",),
        ),
        Template(
            "Definition to term",
            5_310_205_152,
            f"{{{{#Reverse}}}}{_REVERSE_CONTEXT}"
            '<div class="prompt">{{Back}}</div><div class="hint">Which term is this?</div>'
            "{{/Reverse}}",
            f'{{{{FrontSide}}}}{_ANSWER}<div class="answer">{{{{Front}}}}</div>{SOURCE}',
            needs=("Back", "Reverse"),
        ),
        Template(
            "Type the term",
            5_310_205_153,
            f"{{{{#Typed}}}}{_REVERSE_CONTEXT}"
            '<div class="prompt">{{Back}}</div><div class="hint typed-hint">Type the term.</div>'
            "{{type:Front}}{{/Typed}}",
            f'{_REVERSE_CONTEXT}<div class="prompt">{{{{Back}}}}</div>{_ANSWER}'
            f"{{{{type:Front}}}}{SOURCE}",
            needs=("Typed",),
        ),
    ),
)

QUESTION = NoteType(
    model_id=0,
    name="deckgen Question",
    role="deckgen Question",
    version=1,
    fields=(
        ("Front", 5_310_206_101),
        ("Back", 5_310_206_102),
        ("Typed", 5_310_206_103),
        ("Context", 5_310_206_104),
        ("Language", 5_310_206_106),
        ("Source", 5_310_206_105),
    ),
    templates=(
        Template(
            "Question to answer",
            5_310_206_151,
            f'{_CONTEXT}<div class="prompt">{{{{Front}}}}</div>{_SPOKEN}',
            f'{{{{FrontSide}}}}{_ANSWER}<div class="answer">{{{{Back}}}}</div>{SOURCE}',
            needs=("Front",),
        ),
        Template(
            "Type the answer",
            5_310_206_152,
            f'{{{{#Typed}}}}{_CONTEXT}<div class="prompt">{{{{Front}}}}</div>'
            '<div class="hint typed-hint">Type the answer.</div>{{type:Back}}{{/Typed}}',
            f'{_CONTEXT}<div class="prompt">{{{{Front}}}}</div>{_ANSWER}{{{{type:Back}}}}{SOURCE}',
            needs=("Typed",),
        ),
    ),
)

MAX_ITEMS = 20
"""The most items a list can have: one field and one template each (a schema change to raise)."""
_ITEM = "Item{}"


def _list_side(hidden: int, *, answer: bool) -> str:
    """The list as a card shows it: item `hidden` (0: all of them) as [...] on the front and
    highlighted on the back; the other items as they are."""
    items = []
    for k in range(1, MAX_ITEMS + 1):
        field = "{{" + _ITEM.format(k) + "}}"
        if hidden in (0, k):
            field = f'<span class="cloze">{field if answer else "[...]"}</span>'
        item = f"<li>{field}</li>"
        # The hidden item's own guard is the template's (see _guarded): no section nests in
        # one of the same name.
        if k != max(hidden, 1):
            item = f"{{{{#{_ITEM.format(k)}}}}}{item}{{{{/{_ITEM.format(k)}}}}}"
        items.append(item)
    return (
        f'{_CONTEXT}<div class="prompt">{{{{Front}}}}</div>{_SPOKEN}<div class="cloze-text">'
        "{{#Ordered}}<ol>{{/Ordered}}{{^Ordered}}<ul>{{/Ordered}}"
        + "".join(items)
        + "{{#Ordered}}</ol>{{/Ordered}}{{^Ordered}}</ul>{{/Ordered}}</div>"
        + (SOURCE if answer else "")
    )


def _guarded(flag: str, item: int, side: str) -> str:
    """A front that renders only when the card's switch and its item are both non-empty: Anki
    (and genanki) make a card exactly when its front renders something."""
    name = _ITEM.format(item)
    return f"{{{{#{flag}}}}}{{{{#{name}}}}}{side}{{{{/{name}}}}}{{{{/{flag}}}}}"


LIST = NoteType(
    model_id=0,
    name="deckgen List",
    role="deckgen List",
    version=1,
    fields=(
        ("Front", 5_310_207_100),
        *((_ITEM.format(k), 5_310_207_100 + k) for k in range(1, MAX_ITEMS + 1)),
        ("ListCard", 5_310_207_141),
        ("ItemCards", 5_310_207_142),
        ("Ordered", 5_310_207_143),
        ("Context", 5_310_207_144),
        ("Language", 5_310_207_146),
        ("Source", 5_310_207_145),
    ),
    templates=(
        Template(
            "Whole list",
            5_310_207_150,
            _guarded("ListCard", 1, _list_side(0, answer=False)),
            _list_side(0, answer=True),
            needs=("Item1", "ListCard"),
        ),
        *(
            Template(
                f"Item {k}",
                5_310_207_150 + k,
                _guarded("ItemCards", k, _list_side(k, answer=False)),
                _list_side(k, answer=True),
                needs=(_ITEM.format(k), "ItemCards"),
            )
            for k in range(1, MAX_ITEMS + 1)
        ),
    ),
)

CLOZE = NoteType(
    model_id=0,
    name="deckgen Cloze",
    role="deckgen Cloze",
    version=1,
    fields=(
        ("Text", 5_310_204_301),
        ("Extra", 5_310_204_302),
        ("Context", 5_310_204_303),
        ("Source", 5_310_204_304),
    ),
    templates=(
        Template(
            "Cloze",
            5_310_204_351,
            f'{_CONTEXT}<div class="cloze-text">{{{{cloze:Text}}}}</div>',
            f'{_CONTEXT}<div class="cloze-text">{{{{cloze:Text}}}}</div>'
            f'{{{{#Extra}}}}<div class="answer">{{{{Extra}}}}</div>{{{{/Extra}}}}{SOURCE}',
        ),
    ),
    cloze=True,
)

BY_KIND: dict[Kind, NoteType] = {
    Kind.TERM: TERM,
    Kind.QUESTION: QUESTION,
    Kind.ENUMERATION: LIST,
    Kind.CLOZE: CLOZE,
    Kind.COMPARISON: COMPARISON,
}
"""The role of each kind of record: the one table the rest of deckgen reads (a course ships
each as its own note type: `look.course_type`)."""
LOCATION_FIELDS = frozenset({"Context", "ReverseContext", "Source"})
"""Fields of deckgen's own note types that say where a note lives, not what it says (left out
of its content hash). A kept note type has none: its fields are its deck's own, whatever
their names (`location_fields`)."""


def location_fields(field_names: tuple[str, ...]) -> frozenset[str]:
    """The location fields of a note type read back from a package, by its field names:
    `LOCATION_FIELDS` if they are those of one of deckgen's own roles, else none (a kept
    type's Context or Source field holds what its notes say)."""
    own = any(field_names == role.field_names for role in BY_KIND.values())
    return LOCATION_FIELDS if own else frozenset()


def note_types() -> list[NoteType]:
    """Every role of deckgen's own note types, by name."""
    return sorted(set(BY_KIND.values()), key=lambda t: t.name)


def note_type_of(note: Note) -> NoteType:
    """The note type of a note: the one it was given (kept, or in the course's look), else
    deckgen's own for its kind."""
    if note.note_type is not None:
        chosen: NoteType = note.note_type
        return chosen
    return BY_KIND[note.record.kind]
