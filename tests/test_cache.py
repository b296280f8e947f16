"""The file cache: a rebuild works only on the files that changed, and the cache never
changes a result."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from generator import codec
from generator.cards import each_file
from generator.cards.each_file import FileNotes, Settings
from generator.cards.file_cache import NO_CACHE, Cache
from generator.config import Config, load_config
from generator.diagnostics import UsageError
from generator.parse.read import read_sources
from generator.records import Location
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
    """Every warning a build would give, with no cache read or written."""
    from generator.build import analyse

    return list(analyse(config).warnings)


def worked(config: Config, cache: Cache) -> list[FileNotes]:
    """Each file's result, from `cache` where it has one."""
    sources, _ = read_sources(config.source)
    return each_file.each_file(sources, Settings.of(config), cache)


def entries(out: Path) -> set[str]:
    return {path.name for path in (out / ".cache" / "notes").iterdir()}


def test_a_rebuild_works_only_on_the_edited_file_and_gives_the_same_outputs(
    tmp_path: Path,
) -> None:
    source = copy_course(tmp_path)
    out = tmp_path / "build"
    config = load_config(source, out, build_time=BUILD_TIME)
    sources, _ = read_sources(source)
    cache = Cache(tmp_path / "cache")
    first = each_file.each_file(sources, Settings.of(config), cache)
    assert len(cache.fresh) == len(sources) == 10  # every notes file worked on
    cache.store()
    edited = source / "02-value-based-selling.md"
    text = edited.read_text()
    edited.write_text(text + "\n- **Cache term**: A term added to one file.\n")
    sources, _ = read_sources(source)
    again = Cache(tmp_path / "cache")
    second = each_file.each_file(sources, Settings.of(config), again)
    assert len(again.fresh) == 1 and len(again.used) == len(sources)  # only the edited file
    again.store()
    assert len(list((tmp_path / "cache").iterdir())) == len(sources)  # the stale entry is gone
    assert [same(a, b) for a, b in zip(first, second, strict=True)].count(False) == 1

    build_tree(source, out)
    edited.write_text(text)
    before = entries(out)
    build_tree(source, out, build_time=BUILD_TIME + 60)
    assert len(entries(out) - before) == 1  # the file's (its deck is its own)
    with_cache = outputs(out)
    shutil.rmtree(out / ".cache")
    (out / ".deckgen-state").unlink()  # else the build is up to date and works on nothing
    build_tree(source, out, build_time=BUILD_TIME + 60)
    assert outputs(out) == with_cache


def test_a_corrupt_cache_entry_is_worked_again(tmp_path: Path) -> None:
    source = copy_course(tmp_path)
    out = tmp_path / "build"
    build_tree(source, out)
    before = outputs(out)
    for entry in (out / ".cache" / "notes").iterdir():
        entry.write_bytes(b"not a cache entry")
    (out / ".deckgen-state").unlink()
    build_tree(source, out)
    assert outputs(out) == before
    assert all(e.read_bytes() != b"not a cache entry" for e in (out / ".cache" / "notes").iterdir())


def same(a: FileNotes, b: FileNotes) -> bool:
    """Equal in everything the later stages read."""
    return a == b


def test_cached_notes_and_diagnostics_equal_freshly_worked_ones(tmp_path: Path) -> None:
    """Everything a note, a record or a diagnostic holds survives the cache: locations,
    topics, pins, variants, tags, read-aloud, media and the words."""
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
    cache = Cache(tmp_path / "cache")
    fresh = worked(config, cache)
    assert len(cache.fresh) == len(fresh)
    extra = next(f for f in fresh if f.rows and f.rows[0].note.record.deck == "Extra")
    assert extra.problems and len(extra.media) == 2 and any(row.words for row in extra.rows)
    assert any(row.note.record.topics and row.note.record.pin for row in extra.rows)
    cache.store()
    again = Cache(tmp_path / "cache")
    assert worked(config, again) == fresh and not again.fresh  # every file from the cache


