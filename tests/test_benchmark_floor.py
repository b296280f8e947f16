"""The benchmark's references write what deckgen writes: the same notes, note types and cards."""

from __future__ import annotations

from pathlib import Path

import pytest
from anki.collection import Collection

from benchmarks.floor import dump, same_notes, write_genanki, write_limit, write_stock
from benchmarks.synthetic import CORPORA, write_corpus
from tests.helpers import build_tree, import_package


@pytest.mark.parametrize("corpus", list(CORPORA))
def test_floor_and_limit_write_exactly_the_notes_deckgen_wrote(
    corpus: str, tmp_path: Path, collection: Collection
) -> None:
    write_corpus(tmp_path / "source", corpus, 120, files=20)
    built = build_tree(tmp_path / "source", tmp_path / "build")
    dump(tmp_path / "build", tmp_path / "dump")
    ours = sorted((tmp_path / "build").glob("*.apkg"))
    for name, write in (("floor", write_genanki), ("limit", write_limit)):
        (tmp_path / name).mkdir()
        assert write(tmp_path / "dump", tmp_path / name) == len(built.notes) == 120
        floor = sorted((tmp_path / name).glob("*.apkg"))
        notes, cards = same_notes(ours, floor)
        assert notes == 120 and cards > notes  # a term's reverse card, a list's item cards
    # What Anki makes of the floor's package: deckgen's notes and cards, one note per record.
    import_package(collection, tmp_path / "floor" / ours[0].name)
    assert collection.note_count() == 120 and collection.card_count() == cards

    # The check can fail: the stock deck holds the same records in other note types.
    assert write_stock(tmp_path / "dump", tmp_path / "stock.apkg") == 120
    with pytest.raises(SystemExit, match="did not write deckgen's notes"):
        same_notes(ours, [tmp_path / "stock.apkg"])
