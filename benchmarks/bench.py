"""Every deckgen command against honest references, as whole processes, interleaved.

    python -m benchmarks.bench --quick        # 1,000 and 10,000 records, one round: minutes
    python -m benchmarks.bench                # 1,000, 10,000 and 100,000, three rounds
    python -m benchmarks.bench --sizes 20000 --corpus wild --steps cold edit floor limit

For each size and corpus (synthetic.py: plain, marked, wild) it writes a course, then runs
rounds; in each round, one after another, each step as a fresh process: a cold build (no
build/, no lock), the **floor** (genanki writing exactly the notes that build wrote, read
back from its package) and the **physical limit** (the same rows through sqlite3's
executemany and a deflated zipfile), markdown-it alone parsing the notes (what no build
can skip while markdown-it-py defines the format), a rebuild with no change, a rebuild after one edit,
`check`, `diff` (the cold build against the edited one), `verify` and Anki's own import of
the build (verify's reference), `preview`, the preview in headless Chromium (opened until
interactive; a search for the last card answered), `preview --watch` (a save until the open
page shows it), `import` of the records as a stock Basic/Cloze deck and genanki writing that
deck (import's reference), and ankdown on the same records (`--ankdown PATH/TO/ankdown`;
`python3 -m venv /tmp/ankdown && /tmp/ankdown/bin/pip install ankdown`).

Each cell is the median over the rounds: wall time, CPU time (user + system of the whole
process tree: deckgen's workers are in it) and peak RSS (the process tree's resident memory,
sampled every 50 ms, or the largest process's high-water mark if higher). Every floor and
limit package is checked to hold exactly deckgen's notes, note types and cards before its
time is used (`floor.same_notes`). The machine is shared: wall time moves with the load
(two workers lose their parallelism when the other core is busy); CPU time is the steadier
figure, and the ratios are taken within one run.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

from benchmarks.floor import same_notes
from benchmarks.report import ORDER, TIMED_IN_PAGE, Sample, summary, table
from benchmarks.synthetic import CORPORA, write_corpus

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DECKGEN = [PYTHON, "-m", "generator"]
FLOOR = [PYTHON, "-m", "benchmarks.floor"]
PAGE = os.sysconf("SC_PAGE_SIZE")


def _tree_rss(pid: int) -> int:
    """Resident bytes of `pid` and its descendants, now."""
    total, todo = 0, [pid]
    while todo:
        process = todo.pop()
        try:
            with open(f"/proc/{process}/statm", encoding="ascii") as statm:
                total += int(statm.read().split()[1]) * PAGE
            for task in os.listdir(f"/proc/{process}/task"):
                with open(f"/proc/{process}/task/{task}/children", encoding="ascii") as kids:
                    todo += [int(k) for k in kids.read().split()]
        except (OSError, ValueError, IndexError):
            pass
    return total


_LAUNCHER = """
import ctypes, json, os, sys, time
ctypes.CDLL(None).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER: orphans come back to us
for line in sys.stdin:
    argv, cwd, env, errors = json.loads(line)
    start = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        os.setsid()
        os.chdir(cwd)
        os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
        os.dup2(os.open(errors, os.O_WRONLY | os.O_CREAT | os.O_TRUNC), 2)
        os.execve(argv[0], argv, env)
    print(pid, flush=True)
    _, status, usage = os.wait4(pid, 0)
    wall = time.perf_counter() - start
    cpu, rss = usage.ru_utime + usage.ru_stime, usage.ru_maxrss
    while True:  # what it left behind (a forkserver and its workers), once it ends
        try:
            _, _, more = os.wait4(-1, 0)
        except ChildProcessError:
            break
        cpu, rss = cpu + more.ru_utime + more.ru_stime, max(rss, more.ru_maxrss)
    print(json.dumps([os.waitstatus_to_exitcode(status), wall, cpu, rss]), flush=True)
