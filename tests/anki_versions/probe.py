"""Run by an older `anki` in its own virtualenv: import packages as a student would, and report.

    python probe.py PACKAGE [PACKAGE ...]   (PROBE_SEARCH: an Anki search to run at the end)

Imports each package in turn into one fresh collection with the GUI's defaults, studies
every card after the first import (answering Easy), and prints one JSON object: the
version, each import's log counts, the cards per note, every card's question and answer
as text, whether every review survived the later imports, each deck's description, and the
first field of the notes PROBE_SEARCH finds. It uses only `anki` and the
standard library: deckgen is not installed beside it.
"""

from __future__ import annotations

import json
import os
import re
import sys
import tempfile
from pathlib import Path

from anki import import_export_pb2 as iepb
from anki.buildinfo import version
from anki.collection import Collection


def text(html: str) -> str:
    html = re.sub(r"<style>.*?</style>", "", html, flags=re.DOTALL)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def main(packages: list[str]) -> dict[str, object]:
    if_newer = iepb.IMPORT_ANKI_PACKAGE_UPDATE_CONDITION_IF_NEWER
    settings = {
        "merge_notetypes": False,
        "update_notes": if_newer,
        "update_notetypes": if_newer,
        "with_scheduling": False,
        "with_deck_configs": False,  # an option since 24.04; before it, presets never came
    }
    known = iepb.ImportAnkiPackageOptions.DESCRIPTOR.fields_by_name
    options = iepb.ImportAnkiPackageOptions(**{k: v for k, v in settings.items() if k in known})
    imports = []
    with tempfile.TemporaryDirectory() as tmp:
        col = Collection(str(Path(tmp) / "collection.anki2"))
        reviews: dict[int, tuple[int, int, int]] = {}
        for number, package in enumerate(packages):
            log = col.import_anki_package(
                iepb.ImportAnkiPackageRequest(package_path=package, options=options)
            ).log
            imports.append(
                {
                    "new": len(log.new),
                    "updated": len(log.updated),
                    "duplicate": len(log.duplicate),
                    "conflicting": len(log.conflicting),
                }
            )
            if number == 0:
                col.decks.set_current(col.decks.id_for_name(col.decks.all_names_and_ids()[-1].name))
                for cid in col.find_cards(""):
                    card = col.get_card(cid)
                    card.start_timer()
                    col.sched.answerCard(card, 4)
                    card = col.get_card(cid)
                    reviews[cid] = (card.reps, card.ivl, card.type)
        kept = all(
            (card.reps, card.ivl, card.type) == state
            for cid, state in reviews.items()
            if (card := col.get_card(cid))
        )
        notes = {}
        for nid in col.find_notes(""):
            note = col.get_note(nid)
            notes[note.fields[0][:60]] = [
                {"ord": c.ord, "question": text(c.question()), "answer": text(c.answer())}
                for c in sorted(note.cards(), key=lambda c: c.ord)
            ]
        result = {
            "version": version,
            "imports": imports,
            "reviewed": len(reviews),
            "reviews_kept": kept,
            "revlog": col.db.scalar("select count() from revlog"),
            "empty_cards": sum(len(n.card_ids) for n in col.get_empty_cards().notes),
            "notes": notes,
            "descriptions": {
                d.name: col.decks.get(d.id)["desc"] for d in col.decks.all_names_and_ids()
            },
            "found": sorted(
                col.get_note(nid).fields[0]
                for nid in col.find_notes(os.environ.get("PROBE_SEARCH", "nid:0"))
            ),
        }
        col.close()
    return result


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1:]), ensure_ascii=False))
