"""`preview --watch`'s rebuild: the notes are shown first, then every check a build runs is
run and every problem it finds said; what the watch keeps between rebuilds (`memory`) never
changes a result nor what the cache holds."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator import codec
from generator.build import check
from generator.cards import each_file
from generator.cards.file_cache import Memory
from generator.config import load_config
from generator.diagnostics import Diagnostic
from generator.live import KeptLock, Live, rebuild
from generator.review.preview import Key
from tests.helpers import BUILD_TIME, build_tree, copy_course, write_notes

EDITED = "02-value-based-selling.md"
WORDY = "- **What does a wordy answer hold?** " + " ".join(["Many words here."] * 15) + "\n"
"""A card a check warns about (`answer-too-long`): the course itself has no warning."""


class Watch:
    """`live.rebuild` as `serve` calls it, after each save, with what it said."""

    def __init__(self, source: Path, out: Path, jobs: int = 1) -> None:
        self.live, self.said = Live(), list[tuple[str, bool]]()
        self.memo: dict[Key, tuple[str, int]] = {}
        self.memory: Memory = {}
        self.lock_of = KeptLock()
        self.config = lambda: load_config(source, out, build_time=BUILD_TIME, jobs=jobs)

    def save(self) -> None:
        self.said.clear()
        rebuild(self.config, self.live, self.memo, self.say, self.lock_of, memory=self.memory)

    def say(self, text: str, problem: bool) -> None:
        self.said.append((text, problem))


def cached(out: Path) -> dict[str, object]:
    """The cache's entries, decoded (their bytes depend on which process encoded them)."""

    def decoded(data: bytes) -> object:
        try:
            return codec.decode(data, each_file._Entry)
        except ValueError:
            return codec.decode(data, tuple[Diagnostic, ...])  # a deck's confusions

    return {p.name: decoded(p.read_bytes()) for p in (out / ".cache" / "notes").iterdir()}


def test_an_edit_is_shown_once_and_every_warning_a_build_gives_is_said(tmp_path: Path) -> None:
    source = copy_course(tmp_path)
    watch = Watch(source, tmp_path / "build")
    watch.save()
    assert watch.live.version == 1 and len(watch.said) == 1  # (the course has no warning)
    edited = source / EDITED
    edited.write_text(edited.read_text() + "\n" + WORDY)
    watch.save()
    # Shown before the checks ran; they changed no note, so the page was not sent it again.
    assert watch.live.version == 2
    status, change = watch.live.changes(1, wait=0)
    assert status == 200 and b"wordy answer" in change
    fresh, _ = check(load_config(source, tmp_path / "fresh", build_time=BUILD_TIME))
    assert any(d.code == "answer-too-long" for d in fresh)
    assert watch.said[:-1] == [("\n".join(str(d) for d in fresh), True)]
    assert watch.said[-1][0].startswith("built the preview: ")


def test_the_edited_file_is_parsed_once_and_the_cache_holds_what_a_build_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = copy_course(tmp_path)
    watch = Watch(source, tmp_path / "build")
    watch.save()
    edited = source / EDITED
    edited.write_text(edited.read_text() + "\n" + WORDY)
    parsed: list[str] = []
    real = each_file.parse_file
    monkeypatch.setattr(
        each_file, "parse_file", lambda s, *a: parsed.append(Path(s.path).name) or real(s, *a)
    )
    watch.save()
    assert parsed == [EDITED]  # the notes shown, then checked, from one parse
    monkeypatch.setattr(each_file, "parse_file", real)
    build_tree(source, tmp_path / "built")
    assert cached(tmp_path / "build") == cached(tmp_path / "built")
    assert len(watch.memory) == len(cached(tmp_path / "built"))  # what the cache holds, no more


def test_files_worked_by_processes_before_the_checks_are_cached_after_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With no cache yet and jobs, the notes shown come from worker processes, which run the
    checks too: the checked rebuild takes them from memory, and stores them."""
    monkeypatch.setattr(each_file, "PARALLEL_BYTES", 0)
    source = copy_course(tmp_path)
    worked: list[str] = []
    real = each_file.work_on
    monkeypatch.setattr(
        each_file, "work_on", lambda s, *a: worked.append(Path(s.path).name) or real(s, *a)
    )
    Watch(source, tmp_path / "build", jobs=2).save()
    assert worked == []  # (in this process: none)
    monkeypatch.setattr(each_file, "work_on", real)
    build_tree(source, tmp_path / "built")
    assert cached(tmp_path / "build") == cached(tmp_path / "built")


def test_a_failed_rebuild_leaves_nothing_the_next_one_trusts(tmp_path: Path) -> None:
    """An image deleted while another file's error fails the watch's rebuilds is reported
    once that error is fixed; an image added back is not reported missing again; failing
    saves keep nothing in memory (they kept every version of a file: found in review)."""
    source = write_notes(
        tmp_path / "notes",
        {
            "notes.md": "---\ndeck: A\n---\n\n- **Osmosis**: water moves ![](fig.png)\n",
            "other.md": "---\ndeck: B\ntags: [nosuchtag]\n---\n\n- **Mitosis**: cell division\n",
        },
    )
    (source / "fig.png").write_bytes(b"\x89PNG fig")
    watch = Watch(source, tmp_path / "build")
    watch.save()
    assert "nosuchtag" in watch.said[0][0] and "fig.png" not in watch.said[0][0]
    (source / "fig.png").unlink()
    for _ in range(3):
        watch.save()
    assert watch.memory == {}
    other = source / "other.md"
    other.write_text(other.read_text().replace("tags: [nosuchtag]\n", ""))
    watch.save()
    assert "fig.png' does not exist" in watch.said[0][0]
    (source / "fig.png").write_bytes(b"\x89PNG fig")
    watch.save()
    assert [problem for _, problem in watch.said] == [False]
