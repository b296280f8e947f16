"""Importing: cards a teacher already has -> deckgen notes files a person is glad to edit.

Contract: WHAT A STUDENT'S COLLECTION REMEMBERS IS CARRIED OVER. A note that has a GUID (an
Anki package, an Anki text export with a GUID column) keeps it, pinned in the Markdown as
`<!-- guid: ... -->`: imported with Anki's "Merge note types" on, deckgen's first release
updates the student's existing notes in place and keeps every review (docs/anki.md,
section 11). Repairs are suggested, never made silently: each is a `<!-- deckgen: ... -->`
comment that `deckgen check` reports as a located warning until the author deletes it.

Modules: cards (the imported card, the one record every reader makes), text (flashcard-page
exports, CSV and TSV, Anki's text export), package (.apkg and .colpkg, read with the official
anki package), notes (Markdown files, media and the tag vocabulary written).
"""
