"""`deckgen Comparison`: the note of one row of a comparison table (one aspect of the things
compared), whose cards each ask for one thing's side of that aspect with the others' sides
shown as contrast: "Transactional selling — Overall objective: ?" above "Key account
management: Preferred supplier status". Every card of a row is a sibling of the others.

A card per compared column, up to MAX_SIDES, by a template each that renders only when its
side (`ValueN`) and the aspect are non-empty. FROZEN like every role (`note_types`): the
field and template ids below are what students' collections remember.
"""

from __future__ import annotations

from ..records import MAX_SIDES
from .note_type import ANSWER, CONTEXT, SOURCE, NoteType, Template

_NAME, _VALUE = "Name{}", "Value{}"


def _front(side: int) -> str:
    """The question of card `side`: that thing's side of the aspect asked, each other side
    shown (a side left empty is left out)."""
    shown = "".join(
        f"{{{{#{_VALUE.format(k)}}}}}<div>{{{{{_NAME.format(k)}}}}}: "
        f"{{{{{_VALUE.format(k)}}}}}</div>{{{{/{_VALUE.format(k)}}}}}"
        for k in range(1, MAX_SIDES + 1)
        if k != side
    )
    body = (
        f'{CONTEXT}<div class="prompt">{{{{{_NAME.format(side)}}}}} \u2014 {{{{Aspect}}}}: ?</div>'
        f'<div class="contrast">{shown}</div>'
    )
    # Both switches wrap all of it: Anki makes the card exactly when the front renders, so
    # the card exists when the side and the aspect are non-empty (`Template.needs`).
    value = _VALUE.format(side)
    return f"{{{{#{value}}}}}{{{{#Aspect}}}}{body}{{{{/Aspect}}}}{{{{/{value}}}}}"


def _back(side: int) -> str:
    return (
        f'{{{{FrontSide}}}}{ANSWER}<div class="answer">{{{{{_VALUE.format(side)}}}}}</div>{SOURCE}'
    )


COMPARISON = NoteType(
    model_id=0,
    name="deckgen Comparison",
    role="deckgen Comparison",
    version=1,
    fields=(
        ("Aspect", 5_310_208_100),
        *((_NAME.format(k), 5_310_208_100 + k) for k in range(1, MAX_SIDES + 1)),
        *((_VALUE.format(k), 5_310_208_110 + k) for k in range(1, MAX_SIDES + 1)),
        ("Context", 5_310_208_141),
        ("Source", 5_310_208_142),
    ),
    templates=tuple(
        Template(
            f"Side {k}",
            5_310_208_150 + k,
            _front(k),
            _back(k),
            needs=("Aspect", _VALUE.format(k)),
        )
        for k in range(1, MAX_SIDES + 1)
    ),
)
