"""Bad input never crashes deckgen, and an interrupted build leaves the previous outputs intact."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.build import analyse
from generator.config import load_config
from generator.diagnostics import BuildFailed
from tests.helpers import BUILD_TIME, build_tree, outputs, write_notes

HEAD = "---\ndeck: A::B\ntags: [kam]\n---\n\n"
FRAGMENTS = [
    "---\n",
    "deck: A\n",
    "tags: [kam]\n",
    "variants: [cloze]\n",
    "# H\n",
    "## S\n",
    "Tags: kam\n",
    "- ",
    "  - ",
    "1. ",
    "**",
    "*",
    "`",
    ":",
    "?",
    "{{c1::",
    "{{c2::x}}",
    "}}",
    "::",
    "<!-- id: x -->",
    "<b>",
    "</b>",
    "![i](x.png)",
    "[l](y.md)",
    "&nbsp;",
    "\n",
    "\n\n",
    "> ",
    "|a|b|\n|-|-|\n",
    "\\(",
    "\\)",
]


def run(files: dict[str, str | bytes]) -> None:
    """A check of `files` ends in a result or in diagnostics, never in another exception."""
    with tempfile.TemporaryDirectory() as tmp:
        source = write_notes(Path(tmp) / "source", {})
        for name, content in files.items():
            path = source / name
            path.write_bytes(
                content if isinstance(content, bytes) else content.encode("utf-8", "surrogatepass")
            )
        try:
            result = analyse(load_config(source, Path(tmp) / "build", build_time=BUILD_TIME))
        except BuildFailed as failed:
            assert failed.diagnostics, "a failed build names at least one problem"
        else:
            assert all(note.guid for note in result.notes)


@settings(max_examples=settings.default.max_examples // 2)
@given(st.text())
def test_arbitrary_text(text: str) -> None:
    run({"a.md": text})
    run({"a.md": HEAD + text})


@settings(max_examples=settings.default.max_examples // 3)
@given(st.binary())
def test_arbitrary_bytes(data: bytes) -> None:
    run({"a.md": data})
    run({"a.md": HEAD.encode() + data})


@given(st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=5), max_size=40).map("".join))
def test_arbitrary_markdown_made_of_the_formats_pieces(text: str) -> None:
    run({"a.md": HEAD + text})
    run({"a.md": text})


@pytest.mark.parametrize(
    "text",
    [
        HEAD + "- **Long**: " + "word " * 400_000 + "\n",  # a 2 MB line
        HEAD
        + "".join(f"## Heading {i}\n\n- **Term {i}**: Definition {i}.\n\n" for i in range(10_000)),
        HEAD + "".join("  " * i + f"- **Nested {i}**: deeper\n" for i in range(500)),
        HEAD + "> " * 5_000 + "quote\n",
        HEAD + "[" * 10_000 + "x" + "]" * 10_000 + "\n",
    ],
    ids=["2MB-line", "10000-headings", "deep-lists", "deep-quotes", "deep-brackets"],
)
def test_pathological_but_valid_input_finishes(text: str) -> None:
    run({"a.md": text})


def run_paused(source: Path, out: Path, stage: str, tmp_path: Path) -> subprocess.Popen[str]:
    """`deckgen build` in a subprocess, stopped at the start of `stage` (PauseAt)."""
    marker = tmp_path / f"paused-at-{stage}"
    process = subprocess.Popen(
        [sys.executable, "-m", "generator", "build", "--source", str(source), "--out", str(out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "DECKGEN_TEST_PAUSE": f"{stage}:{marker}"},
    )
    deadline = time.monotonic() + 60
    while not marker.exists():
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the build never reached its pause point"
        time.sleep(0.02)
    return process


@pytest.mark.parametrize("stage", ["package", "write"])
@pytest.mark.parametrize(
    "sig", [signal.SIGINT, signal.SIGTERM, signal.SIGKILL], ids=["SIGINT", "SIGTERM", "SIGKILL"]
)
def test_a_killed_build_leaves_the_previous_outputs_intact(
    tmp_path: Path, sig: signal.Signals, stage: str
) -> None:
    source = write_notes(tmp_path / "source", {"a.md": HEAD + "- **T**: D\n"})
    out = tmp_path / "build"
    build_tree(source, out)
    before = {**outputs(out), "lock": (source / "deckgen.lock").read_bytes()}

    write_notes(source, {"a.md": HEAD + "- **T**: A changed definition.\n- **U**: New.\n"})
    process = run_paused(source, out, stage, tmp_path)
    process.send_signal(sig)
    _, stderr = process.communicate(timeout=60)

    assert process.returncode != 0
    assert "Traceback" not in stderr
    if sig is signal.SIGINT:
        assert process.returncode == 130 and "interrupted" in stderr
    assert {**outputs(out), "lock": (source / "deckgen.lock").read_bytes()} == before
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]


def test_a_build_removes_temporaries_a_killed_build_left(tmp_path: Path) -> None:
    source = write_notes(tmp_path / "source", {"a.md": HEAD + "- **T**: D\n"})
    out = tmp_path / "build"
    out.mkdir()
    (out / ".a.apkg.k1ll3d.tmp").write_bytes(b"half a package")
    build_tree(source, out)
    assert sorted(outputs(out)) == ["a.apkg", "records.jsonl"]


def test_a_write_error_leaves_the_previous_outputs_intact(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from generator.cli import main

    source = write_notes(tmp_path / "source", {"a.md": HEAD + "- **T**: D\n"})
    out = tmp_path / "build"
    build_tree(source, out)
    (out / "records.jsonl").unlink()
    (out / "records.jsonl").mkdir()  # the records cannot be written
    before = {p: p.read_bytes() for p in [out / "a.apkg", source / "deckgen.lock"]}
    (source / "a.md").write_text(HEAD + "- **T**: A new definition.\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["build", "--source", str(source), "--out", str(out)])
    assert result.exit_code == 1
    assert result.output.startswith(f"{out / 'records.jsonl'}: error: cannot write: Is a directory")
    assert {p: p.read_bytes() for p in before} == before
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == [
        "a.apkg",
        "records.jsonl",
    ]
