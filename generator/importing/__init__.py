"""Importing: cards a teacher already has -> deckgen notes files a person is glad to edit.

Contract: EVERY NOTE KEEPS ITS GUID. A note that has one (an Anki package, an Anki text export
with a GUID column) has it pinned in the Markdown as `<!-- guid: ... -->`, so it is the same
note in students' collections. What Anki then does with the note's cards on the first import
is in docs/anki.md, section 11: with "Merge note types" on, the note is updated in place and
its reviews are kept, but its reviewed card keeps the old template beside deckgen's. Repairs
are suggested, never made silently: each is a `<!-- deckgen: ... -->` comment that
`deckgen check` reports as a located warning until the author deletes it.

Modules: cards (the imported card, the one record every reader makes), text (flashcard-page
exports, CSV and TSV, Anki's text export), package (.apkg and .colpkg, read with the official
anki package), own, own_blocks and own_files (a package deckgen built, back to the notes
files it was built from), notes (Markdown files, media and the tag vocabulary written).
"""
