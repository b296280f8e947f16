"""Shared fixtures and options for the tests."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest
from anki.collection import Collection
from hypothesis import HealthCheck, settings

# Hypothesis profiles: `dev` (default) keeps a local run quick; `ci` (.ci/run sets
# HYPOTHESIS_PROFILE=ci) tries six times as many examples; `deep` is for searching a new
# shortcut or parser change by hand, a hundred times as many. Tests that need more than the
# profile's count ask for a multiple of it (`settings.default.max_examples`).
_QUIET = {"deadline": None, "suppress_health_check": [HealthCheck.too_slow]}
settings.register_profile("dev", max_examples=50, **_QUIET)
settings.register_profile("ci", max_examples=300, **_QUIET)
settings.register_profile("deep", max_examples=5000, **_QUIET)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))

# A suite started in the background (`pytest &` without job control) ignores SIGINT, and so
# would every deckgen it starts: the tests of what Ctrl+C does would fail. Each deckgen the
# tests start gets SIGINT's default, as from a terminal.
signal.signal(signal.SIGINT, signal.default_int_handler)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--regen-golden",
        action="store_true",
        help="Rewrite the expected files of the golden tests from the current output.",
    )


@pytest.fixture
def collection(tmp_path: Path) -> Iterator[Collection]:
    """A fresh, empty Anki collection."""
    (tmp_path / "collection").mkdir()
    col = Collection(str(tmp_path / "collection" / "collection.anki2"))
    yield col
    col.close()
