"""Bad input never crashes deckgen, and an interrupted build leaves the previous outputs intact."""

from __future__ import annotations

import os
import shutil
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
from generator.review.apkg import read_packages
from tests.helpers import BUILD_TIME, build_tree, outputs, run_deckgen, write_notes

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


def run_paused(
    source: Path, out: Path, stage: str, tmp_path: Path, env: dict[str, str] | None = None
) -> subprocess.Popen[str]:
    """`deckgen build` in a subprocess, stopped at stage or checkpoint `stage`
    (tests/paused_build.py)."""
    marker = tmp_path / f"paused-at-{stage.replace(' ', '-')}"
    command = ["build", "--source", str(source), "--out", str(out)]
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.paused_build", stage, str(marker), *command],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).parent.parent,
        env={**os.environ, **(env or {})},
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


def test_a_second_build_of_one_output_waits_for_the_first(tmp_path: Path) -> None:
    """Two builds of one build/ (a teacher's save under --watch and a manual build) take
    turns: the second waits on the build lock while the first is paused inside it, and goes
    on once the first is gone (killed here: the lock dies with its holder)."""
    source = write_notes(tmp_path / "source", {"a.md": HEAD + "- **T**: D\n"})
    out = tmp_path / "build"
    build_tree(source, out)
    write_notes(source, {"a.md": HEAD + "- **T**: D\n- **U**: New.\n"})
    first = run_paused(source, out, "write", tmp_path)
    command = [sys.executable, "-m", "generator", "build", "--source", str(source)]
    second = subprocess.Popen(
        [*command, "--out", str(out)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        time.sleep(3)  # long enough for an unlocked build of one note to finish
        assert second.poll() is None, second.communicate()
    finally:
        first.kill()
        first.communicate(timeout=60)
    _, stderr = second.communicate(timeout=120)
    assert second.returncode == 0, stderr
    assert "New." in (out / "records.jsonl").read_text(encoding="utf-8")


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


@pytest.mark.parametrize("point", ["staged", "journal", "rename 0", "rename 1", "rename 2", "done"])
def test_a_build_killed_at_any_write_step_leaves_old_or_new_outputs_never_a_mix(
    tmp_path: Path, point: str
) -> None:
    """SIGKILL at each step of output/write.py; the next build's recovery then leaves either
    every previous output or every new one: a package never disagrees with the lock."""
    from generator.output.write import recover

    source = write_notes(tmp_path / "source", {"a.md": HEAD + "- **T**: D\n"})
    out = tmp_path / "build"
    build_tree(source, out)
    old = {**outputs(out), "lock": (source / "deckgen.lock").read_bytes()}
    write_notes(source, {"a.md": HEAD + "- **T**: A changed definition.\n- **U**: New.\n"})
    reference = tmp_path / "reference"
    shutil.copytree(source, reference / "source")
    build_tree(reference / "source", reference / "build", build_time=BUILD_TIME + 60)
    new = {
        **outputs(reference / "build"),
        "lock": (reference / "source" / "deckgen.lock").read_bytes(),
    }
    assert new != old

    process = run_paused(source, out, point, tmp_path, {"SOURCE_DATE_EPOCH": str(BUILD_TIME + 60)})
    process.send_signal(signal.SIGKILL)
    process.communicate(timeout=60)
    recover(out)  # what the next build does first
    after = {**outputs(out), "lock": (source / "deckgen.lock").read_bytes()}
    assert after == (old if point == "staged" else new), point
    assert not (out / ".deckgen-journal.json").exists()
    build_tree(source, out, build_time=BUILD_TIME + 60)  # the next build cleans up
    assert {**outputs(out), "lock": (source / "deckgen.lock").read_bytes()} == new
    assert not [p for p in [*out.iterdir(), *source.iterdir()] if p.name.endswith(".tmp")]


def test_a_file_edited_while_a_build_runs_is_built_again(tmp_path: Path) -> None:
    from generator.build import build
    from generator.config import load_config
    from generator.progress import SILENT

    source = write_notes(tmp_path / "source", {"a.md": HEAD + "- **T**: D\n"})

    class EditDuringBuild:
        def stage(self, name: str, total: int) -> None:
            if name == "package":
                (source / "a.md").write_text(HEAD + "- **T**: Edited meanwhile.\n")

        advance = checkpoint = lambda self, *args: None
        done = SILENT.done

    config = load_config(source, tmp_path / "out", build_time=BUILD_TIME)
    first = build(config, EditDuringBuild())  # type: ignore[arg-type]
    assert "D" in first.notes[0].fields[1]
    second = build(config)
    assert not second.up_to_date and "Edited meanwhile." in second.notes[0].fields[1]


def test_a_damaged_cache_entry_is_never_trusted(tmp_path: Path) -> None:
    source = write_notes(tmp_path / "source", {"a.md": HEAD + "- **Term**: Definition.\n"})
    out = tmp_path / "out"
    build_tree(source, out)
    before = outputs(out)
    for entry in (out / ".cache" / "notes").iterdir():
        data = bytearray(entry.read_bytes())
        data[data.index(b"Definition")] ^= 0x01  # same length: 'Eefinition'
        entry.write_bytes(bytes(data))
    (out / ".deckgen-state").unlink()
    again = build_tree(source, out)
    assert again.analysis is not None and outputs(out) == before
    assert not any(b"Eefinition" in e.read_bytes() for e in (out / ".cache" / "notes").iterdir())


def test_two_builds_at_once_take_turns(tmp_path: Path) -> None:
    source = write_notes(
        tmp_path / "source",
        {
            f"f{i}.md": HEAD + "".join(f"- **T{i} {n}**: D {n}.\n" for n in range(300))
            for i in range(4)
        },
    )
    out = tmp_path / "out"
    command = [
        sys.executable,
        "-m",
        "generator",
        "build",
        "--source",
        str(source),
        "--out",
        str(out),
    ]
    runs = [
        subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(3)
    ]
    for process in runs:
        _, stderr = process.communicate(timeout=120)
        assert process.returncode == 0, stderr
    assert build_tree(source, out, locked=True).up_to_date


def test_a_deck_whose_last_file_is_removed_ships_its_notes_marked(tmp_path: Path) -> None:
    """Its package stays, holding the removed notes marked, until they are forgotten
    (tests/test_removed.py); records.jsonl no longer lists them."""
    source = write_notes(
        tmp_path / "source",
        {"a.md": HEAD + "- **T**: D\n", "b.md": "---\ndeck: Other\n---\n\n- **U**: V\n"},
    )
    out = tmp_path / "out"
    draft = tmp_path / "draft"
    shutil.copytree(source, draft)
    build_tree(source, out, release="v1.0.0")
    assert sorted(p.name for p in out.glob("*.apkg")) == ["a.apkg", "other.apkg"]
    (source / "b.md").unlink()
    build_tree(source, out)
    assert sorted(p.name for p in out.glob("*.apkg")) == ["a.apkg", "other.apkg"]
    (left,) = read_packages([out / "other.apkg"]).values()
    assert any(tag.startswith("deckgen::removed::") for tag in left.tags)
    assert '"U"' not in (out / "records.jsonl").read_text(encoding="utf-8")
    # A deck no release shipped is simply gone, its package with it.
    build_tree(draft, tmp_path / "draft-out")
    (draft / "b.md").unlink()
    build_tree(draft, tmp_path / "draft-out")
    assert [p.name for p in (tmp_path / "draft-out").glob("*.apkg")] == ["a.apkg"]


def test_a_build_in_a_copied_course_leaves_the_originals_packages_alone(tmp_path: Path) -> None:
    """The state file names the packages by absolute path; a copy of the folder (`cp -r`)
    carries the original's names, which are not this build's to remove."""
    original = tmp_path / "original"
    source = write_notes(original / "source", {"a.md": HEAD + "- **T**: D\n"})
    build_tree(source, original / "build")
    copy = tmp_path / "copy"
    shutil.copytree(original, copy)
    build_tree(copy / "source", copy / "build")
    assert sorted(p.name for p in (original / "build").glob("*.apkg")) == ["a.apkg"]
    assert sorted(p.name for p in (copy / "build").glob("*.apkg")) == ["a.apkg"]


def test_non_latin_decks_get_readable_package_names_of_their_own(tmp_path: Path) -> None:
    source = write_notes(
        tmp_path / "source",
        {
            "ru.md": "---\ndeck: Русский\n---\n\n- **Слово**: Значение.\n",
            "ja.md": "---\ndeck: 日本語\n---\n\n- **言葉**: 意味。\n",
        },
    )
    result = build_tree(source, tmp_path / "out")
    assert sorted(p.name for p in result.packages) == ["русский.apkg", "日本語.apkg"]


def test_an_image_that_is_a_symbolic_link_loop_is_a_located_error(tmp_path: Path) -> None:
    source = write_notes(tmp_path / "source", {"a.md": HEAD + "- **Term**: ![x](loop)\n"})
    (source / "loop").symlink_to("again")
    (source / "again").symlink_to("loop")
    run = run_deckgen("build", "--source", str(source), "--out", str(tmp_path / "out"))
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert "a.md:6:3: error: image 'loop' cannot be resolved [media-missing]" in run.stderr
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").glob("*.apkg"))


def test_the_build_lock_is_in_a_folder_no_other_user_can_write(tmp_path: Path) -> None:
    """A lock at a predictable path of the shared temporary folder let anyone block a
    course's builds: the lock lives in the user's own runtime or cache folder, and a folder
    others can write to is passed over."""
    source = write_notes(tmp_path / "source", {"a.md": "---\ndeck: D\n---\n\n- **T**: D\n"})
    runtime = tmp_path / "runtime"
    runtime.mkdir(mode=0o700)
    env = {**os.environ, "XDG_RUNTIME_DIR": str(runtime), "XDG_CACHE_HOME": str(tmp_path / "c")}
    command = [sys.executable, "-m", "generator", "build", "--source", str(source)]
    command += ["--out", str(tmp_path / "o")]
    done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    (lock,) = (runtime / "deckgen").iterdir()
    assert lock.name.startswith("deckgen-build-")
    assert not (Path(tempfile.gettempdir()) / lock.name).exists()

    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)  # like /tmp, or a runtime folder someone else made
    env["XDG_RUNTIME_DIR"] = str(shared)
    (shared / "deckgen").mkdir(mode=0o777)
    (shared / "deckgen").chmod(0o777)
    done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert not list((shared / "deckgen").iterdir())
    assert list((tmp_path / "c" / "deckgen" / "locks").glob("deckgen-build-*.lock"))
