"""The parse cache: a rebuild parses only what changed, and the cache never changes a result."""

from __future__ import annotations

import shutil
from pathlib import Path

from generator.config import load_config
from generator.parse.cache import parse_cached, store
from generator.parse.read import read_sources
from tests.helpers import BUILD_TIME, build_tree, copy_course, outputs, write_notes


def test_a_rebuild_parses_only_the_edited_file_and_gives_the_same_outputs(tmp_path: Path) -> None:
    source = copy_course(tmp_path)
    out = tmp_path / "build"
    first = build_tree(source, out)
    assert len(first.analysis.cache_update.fresh) == 8  # every notes file parsed
    cache = out / ".cache" / "parse"
    assert len(list(cache.iterdir())) == 8

    edited = source / "02-value-based-selling.md"
    edited.write_text(
        edited.read_text().replace("Quantifying the benefits for", "Quantifying benefits for")
    )
    second = build_tree(source, out, build_time=BUILD_TIME + 60)
    assert len(second.analysis.cache_update.fresh) == 1  # only the edited file
    assert len(list(cache.iterdir())) == 8  # the stale entry is gone
    with_cache = outputs(out)

    shutil.rmtree(out / ".cache")
    (out / ".deckgen-state.json").unlink()  # else the build is up to date and parses nothing
    third = build_tree(source, out, build_time=BUILD_TIME + 60)
    assert len(third.analysis.cache_update.fresh) == 8
    assert outputs(out) == with_cache


def test_a_corrupt_cache_entry_is_parsed_again(tmp_path: Path) -> None:
    source = copy_course(tmp_path)
    out = tmp_path / "build"
    build_tree(source, out)
    for entry in (out / ".cache" / "parse").iterdir():
        entry.write_bytes(b"not a cache entry")
    (out / ".deckgen-state.json").unlink()
    again = build_tree(source, out)
    assert len(again.analysis.cache_update.fresh) == 8


def test_cached_entries_and_diagnostics_equal_freshly_parsed_ones(tmp_path: Path) -> None:
    """Everything an entry or a diagnostic holds survives the cache: locations, topics, pins."""
    source = copy_course(tmp_path)
    write_notes(
        source,
        {
            "extra.md": "---\ndeck: Extra\ntags: [kam]\nvariants: [basic]\n---\n\n"
            "## Part\n\nTags: culture\n\n- **Pinned** <!-- id: p-1 -->: text\n"
            "- **List**\n  1. one\n  2. two\n- not a card\n- <b>raw</b> html {{c1::x}}\n",
        },
    )
    config = load_config(source, tmp_path / "build", build_time=BUILD_TIME)
    sources, _ = read_sources(config.source)
    cache = tmp_path / "cache"
    fresh_entries, fresh_problems, update = parse_cached(sources, config.variants, cache)
    assert len(update.fresh) == len(sources) and fresh_problems
    store(cache, update)
    entries, problems, update = parse_cached(sources, config.variants, cache)
    assert not update.fresh  # every file came from the cache
    assert entries == fresh_entries
    assert problems == fresh_problems


def test_the_code_fingerprint_covers_modules_in_subpackages(tmp_path: Path) -> None:
    from generator.fingerprint import code_hash

    package = tmp_path / "generator"
    (package / "phase").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    nested = package / "phase" / "stage.py"
    nested.write_text("X = 1\n")
    before = code_hash(package)
    nested.write_text("X = 2\n")
    edited = code_hash(package)
    nested.rename(package / "phase" / "moved.py")
    moved = code_hash(package)
    assert len({before, edited, moved}) == 3
