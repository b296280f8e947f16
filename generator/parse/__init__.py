"""Parse: notes files -> entries (raw card-shaped Markdown, each with file and line).

Contract: EVERY WAY OF READING A FILE MUST READ THE SAME. A file is read by line (`plain.py`)
when every line is in the format's plainest subset; else its blocks are read by line and its
texts by markdown-it's inline parser or, for plain words and simple spans, built directly,
an item of them read whole (`line_blocks.py`, `simple_inline.py`) when its block structure
is simple; else markdown-it reads all of it (`walk.py`). Each shortcut must give the entries
and diagnostics markdown-it gives for every file it accepts (tests/test_plainparse.py,
tests/test_line_blocks.py prove it with hypothesis). A file's parse is cached with the rest of its per-file stages
(`cards/file_cache.py`).

Modules: read (find and decode files), metadata (front matter), markdown (the one
markdown-it instance), walk (the token walk), plain (the plain-file shortcut), line_blocks
(the line-block shortcut), simple_inline (its inline shortcut).
"""
