"""Imported cards -> deckgen notes files: one per deck (and per set of cards its notes had).

A deck's notes go to `<deck>.md`; notes that had a reverse or a typed card go to a file of
their own (`<deck>-reversed.md`), because `variants` are per file, and so do notes of each
kept note type (`<deck>-<note type>.md` where a deck has several), because a file names one. Notes with the same tags
share a section with a `Tags:` line, and every tag is added to deckgen.toml's vocabulary.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from urllib.parse import quote

from ..config import CONFIG_NAME
from ..diagnostics import UsageError
from ..identity.fold import fold, plain
from ..output.package import slug
from ..records import Kind
from .cards import ImportedCard

NOTE_TYPES = "note-types"
"""The folder, beside the notes, of the kept note types (`identity.kept`)."""


def write_notes(cards: Iterable[ImportedCard], folder: Path) -> list[tuple[Path, int]]:
    """Write the notes files into `folder` (refusing to overwrite any); (file, notes) each."""
    groups: dict[Group, list[ImportedCard]] = defaultdict(list)
    first: dict[tuple[str, str], ImportedCard] = {}
    for card in cards:
        other = first.setdefault((card.deck, fold(plain(card.front))), card)
        if other is not card:
            card = replace(
                card, repairs=(*card.repairs, f"defined twice: also at {other.origin}; merge them")
            )
        reverse = card.reverse and card.kind is Kind.TERM
        typed = card.typed and card.kind is not Kind.CLOZE
        groups[(card.deck, card.note_type or "", reverse, typed)].append(card)
    names = _file_names(sorted(groups))
    files = {folder / names[key]: _text(key, group) for key, group in sorted(groups.items())}
    existing = sorted(str(path) for path in files if path.exists())
    if existing:
        raise UsageError("error: not overwriting notes that exist: " + ", ".join(existing))
    folder.mkdir(parents=True, exist_ok=True)
    for path, text in files.items():
        path.write_text(text, encoding="utf-8")
    return [(folder / names[key], len(groups[key])) for key in sorted(groups)]


Group = tuple[str, str, bool, bool]
"""The cards of one notes file: deck, kept note type file ("" for none), reversed, typed."""


def _file_names(keys: list[Group]) -> dict[Group, str]:
    """Each group's file name: the deck's, with -reversed / -typed; and the note type's
    where two groups would share one."""
    base = {
        key: slug(key[0], 60, "deck") + "-reversed" * key[2] + "-typed" * key[3] for key in keys
    }
    shared = Counter(base.values())
    return {
        key: base[key]
        + (f"-{Path(key[1]).stem}" if shared[base[key]] > 1 and key[1] else "")
        + ".md"
        for key in keys
    }


def declare_tags(tags: Iterable[str], folder: Path) -> list[str]:
    """Add the tags deckgen.toml does not declare yet; the ones added."""
    path = folder / CONFIG_NAME
    text = path.read_text(encoding="utf-8") if path.exists() else "[tags]\n"
    try:
        declared = set(tomllib.loads(text).get("tags", {}))
    except tomllib.TOMLDecodeError:
        raise UsageError(f"{path}: error: not valid TOML; fix it, then import again") from None
    new = sorted(set(tags) - declared)
    if new:
        if "[tags]" not in text:
            text = text.rstrip("\n") + "\n\n[tags]\n"
        lines = "".join(f'{_key(tag)} = "imported"\n' for tag in new)
        # The table is the file's last one when deckgen writes it; append below it.
        text = text.rstrip("\n") + "\n" + lines
        path.write_text(text, encoding="utf-8")
    return new


def _key(tag: str) -> str:
    """A TOML key: bare where TOML allows, quoted otherwise."""
    return tag if re.fullmatch(r"[A-Za-z0-9_-]+", tag) else json.dumps(tag, ensure_ascii=False)


def _text(group: Group, cards: list[ImportedCard]) -> str:
    deck, note_type, reverse, typed = group
    variants = ["basic", "cloze"] + ["reverse"] * reverse + ["typed"] * typed
    lines = [
        "---",
        f"deck: {json.dumps(deck, ensure_ascii=False)}",
        f"variants: [{', '.join(variants)}]",
    ]
    if note_type:
        # The deck's own note type, kept so students' notes update in place: keep this line.
        lines.append(f"note-type: {NOTE_TYPES}/{note_type}")
    lines += [
        "---",
        "",
        f"# {_heading(deck.split('::')[-1])}",
        "",
    ]
    sections: dict[tuple[str, ...], list[ImportedCard]] = defaultdict(list)
    for card in cards:
        sections[card.tags].append(card)
    for tags, section in sorted(sections.items()):
        if tags:
            lines += [f"## {_heading(', '.join(tags))}", "", f"Tags: {', '.join(tags)}", ""]
        lines += [_item(card) for card in section]
        lines.append("")
    return "\n".join(lines)


def _item(card: ImportedCard) -> str:
    comments = ""
    if card.guid:
        comments += f" <!-- guid: {quote(card.guid, safe='')} -->"
    for repair in card.repairs:
        comments += f" <!-- deckgen: {repair.replace('--', '-')} -->"
    if card.kind is Kind.CLOZE:
        extra = f"\n\n  {card.back}" if card.back else ""
        return f"- {card.front}{comments}{extra}"
    separator = " " if card.front.rstrip().endswith("?") else ": "
    return f"- **{card.front}**{separator}{card.back}{comments}"


def _heading(text: str) -> str:
    return re.sub(r"([\\`*_\[\]<>#])", r"\\\1", " ".join(text.split())) or "Notes"
