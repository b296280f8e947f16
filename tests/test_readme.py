"""The README stays true: its commands, diagnostics and promises are the tool's own."""

from __future__ import annotations

import re

from generator.diagnostics import CODES
from tests.helpers import COURSE, ROOT


def test_readme_quick_start_commands_are_the_ones_ci_runs() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    commands = re.findall(r"```sh\n(.+?)\n```", readme)
    assert len(commands) == 2
    assert commands[1] in ci, "CI must run the README's test command"


def test_readme_documents_every_diagnostic_code() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme[readme.index("## Diagnostics") : readme.index("### As a pre-commit hook")]
    first_cells = [row.split("|")[1] for row in table.splitlines() if row.startswith("| `")]
    documented = {code for cell in first_cells for code in re.findall(r"`([a-z0-9-]+)`", cell)}
    assert documented == CODES


def test_pre_commit_hook_runs_a_real_command(monkeypatch: object) -> None:
    import shlex

    import yaml
    from click.testing import CliRunner

    from generator.cli import main

    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hook["id"] == "deckgen-check" and hook["pass_filenames"] is False
    program, *args = shlex.split(hook["entry"])
    assert program == "deckgen"
    result = CliRunner().invoke(main, [*args, "--source", str(COURSE)])
    assert result.exit_code == 0, result.output


def test_every_promise_names_a_test_that_exists() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme[readme.index("## Promises") : readme.index("## Commands")]
    cited = re.findall(r"`(tests/[\w/]+\.py)(?:::(\w+))?`", table)
    assert len(cited) >= 10
    for path, name in cited:
        if name:
            assert f"def {name}(" in (ROOT / path).read_text(encoding="utf-8"), f"{path}::{name}"
    for name in re.findall(r"`::(\w+)`", table):  # `::name`: a test of the module cited before
        assert any(f"def {name}(" in (ROOT / p).read_text() for p, _ in cited), name
