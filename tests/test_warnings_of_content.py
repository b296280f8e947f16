"""A file's warnings follow from the course's notes and settings alone: never from which
files the same process read before it, in which order, or whether the per-file cache held
it (`each_file.work_on` is memoised by that cache, so it must be a pure function).

The checks weigh a stem by how common its words are (`words.Vocabulary`): "custom" is
general vocabulary, "customization" a subject's term, and both have the stem "custom".
Weighed by the words the process had seen so far, b.md's two questions below were
confusable when it was read alone and not once a.md had been read.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.cards.words import Language
from tests.helpers import run_deckgen, write_notes

_HABITS = "---\ndeck: Habits\n---\n\n# Habits\n\n- **Custom**: A habit a people keep for ages.\n"
_SOFTWARE = (
    "---\ndeck: Software\n---\n\n# Software\n\n"
    "- **What is customization?**: Changing a product to one buyer's needs.\n"
    "- **What is the aim of customization?**: A better fit for the buyer.\n"
)


def _warnings_of_b(root: Path, *args: str) -> list[str]:
    """The warnings `deckgen` gives on b.md, in a process of its own (they go to stderr)."""
    done = run_deckgen(*args, cwd=root)
    assert done.returncode in (0, 1), done.stderr
    return sorted(line for line in done.stderr.splitlines() if line.startswith("source/b.md"))


def _course(root: Path, files: dict[str, str]) -> Path:
    write_notes(root / "source", files, vocabulary=(), course_id=None)
    return root


def test_a_files_warnings_are_the_same_whatever_the_process_read_before(
    tmp_path: Path,
) -> None:
    alone = _warnings_of_b(_course(tmp_path / "alone", {"b.md": _SOFTWARE}), "check")
    assert len(alone) == 1 and "[confusable-fronts]" in alone[0]
    before = _course(tmp_path / "before", {"a.md": _HABITS, "b.md": _SOFTWARE})
    after = _course(tmp_path / "after", {"b.md": _SOFTWARE, "c.md": _HABITS})
    assert _warnings_of_b(before, "check") == alone  # a.md read first, in one process
    assert _warnings_of_b(after, "check") == alone
    assert _warnings_of_b(before, "build", "--jobs", "1", "-q") == alone


def test_a_files_warnings_are_the_same_in_one_process_or_several(tmp_path: Path) -> None:
    """A course large enough to be worked in processes (each_file.PARALLEL_BYTES, here a
    long comment in a.md): b.md's warnings with one job (a.md read first) and with two."""
    padded = _HABITS + "\n<!--\n" + "padding words here\n" * 120_000 + "-->\n"
    root = _course(tmp_path, {"a.md": padded, "b.md": _SOFTWARE})
    one = _warnings_of_b(root, "build", "--jobs", "1", "-q")
    shutil.rmtree(root / "build")
    assert _warnings_of_b(root, "build", "--jobs", "2", "-q") == one != []


def test_a_cached_files_warnings_are_those_it_gets_afresh(tmp_path: Path) -> None:
    """b.md cached from a build without a.md, then a.md added: b.md's warnings read from the
    cache are those a cold build gives it."""
    warm = _course(tmp_path / "warm", {"b.md": _SOFTWARE})
    _warnings_of_b(warm, "build", "-q")
    (warm / "source" / "a.md").write_text(_HABITS, encoding="utf-8")
    cached = _warnings_of_b(warm, "check")
    shutil.rmtree(warm / "build")
    assert _warnings_of_b(warm, "check") == cached != []


@pytest.mark.parametrize(
    ("texts", "rarity", "general"),
    [(["customization"], 0.625, False), (["customization", "a custom"], 0.428, True)],
)
def test_a_stems_weight_is_that_of_the_words_checked(
    texts: list[str], rarity: float, general: bool
) -> None:
    """How much "custom" tells, in records that say `texts`, is the same before and after
    the process has stemmed other words of that stem."""
    lang = Language("en")
    first = lang.vocabulary(texts)
    lang.stems("custom customs customer customers customized")
    for vocabulary in (first, lang.vocabulary(texts)):
        assert vocabulary.rarity("custom") == pytest.approx(rarity, abs=0.001)
        assert vocabulary.general("custom") is general
