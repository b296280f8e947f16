"""Preview: a self-contained HTML page of every card, front and back, as Anki shows it.

Rendered with the same templates and CSS as the packages (see render.py); images and sounds are
inlined, and there is no network access and no CDN: the page works from a file:// URL.
"""

from __future__ import annotations

import base64
import html
import mimetypes
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable

from ..cards.media import IMAGE, SOUND
from ..identity.card_style import CSS
from ..identity.fold import plain
from ..identity.note_types import note_type_of
from ..records import Note
from .render import Card, cards

PAGE_CSS = """\
:root { color-scheme: light dark; }
body { margin: 0; font-family: -apple-system, "Segoe UI", Roboto, Arial, sans-serif; background: #f2f2f5; color: #1d1d1f; }
body.night { background: #111113; color: #e8e8ea; }
header { position: sticky; top: 0; z-index: 1; display: flex; flex-wrap: wrap; gap: 0.75em; align-items: center;
  padding: 0.75em 1em; background: #ffffffee; border-bottom: 1px solid #d2d2d7; }
body.night header { background: #1e1e20ee; border-color: #48484a; }
header h1 { font-size: 1.1em; margin: 0 1em 0 0; }
header input[type=search] { min-width: 16em; }
main { padding: 1em; }
.deck > h2 { font-size: 1.2em; margin: 1.5em 0 0.5em; }
.note { margin: 0 0 1.25em; }
.meta { font-size: 0.8em; color: #6e6e73; margin-bottom: 0.3em; }
.meta .tag { margin-right: 0.4em; }
.cards { display: flex; flex-direction: column; gap: 0.75em; }
.pair { display: flex; flex-wrap: wrap; gap: 0.75em; }
.side { width: 24em; max-width: 100%; }
.side h3 { font-size: 0.7em; font-weight: 600; text-transform: uppercase; color: #8e8e93; margin: 0 0 0.2em; }
.side .card { border: 1px solid #d2d2d7; border-radius: 8px; min-height: 4em; font-size: 16px; }
body.phone .side { width: 375px; max-width: 100%; }
.side .card { box-sizing: border-box; overflow-wrap: anywhere; }
body.phone .side .card { font-size: 18px; }
.hidden { display: none !important; }
"""

SCRIPT = """\
const q = document.getElementById("q"), deck = document.getElementById("deck"),
      tag = document.getElementById("tag"), count = document.getElementById("count");
function filter() {
  // As `searchable` folds the cards' text: no accents, lower case (adios finds adiós).
  const words = q.value.normalize("NFD").replace(/\\p{M}/gu, "").toLowerCase()
    .split(/\\s+/).filter(Boolean);
  let shown = 0;
  for (const note of document.querySelectorAll(".note")) {
    const ok = (!deck.value || note.dataset.deck === deck.value || note.dataset.deck.startsWith(deck.value + "::"))
      && (!tag.value || note.dataset.tags.split(" ").includes(tag.value))
      && words.every(w => note.dataset.text.includes(w));
    note.classList.toggle("hidden", !ok);
    if (ok) shown += note.querySelectorAll(".pair").length;
  }
  for (const section of document.querySelectorAll(".deck"))
    section.classList.toggle("hidden", !section.querySelector(".note:not(.hidden)"));
  count.textContent = shown + " cards";
}
for (const el of [q, deck, tag]) el.addEventListener("input", filter);
const night = document.getElementById("night"), phone = document.getElementById("phone");
night.addEventListener("change", () => {
  document.body.classList.toggle("night", night.checked);
  for (const card of document.querySelectorAll(".card")) card.classList.toggle("nightMode", night.checked);
});
phone.addEventListener("change", () => document.body.classList.toggle("phone", phone.checked));
// index.html#view=night,phone opens with those switched on (a link to share, a screenshot).
const view = location.hash.startsWith("#view=") ? location.hash.slice(6).split(",") : [];
for (const [flag, box] of [["night", night], ["phone", phone]])
  if (view.includes(flag)) { box.checked = true; box.dispatchEvent(new Event("change")); }
document.addEventListener("click", e => {  // the read-aloud buttons, as Anki's play buttons
  const b = e.target.closest("button.tts");
  if (b && window.speechSynthesis)
    speechSynthesis.speak(Object.assign(new SpeechSynthesisUtterance(b.dataset.text), {lang: b.dataset.lang}));
});
filter();
"""

SPOKEN = re.compile(r"\[anki:tts lang=([A-Za-z_]+)\]([^\[]*)\[/anki:tts\]")
"""Anki's text-to-speech directive, as the note types write it (`note_types._SPOKEN`)."""


LIVE_SCRIPT = """\
// deckgen preview --watch: reload when the notes were rebuilt (BUILT: this page's version).
setInterval(() => fetch("/version", {cache: "no-store"}).then(r => r.text())
  .then(v => { if (Number(v) !== BUILT) location.reload(); }).catch(() => {}), 250);
"""