"""


class Launcher:
    """A small process that starts each measured one, and the kernel's count of its time.

    A process's CPU time reaches its parent only when the parent waits for it: deckgen's
    workers are children of a forkserver that nobody waits for, so the launcher makes itself
    their reaper (`PR_SET_CHILD_SUBREAPER`) and adds up everything the command started.
    And a child's peak RSS as the kernel counts it (`ru_maxrss`) is at least its parent's RSS
    when it forked: from this benchmark, which holds packages and results, it would be
    overstated; from a bare interpreter, it is not."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [PYTHON, "-S", "-c", _LAUNCHER],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def run(self, command: list[str], cwd: Path, timeout: float) -> Sample | None:
        """One process, measured; None when it ran past `timeout` (then it is killed)."""
        assert self.process.stdin is not None and self.process.stdout is not None
        errors = cwd / "stderr.log"
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        start = time.perf_counter()
        self.process.stdin.write(json.dumps([command, str(cwd), env, str(errors)]) + "\n")
        self.process.stdin.flush()
        pid = int(self.process.stdout.readline())
        peak, done = [0], threading.Event()

        def sample() -> None:  # the whole tree: deckgen's workers run beside it
            while not done.wait(0.05):
                peak[0] = max(peak[0], _tree_rss(pid))
                if time.perf_counter() - start > timeout:
                    os.killpg(pid, signal.SIGKILL)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        status, wall, cpu, maxrss = json.loads(self.process.stdout.readline())
        done.set()
        sampler.join()
        if wall > timeout and status < 0:
            return None
        if status != 0:
            message = errors.read_text(errors="replace")[-3000:]
            raise SystemExit(f"failed ({status}): {' '.join(command)}\n{message}")
        return Sample(wall, cpu, max(peak[0] / 2**20, maxrss / 1024))

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait()


class Course:
    """One corpus at one size: its folder and what the steps leave for each other."""

    def __init__(self, root: Path, corpus: str, size: int, files: int) -> None:
        self.corpus, self.size = corpus, size
        self.dir = root / f"{corpus}-{size}"
        write_corpus(self.dir / "source", corpus, size, files)
        self.build = self.dir / "build"
        self.edits = 0
        self.checked = ""

    def edit(self) -> str:
        """Change the first definition of the first file (a new text each time)."""
        self.edits += 1
        marker = f"Edited{self.edits}x"
        path = self.dir / "source" / "file-000.md"
        text = path.read_bytes().decode()
        path.write_bytes(text.replace("**: ", f"**: {marker} ", 1).encode())
        return marker

    def packages(self, folder: Path) -> list[Path]:
        return sorted(folder.glob("*.apkg"))


# The steps of a round, in order: name -> what it runs (or does), given the course.
REFERENCES = {"floor", "limit", "markdown-it", "anki import", "stock", "ankdown"}


def steps(course: Course, args: argparse.Namespace) -> dict[str, list[str] | None]:
    d, out = course.dir, course.dir / "out"
    return {
        "cold": [*DECKGEN, "build", "-q"],
        "floor": [*FLOOR, "genanki", str(d / "dump"), str(out / "floor")],
        "limit": [*FLOOR, "limit", str(d / "dump"), str(out / "limit")],
        "markdown-it": [*FLOOR, "markdown", str(d / "source")],
        "no change": [*DECKGEN, "build", "-q"],
        "edit": [*DECKGEN, "build", "-q"],
        "check": [*DECKGEN, "check"],
        "diff": [*DECKGEN, "diff", str(d / "old"), str(course.build)],
        "verify": [*DECKGEN, "verify", str(course.build)],
        "anki import": [*FLOOR, "anki-import", str(course.build)],
        "preview": [*DECKGEN, "preview", "--out", str(out / "preview")],
        "stock": [*FLOOR, "stock", str(d / "dump"), str(d / "stock.apkg")],
        "import": [*DECKGEN, "import", str(d / "stock.apkg"), "--out", str(out / "imported")],
        "ankdown": (
            [args.ankdown, "-r", str(d / "ankdown"), "-p", str(out / "ankdown.apkg")]
            if args.ankdown
            else None
        ),
    }


def before(step: str, course: Course) -> None:
    """What a step needs in place, not timed."""
    out = course.dir / "out"
    if step == "cold":
        shutil.rmtree(course.build, ignore_errors=True)
        (course.dir / "source" / "deckgen.lock").unlink(missing_ok=True)
    elif step == "edit":
        shutil.rmtree(course.dir / "old", ignore_errors=True)
        shutil.copytree(course.build, course.dir / "old", ignore=shutil.ignore_patterns(".*"))
        course.edit()
    shutil.rmtree(out, ignore_errors=True)
    for folder in ("floor", "limit", "preview"):
        (out / folder).mkdir(parents=True)


