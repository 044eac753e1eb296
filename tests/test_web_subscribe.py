"""Subscribing through the web pages, with the confirmation email caught by a real SMTP server."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient

from tests.delivery_support import Handler, body, smtp_server
from tests.web_support import web_config
from westminster.store import Store, open_store
from westminster.web import create_app

BASE = "http://testserver"


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[TestClient, Store, Handler]]:
    """The app over an empty store, mailing through a loopback aiosmtpd server."""
    with smtp_server() as (handler, port):
        store = open_store(tmp_path / "store.db")
        app = create_app(web_config(tmp_path / "store.db", smtp_port=port), store=store)
        with TestClient(app) as client:
            yield client, store, handler
        store.close()


def form_token(client: TestClient, path: str = "/subscribe") -> str:
    """The CSRF token of a page's form (the page sets the matching cookie)."""
    match = re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).text)
    assert match
    return match.group(1)


def sign_up(client: TestClient, email: str, **fields: Any) -> Any:
    """Submit the sign-up form as a browser does."""
    data = {"email": email, "frequency": "daily", "send_time": "07:00",
            "timezone": "Europe/London", **fields}  # fmt: skip
    return client.post("/subscribe", data={**data, "csrf_token": form_token(client)})


def link_in(handler: Handler, email: str, path: str) -> str:
    """The path and query of the first link to `path` in the latest email to an address."""
    message = handler.to(email)[-1].message
    text = body(message, "plain")
    match = re.search(re.escape(BASE + path) + r"\?token=[^\s>\"]+", text)
    assert match, text
    parts = urlsplit(match.group(0))
    return f"{parts.path}?{parts.query}"


def test_sign_up_sends_a_confirmation_whose_link_activates(
    site: tuple[TestClient, Store, Handler],
) -> None:
    client, store, handler = site
    response = sign_up(
        client,
        "Reader@Example.org",
        topics=["defence", "health"],
        people="Keir Starmer, Kemi Badenoch",
        queries='"storm shadow"\nbudget, tax',
    )
    assert response.status_code == 200
    assert "Check your inbox" in response.text
    assert "reader@example.org" in response.text
    handler.wait_for(1)
    subscriber = store.get_subscriber("reader@example.org")
    assert subscriber is not None and subscriber.status == "pending"
    prefs = subscriber.preferences
    assert prefs.topics == ("defence", "health")
    assert prefs.people == ("Keir Starmer", "Kemi Badenoch")
    assert prefs.queries == ('"storm shadow"', "budget, tax")  # one query a line, commas kept
    confirmed = client.get(link_in(handler, "reader@example.org", "/subscribe/confirm"))
    assert confirmed.status_code == 200 and "Subscription confirmed" in confirmed.text
    assert store.get_subscriber("reader@example.org").status == "active"  # type: ignore[union-attr]
    again = client.get(link_in(handler, "reader@example.org", "/subscribe/confirm"))
    assert again.status_code == 200  # following the link twice is harmless


def test_the_answer_is_the_same_for_a_known_address(
    site: tuple[TestClient, Store, Handler],
) -> None:
    client, _store, handler = site
    first = sign_up(client, "known@example.org")
    client.get(link_in(handler, "known@example.org", "/subscribe/confirm"))
    second = sign_up(client, "known@example.org")
    assert first.status_code == second.status_code == 200
    strip = re.compile(r'name="csrf_token" value="[^"]+"')
    assert strip.sub("", first.text) == strip.sub("", second.text)
    handler.wait_for(2)
    assert len(handler.to("known@example.org")) == 2  # the owner learns of the second try


def test_one_click_unsubscribe_and_the_unsubscribe_page(
    site: tuple[TestClient, Store, Handler],
) -> None:
    client, store, handler = site
    sign_up(client, "leaver@example.org")
    client.get(link_in(handler, "leaver@example.org", "/subscribe/confirm"))
    sign_up(client, "leaver@example.org")  # an active address is sent its links
    handler.wait_for(2)
    link = link_in(handler, "leaver@example.org", "/unsubscribe")
    page = client.get(link)
    assert page.status_code == 200 and "Stop sending" in page.text
    assert store.get_subscriber("leaver@example.org").status == "active"  # type: ignore[union-attr]
    # RFC 8058: a mail client POSTs this body, with no cookie and no CSRF token.
    with TestClient(client.app) as mail_client:
        done = mail_client.post(
            link, content="List-Unsubscribe=One-Click",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )  # fmt: skip
    assert done.status_code == 200 and "Unsubscribed" in done.text
    assert store.get_subscriber("leaver@example.org").status == "unsubscribed"  # type: ignore[union-attr]


