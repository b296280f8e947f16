"""Output: stamped notes -> files on disk, all or nothing, reproducibly.

Contract: THE COLLECTION ROWS MUST BE EXACTLY GENANKI'S. `collection.py` writes the note and
card rows that genanki's per-note writer would write (tests/test_package.py compares every
table row for row); genanki is pinned to one version in pyproject.toml because of it. The
same notes and lock give the same bytes (`package.py`: fixed zip times, sorted media).
`write.py` puts every output in place atomically or none; `uptodate.py` keeps what the last
build left (and answers "nothing to do" only when the inputs and outputs are exactly those
of the last build) and writes this build's outputs; `records_file.py` writes
build/records.jsonl for reviewers.
"""
