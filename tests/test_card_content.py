"""Cards that look right everywhere: math, images, and the preview that shows them.

Each notes file here is built and imported into a real Anki collection; the rendered question
and answer are read back, and the preview is checked to show the same.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

from anki.collection import Collection

from generator.review.apkg import read_packages
from generator.review.preview import searchable
from tests.helpers import build_tree, import_package, run_deckgen, write_notes

MATH = """---
deck: Math
---

# Math

- **Area of a circle**: $\\pi r^2$, or \\(\\pi r^2\\); it costs $5 and $10.
- **Euler**: $$e^{i\\pi} + 1 = 0$$
- **Order**: \\[a < b\\]
- A half is {{c1::$\\frac{2}{4}$}}, and $\\sqrt{ {{c2::\\frac{a}{b}}} }$ is a root.
"""


def imported(tmp_path: Path, files: dict[str, str]) -> tuple[Any, Path]:
    source = write_notes(tmp_path / "source", files)
    out = tmp_path / "build"
    build_tree(source, out)
    col = Collection(str(tmp_path / "student.anki2"))
    for package in sorted(out.glob("*.apkg")):
        import_package(col, package)
    return col, source


def cards(col: Any, search: str) -> list[Any]:
    (nid,) = col.find_notes(search)
    return sorted(col.get_note(nid).cards(), key=lambda c: c.ord)


def test_math_reaches_anki_as_mathjax_untouched_by_markdown(tmp_path: Path) -> None:
    col, source = imported(tmp_path, {"a.md": MATH})
    area = cards(col, '"Front:Area of a circle"')[0].answer()
    assert "\\(\\pi r^2\\), or \\(\\pi r^2\\); it costs $5 and $10." in area
    assert "\\[e^{i\\pi} + 1 = 0\\]" in cards(col, "Front:Euler")[0].answer()
    assert "\\[a &lt; b\\]" in cards(col, "Front:Order")[0].answer()  # TeX escaped for HTML only

    first, second = cards(col, '"Text:A half*"')
    # The deletion inside math stays one deletion: TeX's "}}" was spaced ("} }").
    assert "\\frac{2}{4}" not in first.question() and "\\frac{2}{4}" in first.answer()
    assert "\\frac{a}{b}" not in second.question() and "\\frac{a}{b}" in second.answer()
    assert "\\sqrt{" in second.question()
    (half,) = [
        n
        for n in read_packages(tmp_path.glob("build/*.apkg")).values()
        if n.front.startswith("A half")
    ]
    assert "{{c2::\\frac{a}{b} }}" in half.front

    page = run_deckgen("preview", "--source", str(source), "--out", str(tmp_path / "p"))
    assert page.returncode == 0, page.stderr
    html = (tmp_path / "p" / "index.html").read_text(encoding="utf-8")
    assert "\\(\\pi r^2\\)" in html and "\\[e^{i\\pi} + 1 = 0\\]" in html


def test_images_ship_lower_case_and_scale_to_the_card(tmp_path: Path) -> None:
    source = tmp_path / "source"
    source.mkdir()
    (source / "Pyramid.PNG").write_bytes(b"\x89PNG big pyramid")
    (source / "pyramid.png").write_bytes(b"\x89PNG small pyramid")
    notes = (
        "---\ndeck: Shapes\n---\n\n- **Big**: ![a](Pyramid.PNG)\n- **Small**: ![b](pyramid.png)\n"
    )
    col, _ = imported(tmp_path, {"a.md": notes})
    names = sorted(os.listdir(col.media.dir()))
    assert len(names) == 2 and all(n == n.lower() and n.startswith("pyramid-") for n in names)
    for name in names:
        assert (Path(col.media.dir()) / name).read_bytes().endswith(b"pyramid")
    big = cards(col, "Front:Big")[0].answer()
    assert "img { max-width: 100%; height: auto; }" in big  # a 2000 px image fits a phone


def test_the_preview_is_titled_by_the_course_and_searches_without_accents(
    tmp_path: Path,
) -> None:
    assert searchable("Adiós, ÉLAN") == "adios, elan"
    source = write_notes(
        tmp_path / "source", {"a.md": "---\ndeck: Español\n---\n\n- **Adiós**: Bye.\n"}
    )
    assert (
        run_deckgen("preview", "--source", str(source), "--out", str(tmp_path / "p")).returncode
        == 0
    )
    html = (tmp_path / "p" / "index.html").read_text(encoding="utf-8")
    assert "<title>Español: deckgen preview</title>" in html
    # What the search box compares with: "adios" finds "Adiós" (the query is folded too).
    assert re.search(r'data-text="[^"]*\badios bye\.', html)


def test_preview_open_without_a_browser_says_so(tmp_path: Path) -> None:
    source = write_notes(tmp_path / "source", {"a.md": "---\ndeck: A\n---\n\n- **T**: D\n"})
    env = {"PATH": str(Path(sys.executable).parent), "HOME": str(tmp_path)}
    run = subprocess.run(
        [sys.executable, "-m", "generator", "preview", "--open", "--source", str(source)],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=60,
        check=False,
    )
    assert run.returncode == 0
    assert "no web browser found here: open" in run.stderr
    assert "xdg-open" not in run.stderr and "Traceback" not in run.stderr
