"""Scraped text renders inert (pages, JSON, feeds); security headers; CSRF; admin authentication.

The store is real and filled by the real ingester with articles whose titles, bodies, quotes,
outlets and URLs carry script and markup payloads (tests/web_support.py: XSS_PAYLOADS).
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from itsdangerous import TimestampSigner, URLSafeTimedSerializer

from tests.web_support import (
    XSS_OUTLET,
    XSS_PAYLOADS,
    XSS_WORD,
    active_markup,
    example_db,
    page_text,
    web_config,
)
from westminster.models import Preferences
from westminster.store import Store, open_store
from westminster.web import create_app
from westminster.web.auth import check_hash_format, hash_password, verify_password
from westminster.web.security import CSRF_COOKIE, CSRF_SALT

NOW = datetime(2024, 9, 14, 9, 0, tzinfo=UTC)
# Cheap hashing for tests; the format carries its own iteration count.
PASSWORD = "correct horse battery staple"
PASSWORD_HASH = hash_password(PASSWORD, iterations=1_000)
WEB_SECRET = "web-secret-for-tests"


@pytest.fixture(scope="module")
def web(
    analyzer: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[TestClient, Store]]:
    """The app over the example store with the hostile articles, admin enabled."""
    db = example_db(analyzer, tmp_path_factory.mktemp("security"))
    store = open_store(db)
    config = web_config(db, admin_password_hash=PASSWORD_HASH, web_secret=WEB_SECRET)
    with TestClient(create_app(config, store=store, clock=lambda: NOW)) as client:
        yield client, store
    store.close()


@pytest.fixture(scope="module")
def client(web: tuple[TestClient, Store]) -> TestClient:
    """The test client."""
    return web[0]


@pytest.fixture(scope="module")
def hostile_ids(client: TestClient) -> list[str]:
    """Ids of the hostile articles (found by their rare word)."""
    hits = client.get("/search.json", params={"q": XSS_WORD, "page": 1}).json()["results"]
    assert len(hits) == len(XSS_PAYLOADS)
    return [hit["id"] for hit in hits]


def core(payload: str) -> str:
    """A payload as stored: the ingester trims line separators at the ends of a title."""
    return payload.strip("\u2028\u2029 ")


def inert(text: str) -> None:
    """Nothing in an HTML page can run or restyle it."""
    assert active_markup(text) == [], active_markup(text)[:5]


def test_search_results_show_payloads_as_text(client: TestClient) -> None:
    response = client.get("/search", params={"q": XSS_WORD})
    inert(response.text)
    visible = page_text(response.text)
    for payload in XSS_PAYLOADS:
        assert core(payload) in visible


def test_article_pages_render_payloads_inert(client: TestClient, hostile_ids: list[str]) -> None:
    for article_id in hostile_ids:
        response = client.get(f"/articles/{article_id}")
        assert response.status_code == 200
        inert(response.text)
        assert XSS_WORD in page_text(response.text)
    # A javascript: URL from a feed is never turned into a link.
    assert "javascript:alert(11)" not in "".join(
        client.get(f"/articles/{i}").text for i in hostile_ids
    )


def test_every_page_with_hostile_text_is_inert(client: TestClient, web: tuple[Any, Store]) -> None:
    store = web[1]
    hostile_stories = [s.id for s in store.stories(limit=200) if XSS_WORD in s.headline]
    assert hostile_stories
    paths = [f"/stories/{story_id}" for story_id in hostile_stories]
    paths += ["/?day=2024-09-12", "/stories", "/people/keir-starmer", "/topics/defence"]
    paths += ["/quotes?person=Keir+Starmer", f"/search?q={XSS_WORD}&outlet=x"]
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        inert(response.text)
    assert "Evil Outlet" in page_text(client.get("/people/keir-starmer").text)


def test_json_carries_payloads_exactly_but_never_raw_markup(
    client: TestClient, hostile_ids: list[str]
) -> None:
    for article_id in hostile_ids:
        response = client.get(f"/articles/{article_id}.json")
        assert b"<" not in response.content and b">" not in response.content
        article = response.json()
        assert any(core(payload) in article["title"] for payload in XSS_PAYLOADS)
    people = client.get("/people/keir-starmer.json")
    assert b"<" not in people.content
    outlets = {q["outlet"] for q in people.json()["said"]}
    assert XSS_OUTLET in outlets


def test_feeds_escape_payloads(client: TestClient) -> None:
    for path in ("/feeds/people/keir-starmer.atom", "/feeds/people/keir-starmer.rss",
                 "/feeds/stories.atom", "/feeds/topics/defence.rss"):  # fmt: skip
        response = client.get(path)
        assert response.status_code == 200, path
        raw = response.content.lower()
        assert b"<script" not in raw and b"<img" not in raw and b"<svg" not in raw
        root = ET.fromstring(response.content)  # well-formed despite control characters
        tags = {element.tag.split("}")[-1] for element in root.iter()}
        assert not tags & {"script", "img", "svg", "iframe", "b", "style"}
    said = client.get("/feeds/people/keir-starmer.atom").content.decode()
    assert "&lt;script&gt;alert(" in said


def test_security_headers_on_pages_json_errors_and_static(client: TestClient) -> None:
    for path in ("/", "/stories.json", "/nope", "/nope.json", "/static/style.css", "/admin"):
        headers = client.get(path).headers
        csp = headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert "frame-ancestors 'none'" in csp
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["x-frame-options"] == "DENY"
        assert headers["referrer-policy"] == "same-origin"


def csrf_token(client: TestClient, path: str = "/subscribe") -> str:
    """The form token a page carries (the page also sets the browser's CSRF cookie)."""
    text = client.get(path).text
    match = re.search(r'name="csrf_token" value="([^"]+)"', text)
    assert match, "no CSRF token in the form"
    return match.group(1)


def test_forms_refuse_a_post_without_a_valid_csrf_token(
    web: tuple[TestClient, Store],
) -> None:
    app = web[0].app
    with TestClient(app) as browser, TestClient(app) as other:
        token = csrf_token(browser)
        assert browser.cookies.get(CSRF_COOKIE)
        form = {"email": "someone@example.org", "frequency": "daily"}
        missing = browser.post("/subscribe", data=form)
        assert missing.status_code == 403 and "security token" in missing.text
        foreign = other.post("/subscribe", data={**form, "csrf_token": token})  # other cookie
        assert foreign.status_code == 403
        forged = URLSafeTimedSerializer("not-our-secret", salt=CSRF_SALT).dumps(
            browser.cookies.get(CSRF_COOKIE)
        )
        assert browser.post("/subscribe", data={**form, "csrf_token": forged}).status_code == 403
        body = browser.post(
            "/subscribe.json", data=form, headers={"Accept": "application/json"}
        ).json()
        assert body["status"] == 403 and body["subject"] == "csrf_token"


class TwoDaysAgo(TimestampSigner):
    """Signs as if it were two days ago (past the token's 24-hour life)."""

    def get_timestamp(self) -> int:
        return int(datetime.now(UTC).timestamp()) - 2 * 86400


def test_an_old_csrf_token_is_refused(web: tuple[TestClient, Store]) -> None:
    with TestClient(web[0].app) as browser:
        fresh = csrf_token(browser)
        cookie = browser.cookies.get(CSRF_COOKIE)
        stale = URLSafeTimedSerializer(WEB_SECRET, salt=CSRF_SALT, signer=TwoDaysAgo).dumps(cookie)
        form = {"email": "not an address", "frequency": "daily"}
        assert browser.post("/subscribe", data={**form, "csrf_token": stale}).status_code == 403
        # The same browser's fresh token passes the check and reaches the address check.
        assert browser.post("/subscribe", data={**form, "csrf_token": fresh}).status_code == 422


def test_admin_refuses_unauthenticated_requests(client: TestClient) -> None:
    for path in ("/admin", "/admin/sources", "/admin/subscribers", "/admin/rejections",
                 "/admin/runs", "/admin/runs.json"):  # fmt: skip
        response = client.get(path)
        assert response.status_code == 401, path
        assert response.headers["www-authenticate"].startswith("Basic realm=")
    wrong = client.get("/admin.json", auth=("admin", "wrong password"))
    assert wrong.status_code == 401 and wrong.json()["code"] == "W730"
    assert client.get("/admin.json", auth=("root", PASSWORD)).status_code == 401
    garbage = client.get("/admin.json", headers={"Authorization": "Basic !!notbase64"})
    assert garbage.status_code == 401


def test_admin_sections_with_credentials(client: TestClient, web: tuple[Any, Store]) -> None:
    store = web[1]
    runs = client.get("/admin/runs.json", auth=("admin", PASSWORD)).json()
    assert runs["runs"] and runs["runs"][0]["counts"]["new"] >= 1
    page = client.get("/admin", auth=("admin", PASSWORD))
    assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
    inert(page.text)
    store.put_subscriber(
        "reader@example.org", Preferences(), status="pending", now=datetime.now(UTC)
    )
    listing = client.get("/admin/subscribers.json", auth=("admin", PASSWORD)).json()
    assert "reader@example.org" in {s["email"] for s in listing["subscribers"]}
    rejections = client.get("/admin/rejections.json", auth=("admin", PASSWORD))
    assert rejections.status_code == 200


def test_admin_removal_needs_credentials_and_a_csrf_token(
    web: tuple[TestClient, Store],
) -> None:
    store = web[1]
    subscriber, _ = store.put_subscriber(
        "remove-me@example.org", Preferences(), status="active", now=datetime.now(UTC)
    )
    path = f"/admin/subscribers/{subscriber.id}/delete"
    with TestClient(web[0].app) as browser:
        assert browser.post(path).status_code == 401
        refused = browser.post(path, auth=("admin", PASSWORD), data={"csrf_token": "x"})
        assert refused.status_code == 403 and store.get_subscriber(subscriber.id) is not None
        token = csrf_token(browser, "/subscribe")
        done = browser.post(
            path, auth=("admin", PASSWORD), data={"csrf_token": token}, follow_redirects=False
        )
        assert done.status_code == 303 and store.get_subscriber(subscriber.id) is None
        again = browser.post(
            path + ".json", auth=("admin", PASSWORD), content=json.dumps({}),
            headers={"Content-Type": "application/json"},
        )  # fmt: skip
        assert again.status_code == 404


def test_admin_is_off_without_a_password_hash(analyzer: Any, tmp_path: Any) -> None:
    db = example_db(analyzer, tmp_path)
    store = open_store(db)
    with TestClient(create_app(web_config(db), store=store)) as client:
        response = client.get("/admin.json", auth=("admin", "anything"))
        assert response.status_code == 403
        assert "WESTMINSTER_ADMIN_PASSWORD_HASH" in response.json()["fix"]
    store.close()


def test_password_hashes() -> None:
    encoded = hash_password("s3cret", iterations=1_000)
    assert check_hash_format(encoded) is None
    assert verify_password("s3cret", encoded)
    assert not verify_password("S3cret", encoded)
    assert hash_password("s3cret", iterations=1_000) != encoded  # salted
    assert not verify_password("s3cret", "md5$1$abc$def")
    assert not verify_password("s3cret", "garbage")
    assert check_hash_format("plain-password") is not None
