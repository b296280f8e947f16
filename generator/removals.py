"""`deckgen removed`: the notes gone from the source that are still shipped, marked, and
forgetting them once students have had the mark for enough releases.

Which releases shipped a removed note is read from git: the lock at each release tag
(vX.Y.Z, pre-releases never count) says which notes it shipped marked. The same locks say
which notes any release shipped at all (`released_keys`): a note no release shipped is a
draft, simply forgotten when it is deleted (`identity.stamp`).
"""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass
from pathlib import Path

from .config import LOCK_NAME, RELEASE_TAG, Config
from .diagnostics import UsageError
from .identity.fold import key_of
from .identity.lock import Lock, LockedRecord, format_lock, read_lock
from .identity.removed import SEARCH, day
from .links import plain
from .output.write import exclusive, write_all


@dataclass(frozen=True, slots=True)
class Gone:
    """A removed note the lock still ships, and the releases that shipped it marked."""

    entry: LockedRecord
    releases: tuple[str, ...]

    def line(self) -> str:
        gone = self.entry.removed
        assert gone is not None
        shipped = ", ".join(self.releases) if self.releases else "no release yet"
        front = plain(gone.fields[0]) or self.entry.front
        return (
            f"{day(gone.since)}  {self.entry.deck} \u203a {front}  (shipped marked in: {shipped})"
        )


def removed_notes(config: Config, lock: Lock | None = None) -> list[Gone]:
    """Every removed note in the lock (read unless given), oldest first, with the releases
    that shipped it."""
    lock = read_lock(config.lock_path) if lock is None else lock
    shipped = _shipped_by_release(config.source)
    gone = [entry for entry in lock.records if entry.removed is not None]
    gone.sort(key=lambda e: (e.removed.since if e.removed else 0, e.deck, e.front))
    return [Gone(entry, tuple(tag for tag, keys in shipped if entry.key in keys)) for entry in gone]


def forget(config: Config, releases: int) -> list[Gone]:
    """Drop from the lock every removed note shipped marked in at least `releases` releases
    (at least 1: a student who imports each release sees the mark once). Students keep the
    marked note; new students no longer get it. Returns what was dropped."""
    if releases < 1:
        raise UsageError("--forget: error: a removed note is shipped marked in at least 1 release")
    with exclusive(config.out):
        lock = read_lock(config.lock_path)
        listed = removed_notes(config, lock)
        dropped = [gone for gone in listed if len(gone.releases) >= releases]
        if dropped:
            keys = {gone.entry.key for gone in dropped}
            kept = tuple(entry for entry in lock.records if entry.key not in keys)
            text = format_lock(Lock(lock.models, kept, lock.course))
            write_all({config.lock_path: text.encode()}, config.out)
    return dropped


def report(listed: list[Gone]) -> list[str]:
    """What `deckgen removed` prints."""
    if not listed:
        return ["no removed notes are shipped"]
    return [gone.line() for gone in listed] + [
        f"{len(listed)} removed note(s) shipped marked; students find them with: {SEARCH}"
    ]


def _shipped_by_release(source: Path) -> list[tuple[str, set[str]]]:
    """(tag, keys of the notes its lock shipped marked) for each release tag, oldest first
    (pre-releases do not count: a mark must reach every student); nothing outside git."""
    return [
        (tag, _keys(text, marked=True))
        for tag, text in _release_locks(source)
        if RELEASE_TAG.fullmatch(tag) and not tag.count("-")
    ]


def released_keys(source: Path) -> frozenset[str]:
    """The keys of every note some release tag's lock holds (pre-releases too: testers had
    them): what students may have. Empty outside git."""
    return frozenset(key for _, text in _release_locks(source) for key in _keys(text))


def _release_locks(source: Path) -> list[tuple[str, str]]:
    """(tag, the notes' lock at that tag) for each release tag (vX.Y.Z, or vX.Y.Z-SUFFIX),
    oldest first; nothing outside git."""

    def git(*args: str) -> str | None:
        run = subprocess.run(["git", *args], capture_output=True, text=True, cwd=source)
        return run.stdout if run.returncode == 0 else None

    top = git("rev-parse", "--show-toplevel")
    names = git("tag", "--list", "v*")
    if top is None or names is None:
        return []
    rel = (source.resolve() / LOCK_NAME).relative_to(Path(top.strip()).resolve()).as_posix()
    tags = []
    for name in names.split():
        match = RELEASE_TAG.fullmatch(name)
        if match:
            tags.append((tuple(int(n) for n in match.groups()[:3]), match.group(4) is None, name))
    return [(tag, git("show", f"refs/tags/{tag}:{rel}") or "") for *_, tag in sorted(tags)]


def _keys(text: str, marked: bool = False) -> set[str]:
    """The keys of the notes a lock's text holds (`marked`: of those it ships marked as
    removed); malformed lines are skipped: this only counts releases."""
    keys = set()
    for line in text.split("\n"):
        if not line.startswith('{"deck"') or (marked and '"removed"' not in line):
            continue
        try:
            data = json.loads(line)
            keys.add(key_of(data["deck"], data["front"], data.get("pin")))
        except (ValueError, KeyError, TypeError):
            continue
    return keys
