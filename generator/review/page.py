"""The preview page: its frame (controls, stylesheet, Content-Security-Policy) and the script
that draws the cards from the notes it carries as data.

The page holds every note as one JSON array (`preview.entry`: deck, tags, search text, note
type, source, GUID, cards) and draws only what the reader can see: a batch of notes, then the
next as the reader scrolls near the end; searching and filtering read the data, not the page,
so a course of any size opens at once. A card's back carries `\\u0000` where its front is
repeated (`{{FrontSide}}`), which halves the page.

The policy allows the page's own scripts (by hash) and nothing else: no script from a card,
no request to any address (images, sounds and fonts only as `data:` URIs), and with
`preview --watch` requests to the server it came from.
"""

from __future__ import annotations

import base64
import hashlib
import html
from collections.abc import Sequence

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
main > h2 { font-size: 1.2em; margin: 1.5em 0 0.5em; }
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
#more { height: 1px; }
"""

SCRIPT = """\
"use strict";
let notes = JSON.parse(document.getElementById("notes").textContent);
const $ = id => document.getElementById(id);
const q = $("q"), deck = $("deck"), tag = $("tag"), count = $("count"), main = $("cards"),
      more = $("more"), night = $("night"), phone = $("phone");
const BATCH = 40;
let shown = [], drawn = 0, lastDeck = null;
const esc = s => s.replace(/[&<>"]/g, c => ({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"})[c]);
// As `searchable` folds the cards' text: no accents, lower case (adios finds adiós).
const fold = s => s.normalize("NFD").replace(/\\p{M}/gu, "").toLowerCase();
function side(label, which, ord, content) {
  return `<div class="side"><h3>${esc(label)}: ${which}</h3><div class="card ${which}` +
    `${night.checked ? " nightMode" : ""}" data-ord="${ord}">${content}</div></div>`;
}
function note([, tags, , type, source, guid, cards]) {
  let h = `<article class="note" data-guid="${esc(guid)}"><div class="meta">${esc(type)} · ` +
    `${esc(source)} · ${tags.split(" ").filter(Boolean).map(t => `<span class="tag">#${esc(t)}</span>`).join("")}` +
    `</div><div class="cards">`;
  for (const [label, ord, front, back] of cards)
    h += `<div class="pair">${side(label, "front", ord, front)}` +
      `${side(label, "back", ord, back.replace("\\u0000", () => front))}</div>`;
  return h + "</div></article>";
}
function draw() {  // the next batch of the notes shown, under their decks' names
  let h = "";
  for (const i of shown.slice(drawn, drawn + BATCH)) {
    if (notes[i][0] !== lastDeck) h += `<h2>${esc(lastDeck = notes[i][0])}</h2>`;
    h += note(notes[i]);
  }
  drawn = Math.min(drawn + BATCH, shown.length);
  main.insertAdjacentHTML("beforeend", h);
}
function fill() {  // draw until the page reaches past the window's end
  while (drawn < shown.length && more.getBoundingClientRect().top < innerHeight * 3) draw();
}
function filter(keep = 0) {
  const words = fold(q.value).split(/\\s+/).filter(Boolean), d = deck.value, t = tag.value;
  let cards = 0;
  shown = [];
  notes.forEach((n, i) => {
    if ((!d || n[0] === d || n[0].startsWith(d + "::")) && (!t || n[1].split(" ").includes(t))
        && words.every(w => n[2].includes(w))) { shown.push(i); cards += n[6].length; }
  });
  count.textContent = cards + (cards === 1 ? " card" : " cards");
  main.textContent = "";
  drawn = 0;
  lastDeck = null;
  while (drawn < Math.min(keep, shown.length)) draw();
  fill();
}
for (const el of [q, deck, tag]) el.addEventListener("input", () => filter());
new IntersectionObserver(fill, {rootMargin: "0px 0px 200% 0px"}).observe(more);
night.addEventListener("change", () => {
  document.body.classList.toggle("night", night.checked);
  for (const card of main.querySelectorAll(".card")) card.classList.toggle("nightMode", night.checked);
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
function options(select, names, all) {  // a filter's choices, keeping the one made
  const chosen = select.value;
  select.innerHTML = `<option value="">${all}</option>` +
    names.map(n => `<option value="${esc(n)}">${esc(n)}</option>`).join("");
  select.value = names.includes(chosen) ? chosen : "";
}
filter();
"""

LIVE_SCRIPT = """\
"use strict";
// deckgen preview --watch: ask the server for the next version (it answers when there is
// one); the notes that changed replace theirs, and what the reader sees is drawn again.
let version = Number(document.body.dataset.version);
(async function follow() {
  for (;;) {
    let answer;
    try {
      answer = await fetch("/changes?since=" + version, {cache: "no-store"});
    } catch {
      await new Promise(wait => setTimeout(wait, 1000));  // the server stopped: try again
      continue;
    }
    if (answer.status === 204) continue;  // nothing changed for a while: ask again
    if (answer.status !== 200 || typeof notes === "undefined") { location.reload(); return; }
    const change = await answer.json();
    notes = notes.slice(0, change.start).concat(change.notes, notes.slice(change.start + change.removed));
    options(deck, change.decks, "All decks");
    options(tag, change.tags, "All tags");
    const y = scrollY;
    filter(drawn);
    scrollTo(0, y);
    version = change.version;
  }
})();
"""


def _hash(script: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode()).digest()).decode() + "'"


def policy(live: bool) -> str:
    """The Content-Security-Policy of a page with the preview's script (and the watch's)."""
    scripts = " ".join(_hash(s) for s in ([SCRIPT, LIVE_SCRIPT] if live else [SCRIPT]))
    connect = "'self'" if live else "'none'"
    return (
        "default-src 'none'; img-src data:; media-src data:; font-src data:; "
        f"style-src 'unsafe-inline'; script-src {scripts}; connect-src {connect}; "
        "base-uri 'none'; form-action 'none'"
    )


def page(
    course: str,
    css: str,
    decks: Sequence[str],
    tags: Sequence[str],
    entries: Sequence[str],
    version: int | None = None,
) -> str:
    """The whole page: `entries` are the notes' JSON texts (`preview.entry`); with a
    `version`, the page `preview --watch` serves, which follows the changes."""
    e = html.escape
    live = version is not None

    def choices(names: Sequence[str]) -> str:
        return "".join(f'<option value="{e(n)}">{e(n)}</option>' for n in names)

    return "".join(
        [
            '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">\n',
            f'<meta http-equiv="Content-Security-Policy" content="{policy(live)}">\n',
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
            f"<title>{e(course)}: deckgen preview</title>\n",
            f"<style>\n{PAGE_CSS}{css}</style></head>\n",
            f'<body data-version="{version}">' if live else "<body>",
            f"<header><h1>{e(course)}</h1>\n",
            '<select id="deck" aria-label="Deck"><option value="">All decks</option>',
            f"{choices(decks)}</select>\n",
            '<select id="tag" aria-label="Tag"><option value="">All tags</option>',
            f"{choices(tags)}</select>\n",
            '<input id="q" type="search" placeholder="Search cards" aria-label="Search">\n',
            '<label><input id="night" type="checkbox"> Night mode</label>\n',
            '<label><input id="phone" type="checkbox"> Phone width</label>\n',
            '<span id="count"></span></header>\n<main id="cards"></main><div id="more"></div>\n',
            '<script type="application/json" id="notes">[\n',
            ",\n".join(entries),
            "\n]</script>\n",
            f"<script>{SCRIPT}</script>\n",
            f"<script>{LIVE_SCRIPT}</script>\n" if live else "",
            "</body></html>\n",
        ]
    )
