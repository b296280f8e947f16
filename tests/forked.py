"""deckgen in a real process forked from one that has already imported it.

`python -m generator` spends about 0.4 s of CPU importing deckgen and reading the English word
list before it looks at its input; the table of hostile inputs (tests/test_adversarial.py)
starts it about a hundred times. Here one server process imports it once and forks a child per
run: each run is still its own process (its own exit status, stdout and stderr, killed when it
outlives its timeout, a crash or memory blow-up its own), started the way `python -m generator`
starts (`runpy`, argv, the working folder, stdin from /dev/null). What it shares with the other
runs is what was imported, the environment the server started with (a test that sets a variable
must start a real process) and the hash seed: use it only where no two runs' outputs are
compared (a build's determinism across processes is tested with fresh processes elsewhere).
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

_SERVER: subprocess.Popen[str] | None = None


def run(args: list[str], cwd: Path | None, timeout: float) -> subprocess.CompletedProcess[str]:
    """`python -m generator *args` in `cwd`, as subprocess.run(capture_output=True, text=True)
    gives it; subprocess.TimeoutExpired when it runs longer than `timeout` seconds."""
    global _SERVER
    if _SERVER is None or _SERVER.poll() is not None:
        _SERVER = subprocess.Popen(
            [sys.executable, "-m", "tests.forked"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=Path(__file__).resolve().parent.parent,
        )
        atexit.register(_stop, _SERVER)
    assert _SERVER.stdin and _SERVER.stdout
    with tempfile.TemporaryDirectory() as said:
        request = {"args": args, "cwd": str(cwd or os.getcwd()), "timeout": timeout, "to": said}
        _SERVER.stdin.write(json.dumps(request) + "\n")
        _SERVER.stdin.flush()
        status = json.loads(_SERVER.stdout.readline())
        out, err = (Path(said, n).read_text() for n in ("out", "err"))
    if status is None:
        raise subprocess.TimeoutExpired(args, timeout, out, err)
    return subprocess.CompletedProcess(args, status, out, err)


def _stop(server: subprocess.Popen[str]) -> None:
    """End the server (its stdin closed) and wait for it: its CPU counts in this process's."""
    assert server.stdin
    server.stdin.close()
    server.wait(timeout=60)


def _child(args: list[str], cwd: str, to: str) -> None:
    """Run deckgen in this (forked) process and exit with its status; never returns."""
    import runpy
    import traceback

    status = 1
    try:
        written = os.O_WRONLY | os.O_CREAT
        for fd, name, flags in (
            (0, os.devnull, os.O_RDONLY),
            (1, "out", written),
            (2, "err", written),
        ):
            opened = os.open(os.path.join(to, name), flags, 0o600)  # (stdin reads: end of file)
            os.dup2(opened, fd)
            os.close(opened)
        os.chdir(cwd)
        sys.argv = ["-m", *args]
        try:
            runpy.run_module("generator", run_name="__main__", alter_sys=True)
            status = 0
        except SystemExit as exit_:
            code = exit_.code
            status = code if isinstance(code, int) else (0 if code is None else 1)
            if code is not None and not isinstance(code, int):
                print(code, file=sys.stderr)
        except BaseException:
            traceback.print_exc()  # what the interpreter prints for an uncaught exception
    finally:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(BaseException):
                stream.flush()
        os._exit(status)


def _serve() -> None:
    """Read requests (one JSON line each) from stdin; answer each with the exit status, or
    null when the run outlived its timeout and was killed."""
    import generator.cli  # noqa: F401  what every run imports
    from generator.cards.words import _frequencies

    _frequencies("en")  # the default language's word list, read once
    signal.signal(signal.SIGINT, signal.default_int_handler)  # as from a terminal
    for line in sys.stdin:
        request = json.loads(line)
        sys.stdout.flush()
        pid = os.fork()
        if pid == 0:
            _child(request["args"], request["cwd"], request["to"])
        deadline = time.monotonic() + request["timeout"]
        while True:
            done, wait_status = os.waitpid(pid, os.WNOHANG)
            if done:
                status: int | None = os.waitstatus_to_exitcode(wait_status)
                break
            if time.monotonic() > deadline:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                status = None
                break
            time.sleep(0.002)
        sys.stdout.write(json.dumps(status) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    _serve()