def after(step: str, course: Course, first_round: bool) -> str:
    """What a step's output proves or leaves for the next ones, not timed; a note for the table."""
    out = course.dir / "out"
    if step == "cold" and first_round:
        subprocess.run([*FLOOR, "dump", str(course.build), str(course.dir / "dump")], check=True)
        _ankdown_input(course)
        shutil.copytree(course.build, course.dir / "dumped", ignore=shutil.ignore_patterns(".*"))
    if step in ("floor", "limit"):
        notes, cards = same_notes(
            course.packages(course.dir / "dumped"), course.packages(out / step)
        )
        return f"{notes:,} notes, {cards:,} cards: deckgen's (checked)"
    if step == "import":
        return f"{len(list((out / 'imported').glob('*.md')))} notes files"
    return ""


def _ankdown_input(course: Course) -> None:
    """The course's records in ankdown's format: front, `%`, back, `---` between cards."""
    folder = course.dir / "ankdown"
    folder.mkdir(exist_ok=True)
    by_file: dict[str, list[str]] = defaultdict(list)
    with open(course.build / "records.jsonl", encoding="utf-8") as records:
        for line in records:
            record = json.loads(line)
            items = "".join(f"<li>{item}</li>" for item in record["items"])
            back = record["back"] or (f"<ul>{items}</ul>" if items else record["front"])
            by_file[record["source"].split(":")[0]].append(f"{record['front']}\n\n%\n\n{back}\n")
    for name, cards in by_file.items():
        (folder / name).write_text("\n---\n\n".join(cards), encoding="utf-8")


READY = (
    'document.readyState === "complete" && document.querySelector(".card") !== null'
    ' && / cards?$/.test(document.getElementById("count").textContent)'
)


def in_browser(course: Course, timeout: float) -> tuple[float, float]:
    """Seconds until the written preview is interactive in Chromium, then until a search for
    the last record shows its card."""
    from benchmarks.browser import Browser, file_url

    with Browser() as browser:
        browser.open(file_url(course.dir / "out" / "preview" / "index.html"))
        opened = browser.until(READY, timeout)
        return opened, _search(browser, str(course.size - 1), timeout)


def _search(browser: object, term: str, timeout: float) -> float:
    """Seconds from typing `term` in the search box to the next frame painted (the filter
    runs in the input event), checked to show the card searched for."""
    from benchmarks.browser import Browser

    assert isinstance(browser, Browser)
    seconds = browser.evaluate(
        f"""(async q => {{
          const start = performance.now();
          q.value = {json.dumps(term)};
          q.dispatchEvent(new Event("input"));
          await new Promise(painted => requestAnimationFrame(() => setTimeout(painted)));
          return (performance.now() - start) / 1000;
        }})(document.getElementById("q"))"""
    )
    browser.until(f'document.querySelector("main").innerText.includes({json.dumps(term)})', timeout)
    return float(seconds)


def watch(course: Course, timeout: float) -> tuple[float]:
    """Seconds from saving an edit to the page `preview --watch` serves showing it."""
    from benchmarks.browser import Browser

    log = course.dir / "watch.log"
    with open(log, "wb") as errors:
        server = subprocess.Popen(
            [*DECKGEN, "preview", "--watch", "--port", "0"],
            cwd=course.dir,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            stdout=subprocess.PIPE,
            stderr=errors,
            text=True,
        )
    try:
        assert server.stdout is not None
        lines = [server.stdout.readline(), server.stdout.readline()]
        url = lines[1].split(" at ", 1)[1].split()[0] if " at " in lines[1] else None
        if url is None:
            raise SystemExit(f"preview --watch did not serve: {lines} {log.read_text()[-2000:]}")
        with Browser() as browser:
            browser.open(url)
            browser.until(READY, timeout)
            marker = course.edit()
            return (
                browser.until(
                    f'document.querySelector("main").textContent.includes("{marker}")', timeout
                ),
            )
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.communicate(timeout=30)
        except subprocess.TimeoutExpired:  # said, not hidden: Ctrl+C should stop it
            print("  preview --watch did not stop within 30 s of SIGINT: killed", file=sys.stderr)
            server.kill()
            server.communicate()