def test_preferences_page_shows_and_saves_choices(
    site: tuple[TestClient, Store, Handler],
) -> None:
    client, store, handler = site
    sign_up(client, "prefs@example.org", topics="defence")
    client.get(link_in(handler, "prefs@example.org", "/subscribe/confirm"))
    sign_up(client, "prefs@example.org")
    handler.wait_for(2)
    link = link_in(handler, "prefs@example.org", "/preferences")
    page = client.get(link)
    assert page.status_code == 200 and 'value="defence" checked' in page.text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    saved = client.post(link, data={"csrf_token": token, "topics": ["economy"],
                                    "frequency": "weekly", "send_time": "18:30",
                                    "timezone": "Europe/Paris"})  # fmt: skip
    assert saved.status_code == 200 and "Saved." in saved.text
    prefs = store.get_subscriber("prefs@example.org").preferences  # type: ignore[union-attr]
    assert prefs.topics == ("economy",) and prefs.frequency == "weekly"
    assert prefs.send_time.isoformat() == "18:30:00" and prefs.timezone == "Europe/Paris"
    refused = client.post(link, data={"topics": ["health"]})
    assert refused.status_code == 403


def test_bad_input_is_answered_in_the_form_and_as_json(
    site: tuple[TestClient, Store, Handler],
) -> None:
    client, store, handler = site
    page = sign_up(client, "not an address")
    assert page.status_code == 422 and "form-error" in page.text
    assert 'value="not an address"' in page.text  # the form keeps what was typed
    zone = sign_up(client, "ok@example.org", timezone="Mars/Olympus")
    assert zone.status_code == 422 and "timezone" in zone.text
    api = client.post(
        "/subscribe.json", content=json.dumps({"email": "x@"}),
        headers={"Content-Type": "application/json"},
    )  # fmt: skip
    assert api.status_code == 422 and api.json()["ok"] is False
    assert handler.messages == [] and store.subscribers() == []


def test_json_api_subscribes_without_a_form(site: tuple[TestClient, Store, Handler]) -> None:
    client, store, handler = site
    response = client.post(
        "/subscribe.json",
        content=json.dumps({"email": "api@example.org", "people": ["person:keir-starmer"],
                            "frequency": "immediate"}),
        headers={"Content-Type": "application/json"},
    )  # fmt: skip
    assert response.status_code == 200
    assert response.json()["status"] == "accepted"
    handler.wait_for(1)
    subscriber = store.get_subscriber("api@example.org")
    assert subscriber is not None and subscriber.preferences.frequency == "immediate"


def test_bad_links_are_refused_in_the_error_shape(
    site: tuple[TestClient, Store, Handler],
) -> None:
    client, _store, _handler = site
    for path in ("/subscribe/confirm.json?token=forged", "/unsubscribe.json?token=x",
                 "/preferences.json?token=x"):  # fmt: skip
        answer = client.get(path)
        assert answer.status_code == 400 and answer.json()["code"] == "W700"
    assert client.get("/subscribe/confirm.json").status_code == 422  # no token at all


def test_sign_ups_are_rate_limited(site: tuple[TestClient, Store, Handler]) -> None:
    client, _store, _handler = site
    answers = [sign_up(client, "flood@example.org").status_code for _ in range(4)]
    assert answers[:3] == [200, 200, 200] and answers[3] == 429
    limited = sign_up(client, "flood@example.org")
    assert limited.headers["retry-after"].isdigit()


def test_unconfigured_or_refusing_mail_is_a_clear_error(tmp_path: Path) -> None:
    store = open_store(tmp_path / "store.db")
    no_secret = create_app(web_config(tmp_path / "store.db", secret_key=""), store=store)
    with TestClient(no_secret) as client:
        answer = sign_up(client, "a@example.org")
        assert answer.status_code == 503 and "secret_key" in answer.text
    # A server that refuses the address for good (a temporary refusal would be retried).
    refusing = Handler(replies={"b@example.org": ["550 5.1.1 no such mailbox"]})
    with smtp_server(refusing) as (_handler, port):
        down = create_app(web_config(tmp_path / "store.db", smtp_port=port), store=store)
        with TestClient(down) as client:
            answer = client.post(
                "/subscribe.json", content=json.dumps({"email": "b@example.org"}),
                headers={"Content-Type": "application/json"},
            )  # fmt: skip
    assert answer.status_code == 502 and answer.json()["subject"] == "email"
    assert "could not be sent" in answer.json()["error"]
    store.close()
