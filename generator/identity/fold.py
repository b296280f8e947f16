"""What makes two records the same fact: the plain text of a field, the folded front, the key."""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Sequence

from ..cloze import answers_only
from ..records import GUID_PREFIX

_TAG = re.compile(r"<[^>]*>")
_QUOTES = str.maketrans(
    {"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-"}
)
_QUOTE_CHARACTERS = tuple(map(chr, _QUOTES))


def plain(html_text: str) -> str:
    """The visible text of an HTML field: tags dropped, entities decoded, whitespace collapsed."""
    text = _TAG.sub(" ", html_text) if "<" in html_text else html_text
    if "&" in text:
        text = html.unescape(text)
    return " ".join(text.split())  # str.split's whitespace is exactly re's \s


def fold(text: str) -> str:
    """The form of a front used for identity, from its plain text (`plain`): blind to markup,
    case, spacing, quote style and invisible (format) characters.

    Cloze markup is reduced to its answer, so renumbering or moving a deletion keeps the note.
    """
    text = answers_only(text)
    if not text.isascii():  # NFKC and _QUOTES change no ASCII text: most fronts skip them
        text = unicodedata.normalize("NFKC", text)
        if any(quote in text for quote in _QUOTE_CHARACTERS):
            text = text.translate(_QUOTES)
        # Format characters (zero-width, bidi, soft hyphen) are unseen: "Te\u200brm" is "Term".
        # A printable text has none (they are Unicode's "Other"): most texts skip the search.
        if not text.isprintable():
            text = "".join(c for c in text if unicodedata.category(c) != "Cf")
    return text.casefold().rstrip(" :")


ROW = " \u203a "
"""What stands between a table's compared names and a row's aspect in the row's front."""


def row_text(aspect: str, names: Sequence[str]) -> str:
    """What identity sees of a comparison table's row, from plain texts: the names of the
    things compared, then its aspect (`fold` it for the row's folded front). Not its sides:
    rewording a cell keeps the note, as rewording a definition keeps a term's."""
    return f"{' | '.join(names)}{ROW}{aspect}"


def renamed_parts(front: str, other: str) -> tuple[str, str]:
    """Two folded fronts as a rename is judged (`stamp`): two rows of one table by their
    aspects alone, since the table's names they share would make any two of its rows look
    alike (a row replaced by another would take over its history); anything else whole."""
    table, separator, aspect = front.rpartition(ROW)
    if separator and other.startswith(table + separator):
        return aspect, other[len(table) + len(separator) :]
    return front, other


def key_of(deck: str, folded_front: str, pin: str | None) -> str:
    """A record's identity: its pinned id, or its deck and folded front (see `fold`).

    Two records with the same key are the same fact (a duplicate). The key of a record
    seen for the first time also seeds its GUIDs; the lock keeps that seed when the front
    is later reworded, so a spelling fix does not make a new note.
    """
    if pin is not None and pin.startswith(GUID_PREFIX):
        return pin  # an imported note: its GUID is its identity
    return f"id:{pin}" if pin is not None else f"{deck}\x1f{folded_front}"


def first_seed(deck: str, folded_front: str, pin: str | None) -> str:
    """The seed of a record's GUIDs when it is first built: its key.

    The lock keeps this seed for life (a reworded front keeps it, see stamp.py), and writes
    it out only where it differs from the record's current key.
    """
    return key_of(deck, folded_front, pin)
