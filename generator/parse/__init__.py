"""Parse: notes files -> entries (raw card-shaped Markdown, each with file and line).

Contract: BOTH PARSERS MUST READ THE SAME. A file is read by line (`plain.py`) when every
line is in the format's plainest subset, else by markdown-it (`walk.py`); the two must give
equal entries and diagnostics for every file the shortcut accepts (tests/test_plainparse.py
proves it with hypothesis). The parse cache (`cache.py`) must return exactly what a fresh
parse would: it is keyed by the file's bytes and deckgen's own code (`fingerprint.py`).

Modules: read (find and decode files), metadata (front matter), markdown (the one
markdown-it instance), walk (the token walk), plain (the line shortcut), cache.
"""
