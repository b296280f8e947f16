"""The package's layout keeps its promises: the import direction stated in build.py, small
modules, a docstring on every module, and a contract on every phase."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "generator"
# The layers of build.py's docstring, in order: a module may import only from its own layer
# and those before it.
LAYERS = ["base", "parse", "identity", "cards", "output", "review", "importing", "build", "cli"]
MODULES = sorted(p for p in PACKAGE.rglob("*.py"))


def layer_of(module: str) -> str:
    """`generator.cards.tags` -> `cards`; top-level shared modules are `base`."""
    parts = module.split(".")
    if len(parts) > 2 and parts[1] in LAYERS:
        return parts[1]
    return {
        "build": "build",
        "revisions": "build",
        "removals": "build",
        "live": "build",
        "course": "build",
        "cli": "cli",
        "__main__": "cli",
    }.get(parts[-1], "base")


def dotted(path: Path) -> str:
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    return ".".join(rel.parts).removesuffix(".__init__")


def imports(path: Path) -> list[str]:
    """Every generator module `path` imports, at any depth (lazy imports included)."""
    here = dotted(path).split(".")
    package = here if path.name == "__init__.py" else here[:-1]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            if target.startswith("generator"):
                found.append(target)
        elif isinstance(node, ast.Import):
            found += [a.name for a in node.names if a.name.startswith("generator")]
    return found


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_no_module_imports_a_later_layer(path: Path) -> None:
    mine = LAYERS.index(layer_of(dotted(path)))
    later = [m for m in imports(path) if LAYERS.index(layer_of(m)) > mine]
    assert not later, f"{dotted(path)} ({LAYERS[mine]}) imports a later layer: {later}"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_every_module_is_small_and_says_what_it_does(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert len(text.splitlines()) <= 350, f"{path.name} is over 350 lines: split it"
    if text.strip():
        assert ast.get_docstring(ast.parse(text)), f"{path} has no docstring"


def test_every_phase_states_its_contract() -> None:
    folders = sorted(p.parent.name for p in PACKAGE.glob("*/__init__.py"))
    assert folders == sorted([*LAYERS[1:7], "cli"])  # the phases, and the command line
    assert "CHANGING ANYTHING IN THIS PACKAGE CHANGES EVERY STUDENT" in (
        PACKAGE / "identity" / "__init__.py"
    ).read_text(encoding="utf-8")


def test_every_document_the_code_cites_is_in_the_repository() -> None:
    import re

    root = PACKAGE.parent
    cited = {
        match
        for path in MODULES
        for match in re.findall(r"\b((?:docs|tests)/[\w./-]+\.(?:md|py))", path.read_text())
    }
    assert "docs/anki.md" in cited
    assert [c for c in sorted(cited) if not (root / c).is_file()] == []
