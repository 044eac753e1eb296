"""An edition email rendered in real Chromium (headless, through Playwright): the picture is
not blank, the headline is on the page, and it fits a phone's width without scrolling."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import pytest

from tests.delivery_support import STORIES, daily_briefing
from westminster.delivery.render import render_edition

CHROMIUM = Path("/usr/bin/chromium")
PHONE = {"width": 375, "height": 812}  # an iPhone-sized viewport, CSS pixels
DESKTOP = {"width": 1024, "height": 900}
# A rendered email has text, a coloured header band, links and rules: many distinct colours.
# A blank or failed render has one or two.
MIN_COLOURS = 20

COUNT_COLOURS = """async (url) => {
    const img = new Image();
    img.src = url;
    await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = img.width; canvas.height = img.height;
    const ctx = canvas.getContext('2d');
    ctx.drawImage(img, 0, 0);
    const data = ctx.getImageData(0, 0, img.width, img.height).data;
    const seen = new Set();
    for (let i = 0; i < data.length; i += 4 * 7) {
        seen.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
    }
    return seen.size;
}"""


def _offline(route: Any) -> None:
    """Like a mail client showing a message: nothing is fetched beyond the message itself."""
    if route.request.url.startswith("file:"):
        route.continue_()
    else:
        route.abort()


@pytest.mark.skipif(not CHROMIUM.exists(), reason="Chromium is not installed at /usr/bin/chromium")
def test_edition_email_renders_in_chromium(tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    rendered = render_edition(
        daily_briefing(),
        STORIES,
        email="ann@example.org",
        unsubscribe_url="https://westminster.example.org/unsubscribe?token=t",
        preferences_url="https://westminster.example.org/preferences?token=p",
    )
    page_file = tmp_path / "edition.html"
    page_file.write_text(rendered.html, encoding="utf-8")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True)
        try:
            for name, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
                # Scripts off, as in mail clients (the email has none to run).
                page = browser.new_page(viewport=viewport, java_script_enabled=False)  # type: ignore[arg-type]
                page.route("**/*", _offline)
                page.goto(page_file.as_uri())
                text = page.inner_text("body")
                assert STORIES[0].headline in text
                assert "We will stand by Ukraine." in text and "Unsubscribe" in text
                scroll_width = page.evaluate("document.documentElement.scrollWidth")
                assert scroll_width <= viewport["width"], f"{name}: scrolls sideways"
                headline = page.get_by_role("heading", name=STORIES[0].headline)
                assert headline.is_visible()
                box = headline.bounding_box()
                assert box is not None and box["width"] > 100 and box["height"] > 10
                shot = tmp_path / f"edition-{name}.png"
                page.screenshot(path=str(shot), full_page=True)
                page.close()
                print(f"screenshot ({name}): {shot}")
                # Count colours in the picture, decoded by the browser itself (a data: URL
                # does not taint the canvas as a file: image would).
                checker = browser.new_page()
                url = "data:image/png;base64," + base64.b64encode(shot.read_bytes()).decode()
                colours = checker.evaluate(COUNT_COLOURS, url)
                checker.close()
                assert colours > MIN_COLOURS, f"{shot} looks blank ({colours} colours)"
        finally:
            browser.close()
