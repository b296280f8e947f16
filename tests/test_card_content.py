"""Cards that look right everywhere: math, code, images, sound, and the preview that shows them.

Each notes file here is built and imported into a real Anki collection; the rendered question
and answer are read back, and the preview is checked to show the same.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from anki.collection import Collection

from generator.review.apkg import read_packages
from generator.review.preview import searchable
from tests.helpers import (
    BUILD_TIME,
    SHOWCASE,
    build_tree,
    import_package,
    preview_notes,
    preview_shows,
    run_forked,
    visible_text,
    write_notes,
)

"""A course with math, highlighted code, a 2000 px wide image and sound (and the preview
screenshots in docs/ are taken of it)."""

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

    page = run_forked("preview", "--source", str(source), "--out", str(tmp_path / "p"))
    assert page.returncode == 0, page.stderr
    page_html = preview_shows((tmp_path / "p" / "index.html").read_text(encoding="utf-8"))
    assert "\\(\\pi r^2\\)" in page_html and "\\[e^{i\\pi} + 1 = 0\\]" in page_html


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
        run_forked("preview", "--source", str(source), "--out", str(tmp_path / "p")).returncode == 0
    )
    page_html = (tmp_path / "p" / "index.html").read_text(encoding="utf-8")
    assert "<title>Español: deckgen preview</title>" in page_html
    # What the search box compares with: "adios" finds "Adiós" (the query is folded too).
    assert any("adios bye." in note[2] for note in preview_notes(page_html))


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


def showcase(tmp_path: Path) -> tuple[Any, Path]:
    source = tmp_path / "source"
    shutil.copytree(SHOWCASE, source)
    out = tmp_path / "build"
    build_tree(source, out)
    col = Collection(str(tmp_path / "student.anki2"))
    import_package(col, out / "showcase.apkg")
    return col, source


def test_code_is_highlighted_at_build_time_for_day_and_night(tmp_path: Path) -> None:
    col, source = showcase(tmp_path)
    answer = cards(col, '"Front:Discount a margin"')[0].answer()
    # Pygments' spans, with the card stylesheet's colours for them, day and night; no script.
    assert '<pre><code class="language-python"><span class="hl-k">def</span>' in answer
    assert '<span class="hl-c1"># compound interest</span>' in answer
    assert ".hl-k, .hl-kc" in answer and ".nightMode .hl-k," in answer
    assert "<script" not in answer
    # Inline code keeps a monospace font where ui-monospace is unknown (Android's WebView).
    assert re.search(r"code, pre \{ font-family: [^}]*, monospace;", answer)

    page = run_forked("preview", "--source", str(source), "--out", str(tmp_path / "p"))
    assert page.returncode == 0, page.stderr
    page_html = preview_shows((tmp_path / "p" / "index.html").read_text(encoding="utf-8"))
    assert '<span class="hl-k">def</span>' in page_html and ".nightMode .hl-k," in page_html


def test_an_unknown_language_or_none_stays_plain_code(tmp_path: Path) -> None:
    notes = (
        "---\ndeck: Code\n---\n\n- **Plain**: a block:\n\n  ```\n  x = 1 <b>\n  ```\n"
        "- **Unknown**: a block:\n\n  ```no-such-language\n  y = 2\n  ```\n"
    )
    col, _ = imported(tmp_path, {"a.md": notes})
    assert "<pre><code>x = 1 &lt;b&gt;\n</code></pre>" in cards(col, "Front:Plain")[0].answer()
    unknown = cards(col, "Front:Unknown")[0].answer()
    assert '<code class="language-no-such-language">y = 2\n</code>' in unknown
    assert "hl-" not in unknown.split("</style>")[-1]


def test_sound_becomes_ankis_sound_tag_and_plays(tmp_path: Path) -> None:
    col, source = showcase(tmp_path)
    greeting = cards(col, '"Front:Greeting tone"')[0]
    (name,) = re.findall(r"\[sound:([^\]]+)\]", col.get_note(greeting.nid)["Back"])
    assert re.fullmatch(r"hello-[0-9a-f]{10}\.wav", name)
    assert (Path(col.media.dir()) / name).read_bytes() == (source / "media/hello.wav").read_bytes()
    # Anki's renderer makes the tag a sound to play, on the answer side.
    assert [tag.filename for tag in greeting.answer_av_tags()] == [name]  # type: ignore[attr-defined]
    linked = col.get_note(cards(col, "Front:Guten*")[0].nid)["Back"]
    assert linked.endswith(f"hear it [sound:{name}]")  # a link keeps its text

    page = run_forked("preview", "--source", str(source), "--out", str(tmp_path / "p"))
    assert page.returncode == 0, page.stderr
    page_html = preview_shows((tmp_path / "p" / "index.html").read_text(encoding="utf-8"))
    assert '<audio controls preload="none" src="data:audio/x-wav;base64,' in page_html
    assert f'title="{name}"></audio>' in page_html


def test_a_sound_tag_written_in_the_notes_is_text(tmp_path: Path) -> None:
    notes = (
        "---\ndeck: A\n---\n\n- **Tag**: write [sound:x.mp3] or [anki:tts lang=en]hi[/anki:tts]\n"
    )
    col, _ = imported(tmp_path, {"a.md": notes})
    card = cards(col, "Front:Tag")[0]
    assert not card.answer_av_tags()  # type: ignore[attr-defined]
    shown = html.unescape(visible_text(card.answer()))  # what the browser shows
    assert "write [sound:x.mp3] or [anki:tts lang=en]hi[/anki:tts]" in shown


def test_large_media_warns_and_missing_sound_is_an_error(tmp_path: Path) -> None:
    source = write_notes(
        tmp_path / "source",
        {"a.md": "---\ndeck: A\n---\n\n- **Big**: ![x](big.png)\n- **Gone**: [hear](gone.mp3)\n"},
    )
    (source / "big.png").write_bytes(b"\x89PNG" + bytes(1 << 20))
    run = run_forked("check", "--source", str(source))
    assert run.returncode == 1
    assert f"{source}/a.md:5:3: warning: image 'big.png' is 1.0 MiB; every phone downloads it" in (
        run.stderr
    )
    assert (
        f"{source}/a.md:6:3: error: audio 'gone.mp3' does not exist [media-missing]" in run.stderr
    )


SPOKEN = """---
deck: Deutsch
tts: de_DE
---

