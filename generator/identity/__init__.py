"""Identity: EVERYTHING A STUDENT'S COLLECTION REMEMBERS, in one place.

CHANGING ANYTHING IN THIS PACKAGE CHANGES EVERY STUDENT'S COLLECTION. Anki matches a note by
its GUID alone, a note type by its id, and updates a note only when its `mod` is newer
(docs/anki.md). So:

- `fold.py` (how a front is folded into a key; uses `cloze.DELETION`) and `ids.py` (note
  GUID, deck id, content hash): a different formula gives every note a new GUID, and each
  student gets the whole course again as duplicates, their review history left behind on
  the old notes; a different content hash re-stamps every note and overwrites students' own
  edits.
- `note_types.py`: model, field and template ids are fixed forever; adding or removing a
  field or template is a schema change that Anki imports as conflicting notes.
- `kept.py`, `templates.py`: note types kept from an imported deck (its own ids and mod,
  read from `note-types/*.json`) and Anki's card rule for their templates; a kept type
  that differs from the deck's turns its students' notes into conflicting ones.
- `json_lines.py`, `lock.py`, `match.py`, `stamp.py`: the text hashed for content, the
  lock's lines, which lock entry a record continues, and how a note keeps its seed and gets
  its `mod`.
- `removed.py`: how a note removed from the source is shipped on, marked: the tag students
  search for and the label on its cards.

tests/test_identity_contract.py pins each formula by literal values. If one must change:
bump the affected note type's `version` and the lock's FORMAT, make `read_lock` refuse the
old format with a message that says what to do, write the migration in the release notes
(students import with "Merge note types" on, or start a fresh deck), and update the pins in
the same commit, never before.

This phase is imported by `cards/` (normalize computes keys; variants fills note types'
fields); its `stamp` stage runs after the cards stages.
"""
