"""Live preview (`deckgen preview --watch`): the preview rebuilt whenever a file of the course
changes, served on 127.0.0.1, and the open page follows.

The served page carries a script (`review.page.LIVE_SCRIPT`) that asks `/changes?since=N`;
the server answers when there is a version after N (a long poll: at once after a save, no
polling): with the notes that changed since N (the run of entries between the unchanged head
and tail, so one edit sends one note), which the page puts in place and draws where the
reader is; or, when it cannot say (a page of problems, another look, a version missed), with
205, and the page reloads. Only the notes that changed are rendered again (`preview_of`'s
memo). The server answers only those addresses, from memory, only on the loopback interface
and only to a request that names it (`Host: 127.0.0.1:port`, which a web page using DNS
rebinding cannot send): it shows the preview, nothing else of the machine. A client that
hangs up costs nothing but its thread. The notes are shown before the checks that compare
records, which then run as a build runs them: every problem a build reports is said, warnings
too. A build that fails serves a page listing its problems, and the watch goes on. The
preview is written to `out` too, once the saves pause (and when the watch stops): not while
the open page draws a change. watchfiles does the watching (inotify, FSEvents or
ReadDirectoryChangesW: no polling).
"""

from __future__ import annotations

import contextlib
import html
import json
import sys
import threading
from collections.abc import Callable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from .build import PREVIEW_NAME, course_preview
from .cards.file_cache import Memory
from .config import Config
from .diagnostics import BuildFailed, UsageError
from .identity.lock import Lock, lock_of_bytes, read_lock
from .output.write import write_all
from .progress import gc_paused
from .review.page import LIVE_SCRIPT, policy
from .review.preview import Key, Preview

DEBOUNCE_MS = 150
"""How long the watch waits for a burst of saves (an editor writing several files) to end."""
WRITE_AFTER_MS = 500
"""How long the watch waits with no save before it writes the page to `out` (16 MB at 10,000
records: written as the open page drew a change, it delayed the change by 0.1-0.15 s)."""
WAIT_SECONDS = 25.0
"""How long a request for changes waits for one before it is answered "none yet"."""


class Live:
    """The page being served, its version and the change that made it, shared by the
    server's threads and the watch."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self.version = 0
        self._page: bytes | None = b""
        """The page of this version; None until it is asked for (`page`)."""
        self._shown: Preview | None = None
        """The preview the page shows; None while it lists problems."""
        self._change: bytes | None = None
        """The change from the version before, as `/changes` sends it (None: reload)."""

    @property
    def page(self) -> bytes:
        """The page of the current version. Made when first asked for: an open page follows
        by `/changes` and never asks, and making it would delay the change it waits for."""
        with self._changed:
            if self._page is None:
                assert self._shown is not None
                self._page = self._shown.page(self.version).encode()
            return self._page

    def show(self, preview: Preview) -> None:
        """Serve `preview` from now on."""
        with self._changed:
            self.version += 1
            self._page = None
            last, self._shown = self._shown, preview
            same_look = last is not None and (last.course, last.css) == (
                preview.course,
                preview.css,
            )
            self._change = _change(last, preview, self.version) if last and same_look else None
            self._changed.notify_all()

    def show_problems(self, problems: list[str]) -> None:
        """Serve a page listing `problems` until the next preview."""
        with self._changed:
            self.version += 1
            self._page = _problems_page(problems, self.version).encode()
            self._shown = self._change = None
            self._changed.notify_all()

    def changes(self, since: int, wait: float = WAIT_SECONDS) -> tuple[HTTPStatus, bytes]:
        """What a page at version `since` is told, once there is a later version or `wait`
        seconds passed: the change (200), nothing yet (204) or to reload (205)."""
        with self._changed:
            self._changed.wait_for(lambda: self.version != since, timeout=wait)
            if self.version == since:
                return HTTPStatus.NO_CONTENT, b""
            if since == self.version - 1 and self._change is not None:
                return HTTPStatus.OK, self._change
            return HTTPStatus.RESET_CONTENT, b""


def _change(last: Preview, now: Preview, version: int) -> bytes:
    """The entries of `now` that replace those of `last`: after the common head, before the
    common tail (entries are JSON texts, compared as they are)."""
    old, new = last.entries, now.entries
    start, most = 0, min(len(old), len(new))
    while start < most and old[start] == new[start]:
        start += 1
    tail = 0
    while tail < most - start and old[-1 - tail] == new[-1 - tail]:
        tail += 1
    head = json.dumps(
        {"version": version, "start": start, "removed": len(old) - start - tail}
        | {"decks": now.decks, "tags": now.tags}
    )
    return f'{head[:-1]}, "notes": [{",".join(new[start : len(new) - tail])}]}}'.encode()


class KeptLock:
    """`read_lock`, but the lock read last is kept while its file holds the same bytes: the
    watch rebuilds after every save, and reading a lock of 10,000 records costs 0.1 s of the
    0.6 s a rebuild takes (the lock changes only when a build writes it)."""

    def __init__(self) -> None:
        self._kept: tuple[Path, bytes, Lock] | None = None

    def __call__(self, path: Path) -> Lock:
        try:
            data = path.read_bytes()
        except OSError:
            return read_lock(path)  # none yet (an empty lock), or the error it reports
        if self._kept is None or self._kept[:2] != (path, data):
            self._kept = (path, data, lock_of_bytes(data, path))
        return self._kept[2]


def rebuild(
    load: Callable[[], Config],
    live: Live,
    memo: dict[Key, tuple[str, int]],
    say: Callable[[str, bool], None],
    lock_of: Callable[[Path], Lock] = read_lock,
    memory: Memory | None = None,
) -> Preview | None:
    """Build the preview into `live`, rendering only the notes not in `memo`, and tell the
    author (`say`: the text, and whether it is a problem); the preview, for `out/index.html`
    (None: problems). The notes are shown first, then every check a build runs is run (those
    comparing records take a file of 1,000 as long as the rest of the rebuild): errors they
    find replace the page a moment later, and every problem a build reports is said, warnings
    too. Errors are said before the page shows them: whoever sees them there finds them said
    too. `memory` keeps the cache's entries between rebuilds (`course_preview`)."""
    shown = None
    try:
        config = load()
        with contextlib.suppress(BuildFailed):  # (said below, with the checks' problems)
            shown = course_preview(config, memo, lock_of, memory, checks=False)[0]
            live.show(shown)
        preview, warnings = course_preview(config, memo, lock_of, memory)
    except (BuildFailed, UsageError) as failed:
        if memory is not None:  # a failed build's results are never trusted, as on disk:
            memory.clear()  # an image since deleted or added is looked at again
        problems = (
            [str(d) for d in failed.diagnostics]
            if isinstance(failed, BuildFailed)
            else [str(failed)]
        )
        say("\n".join([*problems, "the preview shows these problems until they are fixed"]), True)
        live.show_problems(problems)
        return None
    if preview != shown:  # (the checks change no note: only if the notes changed meanwhile)
        live.show(preview)
    if warnings:
        say("\n".join(str(warning) for warning in warnings), True)
    cards = preview.cards
    say(f"built the preview: {cards} card{'' if cards == 1 else 's'}", False)
    return preview


