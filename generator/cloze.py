"""Cloze syntax: `{{c1::answer}}` / `{{c1::answer::hint}}`, as Anki writes it, and its checks."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import NamedTuple

from .diagnostics import Diagnostic, error, warning
from .records import Location

OPEN = re.compile(r"\{\{c(\d+)::")
DELETION = re.compile(r"\{\{c(\d+)::((?>(?:[^{}]|\{(?!\{c\d+::)|\}(?!\}))*))\}\}")
"""A deletion: its number and what it holds (its answer, then `::hint` if it has one), up to
the first `}}`, never over another deletion's opening: so each search from an opening ends
at the next one, and a text of unclosed openings is read in linear time (`.*?` read the
rest of the text again from each). Part of the identity contract: `identity.fold` reduces a
front's deletions to their answers with it (`deletions`)."""


class Deletion(NamedTuple):
    """One `{{cN::answer::hint}}`."""

    number: str
    """Its number's digits."""
    answer: str
    """What it hides."""
    hint: str | None
    """None without one."""


def _deletion(match: re.Match[str]) -> Deletion:
    # The hint follows the first "::" after the answer's last "}" (a hint holds no "}").
    content = match.group(2)
    at = content.find("::", content.rfind("}") + 1)
    if at < 0:
        return Deletion(match.group(1), content, None)
    return Deletion(match.group(1), content[:at], content[at + 2 :])


def deletions(text: str) -> list[Deletion]:
    """The deletions of `text`, in order."""
    return [_deletion(m) for m in DELETION.finditer(text)] if "{{" in text else []


def replace_deletions(text: str, replace: Callable[[Deletion], str]) -> str:
    """`text` with each deletion replaced by what `replace` makes of it."""
    return DELETION.sub(lambda m: replace(_deletion(m)), text) if "{{" in text else text


LOOKALIKE = re.compile(r"\{\{\s*c?\d*\s*:{1,2}|\{\{[^{}]*\}\}")
MAX_CLOZE = 500
"""The highest cloze number: each is a card of its own (Anki refuses c5000000 on import)."""
IN_TAG = re.compile(r"<[^<>]*(?:%7B|\{){2}c\d+::[^<>]*>", re.IGNORECASE)
"""A deletion inside a tag (a link target, an image's source or alt text), where it is lost:
markdown-it percent-encodes the braces of a link target."""
MATH = re.compile(
    r"\\\((?>(?:[^\\]|\\(?![()]))*)\\\)|\\\[(?>(?:[^\\]|\\(?![\[\]]))*)\\\]|\$\$(?>(?:[^$]|\$(?!\$))*)\$\$"
)
"""Math written as text: `\\(...\\)`, `\\[...\\]`, `$$...$$`, none holding another opening of its
kind (so that each search ends at the next opening: linear)."""


def has_cloze(text: str) -> bool:
    return OPEN.search(text) is not None


def answers_only(text: str) -> str:
    """The text with each deletion replaced by its answer (as on the back of the card)."""
    return replace_deletions(text, lambda d: d.answer)


def looks_like_cloze(text: str) -> bool:
    """`{{...}}` that is not a valid deletion: most likely a mistyped one."""
    # Both patterns need "{{": most text has none, and is not searched twice.
    return "{{" in text and not has_cloze(text) and LOOKALIKE.search(text) is not None


def check_in_tag(html: str, where: Location) -> list[Diagnostic]:
    """A deletion where no card shows it: inside a tag of any field of a record."""
    if ("{" not in html and "%7" not in html) or IN_TAG.search(html) is None:  # IN_TAG needs one
        return []
    return [
        error(
            where,
            "cloze-in-tag",
            "a cloze deletion inside an HTML tag (an image's alt text or source, a link "
            "target) is lost; put it in the visible text",
        )
    ]


def check_cloze(text: str, where: Location) -> list[Diagnostic]:
    """Problems that would give a cloze note a wrong, blank or missing card."""
    found = deletions(text)
    if len(OPEN.findall(text)) != len(found):  # a deletion never holds an opening
        return [
            error(
                where,
                "cloze-unbalanced",
                "unbalanced cloze: every '{{cN::' needs its own closing '}}'",
            )
        ]
    problems: list[Diagnostic] = []
    # Math that Markdown parsed is already safe (`math_clozes`); math written as text
    # (`\\\\(...\\\\)` in the notes) is not.
    if any(math_clozes(m.group(0)) != m.group(0) for m in MATH.finditer(text)):
        problems.append(
            warning(
                where,
                "cloze-in-math",
                "'}}' in this formula ends the cloze deletion early in Anki: write the math "
                "as \\(...\\) or $...$ (deckgen then spaces the braces), or write '} }'",
            )
        )
    # Past 9 digits a number is too large anyway (and int() refuses 4,300).
    numbers = sorted({int(n) if len(n) <= 9 else MAX_CLOZE + 1 for n, _, _ in found})
    if numbers[0] == 0:
        problems.append(error(where, "cloze-number", "cloze numbers start at c1, not c0"))
    if numbers[-1] > MAX_CLOZE:
        return [
            error(
                where,
                "cloze-number",
                f"cloze numbers go up to c{MAX_CLOZE} (one card each); use smaller ones",
            )
        ]
    for number, answer, _ in found:
        if not re.sub(r"<[^<>]*>", "", answer).strip():
            problems.append(error(where, "cloze-empty", f"cloze c{number} deletes nothing"))
    if numbers[0] != 0 and numbers != list(range(1, len(numbers) + 1)):
        shown = ", ".join(f"c{n}" for n in numbers)
        problems.append(warning(where, "cloze-gap", f"cloze numbers {shown} skip a number"))
    return problems


_OPENING = re.compile(r"\{\{c\d+::")


def math_clozes(tex: str) -> str:
    """TeX with cloze deletions in it, made safe for Anki: a `}}` that TeX braces would form
    inside a deletion (`{{c1::\\frac{1}{2}}}`) is written `} }`, Anki's documented way, so
    that only the deletion's own `}}` closes it."""
    if "{{c" not in tex:
        return tex
    out: list[str] = []
    i, n = 0, len(tex)
    while i < n:
        opening = _OPENING.match(tex, i)
        if opening is None:
            out.append(tex[i])
            i += 1
            continue
        out.append(opening.group())
        i, depth = opening.end(), 0
        while i < n:
            char = tex[i]
            if char == "\\" and i + 1 < n:  # \{ and \} are no braces
                out.append(tex[i : i + 2])
                i += 2
                continue
            if char == "}" and depth == 0 and tex.startswith("}}", i):
                out.append(" }}" if out[-1].endswith("}") else "}}")
                i += 2
                break
            if char == "{":
                depth += 1
            elif char == "}":
                depth -= 1
                if out[-1].endswith("}"):
                    out.append(" ")
            out.append(char)
            i += 1
    return "".join(out)
