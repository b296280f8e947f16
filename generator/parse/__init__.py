"""Parse: notes files -> entries (raw card-shaped Markdown, each with file and line).

One engine reads every file: markdown-it-py with its plugins (`markdown.py`) defines the
format, and `walk.py` turns its tokens into entries; what a list item is lives in one function
(`walk.read_card`), what a table is in `tables.py` (a comparison: an entry per row). A file's
parse is cached with the rest of its per-file stages (`cards/file_cache.py`).

Modules: read (find and decode files), metadata (front matter), markdown (the one
markdown-it instance), walk (the token walk), tables (comparison tables), fields (a kept
note type's named fields), math (its parse rules) and the checks of the text itself
(invisible, destinations, suppressions).
"""
