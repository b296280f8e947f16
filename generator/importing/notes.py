"""Imported cards -> deckgen notes files: one per deck (and per set of cards its notes had).

A deck's notes go to `<deck>.md`; notes that had a reverse or a typed card go to a file of
their own (`<deck>-reversed.md`), because `variants` are per file. Notes with the same tags
share a section with a `Tags:` line, and every tag is added to deckgen.toml's vocabulary.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from urllib.parse import quote

from ..config import CONFIG_NAME
from ..diagnostics import UsageError
from ..identity.fold import fold, plain
from ..records import Kind
from .cards import ImportedCard


def write_notes(cards: Iterable[ImportedCard], folder: Path) -> list[tuple[Path, int]]:
    """Write the notes files into `folder` (refusing to overwrite any); (file, notes) each."""
    groups: dict[tuple[str, bool, bool], list[ImportedCard]] = defaultdict(list)
    first: dict[tuple[str, str], ImportedCard] = {}
    for card in cards:
        other = first.setdefault((card.deck, fold(plain(card.front))), card)
        if other is not card:
            card = replace(
                card, repairs=(*card.repairs, f"defined twice: also at {other.origin}; merge them")
            )
        reverse = card.reverse and card.kind is Kind.TERM
        typed = card.typed and card.kind is not Kind.CLOZE
        groups[(card.deck, reverse, typed)].append(card)
    files = {
        folder / _file_name(deck, reverse, typed): _text(deck, reverse, typed, group)
        for (deck, reverse, typed), group in sorted(groups.items())
    }
    existing = sorted(str(path) for path in files if path.exists())
    if existing:
        raise UsageError("error: not overwriting notes that exist: " + ", ".join(existing))
    folder.mkdir(parents=True, exist_ok=True)
    for path, text in files.items():
        path.write_text(text, encoding="utf-8")
    return [(path, len(groups[key])) for path, key in zip(files, sorted(groups), strict=True)]


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


def _file_name(deck: str, reverse: bool, typed: bool) -> str:
    slug = re.sub(r"[\W_]+", "-", deck.casefold()).strip("-")[:60] or "deck"
    return slug + ("-reversed" if reverse else "") + ("-typed" if typed else "") + ".md"


def _text(deck: str, reverse: bool, typed: bool, cards: list[ImportedCard]) -> str:
    variants = ["basic", "cloze"] + ["reverse"] * reverse + ["typed"] * typed
    lines = [
        "---",
        f"deck: {json.dumps(deck, ensure_ascii=False)}",
        f"variants: [{', '.join(variants)}]",
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
