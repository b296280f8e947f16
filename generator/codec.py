"""Codec: frozen records to bytes and back, by their fields' names and type hints.

Everything a build keeps for the next one (`cards.file_cache`, `output.uptodate`) and every
result a worker process sends back (`cards.each_file`) goes through here, and nothing is
written per type: a dataclass is encoded as the values of its fields, in the order of the
field names the entry lists, and decoded by each field's type hint. A field added to
`Record` needs no change here; an entry written with other fields is refused.

The bytes are marshal's, sealed by their SHA-256: three times faster to read back than the
same values as JSON (20,000 notes: 0.33 s against 0.91 s), and tuples stay tuples. What is
read back is untrusted: a checksum that does not match, an entry of other fields or a value
of the wrong shape is `ValueError`, and the caller works afresh.
"""

from __future__ import annotations

import dataclasses
import enum
import hashlib
import marshal
import types
import typing
from collections.abc import Callable
from functools import cache, lru_cache
from operator import attrgetter
from typing import Any, TypeVar

T = TypeVar("T")
Convert = Callable[[Any], Any]
_SUM = 32  # bytes of SHA-256 before the payload


def encode(value: object, kind: Any) -> bytes:
    """`value`, a `kind` (a dataclass; its fields frozen dataclasses, enums, tuples,
    frozensets, dicts, str, int, bool, bytes or None), sealed."""
    payload = marshal.dumps((_names(kind), _codec(kind)[0](value)))
    return hashlib.sha256(payload).digest() + payload


def decode(data: bytes, kind: type[T]) -> T:
    """What `encode` made of a `kind`; ValueError when `data` is not exactly that."""
    hint: Any = kind  # a dataclass, or a generic alias such as tuple[Diagnostic, ...]
    payload = memoryview(data)[_SUM:]
    if len(data) < _SUM or hashlib.sha256(payload).digest() != data[:_SUM]:
        raise ValueError("damaged: its checksum does not match")
    try:
        names, value = marshal.loads(payload)
        if names != _names(hint):
            raise ValueError("written with other fields")
        return typing.cast(T, _codec(hint)[1](value))
    except (EOFError, TypeError, KeyError, IndexError, AttributeError) as exc:
        raise ValueError(f"not an encoded {kind}: {exc!r}") from None


@cache
def _names(kind: Any) -> dict[str, tuple[str, ...]]:
    """Each dataclass `kind` holds, at any depth, by name -> its field names."""
    found: dict[str, tuple[str, ...]] = {}
    todo = [kind]
    while todo:
        hint = todo.pop()
        todo += typing.get_args(hint)
        if isinstance(hint, type) and dataclasses.is_dataclass(hint) and hint.__name__ not in found:
            found[hint.__name__] = tuple(f.name for f in dataclasses.fields(hint))
            todo += typing.get_type_hints(hint).values()
    return found


def _same(value: Any) -> Any:
    return value


@cache
def _codec(hint: Any) -> tuple[Convert, Convert]:
    """The functions from a value of type `hint` to marshal's values and back; `_same`
    where marshal keeps the value as it is."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if dataclasses.is_dataclass(hint):
        return _dataclass(typing.cast(type, hint))
    if origin in (typing.Union, types.UnionType):
        (inner,) = [a for a in args if a is not type(None)]
        out, back = _codec(inner)
        if out is _same and back is _same:
            return _same, _same
        return (lambda v: None if v is None else out(v)), (lambda v: None if v is None else back(v))
    if origin is tuple:
        items = [_codec(a) for a in (args[:1] if args[-1] is Ellipsis else args)]
        if all(out is _same and back is _same for out, back in items):
            return _same, _same
        if args[-1] is Ellipsis:
            out, back = items[0]
            return (lambda v: tuple(map(out, v))), _shared(lambda v: tuple(map(back, v)))
        return (
            lambda v: tuple(c[0](x) for c, x in zip(items, v, strict=True)),
            _shared(lambda v: tuple(c[1](x) for c, x in zip(items, v, strict=True))),
        )
    if origin is frozenset:
        out, back = _codec(args[0])
        return (lambda v: tuple(sorted(map(out, v)))), _shared(lambda v: frozenset(map(back, v)))
    if origin is dict:
        out, back = _codec(args[1])
        return (lambda v: {k: out(x) for k, x in v.items()}), (
            lambda v: {k: back(x) for k, x in v.items()}
        )
    if isinstance(hint, type) and issubclass(hint, tuple) and hasattr(hint, "_make"):
        return tuple, hint._make  # a NamedTuple (marshal keeps only plain tuples)
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return attrgetter("value"), {m.value: m for m in hint}.__getitem__
    if hint in (str, int, bool, bytes, type(None)) or hint is Any:
        return _same, _same  # Any: a field such as a note's note type, None in what is kept
    raise TypeError(f"cannot encode {hint}")


def _shared(back: Convert) -> Convert:
    """`back`, giving one value for equal inputs: the records of a file share their topics
    and variants (a tenth of the objects and of the time to make them), as they did when
    parsed."""
    return lru_cache(maxsize=1024)(back)


def _dataclass(kind: type) -> tuple[Convert, Convert]:
    hints = typing.get_type_hints(kind)
    names = [f.name for f in dataclasses.fields(kind)]
    convert = [(i, *_codec(hints[name])) for i, name in enumerate(names)]
    convert = [(i, out, back) for i, out, back in convert if out is not _same]
    values = attrgetter(*names) if len(names) > 1 else lambda v: (getattr(v, names[0]),)

    def out(value: Any) -> tuple[Any, ...]:
        if not convert:
            return tuple(values(value))
        row = list(values(value))
        for i, to, _ in convert:
            row[i] = to(row[i])
        return tuple(row)

    def back(row: Any) -> Any:
        if type(row) is not tuple or len(row) != len(names):
            raise TypeError(f"{kind.__name__}: {len(names)} values expected")
        if not convert:
            return kind(*row)
        values = list(row)
        for i, _, to in convert:
            values[i] = to(values[i])
        return kind(*values)

    return out, back
