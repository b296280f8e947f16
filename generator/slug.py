"""File name stems made from names: the packages a build writes (one per top-level deck) and
the files an import writes (notes, note types) follow one rule.

Not in `output/package.py`, where it was: an import then loaded genanki and the package
writer for it alone (0.05 s of a 0.7 s import of 10,000 notes)."""

from __future__ import annotations

import re
import unicodedata


def slug(name: str, limit: int, empty: str) -> str:
    """A file name stem for a name: its letters and digits (any script), lower-case, joined
    by '-', at most `limit` characters; `empty` when nothing is left."""
    words = re.sub(r"[\W_]+", "-", unicodedata.normalize("NFKC", name).casefold())
    return words.strip("-")[:limit].strip("-") or empty
