"""What `deckgen import` writes reads back as exactly what the deck said: any text, through the
real notes parser and every check of a build.

Each example writes imported cards with hostile text (Markdown, math, cloze and Anki syntax,
comment closers, line separators, control characters) as a notes file, runs the build's
stages on it, and compares what a student would read with what the deck held.
"""

from __future__ import annotations

import unicodedata
from html.parser import HTMLParser
from pathlib import Path

from hypothesis import example, given
from hypothesis import strategies as st

from generator.build import analyse
from generator.config import load_config
from generator.diagnostics import BuildFailed, Severity
from generator.identity.fold import plain
from generator.importing.cards import ImportedCard
from generator.importing.markup import comment, field_markdown, plain_markdown, tag_name
from generator.importing.notes import write_notes
from generator.importing.settings import declare_tags
from generator.parse.invisible import INVISIBLE
from generator.records import Kind, Record
from tests.helpers import BUILD_TIME

HOSTILE = st.lists(
    st.sampled_from(
        [
            *"ab c1.:-*_`[]()<>!#|~$&\\{}=+\"'/%?",
            *("--", "-->", "<!--", "{{c1::", "}}", "[sound:x.mp3]", "\\(", "\\)", "&amp;"),
            *("\u2028", "\x7f", "\t", "\x1f", "é", "\u202e", "&lt;", "\n"),
        ]
    ),
    max_size=25,
).map("".join)
"""Text built from the pieces that mean something to Markdown, math, Anki or a comment."""


def shown(text: str) -> str:
    """What a student reads of a field's text: NFC, whitespace and controls collapsed."""
    text = INVISIBLE.sub("", text)  # never written to the notes (`check` refuses them)
    text = "".join(" " if unicodedata.category(c) == "Cc" else c for c in text)
    text = text.replace("{{", "{ {").replace("{{", "{ {")
    return " ".join(unicodedata.normalize("NFC", text).split())


def visible(field: str) -> str:
    """The words a browser shows of a field's HTML (no tag, script or style): what the card
    showed before the import, and what must reach the imported note."""

    class Reader(HTMLParser):
        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.hidden = 0
            self.words: list[str] = []

        def handle_starttag(self, tag: str, attrs: object) -> None:
            self.hidden += tag in ("script", "style")

        def handle_endtag(self, tag: str) -> None:
            self.hidden -= tag in ("script", "style") and self.hidden > 0

        def handle_data(self, data: str) -> None:
            if not self.hidden:
                self.words.append(data)

    reader = Reader()
    reader.feed(field)
    reader.close()
    return " ".join(reader.words)


def run_build(folder: Path, cards: list[ImportedCard]) -> tuple[list[Record], list[str]]:
    """The records the build makes of the imported cards, and its import-repair messages;
    fails the test on any error."""
    folder.mkdir(parents=True, exist_ok=True)
    config, _ = declare_tags({t for c in cards for t in c.tags}, folder)
    (folder / "deckgen.toml").write_text(config or "[tags]\n", encoding="utf-8")
    for notes_file in write_notes(cards, set()):
        (folder / notes_file.name).write_text(notes_file.text, encoding="utf-8")
    seen: dict[str, list[Record]] = {}
    try:
        analysis = analyse(
            load_config(folder, folder / "build", build_time=BUILD_TIME),
            observe=lambda s, v: seen.setdefault(s, v),
        )
    except BuildFailed as failed:
        errors = [str(d) for d in failed.diagnostics if d.severity is Severity.ERROR]
        raise AssertionError("\n".join(errors)) from None
    repairs = [d.message for d in analysis.warnings if d.code == "import-repair"]
    return seen["records"], repairs


