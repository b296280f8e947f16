"""What the oldest Python 3.11 that users run (Debian 12's 3.11.2, under pipx) gets wrong.

`.ci/run` runs the whole suite again on Debian's own python3; these checks say, on any Python,
which construct is the cause, so the mistake is named where it is made.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import generator

PACKAGE = Path(generator.__file__).parent
REGEX_CALLS = {
    "compile",
    "search",
    "match",
    "fullmatch",
    "finditer",
    "findall",
    "sub",
    "subn",
    "split",
}


def _patterns() -> list[tuple[str, int, str]]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in REGEX_CALLS
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "re"
                and node.args
            ):
                pattern = node.args[0]
                # Adjacent literals ("a" "b") are one constant; f-strings are not checked.
                if isinstance(pattern, ast.Constant) and isinstance(pattern.value, str):
                    found.append(
                        (str(path.relative_to(PACKAGE.parent)), node.lineno, pattern.value)
                    )
    return found


def _possessive(node: object) -> bool:
    """Whether a parsed pattern (`re._parser`'s tree: opcodes and nested tuples) has one."""
    if str(node) == "POSSESSIVE_REPEAT":
        return True
    if isinstance(node, (tuple, list, re._parser.SubPattern)):  # type: ignore[attr-defined]
        return any(_possessive(part) for part in node)
    return False


def test_the_package_has_regexes_to_check() -> None:
    assert len(_patterns()) > 50


def test_no_possessive_quantifier_in_a_regex_of_the_package() -> None:
    """Python 3.11.2's `re` returns wrong matches for a possessive repeat of an alternation
    (`(?:a|b)*+`): the course's clozes read as unbalanced there. An atomic group (`(?>...*)`)
    means the same and is right on every 3.11; use it."""
    offenders = [
        f"{path}:{line}: {pattern}"
        for path, line, pattern in _patterns()
        if _possessive(re._parser.parse(pattern))  # type: ignore[attr-defined]
    ]
    assert not offenders, "\n".join(offenders)


def test_the_check_finds_a_possessive_quantifier() -> None:
    assert _possessive(re._parser.parse(r"x(?:[^{}]|\{)*+y"))  # type: ignore[attr-defined]
    assert _possessive(re._parser.parse(r"(a(?:b[^c]++)?)"))  # type: ignore[attr-defined]
    assert not _possessive(re._parser.parse(r"x(?>(?:[^{}]|\{)*)y"))  # type: ignore[attr-defined]
