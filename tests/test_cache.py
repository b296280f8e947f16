"""The parse cache: a rebuild parses only what changed, and the cache never changes a result."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.helpers import BUILD_TIME, build_tree, copy_course, outputs


def test_a_rebuild_parses_only_the_edited_file_and_gives_the_same_outputs(tmp_path: Path) -> None:
    source = copy_course(tmp_path)
    out = tmp_path / "build"
    first = build_tree(source, out)
    assert len(first.cache_update.fresh) == 8  # every notes file parsed
    cache = out / ".cache" / "parse"
    assert len(list(cache.iterdir())) == 8

    edited = source / "02-value-based-selling.md"
    edited.write_text(
        edited.read_text().replace("Quantifying the benefits for", "Quantifying benefits for")
    )
    second = build_tree(source, out, build_time=BUILD_TIME + 60)
    assert len(second.cache_update.fresh) == 1  # only the edited file
    assert len(list(cache.iterdir())) == 8  # the stale entry is gone
    with_cache = outputs(out)

    shutil.rmtree(out / ".cache")
    (source / "deckgen.lock").write_bytes((source / "deckgen.lock").read_bytes())
    third = build_tree(source, out, build_time=BUILD_TIME + 60)
    assert len(third.cache_update.fresh) == 8
    assert outputs(out) == with_cache


def test_a_corrupt_cache_entry_is_parsed_again(tmp_path: Path) -> None:
    source = copy_course(tmp_path)
    out = tmp_path / "build"
    build_tree(source, out)
    for entry in (out / ".cache" / "parse").iterdir():
        entry.write_bytes(b"not a pickle")
    again = build_tree(source, out)
    assert len(again.cache_update.fresh) == 8
