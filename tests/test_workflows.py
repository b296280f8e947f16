"""The GitHub Actions workflows: valid, pinned, least privilege, and the release's steps run.

The workflows are checked against GitHub's workflow schema (check-jsonschema's vendored
copy) and audited by zizmor (offline, its strictest persona: nothing above informational).
actionlint cannot be installed here (its PyPI package downloads the binary at install
time); `test_actionlint` runs it wherever it is installed. The release workflow's own
steps run in a scratch repository with tags, `gh` replaced by a stub that records them.
"""

from __future__ import annotations

import os
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
from generator.diagnostics import UsageError
from generator.revisions import previous_release
from tests.helpers import ROOT, copy_course, workflow_findings

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))


def steps(path: Path) -> list[dict[str, object]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [step for job in data["jobs"].values() for step in job["steps"]]


def test_there_are_a_ci_and_a_release_workflow() -> None:
    assert [p.name for p in WORKFLOWS] == ["ci.yml", "release.yml"]


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_schema_and_zizmor_find_nothing_above_informational(path: Path) -> None:
    assert workflow_findings(path) == ""


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
        result = CliRunner().invoke(
            main, [*words[:1], "--help"] if words[:1] != options[:1] else ["--help"]
        )
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
    built = text.count('deckgen build --locked --release "$GITHUB_REF_NAME" --out')
    assert built == 2 and "diff first.sums second.sums" in text
    for needle in (
        'deckgen diff --release "$GITHUB_REF_NAME" dist',
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


def test_least_privilege() -> None:
    ci, release = (yaml.safe_load(p.read_text(encoding="utf-8")) for p in WORKFLOWS)
    assert ci["permissions"] == {"contents": "read"}
    assert release["permissions"] == {}
    assert release["jobs"]["release"]["permissions"] == {"contents": "write"}
    for path in WORKFLOWS:
        for step in steps(path):
            if str(step.get("uses", "")).startswith("actions/checkout@"):
                assert step["with"]["persist-credentials"] is False  # type: ignore[index]
    # A pull request from one of the repository's own branches runs CI once.
    assert ci[True] == {"push": {"branches": ["main"]}, "pull_request": None}


def git(repo: Path, *args: str) -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@t",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@t",
    }
    done = subprocess.run(
        ["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=True
    )
    return done.stdout


def test_the_previous_release_is_the_highest_earlier_release_tag(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    for tag in ("v1.0.0", "v1.2.0-rc.1", "v1.10.0", "v1.9.0", "notes-v9", "v2.0.0", "v1.2.0"):
        git(repo, "commit", "-q", "--allow-empty", "-m", tag)
        git(repo, "tag", tag)
    # Semantic versions compared as numbers; pre-releases and other tags never count.
    expected = {
        "v1.0.0": "",
        "v1.2.0": "v1.0.0",
        "v1.10.0": "v1.9.0",
        "v2.0.0": "v1.10.0",
        "v2.0.1-rc.1": "v2.0.0",
    }
    for tag, previous in expected.items():
        assert previous_release(tag, repo) == (previous or None), tag
    with pytest.raises(UsageError, match="not a release tag"):
        previous_release("latest", repo)
    shallow = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{repo}", str(shallow))
    with pytest.raises(UsageError, match="a shallow clone has not every tag"):
        previous_release("v2.0.0", shallow)


def run_release(repo: Path, tag: str, bin_dir: Path) -> list[str]:
    """The release workflow's steps, as the runner runs them (bash -e -o pipefail), in `repo`
    checked out at `tag`; returns what `gh` was asked to do."""
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "release.yml").read_text())
    env = {
        **os.environ,
        "PATH": f"{bin_dir}:{Path(sys.executable).parent}:{os.environ['PATH']}",
        "GITHUB_REF_NAME": tag,
        "GITHUB_OUTPUT": str(repo / ".github-output"),
        "SOURCE_DATE_EPOCH": "",
    }
    for step in workflow["jobs"]["release"]["steps"]:
        if "run" not in step or step["name"] in SKIPPED_STEPS:
            continue
        done = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
            cwd=repo,
            env={**env, **{k: "token" for k in step.get("env", {})}},
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, (step["name"], done.stdout, done.stderr)
    return (bin_dir / "gh.log").read_text().splitlines()


SKIPPED_STEPS = {
    "Install",  # the test runs in the suite's own environment
    "The course checks CI runs (nothing CI would reject is published)",  # pytest in pytest
}


def test_the_release_workflow_publishes_notes_and_checksums(tmp_path: Path) -> None:
    repo = tmp_path / "course"
    repo.mkdir()
    copy_course(repo)
    (repo / "pyproject.toml").write_text("")  # the course's root, as in this repository
    git(repo, "init", "-q")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "release 1")
    git(repo, "tag", "v1.0.0")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    stub = bin_dir / "gh"
    stub.write_text(
        '#!/bin/sh\nprintf "%s " "$@" >> "$(dirname "$0")/gh.log"; echo >> "$(dirname "$0")/gh.log"\n'
    )
    stub.chmod(0o755)

    first = run_release(repo, "v1.0.0", bin_dir)
    assert first == [
        "release create v1.0.0 dist/sales-management.apkg dist/SHA256SUMS --title v1.0.0 "
        "--notes-file notes.md "
    ]
    notes = (repo / "notes.md").read_text()
    assert notes.startswith("## v1.0.0: what changes for students\n\nFirst release: **106 notes**")
    assert "Built with deckgen " in notes and "SQLite " in notes
    sums = (repo / "dist" / "SHA256SUMS").read_text()
    assert re.fullmatch(r"[0-9a-f]{64}  \./sales-management\.apkg\n", sums)

    # A second release, a pre-release: its notes compare with v1.0.0.
    path = repo / "source" / "01-proactive-selling.md"
    path.write_text(path.read_text().replace("How much of", "The share of"))
    subprocess.run(
        ["deckgen", "build", "--source", "source", "--out", str(tmp_path / "b")],
        cwd=repo,
        env={**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"},
        check=True,
        capture_output=True,
    )  # the author's build updates the lock, as before every commit
    git(repo, "commit", "-qam", "release 2")
    git(repo, "tag", "v1.1.0-rc.1")
    (bin_dir / "gh.log").unlink()
    second = run_release(repo, "v1.1.0-rc.1", bin_dir)
    assert second[0].endswith("--notes-file notes.md --prerelease ")
    notes = (repo / "notes.md").read_text()
    assert "**0 new notes**, **1 changed**, **0 removed**." in notes
    assert "- changed: **Share of wallet**" in notes
