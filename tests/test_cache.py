"""The file cache: a rebuild works only on the files that changed, and the cache never
changes a result."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.cards import each_file, file_cache
from generator.cards.each_file import FileNotes, Settings
from generator.config import Config, load_config
from generator.diagnostics import UsageError
from generator.parse.read import read_sources
from tests.helpers import (
    BUILD_TIME,
    SHOWCASE,
    build_tree,
    copy_course,
    outputs,
    run_deckgen,
    write_notes,
)


def uncached_warnings(config: Config) -> list[object]:
    """Every warning a build would give, with no cache read or written (as observed)."""
    from generator.build import analyse

    return list(analyse(config, observe=lambda stage, value: None).warnings)


def settings_of(config: Config) -> Settings:
    return Settings(
        config.source.resolve(),
        config.variants,
        config.vocabulary,
        config.repository,
        config.course.id,
    )


def worked(config: Config, directory: Path | None) -> list[FileNotes]:
    """Each file's result, from the cache in `directory` where it has one."""
    sources, _ = read_sources(config.source)
    return each_file.each_file(sources, settings_of(config), directory)[0]


def same(a: FileNotes, b: FileNotes) -> bool:
    """Equal in everything the later stages read (not the stages' records, kept only here)."""
    fields = ("notes", "problems", "media", "words", "contents", "guids", "lines", "alone", "kept")
    return all(getattr(a, f) == getattr(b, f) for f in fields)


def test_a_rebuild_parses_only_the_edited_file_and_gives_the_same_outputs(tmp_path: Path) -> None:
    source = copy_course(tmp_path)
    out = tmp_path / "build"
    first = build_tree(source, out)
    assert len(first.analysis.cache_update.fresh) == 10  # every notes file worked on
    cache = out / ".cache" / "notes"
    assert len(list(cache.iterdir())) == 10

    edited = source / "02-value-based-selling.md"
    edited.write_text(
        edited.read_text().replace("In the context of strong", "In the context of firm")
    )
    second = build_tree(source, out, build_time=BUILD_TIME + 60)
    assert len(second.analysis.cache_update.fresh) == 1  # only the edited file
    assert len(list(cache.iterdir())) == 10  # the stale entry is gone
    with_cache = outputs(out)

    shutil.rmtree(out / ".cache")
    (out / ".deckgen-state.json").unlink()  # else the build is up to date and parses nothing
    third = build_tree(source, out, build_time=BUILD_TIME + 60)
    assert len(third.analysis.cache_update.fresh) == 10
    assert outputs(out) == with_cache


def test_a_corrupt_cache_entry_is_parsed_again(tmp_path: Path) -> None:
    source = copy_course(tmp_path)
    out = tmp_path / "build"
    build_tree(source, out)
    for entry in (out / ".cache" / "notes").iterdir():
        entry.write_bytes(b"not a cache entry")
    (out / ".deckgen-state.json").unlink()
    again = build_tree(source, out)
    assert len(again.analysis.cache_update.fresh) == 10


def test_cached_notes_and_diagnostics_equal_freshly_worked_ones(tmp_path: Path) -> None:
    """Everything a note, a record or a diagnostic holds survives the cache: locations,
    topics, pins, variants, tags, read-aloud, media, the words and content hashes."""
    source = copy_course(tmp_path)
    shutil.copytree(SHOWCASE / "media", source / "media")
    write_notes(
        source,
        {
            "extra.md": "---\ndeck: Extra\ntags: [kam]\nvariants: [basic, reverse, cloze]\n"
            "tts: de_DE\n---\n\n## Part\n\nTags: culture\n\n- **Pinned** <!-- id: p-1 -->: text\n"
            "- **List**\n  1. one two\n  2. one three\n- not a card\n- <b>raw</b> html {{c1::x}}\n"
            "- **Look**: ![f](media/sales-funnel-wide.png) [hear](media/hello.wav)\n",
        },
        vocabulary=("kam", "culture", "proactive_selling", "value_selling"),
    )
    config = load_config(source, tmp_path / "build", build_time=BUILD_TIME)
    cache = tmp_path / "cache"
    sources, _ = read_sources(config.source)
    fresh, update = each_file.each_file(sources, settings_of(config), cache)
    assert len(update.fresh) == len(sources)
    extra = next(f for f in fresh if f.notes and f.notes[0].record.deck == "Extra")
    assert extra.problems and len(extra.media) == 2 and any(extra.words)
    file_cache.store(cache, update)
    again, update = each_file.each_file(sources, settings_of(config), cache)
    assert not update.fresh  # every file came from the cache
    assert len(again) == len(fresh) and all(map(same, again, fresh))


def test_an_edited_media_file_is_never_read_from_the_cache(tmp_path: Path) -> None:
    source = write_notes(
        tmp_path / "source", {"a.md": "---\ndeck: A\n---\n\n- **Look**: ![f](f.png)\n"}
    )
    (source / "f.png").write_bytes(b"one")
    config = load_config(source, tmp_path / "build", build_time=BUILD_TIME)
    sources, _ = read_sources(config.source)
    first, update = each_file.each_file(sources, settings_of(config), tmp_path / "c")
    file_cache.store(tmp_path / "c", update)
    (source / "f.png").write_bytes(b"two")
    again = worked(config, tmp_path / "c")
    assert same(again[0], worked(config, None)[0]) and not same(again[0], first[0])
    assert again[0].media != first[0].media


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