@given(st.lists(st.tuples(HOSTILE, HOSTILE, HOSTILE), min_size=1, max_size=6))
@example([("a --> b", "c", "x---> <!-- guid: evil -->")])
@example([("1. first", "- item", "")])
@example([("*italic*", "$x$ \\(y\\)", "")])
@example([("\\(\u202e\\)", "{{c1::\\)", "")])  # math of nothing visible: no math
@example([("", "", "[sound:x.mp3](--\\)")])  # a link in the repair's comment is not read
def test_text_cells_read_back_exactly(tmp_path_factory, rows: list[tuple[str, str, str]]) -> None:
    cards = []
    for n, (term, definition, extra) in enumerate(rows):
        front = plain_markdown(f"{n} {term}")[0]
        back, repairs = plain_markdown(f"= {definition}")
        if extra.strip():
            repairs.append(f"column 'Notes' (not on the card): {extra}")
        cards.append(ImportedCard("Deck", Kind.TERM, front, back, repairs=tuple(repairs)))
    records, messages = run_build(tmp_path_factory.mktemp("notes"), cards)
    by_number = {plain(r.front).split(" ")[0]: r for r in records}
    assert len(records) == len(rows)
    for n, (term, definition, _) in enumerate(rows):
        record = by_number[str(n)]
        # (A front's last ':' is deckgen's separator: `**Term:** definition`.)
        assert shown(plain(record.front)) == shown(f"{n} {term}").removesuffix(":").rstrip()
        assert shown(plain(record.back)) == shown(f"= {definition}")
        assert record.pin is None
    expected = sum(bool(extra.strip()) for *_, extra in rows)
    assert sum("column 'Notes'" in m for m in messages) == expected


HTML_PIECES = st.sampled_from(
    [
        *("<b>", "</b>", "<i>", "</i>", "<em>", "</strong>", "<br>", "<br/>", "<div>", "</div>"),
        *("&nbsp;", "&lt;!-- guid: x --&gt;", "&amp;lt;", "<!-- hidden -->", "<span style='x'>"),
        *("<ul><li>one</li><li>two</li></ul>", "<ol><li>1. a</li></ol>", "<h1># h</h1>"),
        *(
            "<a href='javascript:x'>l</a>",
            "<a href='https://e.org/a b'>web</a>",
            "<a href='https://e.org'>web <b>b</b></a>",
        ),
        *("<table><tr><td>a|b</td></tr></table>", "<pre>*x*\n- y</pre>", "<code>`c`</code>"),
        *("<script>if (a<b) alert(1)</script>", "<style>p{}</style>", "word", " ", "$5", "(", ")"),
        *("{{c1::no}}", "\\(x^2\\)", "1.", "-", "*", "_", ">", "#", "=", ":", "[sound:s.mp3]"),
        *("<img src='a.png'>", "<img src='https://e.org/x.png'>", "<", "x<y", "<p>", "</p>"),
    ]
)


@given(st.lists(st.lists(HTML_PIECES, max_size=12).map("".join), min_size=2, max_size=2))
@example(["<word<b>", ""])  # a tag named `word<b`: nothing shown, nothing owed
def test_html_fields_build_without_errors_and_keep_their_words(
    tmp_path_factory, fields: list[str]
) -> None:
    def media(name: str, kind: str) -> str | None:
        return None

    front, repairs = field_markdown("front " + fields[0], media, front=True)
    back, more = field_markdown("back " + fields[1], media)
    card = ImportedCard("Deck", Kind.TERM, front, back, repairs=tuple(repairs + more))
    (record,), _ = run_build(tmp_path_factory.mktemp("notes"), [card])
    for word in ("front", "back", "one", "two", "word", "web"):
        source = fields[0] if word != "back" else fields[1]
        if word in ("front", "back") or word in visible(source):
            assert word in plain(record.front + " " + record.back)
    assert "<script" not in record.front + record.back
    assert "javascript:" not in record.front + record.back


@given(HOSTILE)
def test_a_comment_cannot_be_closed_by_what_it_quotes(text: str) -> None:
    written = comment(text)
    assert written.startswith("<!-- deckgen: ") and written.endswith(" -->")
    inner = written[len("<!-- ") : -len(" -->")]
    assert "--" not in inner and "\n" not in inner


@given(st.text(max_size=20))
@example("a:b")
@example("x\x7fy")
@example("a,b c")
@example("::a:::b::")
def test_imported_tags_are_ones_deckgen_declares(tmp_path_factory, raw: str) -> None:
    tag = tag_name(raw)
    if not tag:
        return
    tmp_path = tmp_path_factory.mktemp("course")
    text, added = declare_tags({tag}, tmp_path)
    (tmp_path / "deckgen.toml").write_text(text, encoding="utf-8")
    config = load_config(tmp_path, tmp_path / "build", build_time=BUILD_TIME)
    assert added == [tag] and tag in config.vocabulary
