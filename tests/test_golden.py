"""Golden tests per stage: input Markdown beside the expected output of every stage.

Each folder in tests/golden/ holds `source/` (notes and deckgen.toml) and `expected/`:
`entries.json` (parse), `records.json` (normalize, media, tags), `notes.json` (variants,
stamp), `diagnostics.txt`, and, where the case builds, `records.jsonl` and `deckgen.lock`. After a deliberate change, regenerate them with

    pytest tests/test_golden.py --regen-golden

and review the diff of `tests/golden/` like any other change.
"""

from __future__ import annotations

import dataclasses
import enum
import json
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

from generator.build import analyse
from generator.config import load_config
from generator.diagnostics import BuildFailed
from generator.identity.lock import format_lock
from generator.output.records_file import dump_records
from tests.helpers import BUILD_TIME

GOLDEN = Path(__file__).parent / "golden"
CASES = sorted(p.name for p in GOLDEN.iterdir() if p.is_dir())


def to_data(value: Any) -> Any:
    """Records as plain JSON data: dataclasses as objects, sets sorted, enums by value."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_data(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, frozenset):
        return sorted(to_data(v) for v in value)
    if isinstance(value, tuple | list):
        return [to_data(v) for v in value]
    return value


def run_stages(case: Path) -> dict[str, str]:
    """The real pipeline's stage outputs (`analyse` reports each, file by file, to its observer)."""
    config = load_config(Path("source"), Path("build"), build_time=BUILD_TIME)
    seen: dict[str, list[object]] = defaultdict(list)  # each file's, in order
    outputs: dict[str, str] = {}
    try:
        analysis = analyse(config, observe=lambda stage, made: seen[stage].extend(made))
        problems = list(analysis.warnings)
        outputs["records.jsonl"] = dump_records(analysis.notes).decode()
        outputs["deckgen.lock"] = format_lock(analysis.stamped.lock)
    except BuildFailed as failed:
        problems = list(failed.diagnostics)
    # Notes refer to their record and note type; the golden file shows the record's location
    # and the note type's id and name instead (tests/test_identity_contract.py pins the rest).
    notes_data = [
        {
            **to_data(n),
            "record": str(n.record.location),
            "note_type": [n.note_type.model_id, n.note_type.name] if n.note_type else None,
        }
        for n in seen["notes"]
    ]
    dump = lambda data: json.dumps(data, indent=2, ensure_ascii=False) + "\n"  # noqa: E731
    return {
        "entries.json": dump(to_data(seen["entries"])),
        "records.json": dump(to_data(seen["records"])),
        "notes.json": dump(notes_data),
        "diagnostics.txt": "".join(f"{d}\n" for d in problems),
        **outputs,
    }


@pytest.mark.parametrize("name", CASES)
def test_stage_output_matches_golden(
    name: str, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> None:
    case = GOLDEN / name
    monkeypatch.chdir(case)
    actual = run_stages(case)
    expected_dir = case / "expected"
    if request.config.getoption("--regen-golden"):
        expected_dir.mkdir(exist_ok=True)
        for file_name, text in actual.items():
            (expected_dir / file_name).write_text(text, encoding="utf-8")
    for file_name, text in actual.items():
        expected = (expected_dir / file_name).read_text(encoding="utf-8")
        assert text == expected, f"{name}/{file_name} differs; if intended, run with --regen-golden"