NEEDS = {"diff": ["edit"], "import": ["stock"], "browser": ["preview"]}


def bench(args: argparse.Namespace) -> None:
    chosen = set(args.steps) | {"cold"}
    for step in list(chosen):
        chosen.update(NEEDS.get(step, []))
    from benchmarks.browser import CHROMIUM

    if CHROMIUM is None:
        chosen -= {"browser", "watch"}
    # Bytecode as an installed deckgen has it (pip compiles what it installs; an editable
    # checkout under PYTHONDONTWRITEBYTECODE would compile every module in every timed run).
    subprocess.run([PYTHON, "-m", "compileall", "-q", str(ROOT / "generator")], check=True)
    root = Path(tempfile.mkdtemp(prefix="deckgen-bench-"))
    launcher = Launcher()
    results: dict[tuple[int, str, str], list[Sample | None]] = defaultdict(list)
    notes: dict[tuple[int, str, str], str] = {}
    try:
        for size in args.sizes:
            courses = [Course(root, corpus, size, args.files) for corpus in args.corpus]
            for round_ in range(args.rounds):
                for course in courses:
                    _round(launcher, course, args, chosen, round_ == 0, results, notes)
            table(size, [c.corpus for c in courses], results, notes, size == args.sizes[0])
            for course in courses:
                shutil.rmtree(course.dir, ignore_errors=True)
    finally:
        launcher.close()
        shutil.rmtree(root, ignore_errors=True)
    summary(args.sizes, args.corpus, results)


def _round(
    launcher: Launcher,
    course: Course,
    args: argparse.Namespace,
    chosen: set[str],
    first: bool,
    results: dict[tuple[int, str, str], list[Sample | None]],
    notes: dict[tuple[int, str, str], str],
) -> None:
    commands = steps(course, args)
    for step in ORDER:
        key = (course.size, course.corpus, step)
        if step not in chosen or (results[key] and results[key][-1] is None):
            continue  # not asked for, or it ran out of time once already
        if step in TIMED_IN_PAGE:
            measure = in_browser if step == "browser" else watch
            found: tuple[float, ...] = measure(course, args.timeout)
            for label, seconds in zip(TIMED_IN_PAGE[step], found, strict=True):
                results[(course.size, course.corpus, label)].append(Sample(seconds, -1, -1))
            continue
        command = commands[step]
        if command is None:
            continue
        before(step, course)
        results[key].append(launcher.run(command, course.dir, args.timeout))
        if results[key][-1] is not None:
            notes[key] = after(step, course, first) or notes.get(key, "")
        print(f"  {course.corpus} {course.size:,} {step}: {results[key][-1]}", file=sys.stderr)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="1,000 and 10,000 records, 1 round")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--corpus", choices=list(CORPORA), nargs="+", default=list(CORPORA))
    parser.add_argument("--files", type=int, default=100, help="files per course (wild: a tenth)")
    parser.add_argument("--rounds", type=int, default=3, help="runs of each step; medians")
    parser.add_argument("--steps", nargs="+", choices=ORDER, default=ORDER)
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds a step may run")
    parser.add_argument("--ankdown", help="an ankdown executable (pip install ankdown)")
    args = parser.parse_args()
    # Started in the background (`cmd &` without job control), a process ignores SIGINT and
    # so would every `preview --watch` it starts: the watch step's Ctrl+C would not stop it.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    if args.quick:
        args.sizes, args.rounds = [s for s in args.sizes if s <= 10_000], 1
    commit = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    print(
        f"deckgen {commit or '?'}, Python {sys.version.split()[0]}, {os.cpu_count()} cores, "
        f"load {os.getloadavg()[0]:.1f}; medians of {args.rounds} interleaved round(s). "
        "Wall time moves with the machine's load; CPU time (the process tree's) is the "
        "steadier figure. RSS: the process tree's peak.\n"
    )
    bench(args)
    print(f"\nload at the end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