def test_files_worked_in_several_processes_give_what_one_process_gives(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Above PARALLEL_BYTES of notes to work on, each job works on files: the notes, their
    order and the diagnostics are those of working on them one by one; a file naming a kept
    note type is left to the build's own process."""
    source = copy_course(tmp_path)
    write_notes(source, {"extra.md": "---\ndeck: Extra\n---\n\n- **T**: *x* `y`\n- <b>raw</b>\n"})
    config = load_config(source, tmp_path / "build", build_time=BUILD_TIME)
    sources, _ = read_sources(config.source)
    alone = worked(config, None)
    monkeypatch.setattr(each_file, "PARALLEL_BYTES", 0)
    encoded = list(each_file._work_on_all(list(sources), settings_of(config), 2))
    assert len(encoded) == len(sources) and None not in encoded  # the processes did the work
    # A library call asks for processes, or works in its own (jobs=1: the default).
    assert set(each_file._work_on_all(list(sources), settings_of(config), 1)) == {None}
    together, update = each_file.each_file(sources, settings_of(config), tmp_path / "many", jobs=2)
    assert all(map(same, together, alone))
    for source, expected in zip(sources, alone, strict=True):  # the cache reads back the same
        decoded = file_cache.decode(
            update.fresh[file_cache.key(source, settings_of(config))], settings_of(config)
        )
        assert decoded is not None and same(decoded, expected), source.path


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


def test_a_decks_confusion_checks_come_from_the_cache_only_when_its_files_are_unchanged(
    tmp_path: Path,
) -> None:
    """A deck of one file is checked with its file (and cached with it); a deck over two
    files is checked again when one of them is edited, else read from the deck cache. The
    warnings equal those of a build without a cache."""
    alike = "- **volver**: To return; to come back.\n- **regresar**: To return; to go back.\n"
    files = {
        "a.md": "---\ndeck: A\nvariants: [basic, reverse]\n---\n\n" + alike,
        "b.md": "---\ndeck: B\nvariants: [basic, reverse]\n---\n\n- **One**: The first.\n",
        "c1.md": "---\ndeck: C\nvariants: [basic, reverse]\n---\n\n" + alike.split("\n")[0] + "\n",
        "c2.md": "---\ndeck: C\nvariants: [basic, reverse]\n---\n\n- **Two**: A second.\n",
    }
    source = write_notes(tmp_path / "source", files)
    out = tmp_path / "build"
    first = build_tree(source, out)
    assert first.analysis is not None and len(first.analysis.decks_update.fresh) == 1  # C

    def fresh_warnings() -> list[str]:
        """A build of the same notes, from nothing (warnings name `source`'s files)."""
        shutil.rmtree(tmp_path / "nocache", ignore_errors=True)
        config = load_config(source, tmp_path / "nocache", build_time=BUILD_TIME)
        return [str(w) for w in uncached_warnings(config)]

    (source / "c2.md").write_text(files["c2.md"] + alike.split("\n")[1] + "\n", encoding="utf-8")
    second = build_tree(source, out, build_time=BUILD_TIME + 60)
    assert second.analysis is not None
    assert len(second.analysis.decks_update.fresh) == 1  # deck C was checked again
    assert second.analysis.decks_update.used == frozenset(second.analysis.decks_update.fresh)
    warned = [str(w) for w in second.warnings]
    assert sum("ambiguous-reverse" in w for w in warned) == 2  # A's (a.md cached) and C's
    assert warned == fresh_warnings()

    for entry in (out / ".cache" / "decks").iterdir():
        entry.write_bytes(b"damaged")
    (source / "b.md").write_text(files["b.md"] + "- **Three**: Third.\n", encoding="utf-8")
    third = build_tree(source, out, build_time=BUILD_TIME + 120)
    assert third.analysis is not None and len(third.analysis.decks_update.fresh) == 1
    assert [str(w) for w in third.warnings] == fresh_warnings()


def test_records_jsonl_lines_made_by_each_file_carry_the_shipped_guids(tmp_path: Path) -> None:
    """records.jsonl reuses the line each file made with its GUID, except where the lock
    keeps another (a reworded front): then the line is made again with the shipped GUID."""
    import json

    from generator.output.records_file import dump_records
    from generator.review.apkg import packages_in, read_build

    head = "---\ndeck: Sales\n---\n"
    source = write_notes(
        tmp_path / "notes",
        {"a.md": head + "- **Key account**: a large customer\n- **Churn**: customers lost\n"},
    )
    out = tmp_path / "build"
    build_tree(source, out)
    write_notes(
        source,
        {"a.md": head + "- **Key accounts**: a large customer\n- **Churn**: customers lost\n"},
    )
    again = build_tree(source, out, build_time=BUILD_TIME + 60)
    assert again.analysis is not None
    lines = [json.loads(line) for line in (out / "records.jsonl").read_text().splitlines()]
    shipped = read_build(packages_in(out)).notes
    assert {line["front"]: line["guid"] for line in lines} == {
        note.fields[0][1]: guid for guid, note in shipped.items()
    }
    reworded = next(n for n in again.notes if n.record.front == "Key accounts")
    assert again.analysis.record_lines[reworded.record.key][0] != reworded.guid  # made again
    # Every line taken from the files is the line made from the shipped note.
    assert (out / "records.jsonl").read_bytes() == dump_records(again.notes)


def test_a_worker_that_dies_fails_the_build_saying_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Not hidden: a worker killed (memory, a signal) is an error that says what to do."""
    import multiprocessing
    import os
    import signal

    source = copy_course(tmp_path)
    config = load_config(source, tmp_path / "build", build_time=BUILD_TIME)
    sources, _ = read_sources(config.source)
    monkeypatch.setattr(each_file, "PARALLEL_BYTES", 0)
    results = each_file._work_on_all(list(sources) * 20, settings_of(config), 2)
    next(results)
    for worker in multiprocessing.active_children():
        os.kill(worker.pid or 0, signal.SIGKILL)
    with pytest.raises(UsageError, match=r"a worker process died.*--jobs 1"):
        list(results)
