"""Lecture notes read as an outline (`outline`) -> one notes file: lists, terms, questions and
comparisons, and every other line kept in sight.

A list becomes an enumeration under its heading; a term, a term; a comparison, a Markdown
table (rows: the aspects, columns: the things compared), which builds a note per row; a `T or F:` statement a question that
asks for more than true or false where the answer corrects it (`Key account management is not
a sales technique: what is it?`), else one flagged as a coin toss. Prose stays a line of the
file, flagged. Nothing is left out: every line of the notes is on a card or visibly flagged
(`<!-- deckgen: ... -->`, which `deckgen check` reports at its line).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from ..identity.fold import fold
from ..identity.note_types import MAX_ITEMS
from ..slug import slug
from .cards import Found
from .markup import comment, deck_name, escape_text, plain_markdown
from .outline import Block, blocks_of, lines_read
from .settings import under_top

_GENERIC = re.compile(r"^(?:side ?notes?|notes?|remarks?|misc\w*|other|e\.g\.?|examples?)$", re.I)
_CLAUSE = re.compile(
    r"^(?P<subject>.+?)\s+(?P<verb>is|are|was|were|has|have|can|should|must|will)\s+"
    r"(?P<rest>(?!not\b).+)$",
    re.I,
)
_FALSE = re.compile(r"^(?:false|f|no|wrong|incorrect)\b[\s,.:;–—-]*(?P<why>.*)$", re.I)
_TRUE = re.compile(r"^(?:true|t|yes|correct)\b[\s,.:;–—-]*(?P<why>.*)$", re.I)
_IT_IS = re.compile(r"^(?:it|this|that|they)\s+(?:is|are|'s|’s)\s+", re.I)


def outline(source: Path, lines: list[str], deck: str | None, top: str) -> Found:
    """The notes file of lecture notes typed as an outline."""
    blocks = blocks_of(lines_read(lines))
    title = next((b.text for b in blocks if b.kind == "title"), "")
    found = Found(source)
    name = (
        deck or under_top(top, _title(title) or _title(source.stem.replace("_", " "))) or "Imported"
    )
    if deck is None and title:
        found.said.append(f"{source.name}: deck '{name}', from its first line (--deck to choose)")
    text, counts = _notes(source, name, blocks)
    file = slug(name.removeprefix(f"{top}::") if top else name, 60, "notes") + ".md"
    found.files[file] = text
    found.said.append(
        f"{source.name}: {counts['list']} lists, {counts['term']} terms, "
        f"{counts['true-false']} true-or-false questions, {counts['table']} comparisons, "
        f"{counts['prose']} lines of prose (flagged)"
    )
    return found


def _title(text: str) -> str:
    text = re.sub(r"\b(?:flash ?cards?|lecture notes|notes)\b", "", text, flags=re.I)
    text = " ".join(text.split()).strip(" -–:")
    return deck_name(text[:1].upper() + text[1:]) if text else ""


def _notes(source: Path, deck: str, blocks: list[Block]) -> tuple[str, dict[str, int]]:
    counts = dict.fromkeys(("list", "term", "true-false", "table", "prose"), 0)
    out = ["---", f"deck: {json.dumps(deck, ensure_ascii=False)}", "---", ""]
    title = next((b.text for b in blocks if b.kind == "title"), "") or deck.split("::")[-1]
    out += [f"# {escape_text(title)}", ""]
    seen: dict[str, int] = {}
    for block in blocks:
        where = f"{source.name}:{block.number}"
        if block.kind == "title":
            continue
        counts[block.kind] = counts.get(block.kind, 0) + 1
        if block.kind == "section":
            out += ["", f"## {escape_text(block.text)}", ""]
        elif block.kind == "table":
            out += _table(block, where)
        else:
            item = _item(block, where)
            key = fold(block.text)
            seen[key] = seen.get(key, 0) + 1
            if seen[key] > 1 and block.kind in ("list", "term", "true-false"):  # a pin, a warning
                first, rest = item.split("\n", 1) if "\n" in item else (item, "")
                pin = f" <!-- id: {slug(block.text, 40, 'note')}-{seen[key]} -->"
                again = " " + comment(
                    "the same front as a card above: merge them or word them apart"
                )
                item = first + pin + again + ("\n" + rest if rest else "")
            out.append(item)
    return "\n".join(out).rstrip("\n") + "\n", counts


def _md(text: str) -> str:
    return plain_markdown(text, braces=False)[0]


def _item(block: Block, where: str) -> str:
    if block.kind == "list":
        return _list(block, where)
    if block.kind == "term":
        return f"- **{_md(_capital(block.text))}**: {_md(block.body)}"
    if block.kind == "true-false":
        return _true_false(block, where)
    return f"- {_md(block.text)} " + comment(
        f"{where}: a line of the notes that is no card: make it one (**term**: definition), "
        "or move it out of the list as prose"
    )


def _list(block: Block, where: str) -> str:
    front = _capital(block.text) if block.text else "(untitled list)"
    flags = []
    if not block.text:
        flags.append(f"{where}: a list with no heading line: write the question it answers")
    elif _GENERIC.match(block.text.strip()):
        flags.append(
            f"{where}: a list of '{block.text}': make each a card, or add them to the list they belong to"
        )
    top = [item for item in block.items if item.level == 0]
    if len(top) > MAX_ITEMS:
        flags.append(f"{where}: a list of {len(top)} items, over {MAX_ITEMS}: split into two")
    parts: list[list[str]] = [[]]
    count = 0
    for item in block.items:
        if item.level == 0:
            count += 1
            if count > MAX_ITEMS * len(parts):  # the rest: a list of its own, not an error
                parts.append([])
        parts[-1].append("  " * (1 + min(item.level, 1)) + f"- {_md(item.text)}")
    lines = [f"- **{_md(front)}**" + "".join(" " + comment(f) for f in flags), *parts[0]]
    for n, part in enumerate(parts[1:], 2):
        lines += [f"- **{_md(front)} ({n})**", *part]
    return "\n".join(lines)


def _true_false(block: Block, where: str) -> str:
    """A true-or-false statement asked as a question that is no coin toss, where the answer
    says what is true instead; else flagged."""
    statement = block.text.rstrip(" ?.")
    said = f"T or F: {block.text} ({block.body or 'no answer given'})"
    clause, false, true = (
        _CLAUSE.match(statement),
        _FALSE.match(block.body),
        _TRUE.match(block.body),
    )
    if clause and false and false.group("why"):
        subject, verb = _capital(clause.group("subject")), clause.group("verb").lower()
        question = f"{subject} {verb} not {clause.group('rest')}: what {verb} it?"
        answer = _capital(_IT_IS.sub("", false.group("why")))
        why = f"{where}: asked from '{said}' so the answer is more than true or false: check it"
        return f"- **{_md(question)}** {_md(answer)} " + comment(why)
    if true and true.group("why"):
        question = f"Why is it true that {statement}?"
        why = f"{where}: asked from '{said}' so the answer is more than true or false: check it"
        return f"- **{_md(_capital(question))}** {_md(_capital(true.group('why')))} " + comment(why)
    why = f"{where}: a true-or-false card is a coin toss: ask what makes it true or false"
    answer = block.body or "(no answer in the notes)"
    return f"- **True or false: {_md(statement)}?** {_md(answer)} " + comment(why)


def _table(block: Block, where: str) -> list[str]:
    """A comparison table, which builds a note per row (`parse.tables`); a side the notes do
    not give is written "(not in the notes)" and flagged, so the course builds and the author
    sees it."""
    # The first header cell asks for the aspects, from the heading the notes gave the comparison.
    asked = _cell(f"{_capital(block.text)}: which aspects?")
    head = ["", f"| {asked} | " + " | ".join(_cell(c) for c in block.columns) + " |"]
    head.append("| --- |" + " --- |" * len(block.columns))
    rows = []
    for aspect, values in block.rows:
        missing = [
            name for name, value in zip(block.columns, values, strict=True) if not _md(value)
        ]
        flag = comment(  # a `|` would split the cell
            f"{where}: the notes give no {' or '.join(missing)} side of '{aspect}': fill the "
            "cell, or delete the row"
        ).replace("|", "/")
        cells = [_cell(value) if _md(value) else _NOT_GIVEN for value in values]
        rows.append(
            f"| {_cell(_capital(aspect))}{' ' + flag if missing else ''} | "
            + " | ".join(cells)
            + " |"
        )
    return [*head, *rows, ""]


_NOT_GIVEN = "(not in the notes)"


def _cell(text: str) -> str:
    return _md(text) or " "  # (`|` is escaped with the rest)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]
