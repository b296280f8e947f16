"""Media: images and audio the notes show, checked to exist inside the source directory, named
by content.

Anki keeps media in one flat folder and matches files by name (docs/anki.md, section 8), so each
image is shipped as `stem-<hash>.ext`: a changed image gets a new name and reaches students,
and two images called `figure.png` in different folders never clash. The name is lower-case
(Anki compares media names blind to case, and so do many file systems) and made of letters,
digits, `-` and `.` only, so no file name can break out of the `src` attribute.

Audio, as an image (`![](hello.mp3)`) or a link (`[Listen](hello.mp3)`), becomes Anki's
`[sound:hello-<hash>.mp3]`, which every Anki client plays. A file over LARGE bytes is shipped
with a warning: a phone downloads every file of a deck.
"""

from __future__ import annotations

import hashlib
import html
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import NamedTuple
from urllib.parse import unquote

from ..diagnostics import Diagnostic, error, warning
from ..records import Record

IMAGE = re.compile(r'(<img src=")([^"]*)(")')
LINK = re.compile(r'<a href="([^"]*)"')
SOUND = re.compile(r"\[sound:([\w.-]+)\]")
"""Anki's audio tag, as deckgen writes it (shipped names only)."""
_AUDIO_IMAGE = re.compile(
    r'<img src="([^"]*\.(?:mp3|m4a|aac|ogg|oga|opus|wav|flac|webm))"[^>]*>', re.IGNORECASE
)
_AUDIO_LINK = re.compile(
    r'<a href="([^"]*\.(?:mp3|m4a|aac|ogg|oga|opus|wav|flac|webm))"[^>]*>(.*?)</a>', re.IGNORECASE
)
_AV_TAG = re.compile(r"\[(sound:|anki:|/?latex\]|/?\$\$?\])", re.IGNORECASE)
"""What Anki reads as a sound or text-to-speech tag, or as LaTeX to typeset (`[latex]`,
`[$]`, `[$$]`), in any field: written in the notes, it is shown as text, never played or
typeset."""
_SHOWN = re.compile(r'<(?:img src|a href)="|\[', re.IGNORECASE)
"""What every pattern above needs in a field: a record with none of it in any field has no
media, no link to a local file and no sound tag of its own, and is left as it is."""
REMOTE = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//|#)", re.IGNORECASE)
_FETCHED = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//)", re.IGNORECASE)
"""A source that is no file beside the notes: a web address (`https:`, `//host`) or any
other scheme (`data:`, `file:`)."""
LARGE = {"image": 1 << 20, "audio": 5 << 20}
"""Bytes over which a file gets the `media-large` warning: 1 MiB an image, 5 MiB a sound."""


class MediaFile(NamedTuple):
    """A file the notes show, as shipped."""

    path: str
    """Where it is: POSIX, relative to the source directory."""
    data: bytes
    """Its contents (read once, when its name was made from them)."""


