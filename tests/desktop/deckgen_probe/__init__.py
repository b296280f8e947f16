"""deckgen_probe: an Anki add-on that plays a student's session in the real desktop client and
writes down what the client showed (the desktop tier, tests/desktop/test_desktop.py).

The tier copies this folder into a scratch profile's addons21/ and starts Anki with
DECKGEN_PROBE=<plan.json>. When the profile opens, the add-on runs the plan's steps in order on
Qt's event loop; a step waits on conditions (the import done, the reviewer's page drawn), never
for a fixed time. Each step writes `<name>.json` (and screenshots) to the plan's folder;
`result.json` comes last (the steps done, and the error that stopped them, if any); then Anki
quits. As it goes it says in `progress.txt` which step it is on and what it waits for, so the
tier can tell a client stuck in Anki's own event loop from a slow one; sent SIGUSR1, it writes
every Python thread's stack to `threads.txt` (faulthandler). It runs in Anki's own Python: it
imports nothing from deckgen.

Steps ("do"): "import" a package through File > Import with the import page's defaults;
"render" every card's question and answer HTML; "look" at cards in the reviewer, front and
back, in one theme at one width, measured in the page (measure.js); "study" cards in the
reviewer (Good); "facts": each card's scheduling and the note types.
"""

from __future__ import annotations

import faulthandler
import json
import os
import signal
import time
import traceback
from collections.abc import Callable, Generator, Iterator
from itertools import count
from pathlib import Path
from typing import Any

from aqt import gui_hooks, mw
from aqt.qt import QApplication, QMessageBox, Qt, QTimer

PLAN: dict[str, Any] = json.loads(Path(os.environ["DECKGEN_PROBE"]).read_text("utf-8"))
OUT = Path(PLAN["out"])
MEASURE = (Path(__file__).parent / "measure.js").read_text("utf-8")
PATIENCE = 60.0
"""Seconds any one condition may take before the plan stops with an error that names it."""
LOADED = time.monotonic()
_PROGRESS = (OUT / "progress.txt").open("a", encoding="utf-8", buffering=1)
_SAID = [""]
_STEP = ["(no step)"]


def say(text: str) -> None:
    """A line in progress.txt, unless it is the last one again (a condition polled anew)."""
    if text != _SAID[0]:
        _SAID[0] = text
        _PROGRESS.write(f"{time.monotonic() - LOADED:8.1f}  {text}\n")


_THREADS = (OUT / "threads.txt").open("w", encoding="utf-8")
faulthandler.register(signal.SIGUSR1, file=_THREADS, all_threads=True)
(OUT / "anki.pid").write_text(str(os.getpid()))
say("the add-on is loaded")


class Wait:
    """What a step waits for: `test()` true. The driver sends its value back into the step."""

    def __init__(self, test: Callable[[], Any], what: str) -> None:
        self.test, self.what = test, what
        self.deadline = time.monotonic() + PATIENCE
        say(f"{_STEP[0]}: waiting for {what}")


Step = Generator[Wait, Any, Any]


def js(web: Any, code: str) -> Step:
    """The value of `code` evaluated in `web`'s page."""
    box: list[Any] = []
    web.evalWithCallback(code, box.append)
    yield Wait(lambda: box, f"the page to evaluate {code[:60]!r}")
    return box[0]


def js_until(web: Any, code: str, what: str) -> Step:
    """Evaluate `code` in `web`'s page until it is truthy; its value."""
    deadline = time.monotonic() + PATIENCE
    while not (value := (yield from js(web, code))):
        if time.monotonic() > deadline:
            raise TimeoutError(f"waited {PATIENCE:.0f} s for {what}")
    return value


_TOKENS = count(1)
_DRAWN = """_queueAction(async () => {
  const frame = () => new Promise((done) => requestAnimationFrame(done));
  await Promise.all([...document.images].map((image) => image.decode().catch(() => null)));
  await frame();  // laid out: the fonts the card uses are loading
  while ([...document.fonts].some((font) => font.status === "loading")) await frame();
  await frame(); await frame();  // and painted
  window.deckgenProbe = %d;
});"""


