"""Suppressions the author owns: on an item, on a file, on the course; only warnings; every
suppression that answers nothing is reported; `check` says how many it answered."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from generator.cli import main
from tests.helpers import write_notes

HEAD = "---\ndeck: Bio\ntags: [kam]\n---\n\n"
PAIR = (  # two names of one thing: either reverse card fits both
    "- **Plasma membrane**: The boundary of a cell.{a}\n"
    "- **Cell membrane**: The boundary of a cell.{b}\n"
)
RAW = "- **Tag**: The <b> element.\n"


def check(source: Path) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["check", "--strict", "--source", str(source)])
    return result.exit_code, result.output


def test_an_item_suppression_answers_its_item_only_and_check_counts_it(tmp_path: Path) -> None:
    plain = write_notes(tmp_path / "plain", {"a.md": HEAD + PAIR.format(a="", b="") + RAW})
    code, said = check(plain)
    assert code == 1 and "[ambiguous-reverse]" in said and "[raw-html]" in said
    ignore = " <!-- deckgen: ignore[ambiguous-reverse, raw-html] -->"
    answered = write_notes(
        tmp_path / "answered", {"a.md": HEAD + PAIR.format(a="", b=ignore) + RAW}
    )
    code, said = check(answered)
    assert "[ambiguous-reverse]" not in said and "[import-repair]" not in said
    assert "a.md:8:3: warning: raw HTML" in said
    assert "nothing to suppress: no 'raw-html' warning here; delete it [unused-ignore]" in said
    assert "1 warning suppressed (deckgen: ignore)" in said
    assert code == 1  # --strict: the unused suppression and the other item's warning


def test_file_and_course_suppressions_and_a_clean_strict_check(tmp_path: Path) -> None:
    file_level = HEAD.replace("tags: [kam]\n", "tags: [kam]\nignore: [ambiguous-reverse]\n")
    source = write_notes(tmp_path / "source", {"a.md": file_level + PAIR.format(a="", b="") + RAW})
    config = source / "deckgen.toml"
    config.write_text(config.read_text() + '\n[check]\nignore = ["raw-html"]\n')
    code, said = check(source)
    assert (code, said) == (0, "no problems found\n2 warnings suppressed (deckgen: ignore)\n")


def test_an_error_cannot_be_suppressed_nor_an_unknown_code(tmp_path: Path) -> None:
    twice = "- **Eukaryote**: One. <!-- deckgen: ignore[duplicate, no-such-code] -->\n"
    source = write_notes(tmp_path / "source", {"a.md": HEAD + "- **Eukaryote**: Two.\n" + twice})
    code, said = check(source)
    assert code == 1 and "[duplicate]" in said
    assert (
        "error: the error 'duplicate' cannot be suppressed: it would break a card [ignore]" in said
    )
    assert "error: 'no-such-code' is not a deckgen code [ignore]" in said
    build = CliRunner().invoke(
        main, ["build", "--source", str(source), "--out", str(tmp_path / "b")]
    )
    assert build.exit_code == 1 and not (tmp_path / "b").exists()
