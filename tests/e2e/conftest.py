"""End-to-end tests in a real browser: Debian's Chromium driven by Playwright.

They run in the normal suite and skip, with the apt command, where /usr/bin/chromium is
missing. Screenshots are kept in $WESTMINSTER_ARTEFACTS (or a temporary folder), printed at the
end of the run.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path(os.environ.get("WESTMINSTER_CHROMIUM", "/usr/bin/chromium"))
ARTEFACTS_ENV = "WESTMINSTER_ARTEFACTS"
_ARTEFACTS: list[Path] = []


def pytest_configure(config: pytest.Config) -> None:
    """Register the e2e marker."""
    config.addinivalue_line("markers", "e2e: end-to-end test in a real Chromium browser")


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Say where the screenshots are."""
    for folder in _ARTEFACTS:
        shots = sorted(p.name for p in folder.glob("*.png"))
        terminalreporter.write_line(f"e2e screenshots ({len(shots)}) in {folder}")


@pytest.fixture(scope="session")
def artefacts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder screenshots are written to."""
    chosen = os.environ.get(ARTEFACTS_ENV)
    folder = Path(chosen) if chosen else tmp_path_factory.mktemp("e2e-artefacts")
    folder.mkdir(parents=True, exist_ok=True)
    _ARTEFACTS.append(folder)
    return folder


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One headless Chromium per test module.

    Not per session: a running sync Playwright holds an event loop in this thread, and other
    test files start Playwright of their own.
    """
    if not CHROMIUM.exists() or shutil.which(str(CHROMIUM)) is None:
        pytest.skip(f"{CHROMIUM} not found: install it with `apt-get install -y chromium`")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            # Root in a container has no user namespace for Chromium's sandbox.
            args=["--no-sandbox"] if os.geteuid() == 0 else [],
        )
        yield launched
        launched.close()
