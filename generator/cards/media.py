"""Media: images the notes show, checked to exist inside the source directory, named by content.

Anki keeps media in one flat folder and matches files by name (docs/anki.md, section 8), so each
image is shipped as `stem-<hash>.ext`: a changed image gets a new name and reaches students,
and two images called `figure.png` in different folders never clash. The name is lower-case
(Anki compares media names blind to case, and so do many file systems) and made of letters,
digits, `-` and `.` only, so no file name can break out of the `src` attribute.
"""

from __future__ import annotations

import hashlib
import html
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from urllib.parse import unquote

from ..diagnostics import Diagnostic, error, warning
from ..records import Record

IMAGE = re.compile(r'(<img src=")([^"]*)(")')
LINK = re.compile(r'<a href="([^"]*)"')
REMOTE = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//|#)", re.IGNORECASE)


def collect_media(
    records: Iterable[Record], source: Path
) -> tuple[tuple[Record, ...], dict[str, bytes], list[Diagnostic]]:
    """Records with local image sources renamed to shipped media names, and the media."""
    root = source.resolve()
    media: dict[str, bytes] = {}
    problems: list[Diagnostic] = []
    out: list[Record] = []
    for record in records:
        fields = [record.front, record.back, *record.items]
        if not any("<" in text for text in fields):
            out.append(record)  # no image, no link: most records, left as they are
            continue
        folder = (root / record.rel).parent

        def ship(match: re.Match[str], record: Record = record, folder: Path = folder) -> str:
            src = match.group(2)
            if REMOTE.match(src):
                return match.group(0)
            path = (folder / unquote(html.unescape(src))).resolve()
            if not path.is_relative_to(root):
                problems.append(
                    error(
                        record.location,
                        "media-outside",
                        f"image '{src}' lies outside the source directory",
                    )
                )
                return match.group(0)
            if not path.is_file():
                problems.append(
                    error(record.location, "media-missing", f"image '{src}' does not exist")
                )
                return match.group(0)
            data = path.read_bytes()
            name = shipped_name(path.stem, path.suffix, data)
            media[name] = data
            return f"{match.group(1)}{name}{match.group(3)}"

        for text in fields:
            for href in LINK.findall(text):
                if not REMOTE.match(href):
                    problems.append(
                        warning(
                            record.location,
                            "local-link",
                            f"link to '{href}' cannot open inside Anki; link to a web address",
                        )
                    )
        front, back, *items = [IMAGE.sub(ship, text) for text in fields]
        out.append(replace(record, front=front, back=back, items=tuple(items)))
    return tuple(out), media, problems


def shipped_name(stem: str, suffix: str, data: bytes) -> str:
    """`Figure 1 "draft".PNG` -> `figure-1-draft-3f2a...c1.png`: lower-case, safe, by content."""
    safe = re.sub(r"[^\w]+", "-", unicodedata.normalize("NFKC", stem).casefold())
    safe = safe.replace("_", "-").strip("-")[:40].strip("-") or "image"
    extension = suffix.lower() if re.fullmatch(r"\.[a-z0-9]{1,8}", suffix.lower()) else ""
    return f"{safe}-{hashlib.sha256(data).hexdigest()[:10]}{extension}"


def media_names(fields: Iterable[str]) -> set[str]:
    """The shipped media a note's fields refer to."""
    return {
        m.group(2)
        for text in fields
        if "<img" in text
        for m in IMAGE.finditer(text)
        if not REMOTE.match(m.group(2))
    }
