"""One row per diagnostic: the bad input, and the exact message and location `deckgen check` gives.

Every row also runs `deckgen build` to show that an error writes nothing.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.identity.kept import kept_json

HEAD = "---\ndeck: A\ntags: [kam]\n---\n\n"
TOML = '[tags]\nkam = "KAM"\nculture = "Culture"\n'

KEPT = kept_json(
    {
        "id": 1_234,
        "name": "Basic",
        "flds": [{"name": "Front"}, {"name": "Back"}],
        "tmpls": [{"name": "Card 1", "qfmt": "{{Front}}", "afmt": "{{Back}}"}],
    },
    {"prompt": "Front", "answer": "Back", "reverse": None},
)
KEPT_HEAD = "---\ndeck: A\nnote-type: t/basic.json\n---\n\n"

# (name, files (str or bytes), expected diagnostics, in order)
CASES: list[tuple[str, dict[str, str | bytes], list[str]]] = [
    (
        "not-utf8",
        {"a.md": HEAD.encode() + b"- **T**: caf\xe9\n"},
        ["source/a.md:6:13: error: not valid UTF-8 (byte 0xe9); save the file as UTF-8 [not-utf8]"],
    ),
    (
        "binary",
        {"a.md": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"},
        ["source/a.md:3:1: error: binary data (NUL byte): not a Markdown file [binary]"],
    ),
    ("no-notes", {}, ["source:1:1: error: no Markdown notes (*.md) found [no-notes]"]),
    (
        "not-notes",
        {"a.md": "# Just a document\n\n- **T**: D\n"},
        [
            "source/a.md:1:1: error: not a notes file: it must start with a '---' metadata block naming its deck [not-notes]"
        ],
    ),
    (
        "metadata-yaml",
        {"a.md": "---\ndeck: [A\n---\n\n- **T**: D\n"},
        [
            "source/a.md:2:9: error: invalid YAML in metadata: expected ',' or ']', but got '<stream end>' [metadata-yaml]"
        ],
    ),
    (
        "metadata-yaml-unloadable",
        {"a.md": "---\n{{c2::x}}# H\n---\n\n- **T**: D\n"},
        [
            "source/a.md:2:2: error: invalid YAML in metadata: expected the node content, "
            "but found '<document end>' [metadata-yaml]"
        ],
    ),
    (
        "metadata-yaml-colon",
        {"a.md": "---\ndeck: A: B\n---\n\n- **T**: D\n"},
        [
            "source/a.md:2:8: error: invalid YAML in metadata: mapping values are not allowed here "
            "(put quotes around a value that contains ': ') [metadata-yaml]"
        ],
    ),
    (
        "metadata-key",
        {"a.md": "---\ndeck: A\ntag: [kam]\n---\n\n- **T**: D\n"},
        [
            "source/a.md:3:1: error: unknown metadata key 'tag' (expected one of: deck, tags, variants, note-type, tts, ignore) [metadata-key]"
        ],
    ),
    (
        "metadata-no-deck",
        {"a.md": "---\ntags: [kam]\n---\n\n- **T**: D\n"},
        [
            "source/a.md:2:1: error: metadata has no 'deck': every notes file names its deck [metadata-key]"
        ],
    ),
    (
        "metadata-type",
        {"a.md": "---\ndeck: A\ntags: 5\n---\n\n- **T**: D\n"},
        ["source/a.md:3:1: error: 'tags' must be a list of tag names [metadata-type]"],
    ),
    (
        "unknown-variant",
        {"a.md": "---\ndeck: A\nvariants: [basic, revers]\n---\n\n- **T**: D\n"},
        [
            "source/a.md:3:1: error: unknown variant 'revers' (expected one of basic, reverse, cloze, typed) [unknown-variant]"
        ],
    ),
    (
        "unknown-tag",
        {
            "a.md": "---\ndeck: A\ntags: [kma]\n---\n\n## S\n\nTags: cultur, hofstede\n\n- **T**: D\n"
        },
        [
            "source/a.md:3:1: error: tag 'kma' is not in the vocabulary; did you mean 'kam'? [unknown-tag]",
            "source/a.md:8:1: error: tag 'cultur' is not in the vocabulary; did you mean 'culture'? [unknown-tag]",
            "source/a.md:8:1: error: tag 'hofstede' is not in the vocabulary; declare it under [tags] in deckgen.toml [unknown-tag]",
        ],
    ),
    (
        "tags-outside-section",
        {"a.md": HEAD + "Tags: culture\n\n- **T**: D\n"},
        [
            "source/a.md:6:1: error: a 'Tags:' line must follow a heading; use the metadata's 'tags' "
            "for the whole file [tags-outside-section]"
        ],
    ),
    (
        "empty-front",
        {"a.md": HEAD + "- **&nbsp;**: D\n"},
        ["source/a.md:6:3: error: the card's front is empty [empty-front]"],
    ),
    (
        "empty-back",
        {"a.md": HEAD + "- **Term**:\n- **Why?** &nbsp;\n"},
        [
            "source/a.md:6:3: error: 'Term' has no definition [empty-back]",
            "source/a.md:7:3: error: 'Why?' has no answer [empty-back]",
        ],
    ),
    (
        "empty-item",
        {"a.md": HEAD + "- **List**\n  - one\n  -\n"},
        ["source/a.md:6:3: error: 'List' lists an empty item [empty-item]"],
    ),
    (
        "table-shape",
        {
            "a.md": HEAD
            + "| Aspect | KAM |\n| --- | --- |\n| Aim | Partnership |\n\n"
            + "| | KAM | kam |\n|-|-|-|\n| Aim | a | b |\n\n"
            + "| | A | B | C | D | E | F | G |\n|-|-|-|-|-|-|-|-|\n| x |1|2|3|4|5|6|7|\n"
        },
        [
            "source/a.md:6:3: error: a table compares at least two things (a column each, after "
            "the aspects' column); this one has 1: a one-sided fact is a term (- **Aspect**: "
            "value) [table-shape]",
            "source/a.md:10:11: error: 'kam' is compared twice (columns 2 and 3): name each "
            "column once [table-shape]",
            "source/a.md:14:2: error: a table compares at most 6 things (a card each); this one "
            "compares 7: split it into tables of fewer columns [table-shape]",
        ],
    ),
    (
        "table-empty-cell",
        {"a.md": HEAD + "| | TS | |\n| --- | --- | --- |\n| Aim |  | b |\n|  | a | b |\n"},
        [
            "source/a.md:6:9: error: the name of a thing compared is empty, and a card would "
            "ask or show it: fill the cell [table-empty-cell]",
            "source/a.md:8:8: error: the 'TS' side is empty, and a card would ask or show it: "
            "fill the cell [table-empty-cell]",
            "source/a.md:9:2: error: the aspect is empty, and a card would ask or show it: fill "
            "the cell [table-empty-cell]",
        ],
    ),
    (
        "table-no-rows-and-a-deletion-in-a-cell",
        {
            "a.md": HEAD
            + "| | TS | KAM |\n|-|-|-|\n\n"
            + "| | TS | KAM |\n|-|-|-|\n| Aim | {{c1::sales}} | b |\n"
        },
        [
            "source/a.md:6:2: warning: a table without rows makes no card: add a row per aspect "
            "compared [not-a-card]",
            "source/a.md:11:3: warning: a deletion in a table's row shows as typed: its cards "
            "ask each side already [cloze-malformed]",
        ],
    ),
    (
        "duplicate-aspect",
        {"a.md": HEAD + "| | TS | KAM |\n|-|-|-|\n| Aim | a | b |\n| *aim* | c | d |\n"},
        [
            "source/a.md:9:3: error: duplicate aspect 'aim' of a table comparing TS, KAM; first "
            "defined at source/a.md:8:3 [duplicate]"
        ],
    ),
    (
        "duplicate",
        {
            "a.md": HEAD + "- **Share of wallet**: D\n",
            "b.md": HEAD + "\n\n- **Share of *Wallet***: other\n",
        },
        [
            "source/b.md:8:3: error: duplicate front 'Share of Wallet' in deck 'A'; first defined at "
            "source/a.md:6:3 [duplicate]"
        ],
    ),
    (
        "duplicate-pin",
        {"a.md": HEAD + "- **One**: D <!-- id: x -->\n- **Two**: E <!-- id: x -->\n"},
        ["source/a.md:7:3: error: duplicate id 'x'; first defined at source/a.md:6:3 [duplicate]"],
    ),
    (
        "cloze-unbalanced",
        {"a.md": HEAD + "- Most sales come from {{c1::a few customers.\n"},
        [
            "source/a.md:6:3: error: unbalanced cloze: every '{{cN::' needs its own closing '}}' [cloze-unbalanced]"
        ],
    ),
    (
        "cloze-malformed",
        {"a.md": HEAD + "- Most sales come from {{a few}} customers.\n- **T**: uses {{c1:x}}\n"},
        [
            "source/a.md:6:3: error: '{{...}}' is not a cloze deletion, so this makes no card; write {{c1::answer}} [cloze-malformed]",
            "source/a.md:7:3: warning: '{{...}}' is not a cloze deletion and shows as typed; write {{c1::answer}} [cloze-malformed]",
        ],
    ),
    (
        "cloze-number",
        {"a.md": HEAD + "- Most sales come from {{c0::a few}} customers.\n"},
        ["source/a.md:6:3: error: cloze numbers start at c1, not c0 [cloze-number]"],
    ),
    (
        "cloze-empty",
        {"a.md": HEAD + "- Most sales come from {{c1::}} customers.\n"},
        ["source/a.md:6:3: error: cloze c1 deletes nothing [cloze-empty]"],
    ),
    (
        "cloze-gap",
        {"a.md": HEAD + "- {{c1::Most}} sales come from {{c3::a few}} customers.\n"},
        ["source/a.md:6:3: warning: cloze numbers c1, c3 skip a number [cloze-gap]"],
    ),
    (
        "cloze-in-tag",
        {"a.md": HEAD + "- A picture: ![{{c1::secret}}](x.png)\n"},
        [
            "source/a.md:6:3: error: a cloze deletion inside an HTML tag (an image's alt text or source, a link target) is lost; put it in the visible text [cloze-in-tag]"
        ],
    ),
    (
        "cloze-in-math",
        {"a.md": HEAD + "- Half: \\\\(x = {{c1::\\frac{1}{2}}}\\\\)\n"},
        [
            "source/a.md:6:3: warning: '}}' in this formula ends the cloze deletion early in "
            "Anki: write the math as \\(...\\) or $...$ (deckgen then spaces the braces), or "
            "write '} }' [cloze-in-math]"
        ],
    ),
    (
        "raw-html",
        {"a.md": HEAD + "<div>\nhello\n</div>\n\n- **T**: D <script>alert(1)</script>\n"},
        [
            "source/a.md:6:1: warning: raw HTML outside a card is ignored [raw-html]",
            "source/a.md:10:3: warning: raw HTML '<script>' is shown as text; use Markdown [raw-html]",
        ],
    ),
    (
        "not-a-card",
        {"a.md": HEAD + "- just a remark\n"},
        [
            "source/a.md:6:3: warning: list item is not a card: start it with a **bold term** or a cloze [not-a-card]"
        ],
    ),
    (
        "media",
        {
            "a.md": HEAD
            + "- **T**: ![x](missing.png)\n- **U**: ![y](../secret.png)\n- **V**: [notes](other.md)\n"
        },
        [
            "source/a.md:6:3: error: image 'missing.png' does not exist [media-missing]",
            "source/a.md:7:3: error: image '../secret.png' lies outside the source directory [media-outside]",
            "source/a.md:8:3: warning: link to 'other.md' cannot open inside Anki; link to a web address [local-link]",
        ],
    ),
    (
        "media-remote",
        {
            "a.md": HEAD
            + "- **T**: ![x](https://e.com/x.png)\n- **U**: ![y](//e.com/y.png)\n"
            + "- **V**: [hear](https://e.com/a.mp3)\n- **W**: [a page](https://e.com/) is fine\n"
        },
        [
            "source/a.md:6:3: error: image 'https://e.com/x.png' is not a file beside the notes: every student's Anki would fetch it from the network; save it next to the notes and show it from there [media-remote]",
            "source/a.md:7:3: error: image '//e.com/y.png' is not a file beside the notes: every student's Anki would fetch it from the network; save it next to the notes and show it from there [media-remote]",
            "source/a.md:8:3: error: audio 'https://e.com/a.mp3' is not a file beside the notes: every student's Anki would fetch it from the network; save it next to the notes and show it from there [media-remote]",
        ],
    ),
    (
        "math-command",
        {
            "a.md": HEAD
            + "- **T**: $\\href{javascript:alert(1)}{x}$ and \\(\\style{background:url(https://e.com)}{y}\\)\n"
            + "- **U**: `\\href` in code and \\href outside math are text\n"
        },
        [
            "source/a.md:6:3: error: math may not use \\href, \\style: MathJax makes a link or a style of it, which runs or fetches on a student's machine [math-command]",
        ],
    ),
    (
        "invisible-character",
        {"a.md": HEAD + "- **Term**: one\n- **Te\u200brm**: two\n- **\u202eabc**: three\n"},
        [
            "source/a.md:7:3: error: duplicate front 'Te\u200brm' in deck 'A'; first defined at source/a.md:6:3 [duplicate]",
            "source/a.md:7:7: error: invisible character U+200B ZERO WIDTH SPACE: it cannot be seen, so two texts that read alike differ; delete it [invisible-character]",
            "source/a.md:8:5: error: invisible character U+202E RIGHT-TO-LEFT OVERRIDE: it shows the text around it in another order than it is written; delete it [invisible-character]",
        ],
    ),
    (
        "invisible-character-in-a-name",
        {"gpj.\u202ea.md": HEAD + "- **T**: D\n"},
        [
            "source/gpj.\u202ea.md:1:1: error: the file's name holds the invisible character U+202E RIGHT-TO-LEFT OVERRIDE: rename the file without it [invisible-character]",
        ],
    ),
    (
        "unreadable-link",
        {
            "a.md": HEAD
            + "- **T**: A ![](cell figure.png) and\n  [hear](my sound.mp3 now).\n"
            + '- **U**: `![](a b.png)` is code; ![](<a b.png>), ![](<a (b).png>) and [x](https://x.org "title") are fine.\n'
            + "- **V**: a comment is no link <!-- [old](a b.png) -->, [nor](#part<b>2</b>) this\n"
            + "- **W**: an escaped \\<!-- [old](a b.png) --> is text\n",
            "a b.png": "png",
            "a (b).png": "png",
        },
        [
            "source/a.md:6:12: error: Markdown cannot read the image '![](cell figure.png)' (a name "
            "with a space ends at the space): write <name with spaces> in angle brackets, or %20 "
            "for each space [unreadable-link]",
            "source/a.md:7:3: error: Markdown cannot read the link '[hear](my sound.mp3 now)' (a "
            "name with a space ends at the space): write <name with spaces> in angle brackets, or "
            "%20 for each space [unreadable-link]",
            "source/a.md:10:27: error: Markdown cannot read the link '[old](a b.png)' (a name "
            "with a space ends at the space): write <name with spaces> in angle brackets, or %20 "
            "for each space [unreadable-link]",
        ],
    ),
    (
        "answer-too-long",
        {"a.md": HEAD + "- **T**: " + "word " * 61 + "\n"},
        [
            "source/a.md:6:3: warning: the answer has 61 words (at most 40): split it into cards "
            "of one fact each [answer-too-long]"
        ],
    ),
    (
        "answer-too-long-list",
        {"a.md": HEAD + "- **Months**\n" + "".join(f"  - m{i}\n" for i in range(8))},
        [
            "source/a.md:6:3: warning: the whole-list card asks for 8 items at once (at most 7): "
            "split the list into lists that each answer a question of their own, or switch its "
            "whole-list card off (variants without basic) [answer-too-long]"
        ],
    ),
    (
        "answer-too-long-side",
        {"a.md": HEAD + "| | TS | KAM |\n|-|-|-|\n| Aim | " + "word " * 41 + "| b |\n"},
        [
            "source/a.md:8:3: warning: a side has 41 words (at most 40): split the row into "
            "aspects of one fact each [answer-too-long]"
        ],
    ),
    (
        "yes-no-question",
        {"a.md": HEAD + "- **Is KAM a sales technique?** No.\n- **Is it el or la agua?** El.\n"},
        [
            "source/a.md:6:3: warning: a yes/no or true/false question is a coin toss; ask for "
            "what makes it true (what, which, why) instead [yes-no-question]"
        ],
    ),
    (
        "same-fact",
        {
            "a.md": HEAD + "- **Mitochondrion**: The organelle that makes most of the cell's ATP.\n"
            "- The {{c1::mitochondrion}} makes most of the cell's ATP.\n"
        },
        [
            "source/a.md:7:3: warning: 'The mitochondrion makes most of the cell's ATP.' asks a "
            "fact that 'Mitochondrion' (at source/a.md:6:3) asks too: keep it on one note, or "
            "make each ask its own part [same-fact]"
        ],
    ),
    (
        "answer-repeats-question",
        {
            "a.md": HEAD
            + "- **Share of wallet**: The share of wallet is a share.\n- **Why?** Why?\n"
        },
        [
            "source/a.md:6:3: warning: the definition gives the term away on the reverse card; "
            "reword it without the term's own words, or switch reverse off for this file "
            "[answer-repeats-question]",
            "source/a.md:7:3: warning: the answer repeats the question [answer-repeats-question]",
        ],
    ),
    (
        "no-card",
        {
            "a.md": "---\ndeck: A\nvariants: [reverse]\n---\n\n- **Why?** Because.\n"
            "- **L**\n  - one\n  - two\n"
        },
        [
            "source/a.md:6:3: warning: makes no card: a question's cards need its basic card: add 'basic' to the file's variants [no-card]",
            "source/a.md:7:3: warning: makes no card: the file's variants exclude every card an enumeration can have [no-card]",
        ],
    ),
    (
        "typed-too-long",
        {
            "a.md": "---\ndeck: A\nvariants: [basic, typed]\n---\n\n"
            "- **Why?** Because the answer has far too many words to type.\n"
            "- **A term of very many words indeed**: D.\n"
            "- **Short term**: A definition may be long; the term is typed.\n"
        },
        [
            "source/a.md:6:3: warning: the answer has 10 words, too long to type (at most 5); shorten it or leave 'typed' out of this file's variants [typed-too-long]",
            "source/a.md:7:3: warning: the term has 7 words, too long to type (at most 5); shorten it or leave 'typed' out of this file's variants [typed-too-long]",
        ],
    ),
    (
        "ambiguous-reverse",
        {
            "a.md": HEAD
            + "- **volver**: To return; to come back.\n- **regresar**: To return; to go back.\n"
            "- **Cross-selling**: Selling an additional product to an existing customer.\n"
            "- **Upselling**: Selling more expensive items to existing customers.\n"
        },
        [
            "source/a.md:7:3: warning: the reverse cards of 'regresar' and 'volver' (at "
            "source/a.md:6:3) cannot tell which term is meant (they share a meaning); say in each "
            "definition what sets it apart, or switch reverse off for this file [ambiguous-reverse]"
        ],
    ),
    (
        "confusable-fronts",
        {
            "a.md": HEAD + "- **What is the objective of KAM?** Economic advantage.\n"
            "- **What is the overall objective of key account management?** Preferred supplier status.\n"
        },
        [
            "source/a.md:7:3: warning: 'What is the overall objective of key account management?' asks what 'What is the objective of KAM?' (at source/a.md:6:3) asks, in other words, with another answer; make each question name what sets it apart, or merge them [confusable-fronts]"
        ],
    ),
    (
        "item-gives-away",
        {
            "a.md": HEAD
            + "- **Advantages**\n  - Improved service\n  - Customised offers\n  - Improved terms\n"
        },
        [
            "source/a.md:6:3: warning: items 1 and 3 of 'Advantages' mirror each other: each item's card shows the other and gives it away; word them apart, or switch the item cards off for this file (variants without cloze) [item-gives-away]"
        ],
    ),
    (
        "config",
        {"deckgen.toml": "[tags\nkam = 1\n", "a.md": HEAD + "- **T**: D\n"},
        [
            "source/deckgen.toml:1:1: error: invalid TOML: Expected ']' at the end of a table declaration (at line 1, column 6) [config]"
        ],
    ),
    (
        "config-key",
        {"deckgen.toml": TOML + "[colours]\nred = 1\n", "a.md": HEAD + "- **T**: D\n"},
        [
            "source/deckgen.toml:4:1: error: unknown section or key 'colours' (expected 'check', 'course', 'language', 'repository', 'style', 'tags' or 'variants') [config]"
        ],
    ),
    (
        "config-language",
        {"deckgen.toml": 'language = "klingon"\n' + TOML, "a.md": HEAD + "- **T**: D\n"},
        [
            "source/deckgen.toml:1:1: error: 'language' must be the code of the language the "
            "notes are written in, one of: ar, bg, bn, ca, cs, da, de, el, en, eo, es, et, eu, "
            "fa, fi, fil, fr, ga, he, hi, hu, hy, id, is, it, ja, ko, lt, lv, mk, ms, nb, ne, nl, "
            "no, pl, pt, ro, ru, sh, sk, sl, sr, sv, ta, tr, uk, ur, vi, yi, zh [config]"
        ],
    ),
    (
        "style-css-closes-its-element",
        {
            "deckgen.toml": TOML + '[style]\ncss = "look.css"\n',
            "look.css": ".card { color: red; }\n/* </style><script>x()</script> */\n",
            "a.md": HEAD + "- **T**: D\n",
        },
        [
            "source/look.css:2:4: error: stylesheet: '<' would end the <style> element Anki "
            "puts the stylesheet in [config]"
        ],
    ),
    (
        "style-outside-and-field-in-header",
        {
            "deckgen.toml": TOML
            + '[style]\ncss = "../secret.css"\nheader = "{{Back}}"\nfonts = 1\n',
            "a.md": HEAD + "- **T**: D\n",
        },
        [
            "source/deckgen.toml:5:1: error: stylesheet '../secret.css' lies outside the source directory [config]",
            "source/deckgen.toml:6:1: error: 'header' may not contain '{{' or '}}': Anki would read a field there [config]",
            "source/deckgen.toml:7:1: error: unknown key 'fonts' in [style] (expected css, header, footer) [config]",
        ],
    ),
    (
        "lock",
        {
            "deckgen.lock": '{"deckgen-lock": 3, "course": "0f8fad5b-d9cb-469f-a165-70867728950e"}\n<<<<<<< HEAD\n',
            "a.md": HEAD + "- **T**: D\n",
        },
        [
            "source/deckgen.lock:2:1: error: malformed lock entry (Expecting value: line 1 column 1 (char 0)); "
            "restore deckgen.lock from git [lock]"
        ],
    ),
    (
        "note-type-outside",
        {"a.md": "---\ndeck: A\nnote-type: ../basic.json\n---\n\n- **T**: D\n"},
        [
            "source/a.md:3:1: error: note-type '../basic.json': must be a path inside the "
            "course's notes folder [note-type]"
        ],
    ),
    (
        "note-type-not-a-file-name",
        {"a.md": "---\ndeck: A\nnote-type: [basic]\n---\n\n- **T**: D\n"},
        [
            "source/a.md:3:1: error: 'note-type' must name a kept note type file, such as "
            "note-types/basic.json (written by deckgen import) [metadata-type]"
        ],
    ),
    (
        "note-type-not-json",
        {"a.md": KEPT_HEAD + "- **T**: D\n- **U**: E\n", "t/basic.json": '{"format": 1,,}'},
        [
            "source/a.md:3:1: error: note-type 't/basic.json': source/t/basic.json: line 1, "
            "column 14: not JSON: Expecting property name enclosed in double quotes [note-type]"
        ],
    ),
    (
        "note-type-broken-template",
        {
            "a.md": KEPT_HEAD + "- **T**: D\n",
            "t/basic.json": KEPT.replace("{{Front}}", "{{#Front}}"),
        },
        [
            "source/a.md:3:1: error: note-type 't/basic.json': source/t/basic.json: a template "
            "Anki cannot render: it never closes 'Front' [note-type]"
        ],
    ),
    (
        "note-type-wrong-kind",
        {"a.md": KEPT_HEAD + "- **T**: D\n- **List**:\n  - a\n  - b\n", "t/basic.json": KEPT},
        [
            "source/a.md:7:3: error: an enumeration cannot be a note of the kept note type "
            "'Basic', which holds a term or a question: move it to a notes file without "
            "'note-type' [note-type]"
        ],
    ),
    (
        "note-type-comparison",
        {"a.md": KEPT_HEAD + "| | A | B |\n|-|-|-|\n| x | 1 | 2 |\n", "t/basic.json": KEPT},
        [
            "source/a.md:8:3: error: a comparison cannot be a note of the kept note type "
            "'Basic', which holds a term or a question: move it to a notes file without "
            "'note-type' [note-type]"
        ],
    ),
]


def make_source(root: Path, files: dict[str, str | bytes]) -> None:
    source = root / "source"
    source.mkdir()
    (source / "deckgen.toml").write_text(TOML, encoding="utf-8")
    for name, content in files.items():
        path = source / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


@pytest.mark.parametrize(("name", "files", "expected"), CASES, ids=[c[0] for c in CASES])
def test_check_reports_exactly(
    name: str,
    files: dict[str, str | bytes],
    expected: list[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    make_source(tmp_path, files)
    result = CliRunner().invoke(main, ["check"])
    lines = result.output.splitlines()
    assert lines[:-1] == expected
    errors = sum(": error: " in line for line in expected)
    assert lines[-1] == f"{errors} error(s), {len(expected) - errors} warning(s)"
    assert result.exit_code == (1 if errors else 0)
    assert "Traceback" not in result.output

    strict = CliRunner().invoke(main, ["check", "--strict"])
    assert strict.exit_code == 1

    built = CliRunner().invoke(main, ["build"])
    assert built.exit_code == (1 if errors else 0)
    assert Path("build").exists() == (not errors)


def test_json_and_github_formats(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    make_source(tmp_path, {"a.md": HEAD + "- **T**: D\n- **T**: E\n"})
    github = CliRunner().invoke(main, ["check", "--format", "github"])
    assert github.exit_code == 1
    assert github.output.splitlines()[0] == (
        "::error file=source/a.md,line=7,col=3,title=duplicate::duplicate front 'T' in deck 'A'; "
        "first defined at source/a.md:6:3"
    )
    as_json = CliRunner().invoke(main, ["check", "--format", "json"])
    assert as_json.exit_code == 1
    import json

    assert json.loads(as_json.output) == [
        {
            "path": "source/a.md",
            "line": 7,
            "col": 3,
            "severity": "error",
            "code": "duplicate",
            "message": "duplicate front 'T' in deck 'A'; first defined at source/a.md:6:3",
        }
    ]
