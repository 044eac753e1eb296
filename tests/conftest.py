"""Shared fixtures: paths, the seed article, one Analyzer per test session."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

# The PostgreSQL server and the both-backends store fixtures (store_url, store, postgres_url).
pytest_plugins = ["tests.pg_server"]

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "data"
SEED = ROOT / "examples" / "starmer-biden-storm-shadow.txt"
SEED_PUBLISHED = "2024-09-13"

needs_shared_data = pytest.mark.skipif(
    not SHARED_DATA.exists(), reason="../shared/data is not beside the project (evaluation data)"
)


@pytest.fixture(scope="session")
def seed_path() -> Path:
    """The bundled seed article."""
    return SEED


@pytest.fixture(scope="session")
def analyzer() -> Iterator[object]:
    """One Analyzer (model loaded once) for the whole session."""
    from westminster.nlp.analyzer import Analyzer

    yield Analyzer()
