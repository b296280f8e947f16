"""The command line: help texts, exit codes, compiler-style errors, no tracebacks."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from tests.helpers import COURSE, run_deckgen, write_notes


@pytest.mark.parametrize("args", [["--help"], ["build", "--help"], ["check", "--help"]])
def test_help_explains_each_command(args: list[str]) -> None:
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0
    assert "Usage: " in result.output
    if args == ["--help"]:
        assert "build" in result.output and "check" in result.output
    else:
        assert "--source" in result.output


def test_python_dash_m_runs_the_same_cli() -> None:
    run = subprocess.run(
        [sys.executable, "-m", "generator", "--help"], capture_output=True, text=True, check=False
    )
    assert run.returncode == 0
    assert "Usage: deckgen" in run.stdout


def test_build_writes_packages_and_records(tmp_path: Path) -> None:
    source = write_notes(
        tmp_path / "notes", {"a.md": "---\ndeck: A::B\ntags: [kam]\n---\n\n- **T**: D\n"}
    )
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", "--source", str(source), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == [
        "a.apkg",
        "records.jsonl",
    ]
    assert "1 note in 1 package; 0 warnings" in result.output
    assert (source / "deckgen.lock").exists()


def test_bad_input_reports_path_line_col_and_exits_1_without_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write_notes(
        Path("source"), {"a.md": "---\ndeck: A\ntags: [kma]\n---\n\n- **T**: D\n- **T**: again\n"}
    )
    result = CliRunner().invoke(main, ["build"])
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = result.output.splitlines()
    assert (
        "source/a.md:3:1: error: tag 'kma' is not in the vocabulary; did you mean 'kam'? [unknown-tag]"
        in lines
    )
    assert (
        "source/a.md:7:3: error: duplicate front 'T' in deck 'A'; first defined at source/a.md:6:3 [duplicate]"
        in lines
    )
    assert lines[-1] == "2 error(s), 0 warning(s)"
    assert "Traceback" not in result.output
    assert not Path("build").exists()


def test_missing_source_directory_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["build", "--source", str(tmp_path / "nope")])
    assert result.exit_code == 2
    assert "source directory does not exist" in result.output


def test_check_writes_nothing_and_reports_clean_course(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "source"
    shutil.copytree(COURSE, source)
    before = {p: p.read_bytes() for p in source.rglob("*") if p.is_file()}
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "no problems found"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["source"]  # no build/, no cache
    assert {p: p.read_bytes() for p in source.rglob("*") if p.is_file()} == before


def test_a_rebuild_with_nothing_to_do_says_up_to_date(tmp_path: Path) -> None:
    source = write_notes(
        tmp_path / "notes", {"a.md": "---\ndeck: A\ntags: [kam]\n---\n\n- **T**: D\n- just text\n"}
    )
    out = tmp_path / "out"
    args = ["build", "--source", str(source), "--out", str(out)]
    first = CliRunner().invoke(main, args)
    assert first.exit_code == 0 and "wrote" in first.output
    again = CliRunner().invoke(main, args)
    assert again.exit_code == 0
    assert again.output.splitlines() == [
        f"{source}/a.md:7:3: warning: list item is not a card: start it with a **bold term** or a cloze [not-a-card]",
        f"{out}: up to date",
    ]
    # --strict must not pass on the strength of a build that had warnings.
    assert CliRunner().invoke(main, [*args, "--strict"]).exit_code == 1
    # An edited note, or an output that was deleted, means a real build.
    (source / "a.md").write_text("---\ndeck: A\ntags: [kam]\n---\n\n- **T**: E\n", encoding="utf-8")
    assert "wrote" in CliRunner().invoke(main, args).output
    (out / "a.apkg").unlink()
    assert "wrote" in CliRunner().invoke(main, args).output
    assert (out / "a.apkg").exists()


def test_preview_says_the_warnings_a_build_says(tmp_path: Path) -> None:
    source = write_notes(
        tmp_path / "notes", {"a.md": "---\ndeck: A\ntags: [kam]\n---\n\n- **T**: D\n- just text\n"}
    )
    out = tmp_path / "page"
    result = CliRunner().invoke(main, ["preview", "--source", str(source), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        f"{source}/a.md:7:3: warning: list item is not a card: start it with a **bold term** or a cloze [not-a-card]",
        f"wrote {out / 'index.html'}",
    ]


@pytest.mark.parametrize("command", ["build", "preview"])
def test_an_unwritable_output_path_is_one_located_error_without_traceback(
    tmp_path: Path, command: str
) -> None:
    source = write_notes(tmp_path / "source", {"a.md": "---\ndeck: A\n---\n\n- **T**: D\n"})
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    done = run_deckgen(command, "--source", str(source), "--out", str(blocker / "out"))
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert done.stderr.startswith(f"{blocker / 'out'}/")
    assert ": error: cannot write: Not a directory" in done.stderr


@pytest.mark.parametrize("command", ["build", "check", "preview"])
def test_a_missing_source_is_a_usage_error_without_traceback(tmp_path: Path, command: str) -> None:
    done = run_deckgen(command, "--source", str(tmp_path / "nope"))
    assert done.returncode == 2
    assert done.stderr == f"deckgen: {tmp_path / 'nope'}: error: source directory does not exist\n"


def test_ctrl_c_exits_130_without_traceback(tmp_path: Path) -> None:
    import signal

    from tests.test_robustness import run_paused

    source = write_notes(tmp_path / "source", {"a.md": "---\ndeck: A\n---\n\n- **T**: D\n"})
    process = run_paused(source, tmp_path / "build", "stamp", tmp_path)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130
    assert stderr == "deckgen: interrupted\n"


@pytest.mark.parametrize("output_format", ["text", "github"])
def test_no_file_name_adds_a_line_to_a_ci_log(tmp_path: Path, output_format: str) -> None:
    """A pull request can name a notes file with a line break and a workflow command: the
    check's output stays one line per diagnostic, so the CI step's log takes no command."""
    name = "x\n::stop-commands::tok\n::error file=a::forged\u2028.md"
    source = write_notes(tmp_path / "source", {name: "---\ndeck: D\n---\n\n- **T**:\n"})
    done = run_deckgen("check", "--source", str(source), "--format", output_format)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    lines = (done.stdout + done.stderr).splitlines()
    assert len(lines) == 2, lines  # the diagnostic and the count
    commands = [line for line in lines if line.startswith("::")]
    assert commands == ([] if output_format == "text" else [lines[0]])
    assert "\u2028" not in done.stdout + done.stderr
