"""Templates and stylesheets deckgen did not write: nothing in them may run or fetch.

The policy (one for all): a kept note type's templates and stylesheet
(`source/note-types/*.json`, written by `deckgen import` or by anyone in a pull request)
and the course stylesheet (`[style] css`) reach every card of every student. deckgen
refuses, with an error naming the place, anything in them that runs script or fetches from
the network: script and the elements that load, embed or submit (`<script>`, `<iframe>`,
`<object>`, `<link>`, `<meta>`, `<base>`, `<form>`, ...), and those whose content is read
by other rules (`<style>`, `<svg>`, `<math>`, `<textarea>`, `<title>`, ...); event handler
attributes (`onerror=`); `javascript:`, `vbscript:` and `data:` addresses; a source that is
a web address (`src="https://..."`, `//host`); a field inside a tag (`<img {{Front}}>`,
`title="{{Back}}"`), where a note's text would write the tag's attributes; and in CSS,
`@import`, a `url()` or `image-set()` of a web or data address, `expression()`,
`behavior` and `-moz-binding`, and `<` (which would end Anki's <style> element). There is
no switch to allow script: deckgen ships none. `deckgen import` calls `template_problems`
and `css_problems` on what it keeps, so that what it writes passes `check`.

Every check reads the text in one pass (no pattern here goes back over what it read), and
errs on the side of refusing: a problem found where a browser would see only text (in a
comment, in a visible `onclick=`) is still a problem, and says where it is.
"""

from __future__ import annotations

import html
import re

from .records import line_cols

_ELEMENT = re.compile(
    r"<\s*/?\s*(script|style|iframe|frame|frameset|object|embed|applet|link|meta|base|form|"
    r"portal|svg|math|noscript|noembed|noframes|xmp|plaintext|textarea|title|template)(?![\w-])",
    re.IGNORECASE,
)
_HANDLER = re.compile(r"[\s/\"'](on[a-z]+)\s*=", re.IGNORECASE)
_SCHEME = re.compile(
    r"\b(javascript|vbscript|livescript)\s*:|[=(\"',][\x00-\x20]*(data):", re.IGNORECASE
)
"""Addresses that run script, anywhere; `data:` where an address starts (not "Data: ...")."""
_FETCHING_ATTRIBUTE = re.compile(
    r"\b(src|srcset|poster|background|action|formaction|data|codebase|cite|ping|longdesc|"
    r"lowsrc|dynsrc|manifest|icon|archive|classid|xlink:href)\s*=\s*[\"']?[\x00-\x20]*"
    r"(?:[a-z][a-z0-9+.-]*:|//|\\\\)",
    re.IGNORECASE,
)
_FIELD_IN_TAG = re.compile(r"<[/!?]?[A-Za-z0-9-]*\{\{")
_FIELD = re.compile(r"\{\{(?![#^/!])")
"""A field (or special field) replacement; sections only choose what the template shows."""
_TAB_OR_NEWLINE = str.maketrans("", "", "\t\n\r")  # what a browser strips from any address
_CSS_ESCAPE = re.compile(r"\\([0-9a-fA-F]{1,6})[ \t\r\n\f]?|\\([^\n0-9a-fA-F])")
_CSS_COMMENT = re.compile(r"/\*(?>(?:[^*]|\*(?!/))*)(?:\*/|\Z)")
_CSS_RULES = (
    (re.compile(r"@import\b", re.I), "@import fetches a stylesheet from elsewhere"),
    (
        re.compile(
            r"(?:url|image-set|-webkit-image-set|image|cross-fade|src)\(\s*[\"']?\s*"
            r"(?:[a-z][a-z0-9+.-]*:|//|\\\\)",
            re.I,
        ),
        "a url() of a web or data address is fetched on every card",
    ),
    (re.compile(r"\bexpression\s*\(", re.I), "expression() runs script"),
    (re.compile(r"\b(?:behavior|-moz-binding)\s*:", re.I), "behavior and -moz-binding run script"),
)
_LESS_THAN = (re.compile(r"<"), "'<' would end the <style> element Anki puts the stylesheet in")


