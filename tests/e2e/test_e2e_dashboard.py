"""The dashboard in Chromium against a real uvicorn server: search, a story, a person, sign-up
with the confirmation email caught by a real SMTP server, hostile text, the admin area."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from tests.delivery_support import Handler, body, smtp_server
from tests.web_support import XSS_WORD, example_db, live_server, web_config
from westminster.store import Store, open_store
from westminster.web.auth import hash_password

pytestmark = pytest.mark.e2e

ADMIN_PASSWORD = "e2e admin password"


class Site:
    """The running server, its store, the mailbox and a fresh browser page per test."""

    def __init__(self, base: str, store: Store, mailbox: Handler, browser: Any, shots: Path):
        self.base = base
        self.store = store
        self.mailbox = mailbox
        self.browser = browser
        self.shots = shots
        self.dialogs: list[str] = []
        self.console_errors: list[str] = []

    def page(self, **context: Any) -> Any:
        """A page in a new browser context, recording dialogs and console errors."""
        page = self.browser.new_context(
            viewport={"width": 1280, "height": 900}, **context
        ).new_page()
        page.set_default_timeout(10_000)
        page.on("dialog", lambda dialog: (self.dialogs.append(dialog.message), dialog.dismiss()))
        page.on(
            "console",
            lambda msg: self.console_errors.append(msg.text) if msg.type == "error" else None,
        )
        return page

    def shot(self, page: Any, name: str) -> None:
        """Keep a full-page screenshot as a test artefact."""
        path = self.shots / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        assert path.stat().st_size > 5_000  # a rendered page, not a blank one


@pytest.fixture(scope="module")
def site(
    analyzer: Any, browser: Any, artefacts: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Site]:
    """The example store served on loopback, mailing through aiosmtpd."""
    db = example_db(analyzer, tmp_path_factory.mktemp("e2e"))
    store = open_store(db)
    with smtp_server() as (mailbox, port):
        config = replace(
            web_config(db, smtp_port=port),
            admin_password_hash=hash_password(ADMIN_PASSWORD, iterations=1_000),
        )
        with live_server(config, store) as base:
            yield Site(base, store, mailbox, browser, artefacts)
    store.close()


def test_search_with_a_facet(site: Site) -> None:
    page = site.page()
    page.goto(site.base + "/")
    page.fill("header input[name=q]", "storm shadow")
    page.press("header input[name=q]", "Enter")
    page.wait_for_url(re.compile(r"/search\?q=storm\+shadow"))
    titles = page.locator("ol.hits .title").all_inner_texts()
    assert "Starmer and Biden end White House talks without Storm Shadow decision" in titles
    site.shot(page, "01-search")
    page.locator(".facet-outlet a", has_text="Northern Courier").click()
    page.wait_for_url(re.compile(r"outlet=Northern\+Courier"))
    outlets = page.locator("ol.hits .meta").all_inner_texts()
    assert outlets and all(o.startswith("Northern Courier") for o in outlets)
    site.shot(page, "02-search-outlet-facet")


def test_open_a_story_from_today(site: Site) -> None:
    page = site.page()
    page.goto(site.base + "/?day=2024-09-13")
    first = page.locator("ol.today h2 a").first
    assert "Storm Shadow" in first.inner_text()
    site.shot(page, "03-today")
    first.click()
    page.wait_for_url(re.compile(r"/stories/s-"))
    assert "Storm Shadow decision" in page.locator("h1").inner_text()
    assert page.locator(".summary sup.cite a").count() >= 2
    assert page.locator("ol.sources li").count() >= 3
    assert page.locator("figure.chart rect.bar").count() >= 1
    page.locator(".summary sup.cite a").first.click()
    assert "#source-" in page.url
    site.shot(page, "04-story")


def test_open_a_person_from_a_story_quote(site: Site) -> None:
    page = site.page()
    page.goto(site.base + "/?day=2024-09-13")
    page.locator("ol.today h2 a").first.click()
    page.locator(".quotes a[href='/people/keir-starmer']").first.click()
    page.wait_for_url(re.compile(r"/people/keir-starmer$"))
    assert page.locator("h1").inner_text() == "Keir Starmer"
    offices = page.locator(".offices").inner_text()
    assert "Prime Minister of the United Kingdom" in offices and "5 Jul 2024" in offices
    assert "Joe Biden" in page.locator(".appeared-with").inner_text()
    assert page.locator(".coverage rect.bar").count() >= 2
    site.shot(page, "05-person")


def test_quote_question(site: Site) -> None:
    page = site.page()
    page.goto(site.base + "/quotes")
    page.fill("input[name=ask]", "What has Keir Starmer said about Russia?")
    page.click("form.ask button")
    page.wait_for_url(re.compile(r"/quotes\?ask="))
    quotes = page.locator("ul.quotes blockquote").all_inner_texts()
    assert quotes and any("conflict with Russia" in q for q in quotes)
    site.shot(page, "06-quotes")


def test_subscribe_and_follow_the_emailed_link(site: Site) -> None:
    page = site.page()
    page.goto(site.base + "/subscribe")
    page.fill("input[name=email]", "e2e-reader@example.org")
    page.check("input[name=topics][value=defence]")
    page.fill("input[name=people]", "Keir Starmer")
    site.shot(page, "07-subscribe-form")
    page.click("form.subscribe button[type=submit]")
    assert "Check your inbox" in page.locator("h1").inner_text()
    site.shot(page, "08-subscribe-sent")
    site.mailbox.wait_for(1)
    mails = site.mailbox.to("e2e-reader@example.org")
    assert mails, "no confirmation email arrived"
    text = body(mails[-1].message, "plain")
    link = re.search(re.escape(site.base) + r"/subscribe/confirm\?token=\S+", text)
    assert link, text
    page.goto(link.group(0))
    assert "Subscription confirmed" in page.locator("h1").inner_text()
    site.shot(page, "09-subscribe-confirmed")
    subscriber = site.store.get_subscriber("e2e-reader@example.org")
    assert subscriber is not None and subscriber.status == "active"
    assert subscriber.preferences.topics == ("defence",)


def test_hostile_text_runs_nothing_in_the_browser(site: Site) -> None:
    page = site.page()
    page.goto(f"{site.base}/search?q={XSS_WORD}")
    assert page.locator("ol.hits li").count() >= 10
    assert page.evaluate("document.scripts.length") == 0
    assert "<script>" in page.locator("ol.hits").inner_text()  # shown as text
    page.locator("ol.hits .title").first.click()
    page.wait_for_load_state()
    assert page.evaluate("document.scripts.length") == 0
    page.goto(site.base + "/people/keir-starmer")
    page.goto(site.base + "/?day=2024-09-12")
    site.shot(page, "10-hostile-text")
    assert site.dialogs == []
    assert not [e for e in site.console_errors if "Content Security Policy" in e]


def test_admin_needs_credentials(site: Site) -> None:
    from playwright.sync_api import Error as PlaywrightError

    anonymous = site.page()
    # Headless Chromium cannot answer the Basic challenge, so the navigation itself fails.
    with pytest.raises(PlaywrightError, match="ERR_INVALID_AUTH_CREDENTIALS"):
        anonymous.goto(site.base + "/admin")
    assert anonymous.request.get(site.base + "/admin").status == 401
    wrong = site.page(http_credentials={"username": "admin", "password": "wrong"})
    refused = wrong.goto(site.base + "/admin")
    assert refused is not None and refused.status == 401
    assert "401" in wrong.locator("h1").inner_text()  # the one error page
    page = site.page(http_credentials={"username": "admin", "password": ADMIN_PASSWORD})
    response = page.goto(site.base + "/admin")
    assert response is not None and response.status == 200
    assert "Signed in as admin" in page.locator(".tabs").inner_text()
    assert page.locator(".runs tbody tr").count() >= 1
    site.shot(page, "11-admin")