def reviewer_drawn() -> Step:
    """Wait until the reviewer's page shows what it was last asked to, painted. Anki's reviewer
    makes its updates one after another (`_queueAction`): a marker queued behind them runs once
    the card is in the page and its MathJax typeset; it waits for the images, the fonts (loaded
    once text uses them) and two frames."""
    token = next(_TOKENS)
    try:
        yield from js_until(mw.web, "typeof _queueAction === 'function'", "the reviewer's script")
    except TimeoutError:
        # Once in CI (1 run of 4 alike), Anki's local web server failed a request of the
        # reviewer's page ("TypeError: Failed to fetch" in a message box) and the page never
        # got its script. That is Anki's server, not a card: the page is loaded again, once.
        if not _dismissed("Failed to fetch"):
            raise
        mw.reviewer._initWeb()
        mw.reviewer._redraw_current_card()
        yield from js_until(mw.web, "typeof _queueAction === 'function'", "the reviewer's script")
    mw.web.eval(_DRAWN % token)
    yield from js_until(mw.web, f"window.deckgenProbe === {token}", "the reviewer's page")


def _dismissed(text: str) -> bool:
    """Close each message box Anki shows that says `text`; whether there was one."""
    boxes = [
        box
        for box in QApplication.topLevelWidgets()
        if isinstance(box, QMessageBox) and box.isVisible() and text in box.text()
    ]
    for box in boxes:
        box.accept()
    return bool(boxes)


_LISTED = [0]
gui_hooks.deck_browser_did_render.append(lambda _: _LISTED.__setitem__(0, _LISTED[0] + 1))


def deck_list() -> Step:
    """Go to the deck list and wait until it is drawn: it is drawn from a background query and
    would overwrite a screen shown before it is done."""
    drawn = _LISTED[0]
    mw.moveToState("deckBrowser")
    yield Wait(lambda: _LISTED[0] > drawn, "the deck list")


def screenshot(widget: Any, name: str) -> None:
    """`name`.png: the widget as drawn (said first: a grab waits on the page's renderer)."""
    say(f"{_STEP[0]}: a screenshot, {name}.png")
    widget.grab().save(str(OUT / f"{name}.png"))


def save(name: str, data: Any) -> None:
    (OUT / f"{name}.json").write_text(json.dumps(data, indent=1, ensure_ascii=False), "utf-8")


def keyed(card: Any) -> str:
    """A card's name that holds in any collection: its note's GUID and its ordinal."""
    return f"{card.note().guid} {card.ord}"


def card_id(key: str) -> int:
    guid, ordinal = key.rsplit(" ", 1)
    sql = "select c.id from cards c join notes n on n.id = c.nid where n.guid = ? and c.ord = ?"
    found = mw.col.db.scalar(sql, guid, int(ordinal))
    if found is None:
        raise LookupError(f"no card {key!r} in the collection")
    return int(found)


# ---------------------------------------------------------------- the steps


def step_import(step: dict[str, Any]) -> Step:
    """File > Import of a package, with the import page's options as they are (Anki's
    defaults: no learning progress, no deck presets, no merging of note types, notes and note
    types updated when newer)."""
    from aqt.import_export.import_dialog import ImportDialog
    from aqt.import_export.importing import import_file

    def dialog() -> Any:
        found = [w for w in QApplication.topLevelWidgets() if isinstance(w, ImportDialog)]
        return found[0] if found and found[0].isVisible() and found[0].web else None

    import_file(mw, step["path"])
    shown = yield Wait(dialog, "the import dialog")
    button = "[...document.querySelectorAll('button')].find(b => b.innerText.trim() === 'Import')"
    yield from js_until(shown.web, f"!!{button}", "the import page's Import button")
    yield from js(shown.web, f"{button}.click(); true")
    # The page calls aqt.mediasrv.import_done when the importer has finished, which makes the
    # dialog non-modal; the page then gathers and shows the import log.
    yield Wait(lambda: shown.windowModality() == Qt.WindowModality.NonModal, "the import")
    text = "document.body.innerText"
    log = yield from js_until(shown.web, f"{text}.includes('Overview') && {text}", "the log")
    screenshot(shown, step["name"])
    shown.reject()
    yield Wait(lambda: dialog() is None, "the import dialog to close")
    save(step["name"], {"log": log})


