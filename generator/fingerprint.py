"""deckgen's own code, hashed: what the file cache and the up-to-date state both key on."""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

_CODE = Path(__file__).resolve().parent


@cache
def code_version() -> bytes:
    """A hash of deckgen's own code and of the libraries that decide what a card says: a new
    deckgen, markdown-it or Pygments never trusts an old one's outputs or cache."""
    import markdown_it
    import mdit_py_plugins
    import pygments

    renderers = f"{markdown_it.__version__} {mdit_py_plugins.__version__} {pygments.__version__}"
    return hashlib.sha256(code_hash(_CODE) + renderers.encode()).digest()


def code_hash(package: Path) -> bytes:
    """A hash of every `*.py` below `package`, subpackages included, each by its path inside
    the package: a moved or renamed module changes the hash as surely as an edited one."""
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*.py"), key=lambda p: p.relative_to(package).as_posix()):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.digest()


def byte_versions() -> str:
    """The versions a package's bytes depend on besides the notes and deckgen: the same
    notes give the same bytes only where these match (README: "Byte-identical where the
    versions match")."""
    import platform
    import sqlite3
    from importlib.metadata import version

    return (
        f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, "
        f"genanki {version('genanki')}, Pygments {version('pygments')}"
    )
