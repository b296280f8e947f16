"""The parse cache: a rebuild parses only what changed, and the cache never changes a result."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.config import load_config
from generator.parse.cache import parse_cached, store
from generator.parse.read import read_sources
from tests.helpers import BUILD_TIME, build_tree, copy_course, outputs, run_deckgen, write_notes


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


def test_files_parsed_in_several_processes_give_what_one_process_gives(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Above PARALLEL_BYTES of notes to parse, each core parses files: the entries, their
    order and the diagnostics are those of parsing them one by one."""
    from generator.parse import cache

    source = copy_course(tmp_path)
    write_notes(source, {"extra.md": "---\ndeck: Extra\n---\n\n- **T**: *x* `y`\n- <b>raw</b>\n"})
    config = load_config(source, tmp_path / "build", build_time=BUILD_TIME)
    sources, _ = read_sources(config.source)
    alone = parse_cached(sources, config.variants, tmp_path / "one")
    monkeypatch.setattr(cache, "PARALLEL_BYTES", 0)
    monkeypatch.setattr(cache.os, "cpu_count", lambda: 2)
    encoded = cache._parse_all(list(sources), config.variants)
    assert sorted(encoded) == sorted(s.path for s in sources)  # the processes did parse them
    together = parse_cached(sources, config.variants, tmp_path / "many")
    assert together[0] == alone[0] and together[1] == alone[1]
    assert together[2].fresh.keys() == alone[2].fresh.keys()
    for key, data in together[2].fresh.items():  # what the cache keeps reads back the same
        assert cache._decode(data) == cache._decode(alone[2].fresh[key])


def test_an_edit_in_one_deck_rewrites_only_that_decks_package(tmp_path: Path) -> None:
    source = write_notes(
        tmp_path / "source",
        {
            "a.md": "---\ndeck: Alpha\n---\n\n- **One**: First.\n",
            "b.md": "---\ndeck: Beta\n---\n\n- **Two**: Second.\n",
        },
    )
    out = tmp_path / "build"
    build_tree(source, out)
    alpha, beta = out / "alpha.apkg", out / "beta.apkg"
    before = {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in (alpha, beta)}

    (source / "a.md").write_text("---\ndeck: Alpha\n---\n\n- **One**: Edited.\n", encoding="utf-8")
    result = build_tree(source, out, build_time=BUILD_TIME + 60)
    assert result.unchanged == (beta,) and set(result.packages) == {alpha, beta}
    assert (beta.stat().st_mtime_ns, beta.read_bytes()) == before[beta]  # left in place
    assert alpha.read_bytes() != before[alpha][1]
    # What was left in place is what a build from nothing writes with the same notes and lock.
    assert (
        beta.read_bytes()
        == outputs(build_tree(source, tmp_path / "fresh").outputs[0].parent)["beta.apkg"]
    )

    beta.write_bytes(b"damaged")  # touched since: written again
    (source / "a.md").write_text("---\ndeck: Alpha\n---\n\n- **One**: Again.\n", encoding="utf-8")
    result = build_tree(source, out, build_time=BUILD_TIME + 120)
    assert result.unchanged == () and beta.read_bytes() == before[beta][1]
    run = run_deckgen("build", "--source", str(source), "--out", str(out))
    assert run.stdout == f"{out}: up to date\n"  # nothing changed at all
    (source / "a.md").write_text(
        "---\ndeck: Alpha\n---\n\n- **One**: Once more.\n", encoding="utf-8"
    )
    run = run_deckgen("build", "--source", str(source), "--out", str(out))
    assert f"unchanged {out}/beta.apkg" in run.stdout and f"wrote {out}/alpha.apkg" in run.stdout
