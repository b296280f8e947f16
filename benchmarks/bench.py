"""Benchmark deckgen against genanki's own floor, as whole processes.

    python -m benchmarks.bench [--sizes 1000 10000 100000] [--files 100] [--corpus plain marked]

For each size N and each corpus (plain: no inline markup; marked: notes as people write them;
see synthetic.py) it writes a synthetic source tree, then times, each in a fresh process: the floor (raw genanki writing the same notes from an in-memory list), a
cold `deckgen build`, a rebuild with no change, a rebuild after editing one file, and
`deckgen check`; and once `deckgen --help`. It prints wall time, peak memory (RSS) and
the ratio of each to its corpus's floor, the corpora side by side, as a Markdown table.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.synthetic import write_source

HERE = Path(__file__).resolve().parent

DECKGEN = [sys.executable, "-m", "generator"]


def run(command: list[str], cwd: Path) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one process."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(
            f"failed: {' '.join(command)}\n{process.stderr.read().decode() if process.stderr else ''}"
        )
    return wall, usage.ru_maxrss / 1024


CORPORA = ("plain", "marked")


def bench(size: int, files: int, root: Path, corpus: str) -> list[tuple[str, float, float]]:
    work = root / corpus / str(size)
    write_source(work / "source", size, files, marked=corpus == "marked")
    floor = [sys.executable, "-m", "benchmarks.floor", str(size), str(work / "floor.apkg"), corpus]
    rows = [("floor (raw genanki)", *run(floor, HERE.parent))]
    rows.append(("cold build", *run([*DECKGEN, "build", "-q"], work)))
    rows.append(("rebuild, no change", *run([*DECKGEN, "build", "-q"], work)))
    edited = work / "source" / "file-000.md"
    edited.write_text(
        # One definition changes (not the metadata: the deck stays the same).
        edited.read_text(encoding="utf-8").replace("**: ", "**: Edited. ", 1),
        encoding="utf-8",
    )
    rows.append(("rebuild, one definition edited", *run([*DECKGEN, "build", "-q"], work)))
    rows.append(("check", *run([*DECKGEN, "check"], work)))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--files", type=int, default=100)
    parser.add_argument("--corpus", choices=CORPORA, nargs="+", default=list(CORPORA))
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="deckgen-bench-"))
    try:
        help_wall, help_rss = run([*DECKGEN, "--help"], root)
        print(
            f"Python {sys.version.split()[0]}, {os.cpu_count()} cores; "
            f"`deckgen --help`: {help_wall:.3f} s, {help_rss:.0f} MB\n"
        )
        head = " | ".join(
            f"{c}: wall (s) | RSS (MB) | wall / floor | RSS / floor" for c in args.corpus
        )
        print(f"| records | step | {head} |")
        print("| ---: | --- |" + " ---: | ---: | ---: | ---: |" * len(args.corpus))
        for size in args.sizes:
            results = [bench(size, args.files, root, corpus) for corpus in args.corpus]
            for index, (step, *_) in enumerate(results[0]):
                cells = []
                for rows in results:
                    _, floor_wall, floor_rss = rows[0]
                    _, wall, rss = rows[index]
                    cells.append(
                        f"{wall:.2f} | {rss:.0f} | {wall / floor_wall:.2f} | {rss / floor_rss:.2f}"
                    )
                print(f"| {size:,} | {step} | {' | '.join(cells)} |", flush=True)
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
