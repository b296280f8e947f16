"""The pipeline's records: `quick_init`'s constructor makes exactly what the dataclass's own does."""

from __future__ import annotations

import dataclasses
import inspect
from typing import Any

import pytest

from generator.identity.lock import LockedRecord
from generator.parse.line_blocks import Card
from generator.records import Entry, Location, Note, Record, TagRef, quick_init

QUICK = [Location, TagRef, Entry, Record, Note, LockedRecord, Card]


def slots(obj: Any) -> dict[str, Any]:
    return {field.name: getattr(obj, field.name) for field in dataclasses.fields(obj)}


def by_dataclass(cls: type, *args: Any, **kwargs: Any) -> Any:
    """An instance made by the dataclass's own `__init__`."""
    made = object.__new__(cls)
    cls.__init__.__wrapped__(made, *args, **kwargs)  # type: ignore[misc]
    return made


@pytest.mark.parametrize("cls", QUICK, ids=lambda cls: cls.__name__)
def test_quick_init_takes_the_same_parameters_and_makes_the_same_record(cls: type) -> None:
    own = inspect.signature(cls.__init__.__wrapped__)  # type: ignore[misc]
    quick = inspect.signature(cls.__init__)
    assert [(p.name, p.kind, p.default) for p in quick.parameters.values()] == [
        (p.name, p.kind, p.default) for p in own.parameters.values()
    ]
    fields = dataclasses.fields(cls)
    values = [object() for _ in fields]  # a distinct value each: none lands in another slot
    every = cls(*values)
    assert slots(every) == slots(by_dataclass(cls, *values))
    assert list(slots(every).values()) == values
    named = cls(**{field.name: value for field, value in zip(fields, values, strict=True)})
    assert slots(named) == slots(every)
    required = [object() for f in fields if f.default is dataclasses.MISSING]
    least = cls(*required)
    assert slots(least) == slots(by_dataclass(cls, *required))
    with pytest.raises(TypeError):
        cls(*values, object())  # one too many
    if required:
        with pytest.raises(TypeError):
            cls(*required[:-1])  # one too few
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(every, fields[0].name, object())


def test_quick_records_compare_hash_and_replace_as_dataclasses_do() -> None:
    here = Location("a.md", 3)
    assert here == Location("a.md", 3, 1) == by_dataclass(Location, "a.md", 3)
    assert hash(here) == hash(by_dataclass(Location, "a.md", 3))
    assert dataclasses.replace(here, col=4) == Location("a.md", 3, 4)
    assert repr(here) == "Location(path='a.md', line=3, col=1)"


def test_quick_init_refuses_a_field_it_could_not_copy() -> None:
    @dataclasses.dataclass(frozen=True, slots=True)
    class Listed:
        items: list[str] = dataclasses.field(default_factory=list)

    with pytest.raises(TypeError, match=r"Listed\.items"):
        quick_init(Listed)


def test_quick_init_refuses_a_record_that_checks_itself() -> None:
    @dataclasses.dataclass(frozen=True, slots=True)
    class Checked:
        count: int

        def __post_init__(self) -> None:
            assert self.count >= 0

    with pytest.raises(TypeError, match="__post_init__"):
        quick_init(Checked)