# Grüße

- **Guten "Tag"**: Good day.
- **Wie geht's?** How are you?
- Ich heiße {{c1::Anna}}.
"""


def test_tts_reads_the_front_aloud_on_the_cards_that_ask_for_it(tmp_path: Path) -> None:
    from anki.sound import TTSTag

    source = write_notes(tmp_path / "source", {"a.md": SPOKEN.replace("tts: de_DE\n", "")})
    build_tree(source, tmp_path / "r1")
    col = Collection(str(tmp_path / "student.anki2"))
    import_package(col, tmp_path / "r1" / "deutsch.apkg")
    assert not any(col.get_card(c).question_av_tags() for c in col.find_cards(""))

    (source / "a.md").write_text(SPOKEN, encoding="utf-8")
    build_tree(source, tmp_path / "r2", build_time=BUILD_TIME + 60)
    log = import_package(col, tmp_path / "r2" / "deutsch.apkg").log
    assert (len(log.new), len(log.updated)) == (0, 2)  # turning it on reaches the two notes
    forward, reverse = cards(col, '"Front:Guten*"')
    (tag,) = forward.question_av_tags()  # type: ignore[attr-defined]
    assert isinstance(tag, TTSTag) and (tag.lang, tag.field_text) == ("de_DE", 'Guten "Tag"')
    assert not reverse.question_av_tags()  # type: ignore[attr-defined]  # the answer, unsaid
    (question,) = cards(col, '"Front:Wie geht*"')[:1]
    assert [t.field_text for t in question.question_av_tags()] == ["Wie geht's?"]  # type: ignore[attr-defined]
    (cloze,) = cards(col, '"Text:Ich heiße*"')
    assert not cloze.question_av_tags()  # type: ignore[attr-defined]  # would say the deletion

    run_forked("preview", "--source", str(source), "--out", str(tmp_path / "p"))
    page_html = preview_shows((tmp_path / "p" / "index.html").read_text(encoding="utf-8"))
    assert (
        '<button type="button" class="tts" data-lang="de-DE" data-text="Guten &quot;Tag&quot;"'
        in page_html
    )


def test_a_heading_never_plays_or_speaks(tmp_path: Path) -> None:
    notes = (
        "---\ndeck: A\n---\n\n# [sound:x.mp3] [anki:tts lang=en_US]hi[/anki:tts]\n\n- **T**: D\n"
    )
    col, _ = imported(tmp_path, {"a.md": notes})
    for card in cards(col, "Front:T"):
        assert not card.question_av_tags() and not card.answer_av_tags()  # type: ignore[attr-defined]
        assert "[sound:x.mp3]" in html.unescape(visible_text(card.question()))


def test_tts_must_name_a_language(tmp_path: Path) -> None:
    source = write_notes(
        tmp_path / "source", {"a.md": "---\ndeck: A\ntts: English!\n---\n\n- **T**: D\n"}
    )
    run = run_forked("check", "--source", str(source))
    assert run.returncode == 1
    assert (
        "a.md:3:1: error: 'tts' must be a language as Anki names it, such as en_US or de_DE"
        in run.stderr
    )