def test_an_edited_media_file_is_never_read_from_the_cache(tmp_path: Path) -> None:
    source = write_notes(
        tmp_path / "source", {"a.md": "---\ndeck: A\n---\n\n- **Look**: ![f](f.png)\n"}
    )
    (source / "f.png").write_bytes(b"one")
    config = load_config(source, tmp_path / "build", build_time=BUILD_TIME)
    cache = Cache(tmp_path / "c")
    first = worked(config, cache)
    cache.store()
    (source / "f.png").write_bytes(b"two")
    again = worked(config, Cache(tmp_path / "c"))
    assert again == worked(config, NO_CACHE) and again != first
    assert again[0].media != first[0].media


def test_the_codec_refuses_an_entry_of_other_fields_or_a_damaged_one() -> None:
    """An entry is read back by its fields' names: one written with other fields, cut short
    or with a flipped bit is refused (and the file worked afresh)."""
    import dataclasses

    location = Location("a.md", 3, 2)
    entry = codec.encode(location, Location)
    assert codec.decode(entry, Location) == location

    @dataclasses.dataclass(frozen=True, slots=True)
    class Location2:  # the same fields, another order
        line: int
        path: str
        col: int

    Location2.__name__ = "Location"
    for damaged in (entry[:-3], entry[:40] + bytes([entry[40] ^ 1]) + entry[41:], b""):
        with pytest.raises(ValueError):
            codec.decode(damaged, Location)
    with pytest.raises(ValueError, match="other fields"):
        codec.decode(codec.encode(Location2(3, "a.md", 2), Location2), Location)


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
    alone = worked(config, NO_CACHE)
    monkeypatch.setattr(each_file, "PARALLEL_BYTES", 0)
    encoded = list(each_file._in_processes(list(sources), Settings.of(config), 2))
    assert len(encoded) == len(sources) and None not in encoded  # the processes did the work
    # A library call asks for processes, or works in its own (jobs=1: the default).
    assert set(each_file._in_processes(list(sources), Settings.of(config), 1)) == {None}
    cache = Cache(tmp_path / "many")
    together = each_file.each_file(sources, Settings.of(config), cache, jobs=2)
    assert together == alone
    cache.store()  # the cache reads back the same
    assert worked(config, Cache(tmp_path / "many")) == alone


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

    def analysed(build_time: int) -> tuple[list[str], int, int]:
        """The warnings; how many entries were made, how many used."""
        from generator.build import analyse

        cache = Cache(out / ".cache" / "notes")
        config = load_config(source, out, build_time=build_time)
        warnings = [str(w) for w in analyse(config, cache=cache).warnings]
        made = len(cache.fresh)
        cache.store()
        return warnings, made, len(cache.used)

    assert analysed(BUILD_TIME)[1:] == (4 + 1, 5)  # each file's, and deck C's checks

    def fresh_warnings() -> list[str]:
        """A build of the same notes, from nothing (warnings name `source`'s files)."""
        return [str(w) for w in uncached_warnings(load_config(source, out, build_time=BUILD_TIME))]

    (source / "c2.md").write_text(files["c2.md"] + alike.split("\n")[1] + "\n", encoding="utf-8")
    warned, made, used = analysed(BUILD_TIME + 60)
    assert (made, used) == (2, 5)  # c2.md, and deck C checked again
    assert sum("ambiguous-reverse" in w for w in warned) == 2  # A's (a.md cached) and C's
    assert warned == fresh_warnings()

    for entry in (out / ".cache" / "notes").iterdir():
        entry.write_bytes(b"damaged")
    (source / "b.md").write_text(files["b.md"] + "- **Three**: Third.\n", encoding="utf-8")
    warned, made, _ = analysed(BUILD_TIME + 120)
    assert made == 5 and warned == fresh_warnings()


