"""Live preview (`deckgen preview --watch`): the preview rebuilt whenever a file of the course
changes, served on 127.0.0.1, and the open page reloads itself.

The served page carries a small script (`review.preview.LIVE_SCRIPT`) that asks `/version`
four times a second and reloads when a rebuild changed it. The server answers only those two
addresses, from memory, only on the loopback interface and only to a request that names it
(`Host: 127.0.0.1:port`, which a web page using DNS rebinding cannot send): it shows the
preview, nothing else of the machine. A build that fails serves a page listing its problems, and the watch goes on.
watchfiles does the watching (inotify, FSEvents or ReadDirectoryChangesW: no polling).
"""

from __future__ import annotations

import html
import threading
from collections.abc import Callable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from .build import PREVIEW_NAME, preview_html
from .config import Config
from .diagnostics import BuildFailed, UsageError
from .output.write import write_all
from .review.preview import LIVE_SCRIPT

DEBOUNCE_MS = 150
"""How long the watch waits for a burst of saves (an editor writing several files) to end."""


class Live:
    """The page being served and its version, shared by the server's threads and the watch."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.page = b""
        self.version = 0

    def publish(self, page: str) -> None:
        """Serve `page` from now on, with the script that reloads it after the next rebuild."""
        with self._lock:
            self.version += 1
            head, end, tail = page.rpartition("</body>")
            script = f"<script>\nconst BUILT = {self.version};\n{LIVE_SCRIPT}</script>"
            self.page = (head + script + end + tail).encode()

    def read(self) -> tuple[bytes, int]:
        with self._lock:
            return self.page, self.version


def rebuild(load: Callable[[], Config], out: Path, live: Live) -> tuple[str, bool]:
    """Build the preview into `live` (and `out/index.html`); what to tell the author, and
    whether it is a problem."""
    try:
        config = load()
        page, cards = preview_html(config)
    except (BuildFailed, UsageError) as failed:
        problems = (
            [str(d) for d in failed.diagnostics]
            if isinstance(failed, BuildFailed)
            else [str(failed)]
        )
        live.publish(_problems_page(problems))
        message = [*problems, "the preview shows these problems until they are fixed"]
        return "\n".join(message), True
    write_all({out / PREVIEW_NAME: page.encode()}, out)
    live.publish(page)
    return f"built the preview: {cards} card{'' if cards == 1 else 's'}", False


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

    live = Live()
    say(*rebuild(load, out, live))
    try:
        server = ThreadingHTTPServer(("127.0.0.1", port), BaseHTTPRequestHandler)
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
        for _ in watchfiles.watch(
            source, watch_filter=wanted, debounce=DEBOUNCE_MS, step=20, stop_event=stop
        ):
            say(*rebuild(load, out, live))
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
        server.server_close()


def _handler(live: Live, port: int) -> type[BaseHTTPRequestHandler]:
    hosts = (f"127.0.0.1:{port}", f"localhost:{port}")

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            page, version = live.read()
            if self.headers.get("Host") not in hosts:
                # Another name for this address is a web page's DNS trick to read the notes.
                self.send_error(HTTPStatus.FORBIDDEN)
            elif self.path in ("/", f"/{PREVIEW_NAME}"):
                self._send(page, "text/html; charset=utf-8")
            elif self.path == "/version":
                self._send(str(version).encode(), "text/plain")
            else:
                self.send_error(HTTPStatus.NOT_FOUND)

        def _send(self, body: bytes, kind: str) -> None:
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass  # one line per poll would bury the rebuild messages

    return Handler


def _problems_page(problems: list[str]) -> str:
    items = "".join(f"<li><code>{html.escape(p)}</code></li>" for p in problems)
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>deckgen preview: '
        "problems</title></head><body><h1>The notes have problems</h1>"
        f"<ul>{items}</ul><p>Fix them and save: this page reloads itself.</p></body></html>"
    )
