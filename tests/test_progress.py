"""Progress on long builds: a bar on a terminal, silence in logs and pipes, stage times on request."""

from __future__ import annotations

import io
import re
from pathlib import Path

from click.testing import CliRunner

from generator.build import build
from generator.cli import main
from generator.config import load_config
from generator.progress import TerminalBar
from tests.helpers import BUILD_TIME, copy_course


def test_terminal_bar_shows_stages_and_counts(tmp_path: Path) -> None:
    stream = io.StringIO()
    bar = TerminalBar(stream, delay=0)
    build(load_config(copy_course(tmp_path), tmp_path / "build", build_time=BUILD_TIME), bar)
    bar.done()
    text = stream.getvalue()
    assert "\033[Kfiles      [" in text and "] 10/10" in text  # ten notes files, counted as done
    for stage in (
        "confusions 106 ...",
        "stamp      106 ...",
        "package    106 ...",
        "write      3 ...",
    ):
        assert stage in text, stage
    assert text.endswith("\r\033[K")  # the line is cleared at the end


def test_terminal_bar_stays_hidden_for_a_short_build() -> None:
    stream = io.StringIO()
    bar = TerminalBar(stream, delay=60)
    bar.stage("parse", 3)
    bar.advance()
    bar.done()
    assert stream.getvalue() == ""


def test_a_build_whose_output_is_not_a_terminal_prints_no_progress(tmp_path: Path) -> None:
    source = copy_course(tmp_path)
    result = CliRunner().invoke(
        main, ["build", "--source", str(source), "--out", str(tmp_path / "b")]
    )
    assert result.exit_code == 0
    assert "\r" not in result.output and "[" not in result.output


def test_verbose_prints_each_stage_with_its_time(tmp_path: Path) -> None:
    source = copy_course(tmp_path)
    result = CliRunner().invoke(
        main, ["build", "-v", "--source", str(source), "--out", str(tmp_path / "b")]
    )
    assert result.exit_code == 0
    timed = (re.match(r"^(\w+) +\d+\.\d{3} s", line) for line in result.output.splitlines())
    stages = [m.group(1) for m in timed if m]
    assert stages == [
        "files",
        "confusions",
        "stamp",
        "package",
        "write",
        "total",
    ]


def test_quiet_prints_nothing_on_success(tmp_path: Path) -> None:
    source = copy_course(tmp_path)
    result = CliRunner().invoke(
        main, ["build", "-q", "--source", str(source), "--out", str(tmp_path / "b")]
    )
    assert result.exit_code == 0 and result.output == ""