def template_problems(template: str) -> list[str]:
    """What in a card template would run or fetch, each `line L, column C: why`."""
    found: list[tuple[int, str]] = []
    for match in _ELEMENT.finditer(template):
        found.append((match.start(), f"<{match.group(1).lower()}> runs, loads or hides markup"))
    for match in _HANDLER.finditer(template):
        found.append((match.start(1), f"the event handler {match.group(1)}= runs script"))
    for match in _FIELD_IN_TAG.finditer(template):
        found.append((match.end() - 2, "a field in a tag's name"))
    found += _fields_in_tags(template)
    decoded = html.unescape(template) if "&" in template else template
    if decoded != template or "\t" in decoded or "\n" in decoded or "\r" in decoded:
        decoded = decoded.translate(_TAB_OR_NEWLINE)  # positions then approximate
    for match in _SCHEME.finditer(decoded):
        scheme = match.group(1) or match.group(2)
        found.append((match.start(), f"a {scheme.lower()}: address"))
    for match in _FETCHING_ATTRIBUTE.finditer(decoded):
        found.append((match.start(), f"{match.group(1)}= fetches from the network"))
    found += _css(decoded, _CSS_RULES)  # in style="" attributes
    found.sort()
    places = line_cols(template, (min(at, len(template)) for at, _ in found))
    return [
        f"line {line}, column {col}: {why}"
        for (line, col), (_, why) in zip(places, found, strict=True)
    ]


def css_problems(css: str) -> list[tuple[int, int, str]]:
    """What in a stylesheet would run or fetch: (line, column, why), 1-based."""
    # '<' in the text as it is: a CSS comment does not hide it from the HTML around it.
    found = _css(css, _CSS_RULES) + [
        (m.start(), _LESS_THAN[1]) for m in _LESS_THAN[0].finditer(css)
    ]
    found.sort()
    places = line_cols(css, (at for at, _ in found))
    return [(line, col, why) for (line, col), (_, why) in zip(places, found, strict=True)]


def _css(css: str, rules: tuple[tuple[re.Pattern[str], str], ...]) -> list[tuple[int, str]]:
    # Comments blanked (newlines kept, so lines stay) and escapes spelled out (`u\72l(` is
    # url( to a browser), then searched.
    text = _CSS_COMMENT.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), css)
    if "\\" in text:
        text = _CSS_ESCAPE.sub(_unescape, text)
    return [(m.start(), why) for pattern, why in rules for m in pattern.finditer(text)]


def _unescape(match: re.Match[str]) -> str:
    if match.group(2) is not None:
        return match.group(2)
    return chr(min(int(match.group(1), 16), 0x10FFFF) or 0xFFFD)


def _fields_in_tags(template: str) -> list[tuple[int, str]]:
    """Each `{{field}}` between a tag's `<` and its `>` (a `>` in a quoted value does not end
    the tag, as in a browser): the note's text would write the tag's attributes."""
    found = []
    end = len(template)
    at = template.find("<")
    while 0 <= at < end - 1:
        i = at + 1
        if template[i].isalpha() or template[i] == "/":
            while i < end and template[i] != ">":
                if template[i] == "=":
                    i += 1
                    while i < end and template[i] in " \t\n\r\f":
                        i += 1
                    if i < end and template[i] in "\"'":
                        close = template.find(template[i], i + 1)
                        i = end if close < 0 else close
                elif template.startswith("{{", i):
                    close = template.find("}}", i)
                    i = end if close < 0 else close + 1
                i += 1
            found += [
                (m.start(), "a field inside an HTML tag: the note's text would write it")
                for m in _FIELD.finditer(template, at, i)
            ]
        at = template.find("<", i)
    return found
