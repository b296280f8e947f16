"""What the preview shows of what deckgen did not write, made inert: it runs no script and
fetches nothing from anywhere.

- Every field is deckgen's own HTML (its Markdown renderer escapes raw HTML); what can fetch
  there is an image's source, so an image not shipped by the build (a remote address, or a
  name it did not ship) is shown without its source (`preview._inline_media`).
- A note type kept from an imported deck brings templates anyone may have written: its cards
  go through an allowlist sanitizer (`foreign_card`): nh3, the Python binding of the Rust
  ammonia library, which parses HTML with html5ever as a browser does, so no markup can
  hide from it (a regex or `html.parser` would be one parser differential away from a hole).
- The card stylesheet (deckgen's, with the course's own appended) loses `@import` and every
  `url()` or `image-set()` that is not a `data:` URI (`inert_css`).

The page's Content-Security-Policy (`page.py`) is the second line: it would block what these
missed.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import nh3

_ESCAPE = re.compile(r"\\([0-9a-fA-F]{1,6})[ \t\r\n\f]?|\\([A-Za-z(@:/])")
_COMMENT = re.compile(r"/\*.*?(?:\*/|\Z)", re.DOTALL)
_IMPORT = re.compile(r"@import\b[^;{}]*;?", re.IGNORECASE)
_URL = re.compile(r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)]*?))\s*\)""", re.IGNORECASE)
_FETCHING = re.compile(r"(?<![\w-])(?:-webkit-)?(?:image-set|image|cross-fade|element)\(", re.I)


def inert_css(css: str) -> str:
    """`css` without anything that fetches: escapes that spell letters are written out (so
    `u\\72l(` is seen as `url(`), comments dropped, `@import` rules removed, `url()` that is
    not a `data:` URI emptied, and `image-set()` and its kin renamed to nothing a browser
    knows (the declaration is then dropped)."""
    if "\\" in css:
        css = _ESCAPE.sub(_unescape, css)
    css = _COMMENT.sub("", css)
    css = _IMPORT.sub("", css)
    css = _URL.sub(_data_url_only, css)
    return _FETCHING.sub("inert(", css)


def _unescape(match: re.Match[str]) -> str:
    if match.group(2):
        return match.group(2)
    char = chr(min(int(match.group(1), 16), 0x10FFFF))
    return char if char.isascii() and (char.isalnum() or char in "(@:/") else match.group(0)


def _data_url_only(match: re.Match[str]) -> str:
    target = next(g for g in match.groups() if g is not None).strip()
    return match.group(0) if target.lower().startswith("data:") else "url(data:,)"


def _local_source(_tag: str, attribute: str, value: str) -> str | None:
    """Attribute filter: a source is kept only if it names a file (no scheme, no host, no
    absolute path: a name the build may have shipped); a style only if inert."""
    if attribute == "src":
        bare = value.strip()
        if ":" in bare.split("/")[0] or bare.startswith(("/", "\\")):
            return None
        return value
    if attribute == "style":
        return inert_css(value)
    return value


_CLEANER: Callable[[str], str] = nh3.Cleaner(
    tags=nh3.ALLOWED_TAGS | {"font"},
    clean_content_tags={"script", "style"},
    attributes={
        "*": {"class", "title", "lang", "dir", "style", "align"},
        "a": {"href"},
        "img": {"src", "alt", "width", "height"},
        "font": {"color", "face", "size"},
        "td": {"colspan", "rowspan"},
        "th": {"colspan", "rowspan"},
    },
    attribute_filter=_local_source,
    generic_attribute_prefixes={"data-"},
    url_schemes={"http", "https", "mailto"},
    strip_comments=True,
).clean


def foreign_card(html: str) -> str:
    """A card side rendered from a template deckgen did not write, with no script, event
    handler, frame, form, style element, `javascript:` link or remote source left."""
    return _CLEANER(html)
