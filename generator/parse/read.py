"""Read: find the Markdown notes in the source directory and decode them strictly."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from ..diagnostics import Diagnostic, error, shown_path
from ..records import Location, SourceFile

SKIPPED = frozenset({"readme.md"})
MAX_FILE = 64 << 20
"""The largest notes file read (64 MiB: 100,000 records are about 10 MiB)."""


def read_sources(source: Path) -> tuple[tuple[SourceFile, ...], list[Diagnostic]]:
    """Every `*.md` below `source` (but READMEs and hidden folders), sorted by path."""
    paths = sorted(
        (p for p in source.rglob("*.md") if p.is_file() or p.is_symlink()),
        key=lambda p: p.relative_to(source).as_posix().encode("utf-8", "surrogateescape"),
    )
    files: list[SourceFile] = []
    problems: list[Diagnostic] = []
    for path in paths:
        rel = path.relative_to(source).as_posix()
        if path.name.lower() in SKIPPED or any(part.startswith(".") for part in rel.split("/")):
            continue
        read = _read(path, rel)
        if isinstance(read, SourceFile):
            files.append(read)
        else:
            problems.append(read)
    if not files and not problems:
        problems.append(
            error(Location(shown_path(source), 1), "no-notes", "no Markdown notes (*.md) found")
        )
    return tuple(files), problems


def _read(path: Path, rel: str) -> SourceFile | Diagnostic:
    shown = shown_path(path)
    try:
        rel.encode("utf-8")
    except UnicodeEncodeError:
        return error(Location(shown, 1), "unreadable", "the file name is not UTF-8; rename it")
    try:
        # A FIFO would hang the build and /dev/zero fill the memory: regular files only.
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            return error(
                Location(shown, 1), "unreadable", "not a regular file (a FIFO, device or folder)"
            )
        if info.st_size > MAX_FILE:
            return error(
                Location(shown, 1),
                "unreadable",
                f"{info.st_size} bytes is too large for a notes file (at most {MAX_FILE}); split it",
            )
        data = path.read_bytes()
    except OSError as exc:
        return error(Location(shown, 1), "unreadable", f"cannot read file: {exc.strerror or exc}")
    if b"\x00" in data:
        at = data.index(b"\x00")
        return error(
            _byte_location(shown, data, at), "binary", "binary data (NUL byte): not a Markdown file"
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return error(
            _byte_location(shown, data, exc.start),
            "not-utf8",
            f"not valid UTF-8 (byte 0x{data[exc.start]:02x}); save the file as UTF-8",
        )
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return SourceFile(shown, rel, text)


def _byte_location(shown: str, data: bytes, offset: int) -> Location:
    line_start = data.rfind(b"\n", 0, offset) + 1
    return Location(shown, data.count(b"\n", 0, offset) + 1, offset - line_start + 1)