def collect_media(
    records: Iterable[Record], source: Path
) -> tuple[tuple[Record, ...], dict[str, MediaFile], list[Diagnostic]]:
    """Records with local image sources renamed to shipped media names, and the media."""
    root = source.resolve()
    media: dict[str, MediaFile] = {}
    problems: list[Diagnostic] = []
    out: list[Record] = []
    for record in records:
        fields = [record.front, record.back, *record.items]
        if not any(_SHOWN.search(text) for text in fields):
            out.append(record)  # no image, no link, no [: most records, left as they are
            continue
        folder = (root / record.rel).parent

        def ship(src: str, kind: str, record: Record = record, folder: Path = folder) -> str | None:
            """The shipped name of a local file the record shows, or None (reported)."""
            try:
                path = (folder / unquote(html.unescape(src))).resolve()
            except (OSError, RuntimeError):  # RuntimeError: a symbolic link loop
                problems.append(
                    error(record.location, "media-missing", f"{kind} '{src}' cannot be resolved")
                )
                return None
            if not path.is_relative_to(root):
                problems.append(
                    error(
                        record.location,
                        "media-outside",
                        f"{kind} '{src}' lies outside the source directory",
                    )
                )
                return None
            if not path.is_file():
                problems.append(
                    error(record.location, "media-missing", f"{kind} '{src}' does not exist")
                )
                return None
            data = path.read_bytes()
            name = shipped_name(path.stem, path.suffix, data)
            if len(data) > LARGE[kind] and name not in media:
                problems.append(
                    warning(
                        record.location,
                        "media-large",
                        f"{kind} '{src}' is {len(data) / (1 << 20):.1f} MiB; every phone "
                        f"downloads it (keep {kind}s under {LARGE[kind] >> 20} MiB)",
                    )
                )
            media[name] = MediaFile(path.relative_to(root).as_posix(), data)
            return name

        def remote(src: str, kind: str, record: Record = record) -> None:
            # Every student's Anki would fetch it, on every review, from a host that sees
            # who studies what: a file beside the notes ships in the package instead.
            problems.append(
                error(
                    record.location,
                    "media-remote",
                    f"{kind} '{src[:80]}' is not a file beside the notes: every student's Anki "
                    "would fetch it from the network; save it next to the notes and show it "
                    "from there",
                )
            )

        def image(match: re.Match[str]) -> str:
            src = match.group(2)
            if _FETCHED.match(src):
                remote(src, "image")
                return match.group(0)
            name = None if REMOTE.match(src) else ship(src, "image")
            return match.group(0) if name is None else f"{match.group(1)}{name}{match.group(3)}"

        def sound(match: re.Match[str]) -> str:
            src = match.group(1)
            if _FETCHED.match(src):
                remote(src, "audio")
                return match.group(0)
            name = None if REMOTE.match(src) else ship(src, "audio")
            if name is None:
                return match.group(0)
            text = match.group(2) if match.re is _AUDIO_LINK else ""
            return f"{text} [sound:{name}]" if text else f"[sound:{name}]"

        def shown(text: str) -> str:
            text = _AV_TAG.sub(r"&#91;\1", text)  # the author's own "[sound:" is text
            text = _AUDIO_LINK.sub(sound, _AUDIO_IMAGE.sub(sound, text))
            return IMAGE.sub(image, text)

        shown_fields = [shown(text) for text in fields]
        for text in shown_fields:
            for href in LINK.findall(text):
                if not REMOTE.match(href):
                    problems.append(
                        warning(
                            record.location,
                            "local-link",
                            f"link to '{href}' cannot open inside Anki; link to a web address",
                        )
                    )
        if shown_fields != fields:  # else nothing was shipped (a link to the web, a `[`)
            front, back, *items = shown_fields
            record = replace(record, front=front, back=back, items=tuple(items))
        out.append(record)
    return tuple(out), media, problems


def shipped_name(stem: str, suffix: str, data: bytes) -> str:
    """`Figure 1 "draft".PNG` -> `figure-1-draft-3f2a...c1.png`: lower-case, safe, by content."""
    safe = re.sub(r"[^\w]+", "-", unicodedata.normalize("NFKC", stem).casefold())
    safe = safe.replace("_", "-").strip("-")[:40].strip("-") or "image"
    extension = suffix.lower() if re.fullmatch(r"\.[a-z0-9]{1,8}", suffix.lower()) else ""
    return f"{safe}-{hashlib.sha256(data).hexdigest()[:10]}{extension}"


def media_names(fields: Iterable[str]) -> set[str]:
    """The shipped media a note's fields refer to: images and sounds."""
    names: set[str] = set()
    for text in fields:
        if "<img" in text:
            names.update(m.group(2) for m in IMAGE.finditer(text) if not REMOTE.match(m.group(2)))
        if "[sound:" in text:
            names.update(SOUND.findall(text))
    return names
