"""Output: stamped notes -> files on disk, all or nothing, reproducibly.

Contract: THE COLLECTION ROWS MUST BE EXACTLY GENANKI'S. `collection.py` writes the note and
card rows that genanki's per-note writer would write (tests/test_package.py compares every
table row for row); genanki is pinned to one version in pyproject.toml because of it. The
same notes and lock give the same bytes (`package.py`: fixed zip times, sorted media).
`write.py` puts every output in place atomically or none; `uptodate.py` answers "nothing to
do" only when the inputs and outputs are exactly those of the last build; `records_file.py`
writes build/records.jsonl for reviewers; `restamp.py` stamps an edit rebuild from the last
build's memo, and must leave byte for byte what stamping the whole course leaves
(tests/test_restamp.py).
"""
