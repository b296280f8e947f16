"""What a student can follow from Anki: which release a deck is, its notes, and a form to
report an error on a card.

They come from `repository` in deckgen.toml (checked by config.py: an https address with
nothing but a path). GitHub and GitLab get their own forms, prefilled; any other host gets
the repository's own page.
"""

from __future__ import annotations

import html
import re
import time
from urllib.parse import quote, urlencode, urlsplit

MAX_TITLE = 80
"""Characters of a card's front in an error report's title."""
MAX_TEXT = 600
"""Characters of a card's front in an error report's body (a URL has room for ~2,000)."""


def _host(repository: str) -> str:
    return urlsplit(repository).hostname or ""


def release_url(repository: str, tag: str) -> str:
    """The page of release `tag`'s notes."""
    host = _host(repository)
    if host == "github.com":
        return f"{repository}/releases/tag/{quote(tag)}"
    if "gitlab" in host:
        return f"{repository}/-/releases/{quote(tag)}"
    return repository


def report_url(repository: str, card: str, where: str) -> str:
    """A prefilled form to report an error on the card whose front is `card` (HTML), found
    at `where` (the Source line, plain text)."""
    front = plain(card)
    title = f"Error on the card: {_cut(front, MAX_TITLE)}"
    body = f"Card: {_cut(front, MAX_TEXT)}\nSource: {where}\n\nWhat is wrong:\n"
    host = _host(repository)
    if host == "github.com":
        query = {"title": title, "body": body}
        return f"{repository}/issues/new?{urlencode(query, quote_via=quote)}"
    if "gitlab" in host:
        query = {"issue[title]": title, "issue[description]": body}
        return f"{repository}/-/issues/new?{urlencode(query, quote_via=quote)}"
    return repository


def anchor(url: str, text: str) -> str:
    """`<a href="url">text</a>`, both escaped for HTML."""
    return f'<a href="{html.escape(url, quote=True)}">{html.escape(text, quote=False)}</a>'


def plain(fragment: str) -> str:
    """The text of an HTML fragment: tags dropped, entities decoded, spaces collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]*>", " ", fragment)).split())


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


def deck_description(
    release: str | None, when: int, repository: str | None, preset: str = ""
) -> str:
    """What each deck's description says (HTML): which release the student has and when it
    was built, where its notes are, what importing the options `preset` gives, and how to
    report an error. A build that is not a release says so, without a date: the same notes
    build the same package any day."""
    if release is None:
        text = "<p>Built from the course's notes; not a published release.</p>"
    else:
        day = time.strftime("%Y-%m-%d", time.gmtime(when))
        text = f"<p>Release {html.escape(release)} of {day}.</p>"
        if repository is not None:
            text += f"<p>{anchor(release_url(repository, release), 'What changed in it')}</p>"
    if preset:
        text += (
            "<p>Tick “Import any deck presets” when you import: its options “"
            f"{html.escape(preset)}” keep a fact's cards (a term and its reverse, a list and "
            "its items) on different days.</p>"
        )
    if repository is not None:
        text += "<p>An error on a card? Follow “Report an error” under its answer.</p>"
    return text
