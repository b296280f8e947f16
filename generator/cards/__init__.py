"""Cards: entries -> records -> notes (what a student will see, not yet identified).

Contract: every stage here is a pure function from frozen records to new frozen records plus
located diagnostics, and none of them decides identity: GUIDs, mods and ids are computed in
`identity/` alone. normalize (records, duplicates, card-quality checks), media (images
checked and renamed by content), tags (topic tags against the vocabulary), confusions
(cards a student cannot tell apart), variants (the notes each record makes, their fields in
the order of `identity/note_types.py`). each_file runs them on one file, one pure function
(`work_on`); file_cache keeps its result between builds and MUST return exactly what working
on the file would.
"""
