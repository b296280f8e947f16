"""Identity and timestamps: which edits keep a note's GUID and mod, and the guards around them."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from genanki.util import guid_for
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.cli import main
from generator.config import build_time
from generator.diagnostics import BuildFailed
from generator.identity import note_types as models
from generator.identity.ids import course_type_id, note_guid
from generator.records import Kind, Note
from tests.helpers import BUILD_TIME, TEST_COURSE_ID, build_tree, copy_course, outputs, write_notes

HEAD = "---\ndeck: Course::Topic\ntags: [kam]\n---\n\n"
NOTES = HEAD + (
    "- **Share of wallet**: How much of a customer's spending is with a specific company.\n"
    "- **Cross-selling**: Selling an additional product to an existing customer.\n"
    "- **Upselling**: Selling pricier versions of what customers already buy.\n"
)


def ids(notes: tuple[Note, ...]) -> dict[str, tuple[str, int]]:
    return {n.record.front: (n.guid, n.mod) for n in notes}


def two_builds(
    tmp_path: Path, first: dict[str, str], second: dict[str, str]
) -> tuple[tuple[Note, ...], tuple[Note, ...]]:
    source = write_notes(tmp_path / "source", first)
    one = build_tree(source, tmp_path / "out", build_time=BUILD_TIME)
    for name in first:
        (source / name).unlink()
    write_notes(source, second)
    two = build_tree(source, tmp_path / "out", build_time=BUILD_TIME + 100)
    return one.notes, two.notes


@pytest.mark.parametrize(
    ("change", "second"),
    [
        ("reorder", {"a.md": HEAD + "\n".join(reversed(NOTES[len(HEAD) :].splitlines())) + "\n"}),
        ("rename file", {"renamed.md": NOTES}),
        (
            "move to another file",
            {
                "a.md": NOTES.replace(
                    "- **Upselling**: Selling pricier versions of what customers already buy.\n", ""
                ),
                "b.md": HEAD
                + "- **Upselling**: Selling pricier versions of what customers already buy.\n",
            },
        ),
        (
            "whitespace",
            {
                "a.md": NOTES.replace(
                    "**Cross-selling**: Selling", "**Cross-selling**:    Selling\n "
                )
            },
        ),
        ("lines added above", {"a.md": HEAD + "# Title\n\nSome prose.\n\n" + NOTES[len(HEAD) :]}),
    ],
)
def test_edits_that_change_nothing_keep_guid_and_mod(
    tmp_path: Path, change: str, second: dict[str, str]
) -> None:
    one, two = two_builds(tmp_path, {"a.md": NOTES}, second)
    assert ids(one) == ids(two), change


@pytest.mark.parametrize(
    ("change", "old_front", "new_text"),
    [
        (
            "definition edited",
            "Cross-selling",
            NOTES.replace("an additional product", "one more product"),
        ),
        (
            "spelling fixed in the term",
            "Share of wallet",
            NOTES.replace("Share of wallet", "Share of walet"),
        ),
        (
            "emphasis added",
            "Upselling",
            NOTES.replace("**Upselling**: Selling pricier", "**Upselling**: Selling *pricier*"),
        ),
    ],
)
def test_edited_notes_keep_guid_and_get_a_newer_mod(
    tmp_path: Path, change: str, old_front: str, new_text: str
) -> None:
    one, two = two_builds(tmp_path, {"a.md": NOTES}, {"a.md": new_text})
    before = {n.record.front: n for n in one}
    after = {n.guid: n for n in two}
    assert after[before[old_front].guid].mod == BUILD_TIME + 100, change
    assert len(two) == len(one)
    unchanged = [n for n in two if n.mod == BUILD_TIME]
    assert len(unchanged) == 2


def test_a_pinned_identity_survives_a_complete_rewording(tmp_path: Path) -> None:
    pinned = NOTES.replace("company.\n", "company. <!-- id: sow -->\n")
    reworded = pinned.replace("**Share of wallet**", "**Wallet share of a supplier**")
    one, two = two_builds(tmp_path, {"a.md": pinned}, {"a.md": reworded})
    assert {n.guid for n in one} == {n.guid for n in two}


def test_a_pin_on_a_line_of_its_own_pins_and_shows_nothing(tmp_path: Path) -> None:
    """`<!-- id: ... -->` on a line of its own under an item is a block of the item: it pins
    the note as at the end of its first line, and no card shows it (it showed as text, and
    pinned nothing)."""
    alone = NOTES.replace("company.\n", "company.\n  <!-- id: sow -->\n")
    reworded = alone.replace("**Share of wallet**", "**Wallet share of a supplier**")
    one, two = two_builds(tmp_path, {"a.md": alone}, {"a.md": reworded})
    assert {n.guid for n in one} == {n.guid for n in two}
    assert not any("id: sow" in field for n in (*one, *two) for field in n.fields)


def test_switching_a_variant_changes_the_note_not_its_identity(tmp_path: Path) -> None:
    typed = NOTES.replace("tags: [kam]\n", "tags: [kam]\nvariants: [basic, typed]\n")
    one, two = two_builds(tmp_path, {"a.md": NOTES}, {"a.md": typed})
    assert [n.guid for n in one] == [n.guid for n in two]
    assert {n.mod for n in two} == {BUILD_TIME + 100}  # Reverse off, Typed on: newer content
    assert {n.fields[2:4] for n in one} == {("y", "")}
    assert {n.fields[2:4] for n in two} == {("", "y")}


def test_a_new_record_taking_a_renamed_records_old_identity_is_a_collision(tmp_path: Path) -> None:
    source = write_notes(tmp_path / "source", {"a.md": NOTES})
    build_tree(source, tmp_path / "out")
    (source / "a.md").write_text(
        NOTES.replace("Share of wallet", "Share of walet"), encoding="utf-8"
    )
    build_tree(source, tmp_path / "out")  # the lock carries the old identity to the new spelling
    (source / "a.md").write_text(
        NOTES.replace("Share of wallet", "Share of walet") + "- **Share of wallet**: A new note.\n",
        encoding="utf-8",
    )
    with pytest.raises(BuildFailed) as failed:
        build_tree(source, tmp_path / "out")
    (problem,) = [d for d in failed.value.diagnostics if d.code == "guid-collision"]
    assert str(problem.location).endswith("a.md:5:3") or str(problem.location).endswith("a.md:9:3")
    assert "a.md:" in problem.message


def test_a_note_type_schema_change_needs_a_version_bump(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = write_notes(tmp_path / "source", {"a.md": NOTES})
    build_tree(source, tmp_path / "out")
    extra = models.Template("Extra", 5_310_205_199, "{{Back}}", "{{FrontSide}}", ("Back",))
    changed = dataclasses.replace(models.TERM, templates=(*models.TERM.templates, extra))
    monkeypatch.setitem(models.BY_KIND, Kind.TERM, changed)
    # The patched note type is not in deckgen's code fingerprint: make the build run.
    (tmp_path / "out" / ".deckgen-state").unlink()
    with pytest.raises(BuildFailed) as failed:
        build_tree(source, tmp_path / "out")
    assert [d.code for d in failed.value.diagnostics] == ["schema-change"]
    message = failed.value.diagnostics[0].message
    assert "'deckgen Term' gained or lost a field or template but not its version" in message
    monkeypatch.setitem(models.BY_KIND, Kind.TERM, dataclasses.replace(changed, version=2))
    build_tree(source, tmp_path / "out")
    lock = (source / "deckgen.lock").read_text()
    term_id = course_type_id(TEST_COURSE_ID, "deckgen Term")
    assert f'"model": "deckgen Term", "id": {term_id}, "version": 2' in lock


def test_locked_build_fails_naming_the_change_and_writes_nothing(tmp_path: Path) -> None:
    source = copy_course(tmp_path)
    out = tmp_path / "out"
    build_tree(source, out)
    before = {**outputs(out), "lock": (source / "deckgen.lock").read_bytes()}
    path = source / "02-value-based-selling.md"
    path.write_text(path.read_text().replace("In the context of strong", "In the context of firm"))
    with pytest.raises(BuildFailed) as failed:
        build_tree(source, out, locked=True)
    (problem,) = failed.value.diagnostics
    assert str(problem.location) == f"{path}:15:3"
    assert (
        "'in what context does value-based selling occur?' changed since deckgen.lock"
        in problem.message
    )
    assert {**outputs(out), "lock": (source / "deckgen.lock").read_bytes()} == before


def test_source_date_epoch_is_the_build_time_but_never_in_the_future() -> None:
    assert build_time("1600000000", now=1_700_000_000) == 1_600_000_000
    assert build_time("1800000000", now=1_700_000_000) == 1_700_000_000
    assert build_time(None, now=1_700_000_000.7) == 1_700_000_000


def test_source_date_epoch_stamps_new_notes(tmp_path: Path) -> None:
    source = write_notes(tmp_path / "source", {"a.md": NOTES})
    result = CliRunner().invoke(
        main,
        ["build", "--source", str(source), "--out", str(tmp_path / "out")],
        env={"SOURCE_DATE_EPOCH": "1600000000"},
    )
    assert result.exit_code == 0, result.output
    lock = (source / "deckgen.lock").read_text()
    assert lock.count("1600000000") >= 3 + 3  # three notes and three note types


def test_packages_are_reproducible_across_processes_and_hash_seeds(tmp_path: Path) -> None:
    builds = []
    for seed in ("1", "2"):
        source = copy_course(tmp_path / seed)
        out = tmp_path / seed / "build"
        env = {**os.environ, "PYTHONHASHSEED": seed, "SOURCE_DATE_EPOCH": "1700000000"}
        subprocess.run(
            [
                sys.executable,
                "-m",
                "generator",
                "build",
                "-q",
                "--source",
                str(source),
                "--out",
                str(out),
            ],
            env=env,
            check=True,
        )
        builds.append(outputs(out))
    assert builds[0] == builds[1]
    with zipfile.ZipFile(tmp_path / "1" / "build" / "sales-management.apkg") as archive:
        for info in archive.infolist():
            assert info.date_time == (1980, 1, 1, 0, 0, 0)
            assert info.compress_type == zipfile.ZIP_DEFLATED
            assert info.external_attr >> 16 == 0o100644


def test_renaming_a_template_that_keeps_its_id_needs_no_version_bump(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Measured: Anki updates a note type whose field or template kept its id but not its name."""
    source = write_notes(tmp_path / "source", {"a.md": NOTES})
    build_tree(source, tmp_path / "out")
    first, *others = models.TERM.templates
    renamed_template = dataclasses.replace(first, name=first.name + " (renamed)")
    renamed = dataclasses.replace(models.TERM, templates=(renamed_template, *others))
    monkeypatch.setitem(models.BY_KIND, Kind.TERM, renamed)
    (tmp_path / "out" / ".deckgen-state").unlink()  # the patch is not in the fingerprint
    build_tree(source, tmp_path / "out", build_time=BUILD_TIME + 5)
    lock = (source / "deckgen.lock").read_text()
    term_id = course_type_id(TEST_COURSE_ID, "deckgen Term")
    assert f'"model": "deckgen Term", "id": {term_id}, "version": 1' in lock
    assert f'"mod": {BUILD_TIME + 5}' in lock  # the note type itself is updated


@settings(max_examples=2 * settings.default.max_examples)
@given(st.text(), st.text())
def test_note_guid_is_genankis_guid_for(course: str, seed: str) -> None:
    assert note_guid(course, seed) == guid_for(course, seed)


@given(
    st.text("Term", min_size=1, max_size=6),
    st.lists(
        st.sampled_from("\u200b\u00ad\u2060\ufeff\u202e\u2066\u2069\u200c\u200d\u200e"), min_size=1
    ),
)
def test_invisible_characters_never_make_a_new_note(word: str, unseen: list[str]) -> None:
    """A front that reads like another is the same front to identity, whatever invisible
    characters it holds (the build also refuses most of them as located errors)."""
    from generator.identity.fold import fold

    spiked = "".join(c + (unseen[i % len(unseen)] if i % 2 else "") for i, c in enumerate(word))
    assert fold(spiked + unseen[0]) == fold(word)
