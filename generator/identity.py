"""Identity, in one place: what makes two records the same fact, and the GUID of each note."""

from __future__ import annotations

import html
import re
import unicodedata

from genanki.util import guid_for

from .cloze import answers_only
from .records import Variant

_TAG = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"\s+")
_QUOTES = str.maketrans(
    {"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-"}
)


def plain(html_text: str) -> str:
    """The visible text of an HTML field: tags dropped, entities decoded, whitespace collapsed."""
    text = html.unescape(_TAG.sub(" ", html_text))
    return _SPACE.sub(" ", text).strip()


def fold(html_text: str) -> str:
    """The form of a front used for identity: blind to markup, case, spacing, quote style.

    Cloze markup is reduced to its answer, so renumbering or moving a deletion keeps the note.
    """
    text = answers_only(plain(html_text))
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES).casefold()
    return text.rstrip(" :")


def key_of(deck: str, folded_front: str, pin: str | None) -> str:
    """A record's identity: its pinned id, or its deck and folded front (see `fold`).

    Two records with the same key are the same fact (a duplicate). The key of a record
    seen for the first time also seeds its GUIDs; the lock keeps that seed when the front
    is later reworded, so a spelling fix does not make a new note.
    """
    return f"id:{pin}" if pin is not None else f"{deck}\x1f{folded_front}"


def note_guid(seed: str, variant: Variant) -> str:
    """The GUID of one variant of a record: each variant has its own history in Anki."""
    return str(guid_for(seed, variant.value))
