"""A Markdown table in a notes file is a comparison: its rows are aspects, its columns the
things compared.

```markdown
| Along which dimensions do they differ? | Transactional selling | Key account management |
| --- | --- | --- |
| Overall objective | Sales | Preferred supplier status |
```

The first header cell names the aspect column, the others the things compared. Each body row
is one record (`Kind.COMPARISON`): its aspect (the first cell) and each thing's side of it.
The table also makes one list of its aspects (an enumeration, whole-list card only), asked
by the first header cell when that is a question (ends with `?`), else "What aspects compare
A and B?". An `<!-- id: name -->` in a row's aspect cell pins that row; in the first header
cell, the list of aspects. Every cell a card shows must hold something (`table-empty-cell`),
and a table compares at least two things, at most `MAX_SIDES`, each named once
(`table-shape`). A table inside a list item is part of that item's answer, not a comparison.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markdown_it.token import Token

from ..diagnostics import Diagnostic, error, warning
from ..records import MAX_SIDES, Location
from .fields import is_comment
from .markdown import plain_text, render_inline


@dataclass(frozen=True, slots=True)
class TableEntry:
    """What one row of a table (or its list of aspects) adds to the file's entries."""

    location: Location
    """The aspect cell (or the first header cell, for the list of aspects)."""
    front: str
    """HTML of the aspect, or of the aspects' question."""
    items: tuple[str, ...]
    """HTML of each thing's side of the aspect, or of each aspect."""
    columns: tuple[str, ...]
    """HTML of the names of the things compared; empty for the list of aspects."""
    comments: tuple[Token, ...]
    """The comments in the aspect cell (or the first header cell): a pin, an import repair."""


@dataclass(frozen=True, slots=True)
class _Cell:
    inline: list[Token]
    """Its inline tokens, comments left out."""
    comments: tuple[Token, ...]
    where: Location


def read_table(
    tokens: Sequence[Token], lines: Sequence[str], path: str
) -> tuple[list[TableEntry], list[Diagnostic]]:
    """A table's entries: a row each, then the list of its aspects (when it has two rows or
    more: one aspect is no list); none, with the errors, when any cell a card shows is empty
    or the table does not compare at least two things. `tokens` run from `table_open` to its
    `table_close`."""
    rows = _rows(tokens, lines, path)
    header, body = rows[0], rows[1:]
    if not body:
        message = "a table without rows makes no card: add a row per aspect compared"
        return [], [warning(header[0].where, "not-a-card", message)]
    problems = _shape(header)
    for row in body:
        problems += [
            _empty(cell, "aspect" if k == 0 else f"'{_text(header[k])}' side")
            for k, cell in enumerate(row)
            if _blank(cell)
        ]
    if problems:
        return [], problems
    names = tuple(render_inline(cell.inline).strip() for cell in header[1:])
    entries = [
        TableEntry(
            row[0].where,
            render_inline(row[0].inline).strip(),
            tuple(render_inline(cell.inline).strip() for cell in row[1:]),
            names,
            row[0].comments,
        )
        for row in body
    ]
    if len(body) >= 2:
        entries.append(
            TableEntry(
                header[0].where,
                _question(header),
                tuple(entry.front for entry in entries),
                (),
                header[0].comments,
            )
        )
    return entries, []


def _question(header: list[_Cell]) -> str:
    """The question of the list of aspects: the first header cell when it is one, else one
    made from the names of the things compared."""
    asked = render_inline(header[0].inline).strip()
    if _text(header[0]).endswith("?"):
        return asked
    names = [render_inline(cell.inline).strip() for cell in header[1:]]
    return f"What aspects compare {', '.join(names[:-1])} and {names[-1]}?"


def _shape(header: list[_Cell]) -> list[Diagnostic]:
    names = [_text(cell) for cell in header[1:]]
    where = header[0].where
    if len(names) < 2:
        return [
            error(
                where,
                "table-shape",
                f"a table compares at least two things (a column each, after the aspects' "
                f"column); this one has {len(names)}: a one-sided fact is a term "
                "(- **Aspect**: value)",
            )
        ]
    if len(names) > MAX_SIDES:
        return [
            error(
                where,
                "table-shape",
                f"a table compares at most {MAX_SIDES} things (a card each); this one compares "
                f"{len(names)}: split it into tables of fewer columns",
            )
        ]
    problems = [_empty(cell, "name of a thing compared") for cell in header[1:] if _blank(cell)]
    folded = [name.casefold() for name in names]
    problems += [
        error(
            cell.where,
            "table-shape",
            f"'{names[k]}' is compared twice (columns {folded.index(folded[k]) + 2} and {k + 2}): "
            "name each column once",
        )
        for k, cell in enumerate(header[1:])
        if folded[k] and folded.index(folded[k]) != k
    ]
    return problems


def _empty(cell: _Cell, what: str) -> Diagnostic:
    return error(
        cell.where,
        "table-empty-cell",
        f"the {what} is empty, and a card would ask or show it: fill the cell",
    )


def _blank(cell: _Cell) -> bool:
    """True when a cell would show nothing: no text and no image."""
    return not _text(cell) and not any(t.type == "image" for t in cell.inline)


def _text(cell: _Cell) -> str:
    return plain_text(cell.inline).strip()


def _rows(tokens: Sequence[Token], lines: Sequence[str], path: str) -> list[list[_Cell]]:
    """Each row's cells (the header's first), each located at its text in the source."""
    rows: list[list[_Cell]] = []
    line = 0
    for token in tokens:
        if token.type == "tr_open":
            line = token.map[0] if token.map else line
            starts = _cell_starts(lines[line] if line < len(lines) else "")
            rows.append([])
        elif token.type == "inline" and rows:
            k = len(rows[-1])
            col = starts[k] if k < len(starts) else 1
            children = token.children or []
            rows[-1].append(
                _Cell(
                    [t for t in children if not is_comment(t)],
                    tuple(t for t in children if is_comment(t)),
                    Location(path, line + 1, col),
                )
            )
    return rows


def _cell_starts(line: str) -> list[int]:
    """The 1-based column where each cell of a table row's line starts (its first non-space
    character, or where it would be): cells are split at each `|` not escaped by `\\`, as
    markdown-it splits them."""
    bounds: list[int] = []
    escaped = False
    for at, char in enumerate(line):
        if char == "|" and not escaped:
            bounds.append(at)
        escaped = char == "\\" and not escaped
    stripped = line.strip()
    if not stripped.startswith("|"):
        bounds.insert(0, -1)  # no leading pipe: the first cell starts the line
    starts = []
    for left, right in zip(bounds, [*bounds[1:], len(line)], strict=True):
        at = left + 1
        while at < right and line[at] in " \t":
            at += 1
        starts.append(at + 1 if at < right else left + 2)  # an empty cell: after its pipe
    return starts