def test_records_jsonl_carries_the_shipped_guids(tmp_path: Path) -> None:
    """records.jsonl names each note's GUID as shipped, also where the lock keeps an older
    one for it (a reworded front)."""
    import json

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
    build_tree(source, out, build_time=BUILD_TIME + 60)
    lines = [json.loads(line) for line in (out / "records.jsonl").read_text().splitlines()]
    shipped = read_build(packages_in(out)).notes
    assert {line["front"]: line["guid"] for line in lines} == {
        note.fields[0][1]: guid for guid, note in shipped.items()
    }
    assert {line["front"] for line in lines} == {"Key accounts", "Churn"}


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
    results = each_file._in_processes(list(sources) * 20, Settings.of(config), 2)
    next(results)
    for worker in multiprocessing.active_children():
        os.kill(worker.pid or 0, signal.SIGKILL)
    with pytest.raises(UsageError, match=r"a worker process died.*--jobs 1"):
        list(results)


def test_check_stats_and_preview_read_the_last_builds_cache_and_write_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`check` runs on every commit (the pre-commit hook) and `preview` on every look: each
    reads what the last build cached, works only on the files edited since, and leaves the
    cache as it was; what they say is what a check without any cache says."""
    from generator.build import check, course_preview

    source = copy_course(tmp_path)
    out = tmp_path / "build"
    build_tree(source, out)
    edited = source / "02-value-based-selling.md"
    edited.write_text(edited.read_text() + "\n- **Cache term**: A term added to one file.\n")
    cached = {p.name: p.read_bytes() for p in (out / ".cache" / "notes").iterdir()}
    config = load_config(source, out, build_time=BUILD_TIME)
    calls: list[str] = []
    real = each_file.work_on
    monkeypatch.setattr(
        each_file, "work_on", lambda s, *a: calls.append(Path(s.path).name) or real(s, *a)
    )
    diagnostics, _ = check(config)
    assert calls == ["02-value-based-selling.md"]
    calls.clear()
    course_preview(config)
    assert calls == ["02-value-based-selling.md"]
    assert run_deckgen("stats", "--source", str(source)).returncode == 0
    assert {p.name: p.read_bytes() for p in (out / ".cache" / "notes").iterdir()} == cached
    monkeypatch.setattr(each_file, "work_on", real)
    fresh = load_config(source, tmp_path / "elsewhere", build_time=BUILD_TIME)
    assert [str(d) for d in diagnostics] == [str(d) for d in check(fresh)[0]]


def test_a_cached_note_whose_front_was_reworded_keeps_its_guid_and_writes_what_a_cold_build_does(
    tmp_path: Path,
) -> None:
    """The cache keeps each note's GUID and content hash as its first seed makes them
    (`identity.stamp.known`); a reworded front keeps the lock's seed, and so its GUID, which
    the stamp then makes afresh even for a note read from the cache."""
    source = copy_course(tmp_path)
    out = tmp_path / "build"
    build_tree(source, out)

    def guid_of(words: str) -> str:
        lines = (out / "records.jsonl").read_text().splitlines()
        (line,) = [line for line in lines if words in json.loads(line)["front"]]
        return str(json.loads(line)["guid"])

    before = guid_of("successfully using a value-based")
    reworded = source / "02-value-based-selling.md"
    reworded.write_text(reworded.read_text().replace("successfully using", "successfully applying"))
    build_tree(source, out, build_time=BUILD_TIME + 60)
    assert guid_of("successfully applying a value-based") == before
    other = source / "01-proactive-selling.md"
    other.write_text(other.read_text() + "\n- **Cache term**: A term added to another file.\n")
    build_tree(source, out, build_time=BUILD_TIME + 120)  # the reworded file from the cache
    assert guid_of("successfully applying a value-based") == before
    with_cache = outputs(out), (source / "deckgen.lock").read_bytes()
    shutil.rmtree(out / ".cache")
    (out / ".deckgen-state").unlink()
    build_tree(source, out, build_time=BUILD_TIME + 120)
    assert (outputs(out), (source / "deckgen.lock").read_bytes()) == with_cache
