"""Cloze syntax: `{{c1::answer}}` / `{{c1::answer::hint}}`, as Anki writes it, and its checks."""

from __future__ import annotations

import re

from .diagnostics import Diagnostic, error, warning
from .records import Location

OPEN = re.compile(r"\{\{c(\d+)::")
DELETION = re.compile(r"\{\{c(\d+)::(.*?)\}\}", re.DOTALL)


def has_cloze(text: str) -> bool:
    return OPEN.search(text) is not None


def check_cloze(text: str, where: Location) -> list[Diagnostic]:
    """Problems that would give a cloze note a wrong, blank or missing card."""
    opens = len(OPEN.findall(text))
    deletions = DELETION.findall(text)
    if opens != len(deletions) or text.count("}}") < opens:
        return [
            error(
                where, "cloze-unbalanced", "unbalanced cloze: every '{{cN::' needs its closing '}}'"
            )
        ]
    problems: list[Diagnostic] = []
    numbers = sorted({int(n) for n, _ in deletions})
    if numbers and numbers[0] == 0:
        problems.append(error(where, "cloze-number", "cloze numbers start at c1, not c0"))
    for number, answer in deletions:
        if not re.sub(r"<[^>]*>|::.*", "", answer, flags=re.DOTALL).strip():
            problems.append(error(where, "cloze-empty", f"cloze c{number} deletes nothing"))
    expected = list(range(1, len(numbers) + 1))
    if numbers and numbers[0] != 0 and numbers != expected:
        problems.append(
            warning(
                where,
                "cloze-gap",
                f"cloze numbers {', '.join(f'c{n}' for n in numbers)} skip a number",
            )
        )
    return problems