def step_render(step: dict[str, Any]) -> Step:
    """Every card's question and answer HTML, as the reviewer gets them from the collection."""
    cards = {}
    for cid in mw.col.find_cards(""):
        card = mw.col.get_card(cid)
        cards[keyed(card)] = {"question": card.question(), "answer": card.answer()}
    save(step["name"], cards)
    yield from ()


def _filtered(cids: list[int], reschedule: bool) -> int:
    """A filtered deck of exactly these cards, as a student makes one with Custom Study."""
    from anki.decks import DeckId

    deck = mw.col.sched.get_or_create_filtered_deck(DeckId(0))
    deck.name = "deckgen probe"
    del deck.config.search_terms[1:]  # a new filtered deck comes with a second search
    deck.config.search_terms[0].search = "cid:" + ",".join(map(str, cids))
    deck.config.search_terms[0].limit = len(cids)
    deck.config.reschedule = reschedule
    return int(mw.col.sched.add_or_update_filtered_deck(deck).id)


def _reviewed(
    keys: list[str],
    reschedule: bool,
    ease: int,
    front: Callable[[str], Step],
    back: Callable[[str], Step],
) -> Step:
    """Study these cards in the reviewer: on each, `front` on its question, Show Answer (typing
    nothing unless `front` did), `back` on the answer, then answer `ease`."""
    cards = {card_id(key): key for key in keys}
    yield from deck_list()
    deck = _filtered(list(cards), reschedule)
    mw.col.decks.select(deck)
    mw.moveToState("review")
    done: set[str] = set()
    while len(done) < len(cards):
        card = yield Wait(
            lambda: mw.state != "review" or (mw.reviewer.state == "question" and mw.reviewer.card),
            "the next card",
        )
        if mw.state != "review" or cards.get(card.id) in done | {None}:
            missed = sorted(set(keys) - done)
            raise AssertionError(f"the reviewer went on ({mw.state}) before showing {missed}")
        key = cards[card.id]
        yield from reviewer_drawn()
        yield from front(key)
        mw.reviewer._getTypedAnswer()  # what the Show Answer button does
        yield Wait(lambda: mw.reviewer.state == "answer", "the answer")
        yield from reviewer_drawn()
        yield from back(key)
        done.add(key)
        mw.reviewer._answerCard(ease)
        yield Wait(
            lambda: mw.state != "review" or mw.reviewer.state != "transition", "the answer saved"
        )
    yield from deck_list()
    mw.col.decks.remove([deck])  # what is left of it goes back to its home deck


def step_look(step: dict[str, Any]) -> Step:
    """The cards in the reviewer in one theme at one width, previewed (not rescheduled): each
    side measured in the page (measure.js), and a screenshot of the window."""
    from aqt.theme import Theme, theme_manager

    if theme_manager.night_mode != step["night"]:
        mw.set_theme(Theme.DARK if step["night"] else Theme.LIGHT)
    yield Wait(lambda: theme_manager.night_mode == step["night"], "the theme")
    view = step["view"]
    mw.resize(view["window"], view["height"])
    labels: dict[str, str] = dict(step["cards"])
    seen: dict[str, dict[str, Any]] = {}

    def measured(key: str, side: str) -> Step:
        # A window is at least 400 pixels wide: a phone's width is a zoom, as a student zooms.
        mw.web.setZoomFactor(view["window"] / view["width"])
        yield from js_until(
            mw.web,
            f"Math.abs(window.innerWidth - {view['width']}) <= 1",
            f"the page to be {view['width']} pixels wide",
        )
        yield from reviewer_drawn()
        screenshot(mw, f"{step['name']}-{labels[key]}-{side}")
        seen.setdefault(key, {"label": labels[key]})[side] = yield from js(mw.web, MEASURE)

    def typed(key: str) -> Step:
        yield from measured(key, "front")
        if key in step["typed"]:
            text = json.dumps(step["typed"][key])
            yield from js(mw.web, f"document.getElementById('typeans').value = {text}; true")

    # Easy: a previewed card leaves the filtered deck.
    yield from _reviewed(list(labels), False, 4, typed, lambda key: measured(key, "back"))
    save(step["name"], seen)


