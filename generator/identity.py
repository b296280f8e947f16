"""Identity, in one place: what makes two records the same fact, and the GUID of each note."""

from __future__ import annotations

import html
import re
import unicodedata
from hashlib import sha256

from genanki.util import BASE91_TABLE

from .cloze import answers_only
from .records import Variant

_TAG = re.compile(r"<[^>]*>")
_QUOTES = str.maketrans(
    {"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-"}
)


def plain(html_text: str) -> str:
    """The visible text of an HTML field: tags dropped, entities decoded, whitespace collapsed."""
    text = _TAG.sub(" ", html_text) if "<" in html_text else html_text
    if "&" in text:
        text = html.unescape(text)
    return " ".join(text.split())  # str.split's whitespace is exactly re's \s


def fold(text: str) -> str:
    """The form of a front used for identity, from its plain text (`plain`): blind to markup,
    case, spacing, quote style.

    Cloze markup is reduced to its answer, so renumbering or moving a deletion keeps the note.
    """
    text = unicodedata.normalize("NFKC", answers_only(text)).translate(_QUOTES).casefold()
    return text.rstrip(" :")


def key_of(deck: str, folded_front: str, pin: str | None) -> str:
    """A record's identity: its pinned id, or its deck and folded front (see `fold`).

    Two records with the same key are the same fact (a duplicate). The key of a record
    seen for the first time also seeds its GUIDs; the lock keeps that seed when the front
    is later reworded, so a spelling fix does not make a new note.
    """
    return f"id:{pin}" if pin is not None else f"{deck}\x1f{folded_front}"


_DIGIT_PAIRS = [high + low for high in BASE91_TABLE for low in BASE91_TABLE]


def note_guid(seed: str, variant: Variant) -> str:
    """The GUID of one variant of a record: each variant has its own history in Anki.

    This is genanki's `guid_for(seed, variant)` (tests/test_identity.py checks they agree),
    in a third of its time: 100,000 records make 200,000 GUIDs.
    """
    # A StrEnum formats as its value (and `.value` is a slow descriptor in a hot loop).
    number = int.from_bytes(sha256(f"{seed}__{variant}".encode()).digest()[:8], "big")
    pairs: list[str] = []
    while number:  # two base-91 digits at a time
        number, pair = divmod(number, 91 * 91)
        pairs.append(_DIGIT_PAIRS[pair])
    return "".join(reversed(pairs)).lstrip(BASE91_TABLE[0])  # no leading zero digit
