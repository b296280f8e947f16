"""Parse: notes files -> entries (raw card-shaped Markdown, each with file and line).

Contract: BOTH PARSERS MUST READ THE SAME. A file is read by line (`plain.py`) when every
line is in the format's plainest subset, else by markdown-it (`walk.py`); the two must give
equal entries and diagnostics for every file the shortcut accepts (tests/test_plainparse.py
proves it with hypothesis). A file's parse is cached with the rest of its per-file stages
(`cards/file_cache.py`).

Modules: read (find and decode files), metadata (front matter), markdown (the one
markdown-it instance), walk (the token walk), plain (the line shortcut).
"""
