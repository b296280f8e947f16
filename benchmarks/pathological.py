"""Pathological inputs: each family at 1x, 4x and 16x its size, to show that `deckgen check`
takes time in proportion to its input, never to its square.

    python -m benchmarks.pathological [--unit 16384] [--repeats 3] [--family NAME ...]

A family is a notes file (or a kept note type, or a course stylesheet) made of one piece
repeated until it is about `unit` bytes times the size; each was once a stall (an issue
#31 case) or is a neighbour of one. Every stage of a check runs (`build.analyse`, the
cache off) in this process; the time is CPU time (others share the machine's two cores),
the median of `repeats` runs, the sizes interleaved. The last column divides the 16x time
by 16 times the 1x time: about 1 is linear, 4 would be quadratic. Runs over `--give-up`
seconds stop that family (the stall is then the finding).
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HEAD = "---\ndeck: D\n---\n\n"


def repeat(piece: str, size: int) -> str:
    return piece * max(1, size // len(piece))


def kept_type(front: str) -> dict[str, str]:
    from generator.identity.kept import kept_json

    model = {
        "id": 1_600_000_000_000,
        "name": "Basic",
        "flds": [{"name": "Front"}, {"name": "Back"}],
        "tmpls": [{"name": "Card 1", "qfmt": front, "afmt": "{{Back}}"}],
    }
    return {
        "a.md": "---\ndeck: D\nnote-type: note-types/basic.json\n---\n\n- **T**: D\n",
        "note-types/basic.json": kept_json(
            model, {"prompt": "Front", "answer": "Back", "reverse": None}
        ),
    }


Family = Callable[[int], dict[str, str]]
FAMILIES: dict[str, Family] = {
    "unclosed {{c1::": lambda n: {"a.md": HEAD + "- A " + repeat("{{c1::", n) + "\n"},
    "{{c1:: then ::": lambda n: {"a.md": HEAD + "- A {{c1::" + repeat("::", n) + "\n"},
    "{{c1:: in math": lambda n: {
        "a.md": HEAD + "- A {{c1::x}} $" + repeat("{{c1::\\frac", n) + "$\n"
    },
    "\\\\( in a cloze": lambda n: {"a.md": HEAD + "- A {{c1::x}} " + repeat("\\\\(", n) + "\n"},
    "\\( unclosed": lambda n: {"a.md": HEAD + "- **T**: " + repeat("\\( ", n) + "\n"},
    "\\[ unclosed, lines": lambda n: {"a.md": HEAD + "- **T**: x\n" + repeat("  \\[a\n", n)},
    "\\[ in a quote": lambda n: {"a.md": HEAD + "- **T**: x\n\n" + repeat("> \\[ a\n", n)},
    "$$ unclosed, blocks": lambda n: {"a.md": HEAD + "- **T**: x\n" + repeat("\n  $$ a\n", n)},
    "$ with a digit": lambda n: {"a.md": HEAD + "- **T**: " + repeat("$a$1 ", n) + "\n"},
    "[a (links)": lambda n: {"a.md": HEAD + "- **T**: " + repeat("[a ", n) + "\n"},
    "[a](x y (no closing )": lambda n: {"a.md": HEAD + "- **T**: " + repeat("[a](x y", n) + "\n"},
    "[a](<x (no >)": lambda n: {"a.md": HEAD + "- **T**: " + repeat("[a](<x", n) + ">\n"},
    "[a](x then spaces": lambda n: {"a.md": HEAD + "- **T**: [a](x" + repeat(" ", n) + "\n"},
    "![a](": lambda n: {"a.md": HEAD + "- **T**: " + repeat("![a](", n) + "\n"},
    "<a (raw HTML)": lambda n: {"a.md": HEAD + "- **T**: " + repeat("<a ", n) + "\n"},
    "list items": lambda n: {
        "a.md": HEAD + "- **L**\n" + "".join(f"  - a{i} b{i}\n" for i in range(n // 12))
    },
    "{{ in a kept template": lambda n: kept_type("{{Front}}" + repeat("{{", n)),
    '<img a=" in a kept template': lambda n: kept_type("{{Front}}" + repeat('<img a="{{', n)),
    "<!-- in a kept template": lambda n: kept_type("{{Front}}" + repeat("<!--{{", n)),
    "<script> lines in a kept template": lambda n: kept_type("{{Front}}" + repeat("<script>\n", n)),
    "zero-width spaces, lines": lambda n: {"a.md": HEAD + repeat("- **T\u200b**: x\n", n)},
    "zero-width spaces, one line": lambda n: {"a.md": HEAD + "- **T**: " + repeat("\u200b", n)},
}


def check_time(files: dict[str, str]) -> float:
    """CPU seconds of every stage of a check of these notes."""
    from generator.build import analyse
    from generator.config import load_config
    from generator.diagnostics import BuildFailed

    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "source"
        for name, text in files.items():
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            (source / name).write_text(text, encoding="utf-8")
        config = load_config(source, Path(tmp) / "build", build_time=1_700_000_000)
        start = time.process_time()
        # Most of these are errors: the time to say so is what is measured. Observed: no
        # cache, every stage runs.
        with contextlib.suppress(BuildFailed):
            analyse(config, observe=lambda _stage, _output: None)
        return time.process_time() - start


def main() -> None:
    parser = argparse.ArgumentParser(description="Pathological inputs at 1x, 4x and 16x.")
    parser.add_argument("--unit", type=int, default=16_384, help="bytes of the 1x input")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--give-up", type=float, default=30.0, help="seconds for one run")
    parser.add_argument("--family", nargs="*", choices=FAMILIES, default=list(FAMILIES))
    args = parser.parse_args()
    sizes = (1, 4, 16)
    print(f"unit {args.unit} bytes, CPU seconds, median of {args.repeats}\n")
    print("| family | 1x | 4x | 16x | 16x / (16 * 1x) |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for family in args.family:
        times: dict[int, list[float]] = {size: [] for size in sizes}
        stalled = None
        for _ in range(args.repeats):
            for size in sizes:  # interleaved: a busy moment of the machine hits every size
                if stalled is not None and size >= stalled:
                    continue
                seconds = check_time(FAMILIES[family](args.unit * size))
                times[size].append(seconds)
                if seconds > args.give_up:
                    stalled = size
        medians = {s: statistics.median(t) for s, t in times.items() if t}
        cells = [f"{medians[s]:.3f}" if s in medians else "stalled" for s in sizes]
        growth = medians[16] / (16 * medians[1]) if 16 in medians and medians[1] else None
        ratio = f"{growth:.2f}" if growth is not None else "-"
        print(f"| {family} | {' | '.join(cells)} | {ratio} |", flush=True)


if __name__ == "__main__":
    main()