def serve(
    load: Callable[[], Config],
    source: Path,
    out: Path,
    port: int,
    say: Callable[[str, bool], None],
    stop: threading.Event | None = None,
) -> None:
    """Serve the preview at http://127.0.0.1:`port`/ (0: any free port), rebuilding it on every
    change below `source` (but not below `out`), until `stop` is set or Ctrl+C."""
    import watchfiles

    live, memo, lock_of = Live(), dict[Key, tuple[str, int]](), KeptLock()
    memory: Memory = {}

    def rebuilt() -> Preview | None:
        # The collector is paused while a rebuild runs: each full collection its objects set
        # off would scan what the watch keeps (the notes in `memory`). Not frozen after it:
        # the watch goes on, and what it drops must be collected.
        with gc_paused(freeze=False):
            return rebuild(load, live, memo, say, lock_of, memory)

    unwritten = rebuilt()
    if unwritten is not None:
        _write(unwritten, out)
        unwritten = None
    try:
        server = _Server(("127.0.0.1", port), BaseHTTPRequestHandler)
    except OSError as exc:
        raise UsageError(f"cannot serve on 127.0.0.1:{port}: {exc.strerror}; try --port") from None
    port = int(server.server_address[1])  # the one the system chose for 0
    server.RequestHandlerClass = _handler(live, port)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    say(f"serving the preview at http://127.0.0.1:{port}/ (Ctrl+C stops)", False)
    built = out.resolve()

    def wanted(change: watchfiles.Change, path: str) -> bool:
        return watchfiles.DefaultFilter()(change, path) and not Path(path).is_relative_to(built)

    try:
        for changes in watchfiles.watch(
            source,
            watch_filter=wanted,
            debounce=DEBOUNCE_MS,
            step=20,
            stop_event=stop,
            rust_timeout=WRITE_AFTER_MS,
            yield_on_timeout=True,  # (no changes) a quiet moment: write the page
        ):
            if changes:
                unwritten = rebuilt() or unwritten
            elif unwritten is not None:
                _write(unwritten, out)
                unwritten = None
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
        server.server_close()
        if unwritten is not None:
            with contextlib.suppress(KeyboardInterrupt):  # a second Ctrl+C: stop now
                _write(unwritten, out)  # (all or nothing)


def _write(preview: Preview, out: Path) -> None:
    write_all({out / PREVIEW_NAME: preview.page().encode()}, out)


class _Server(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        if isinstance(sys.exc_info()[1], ConnectionError):
            return  # a reader that closed the page or hung up: nothing to report
        super().handle_error(request, client_address)  # type: ignore[arg-type]


def _handler(live: Live, port: int) -> type[BaseHTTPRequestHandler]:
    hosts = (f"127.0.0.1:{port}", f"localhost:{port}")

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            url = urlsplit(self.path)
            if self.headers.get("Host") not in hosts:
                # Another name for this address is a web page's DNS trick to read the notes.
                self.send_error(HTTPStatus.FORBIDDEN)
            elif url.path in ("/", f"/{PREVIEW_NAME}"):
                self._send(HTTPStatus.OK, live.page, "text/html; charset=utf-8")
            elif url.path == "/changes":
                since = parse_qs(url.query).get("since", [""])[0]
                if not since.isdigit():
                    self.send_error(HTTPStatus.BAD_REQUEST)
                    return
                self._send(*live.changes(int(since)), "application/json")
            else:
                self.send_error(HTTPStatus.NOT_FOUND)

        def _send(self, status: HTTPStatus, body: bytes, kind: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass  # one line per request would bury the rebuild messages

    return Handler


def _problems_page(problems: list[str], version: int) -> str:
    items = "".join(f"<li><code>{html.escape(p)}</code></li>" for p in problems)
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{policy(live=True)}">'
        "<title>deckgen preview: problems</title></head>"
        f'<body data-version="{version}"><h1>The notes have problems</h1><ul>{items}</ul>'
        "<p>Fix them and save: this page reloads itself.</p>"
        f"<script>{LIVE_SCRIPT}</script></body></html>"
    )
