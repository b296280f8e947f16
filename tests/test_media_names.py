"""Image and sound names with spaces or letters beyond ASCII, written as CommonMark allows
(`<a b.png>`, `a%20b.png`, `café.png`), reach the card as the file itself: imported by the
real importer, every card shows its image and plays its sound."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from anki.collection import Collection

from tests.helpers import SHOWCASE, build_tree, import_package, write_notes


def test_names_with_spaces_and_accents_ship_their_files(
    tmp_path: Path, collection: Collection
) -> None:
    (image,) = (SHOWCASE / "media").glob("*.png")
    notes = (
        "---\ndeck: M\ntags: [kam]\n---\n\n"
        "- **Angle**: ![](<media/cell figure.png>)\n"
        "- **Percent**: ![](media/cell%20figure.png)\n"
        "- **Accent**: ![](media/Zellkern-Übersicht.png)\n"
        "- **Sound**: [hear it](<media/my sound.wav>)\n"
    )
    source = write_notes(tmp_path / "source", {"a.md": notes})
    (source / "media").mkdir()
    for name in ("cell figure.png", "Zellkern-Übersicht.png"):
        shutil.copy(image, source / "media" / name)
    shutil.copy(SHOWCASE / "media" / "hello.wav", source / "media" / "my sound.wav")
    result = build_tree(source, tmp_path / "build")
    assert not result.warnings
    import_package(collection, tmp_path / "build" / "m.apkg")
    shipped = set(os.listdir(collection.media.dir()))
    for nid in collection.find_notes(""):
        note = collection.get_note(nid)
        text = " ".join(note.fields)
        used = collection.media.files_in_str(note.mid, text)
        assert len(used) == 1 and set(used) <= shipped, (text, shipped)  # the student has it
        assert "![" not in text and "](" not in text
    assert len(shipped) == 3  # one image (the same bytes), twice renamed, and the sound