def searchable(text: str) -> str:
    """Text as the search box compares it: accents dropped, lower case (the page's script
    folds the query the same way)."""
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def preview_page(
    notes: Iterable[Note], media: dict[str, bytes], course: str, css: str = CSS
) -> str:
    """The whole preview as one HTML document, titled with the course's name, its cards
    styled with `css` (the note types' stylesheet, in the course's look)."""
    by_deck: dict[str, list[Note]] = defaultdict(list)
    for note in notes:
        by_deck[note.record.deck].append(note)
    decks = sorted(by_deck)
    tags = sorted({t for ns in by_deck.values() for n in ns for t in n.tags})
    e = html.escape
    parts = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{e(course)}: deckgen preview</title>",
        f"<style>\n{PAGE_CSS}{css}</style></head><body>",
        f"<header><h1>{e(course)}</h1>",
        '<select id="deck" aria-label="Deck"><option value="">All decks</option>'
        + "".join(f'<option value="{e(d)}">{e(d)}</option>' for d in _with_parents(decks))
        + "</select>",
        '<select id="tag" aria-label="Tag"><option value="">All tags</option>'
        + "".join(f'<option value="{e(t)}">{e(t)}</option>' for t in tags)
        + "</select>",
        '<input id="q" type="search" placeholder="Search cards" aria-label="Search">',
        '<label><input id="night" type="checkbox"> Night mode</label>',
        '<label><input id="phone" type="checkbox"> Phone width</label>',
        '<span id="count"></span></header><main>',
    ]
    for deck in decks:
        parts.append(f'<section class="deck"><h2>{e(deck)}</h2>')
        for note in sorted(
            by_deck[deck],
            key=lambda n: (n.record.rel, n.record.location.line),
        ):
            parts.append(_note(note, media))
        parts.append("</section>")
    parts += ["</main>", f"<script>\n{SCRIPT}</script>", "</body></html>", ""]
    return "\n".join(parts)


def _note(note: Note, media: dict[str, bytes]) -> str:
    e = html.escape
    made = cards(note)
    text = searchable(" ".join(plain(c.question + " " + c.answer) for c in made))
    source = f"{note.record.rel}:{note.record.location.line}"  # as the Source field says
    head = (
        f'<article class="note" data-deck="{e(note.record.deck)}" data-tags="{e(" ".join(note.tags))}" '
        f'data-text="{e(text)}" data-guid="{e(note.guid)}">'
        f'<div class="meta">{e(note_type_of(note).name)} · {e(source)} · '
        + "".join(f'<span class="tag">#{e(t)}</span>' for t in note.tags)
        + '</div><div class="cards">'
    )
    return head + "".join(_pair(note, card, media) for card in made) + "</div></article>"


def _pair(note: Note, card: Card, media: dict[str, bytes]) -> str:
    note_type = note_type_of(note)
    label = (
        f"card {card.ordinal + 1}" if note_type.cloze else note_type.templates[card.ordinal].name
    )
    fields = dict(zip(note_type.field_names, note.fields, strict=True))
    sides = []
    for side, content in (("front", card.question), ("back", card.answer)):
        content = _typed(content, fields, answer=side == "back")
        sides.append(
            f'<div class="side"><h3>{html.escape(label)}: {side}</h3>'
            f'<div class="card {side}" data-ord="{card.ordinal}"><!--{side}-->{_inline_media(content, media)}<!--/{side}--></div></div>'
        )
    return f'<div class="pair">{"".join(sides)}</div>'


def _inline_media(content: str, media: dict[str, bytes]) -> str:
    """Images and sounds as data: URIs (Anki shows a play button for [sound:...]; a browser,
    its own audio player). A name the build did not ship is left as it is."""

    def uri(name: str) -> str:
        kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
        return f"data:{kind};base64,{base64.b64encode(media[name]).decode()}"

    def image(m: re.Match[str]) -> str:
        return f"{m[1]}{uri(m[2])}{m[3]}" if m[2] in media else m[0]

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


def _with_parents(decks: list[str]) -> list[str]:
    names = {"::".join(d.split("::")[: i + 1]) for d in decks for i in range(d.count("::") + 1)}
    return sorted(names)


_TYPED = re.compile(r"\[\[type:([^\]]+)\]\]")


def _typed(content: str, fields: dict[str, str], *, answer: bool) -> str:
    """Anki's reviewer fills `[[type:Field]]` in: a box to type in on the front, the correct
    answer on the back. The preview shows the same (the box cannot be typed in)."""

    def fill(match: re.Match[str]) -> str:
        if not answer:
            return '<input class="typeans" type="text" placeholder="type here" disabled>'
        return f'<code class="typeans">{html.escape(plain(fields.get(match.group(1), "")))}</code>'

    return _TYPED.sub(fill, content)