def step_study(step: dict[str, Any]) -> Step:
    """Study the cards in the reviewer, rescheduled as in a Custom Study session: Good."""

    def nothing(key: str) -> Step:
        yield from ()

    yield from _reviewed(step["cards"], True, 3, nothing, nothing)
    save(step["name"], step["cards"])


_COLUMNS = ("id", "nid", "mid", "did", "type", "queue", "due", "ivl", "factor", "reps", "lapses")


def step_facts(step: dict[str, Any]) -> Step:
    """Each card's scheduling and number of reviews; the note types and their notes."""
    col = mw.col
    rows = col.db.all(
        f"select n.guid, c.ord, {', '.join(('n.' if c == 'mid' else 'c.') + c for c in _COLUMNS)},"
        " (select count() from revlog r where r.cid = c.id) from cards c join notes n on n.id = c.nid"
    )
    cards = {
        f"{guid} {ord_}": dict(zip((*_COLUMNS, "reviews"), rest, strict=True))
        for guid, ord_, *rest in rows
    }
    types = [{"name": m["name"], "notes": col.models.use_count(m)} for m in col.models.all()]
    save(step["name"], {"notes": col.note_count(), "note_types": types, "cards": cards})
    yield from ()


STEPS: dict[str, Callable[[dict[str, Any]], Step]] = {
    "import": step_import,
    "render": step_render,
    "look": step_look,
    "study": step_study,
    "facts": step_facts,
}
done: list[dict[str, Any]] = []


def plan() -> Iterator[Wait]:
    mw.resize(*PLAN["window"])
    mw.move(0, 0)
    for step in PLAN["steps"]:
        started = time.monotonic()
        _STEP[0] = step["name"]
        say(f"{step['name']}: begins")
        yield from STEPS[step["do"]](step)
        done.append({"step": step["name"], "seconds": round(time.monotonic() - started, 2)})


def finish(error: str | None) -> None:
    say(f"the plan {'stopped' if error else 'is done'}")
    if error:  # any message Anki showed, and how the window looked when the plan stopped
        error += f"(Anki's state: {mw.state}, the reviewer's: {mw.reviewer.state})"
        for box in QApplication.topLevelWidgets():
            if isinstance(box, QMessageBox) and box.isVisible():
                error += f"\nAnki said: {box.text()}"
    (OUT / "result.json").write_text(json.dumps({"done": done, "error": error}, indent=1))
    if error:  # after the result: a grab waits on the page's renderer, which may be stuck
        screenshot(mw, "stopped")
    mw.close()


def drive(steps: Iterator[Wait]) -> None:
    """Run the plan on Qt's event loop: while a step waits, poll its condition every 20 ms (the
    GUI goes on in between), then resume the step with the condition's value."""
    waiting: list[Wait] = []

    def resume(value: Any = None, error: BaseException | None = None) -> None:
        try:
            waiting[:] = [steps.throw(error) if error else steps.send(value)]
        except StopIteration:
            finish(None)
            return
        except BaseException:
            finish(traceback.format_exc())
            return
        QTimer.singleShot(0, poll)

    def poll() -> None:
        (wait,) = waiting
        try:
            value = wait.test()
        except Exception as exc:
            resume(error=exc)
            return
        if value:
            resume(value)
        elif time.monotonic() > wait.deadline:
            resume(error=TimeoutError(f"waited {PATIENCE:.0f} s for {wait.what}"))
        else:
            QTimer.singleShot(20, poll)

    resume()


def opened() -> None:
    say("the profile is open")
    drive(plan())


gui_hooks.profile_did_open.append(opened)
