"""Preview: a self-contained HTML page of every card, front and back, as Anki shows it.

Rendered with the same templates and CSS as the packages (see render.py); images and sounds are
inlined, and nothing in the page fetches anything or runs a script it did not bring itself
(`inert.py`, and the page's policy in `page.py`): it works from a file:// URL.
"""

from __future__ import annotations

import base64
import html
import json
import mimetypes
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from ..cards.media import IMAGE, SOUND
from ..identity.card_style import CSS
from ..identity.fold import plain
from ..identity.note_types import note_type_of
from ..records import Note
from .inert import foreign_card, inert_css
from .page import page
from .render import cards

Key = tuple[object, ...]
"""What a note's entry depends on (`_key`)."""

SPOKEN = re.compile(r"\[anki:tts lang=([A-Za-z_]+)\]([^\[]*)\[/anki:tts\]")
"""Anki's text-to-speech directive, as the note types write it (`note_types._SPOKEN`)."""


@dataclass(frozen=True, slots=True)
class Preview:
    """What the preview page of a course shows."""

    course: str
    """The course's name: the page's title."""
    css: str
    """The cards' stylesheet, made inert (`inert.inert_css`)."""
    decks: tuple[str, ...]
    """Every deck, and each parent of one, sorted: the deck filter's choices."""
    tags: tuple[str, ...]
    """Every tag, sorted: the tag filter's choices."""
    entries: tuple[str, ...]
    """Each note's JSON text (`entry`), in the page's order: by deck, file and line."""
    cards: int
    """How many cards the notes make."""

    def page(self, version: int | None = None) -> str:
        """The HTML page (with a `version`: the one `preview --watch` serves)."""
        return page(self.course, self.css, self.decks, self.tags, self.entries, version)


def preview_of(
    notes: Iterable[Note],
    media: dict[str, bytes],
    course: str,
    css: str = CSS,
    memo: dict[Key, tuple[str, int]] | None = None,
) -> Preview:
    """The preview of `notes`. With a `memo` (each note's entry from the last call, by what
    it depends on), a note that did not change is not rendered again; the memo is left
    holding this call's notes alone."""
    ordered = sorted(notes, key=lambda n: (n.record.deck, n.record.rel, n.record.location.line))
    last = {} if memo is None else memo
    made: dict[Key, tuple[str, int]] = {}
    entries, cards = [], 0
    for note in ordered:
        key = _key(note)
        found = made.get(key) or last.get(key) or entry(note, media)
        made[key] = found
        entries.append(found[0])
        cards += found[1]
    if memo is not None:
        memo.clear()
        memo.update(made)
    decks = {note.record.deck for note in ordered}
    tags = sorted({tag for note in ordered for tag in note.tags})
    return Preview(course, inert_css(css), _with_parents(decks), tuple(tags), tuple(entries), cards)


def preview_page(
    notes: Iterable[Note], media: dict[str, bytes], course: str, css: str = CSS
) -> str:
    """The whole preview as one HTML document, titled with the course's name, its cards
    styled with `css` (the note types' stylesheet, in the course's look)."""
    return preview_of(notes, media, course, css).page()


def _key(note: Note) -> Key:
    record = note.record
    return (
        note.guid, note.fields, note.tags, note.removed, note_type_of(note),
        record.deck, record.rel, record.location.line,
    )  # fmt: skip


def entry(note: Note, media: dict[str, bytes]) -> tuple[str, int]:
    """A note as the page's data, and how many cards it has: `[deck, tags, search text, note
    type, source, GUID, [[label, ordinal, front, back], ...]]`, each back with `\\u0000`
    where it repeats its front. The cards of a kept note type are made inert
    (`inert.foreign_card`); media are inlined as `data:` URIs."""
    note_type = note_type_of(note)
    fields = dict(zip(note_type.field_names, note.fields, strict=True))
    foreign = note_type.kept is not None
    sides = []
    for card in cards(note):
        label = (
            f"card {card.ordinal + 1}"
            if note_type.cloze
            else note_type.templates[card.ordinal].name
        )
        front = _shown(card.question, fields, media, foreign, answer=False)
        back = _shown(card.answer, fields, media, foreign, answer=True)
        if front and front in back:
            back = back.replace(front, "\0", 1)
        sides.append([label, card.ordinal, front, back])
    record = note.record
    text = searchable(plain(" ".join(v for v in note.fields if v)))
    source = f"{record.rel}:{record.location.line}"  # as the Source field says
    data = [record.deck, " ".join(note.tags), text, note_type.name, source, note.guid, sides]
    # Inside the page's <script> element, "</" and "<!--" are all that could end it early.
    found = json.dumps(data, ensure_ascii=False).replace("</", "<\\/")
    return found.replace("<!--", "\\u003c!--"), len(sides)


def _shown(
    content: str, fields: dict[str, str], media: dict[str, bytes], foreign: bool, *, answer: bool
) -> str:
    """A card side as the page shows it."""
    if foreign:
        content = foreign_card(content)
    return _inline_media(_typed(content, fields, answer=answer), media)


def searchable(text: str) -> str:
    """Text as the search box compares it: accents dropped, lower case (the page's script
    folds the query the same way)."""
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def _inline_media(content: str, media: dict[str, bytes]) -> str:
    """Images and sounds as data: URIs (Anki shows a play button for [sound:...]; a browser,
    its own audio player). An image the build did not ship (a remote address, a name it
    does not have) is shown without its source: the page fetches nothing."""

    def uri(name: str) -> str:
        kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
        return f"data:{kind};base64,{base64.b64encode(media[name]).decode()}"

    def image(m: re.Match[str]) -> str:
        if m[2] in media:
            return f"{m[1]}{uri(m[2])}{m[3]}"
        if m[2].startswith("data:image/"):  # (an image as data fetches nothing)
            return m[0]
        return f'<img title="not in the deck: {m[2]}"'  # (its alt text follows)

    def sound(m: re.Match[str]) -> str:
        if m[1] not in media:
            return m[0]
        return f'<audio controls preload="none" src="{uri(m[1])}" title="{m[1]}"></audio>'

    def speech(m: re.Match[str]) -> str:
        return (
            f'<button type="button" class="tts" data-lang="{m[1].replace("_", "-")}" '
            f'data-text="{html.escape(html.unescape(m[2]))}" title="Anki reads this aloud ({m[1]})">\U0001f50a</button>'
        )

    # Anki shows a play button for a read-aloud front; the page, a button the browser reads with.
    return SPOKEN.sub(speech, SOUND.sub(sound, IMAGE.sub(image, content)))


def _with_parents(decks: Iterable[str]) -> tuple[str, ...]:
    names = {"::".join(d.split("::")[: i + 1]) for d in decks for i in range(d.count("::") + 1)}
    return tuple(sorted(names))


_TYPED = re.compile(r"\[\[type:([^\]]+)\]\]")


def _typed(content: str, fields: dict[str, str], *, answer: bool) -> str:
    """Anki's reviewer fills `[[type:Field]]` in: a box to type in on the front, the correct
    answer on the back. The preview shows the same (the box cannot be typed in)."""

    def fill(match: re.Match[str]) -> str:
        if not answer:
            return '<input class="typeans" type="text" placeholder="type here" disabled>'
        return f'<code class="typeans">{html.escape(plain(fields.get(match.group(1), "")))}</code>'

    return _TYPED.sub(fill, content)
