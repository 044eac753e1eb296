"""Double opt-in, confirm, unsubscribe and preferences through a real SMTP server (aiosmtpd)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from tests.delivery_support import Handler, body, settings, smtp_server, token_of
from westminster.delivery.errors import AddressError, DeliveryError, TokenError
from westminster.delivery.mailer import SMTPMailer
from westminster.delivery.settings import DeliverySettings
from westminster.delivery.subscriptions import (
    check_token,
    confirm,
    preferences_token,
    subscribe,
    unsubscribe,
    update_preferences,
)
from westminster.models import Preferences, PreferencesError
from westminster.store import Store

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
LINK = re.compile(r"https://westminster\.example\.org/[a-z/]+\?token=[A-Za-z0-9._\-]+")


@pytest.fixture
def smtp() -> Iterator[tuple[Handler, DeliverySettings]]:
    with smtp_server() as (handler, port):
        yield handler, settings(port)


def _links(handler: Handler, email: str, n: int = -1) -> list[str]:
    return LINK.findall(body(handler.to(email)[n].message, "plain"))


def test_double_opt_in_through_the_mail(
    store: Store, smtp: tuple[Handler, DeliverySettings]
) -> None:
    handler, config = smtp
    prefs = Preferences(topics=("defence",))
    with SMTPMailer(config) as mailer:
        outcome = subscribe(
            store, " Ann@Example.org ", prefs, mailer=mailer, settings=config, now=NOW
        )
    assert outcome.status == "accepted" and outcome.email == "ann@example.org"
    assert store.get_subscriber("ann@example.org").status == "pending"  # type: ignore[union-attr]
    (mail,) = handler.to("ann@example.org")
    assert mail.message["Subject"] == "Confirm your Westminster Update subscription"
    assert mail.message.get_content_type() == "multipart/alternative"
    (link,) = _links(handler, "ann@example.org")
    assert link.startswith("https://westminster.example.org/subscribe/confirm?token=")
    assert link in body(mail.message, "html")
    # Following the link's token activates the address; following it again is harmless.
    active = confirm(store, token_of(link), settings=config, now=NOW + timedelta(hours=1))
    assert active.status == "active" and active.preferences == prefs
    assert active.confirmed_at == NOW + timedelta(hours=1)
    assert confirm(store, token_of(link), settings=config, now=NOW).status == "active"


def test_same_answer_whether_or_not_the_address_exists(
    store: Store, smtp: tuple[Handler, DeliverySettings]
) -> None:
    handler, config = smtp
    with SMTPMailer(config) as mailer:
        first = subscribe(store, "bob@example.org", Preferences(), mailer=mailer, settings=config)
        (link,) = _links(handler, "bob@example.org")
        confirm(store, token_of(link), settings=config)
        again = subscribe(
            store, "bob@example.org", Preferences(topics=("health",)), mailer=mailer,
            settings=config,
        )  # fmt: skip
        fresh = subscribe(store, "eve@example.org", Preferences(), mailer=mailer, settings=config)
    assert first.status == again.status == fresh.status == "accepted"
    assert again.message == first.message  # an active address gets the same answer
    assert fresh.message.replace("eve", "bob") == again.message
    # The owner of an active address learns, by mail only, that nothing changed.
    note = handler.to("bob@example.org")[-1].message
    assert note["Subject"] == "You already receive Westminster Update"
    bob = store.get_subscriber("bob@example.org")
    assert bob is not None and bob.status == "active" and bob.preferences == Preferences()


def test_sign_ups_are_rate_limited_per_client_and_per_address(
    store: Store, smtp: tuple[Handler, DeliverySettings]
) -> None:
    handler, config = smtp
    config = replace(config, client_signups_per_window=3, address_signups_per_window=2)
    with SMTPMailer(config) as mailer:

        def attempt(email: str, client: str) -> str:
            return subscribe(
                store, email, Preferences(), mailer=mailer, settings=config,
                client_key=client, now=NOW,
            ).status  # fmt: skip

        assert attempt("a@example.org", "10.0.0.1") == "accepted"
        assert attempt("a@example.org", "10.0.0.2") == "accepted"
        assert attempt("a@example.org", "10.0.0.3") == "rate_limited"  # third for the address
        assert attempt("b@example.org", "10.0.0.1") == "accepted"
        assert attempt("c@example.org", "10.0.0.1") == "accepted"
        limited = subscribe(
            store, "d@example.org", Preferences(), mailer=mailer, settings=config,
            client_key="10.0.0.1", now=NOW,
        )  # fmt: skip
        assert limited.status == "rate_limited" and limited.retry_after_s is not None
        assert "try again in" in limited.message
        # The next window lets the client in again.
        assert attempt("d@example.org", "10.0.0.1") == "rate_limited"
        later = subscribe(
            store, "d@example.org", Preferences(), mailer=mailer, settings=config,
            client_key="10.0.0.1", now=NOW + timedelta(hours=1),
        )  # fmt: skip
        assert later.status == "accepted"
    assert len(handler.to("a@example.org")) == 2  # no mail for refused attempts
    assert store.get_subscriber("d@example.org") is not None


def test_bad_tokens_are_clear_errors(store: Store, smtp: tuple[Handler, DeliverySettings]) -> None:
    handler, config = smtp
    with SMTPMailer(config) as mailer:
        subscribe(store, "ann@example.org", Preferences(), mailer=mailer, settings=config, now=NOW)
    token = token_of(_links(handler, "ann@example.org")[0])
    with pytest.raises(TokenError, match="expired"):
        confirm(store, token, settings=config, now=NOW + timedelta(days=3))
    with pytest.raises(TokenError, match="not valid"):
        confirm(store, token[:-2], settings=config, now=NOW)
    with pytest.raises(TokenError, match="not valid"):
        unsubscribe(store, token, settings=config, now=NOW)  # a confirm token cannot unsubscribe
    with pytest.raises(TokenError, match="not valid"):
        confirm(store, token, settings=replace(config, secret_key="other"), now=NOW)
    # Unsubscribed after the mail: the old confirm link no longer subscribes.
    ann = store.get_subscriber("ann@example.org")
    assert ann is not None
    store.update_subscriber(ann.id, now=NOW, status="unsubscribed")
    with pytest.raises(TokenError, match="no longer valid"):
        confirm(store, token, settings=config, now=NOW)
    # Removed: the link names an address no longer on the list.
    store.delete_subscriber(ann.id)
    with pytest.raises(TokenError, match="no longer on the list"):
        confirm(store, token, settings=config, now=NOW)


def test_unsubscribe_and_preferences_links(
    store: Store, smtp: tuple[Handler, DeliverySettings]
) -> None:
    handler, config = smtp
    ann, _ = store.put_subscriber("ann@example.org", Preferences(), status="active", now=NOW)
    token = preferences_token(ann, settings=config, now=NOW)
    assert check_token(store, token, "preferences", settings=config, now=NOW) == ann
    wanted = Preferences(people=("Rachel Reeves",), frequency="weekly", timezone="Europe/Paris")
    changed = update_preferences(store, token, wanted, settings=config, now=NOW)
    assert changed.preferences == wanted and changed.status == "active"
    with pytest.raises(TokenError, match="expired"):
        update_preferences(store, token, wanted, settings=config, now=NOW + timedelta(days=31))
    # Subscribing again sends the "already subscribed" note whose links work.
    with SMTPMailer(config) as mailer:
        subscribe(store, "ann@example.org", Preferences(), mailer=mailer, settings=config)
    links = _links(handler, "ann@example.org")
    unsub = next(u for u in links if "/unsubscribe?" in u)
    assert any("/preferences?" in u for u in links)
    gone = unsubscribe(store, token_of(unsub), settings=config, now=NOW + timedelta(days=400))
    assert gone.status == "unsubscribed"  # unsubscribe links never expire
    assert unsubscribe(store, token_of(unsub), settings=config).status == "unsubscribed"
    # Subscribing again needs a fresh confirmation.
    with SMTPMailer(config) as mailer:
        subscribe(store, "ann@example.org", Preferences(), mailer=mailer, settings=config)
    assert store.get_subscriber("ann@example.org").status == "pending"  # type: ignore[union-attr]
    again = token_of(_links(handler, "ann@example.org")[0])
    assert confirm(store, again, settings=config).status == "active"


def test_bad_address_and_missing_settings(store: Store) -> None:
    config = DeliverySettings(mail_from="x@example.org", secret_key="k")
    with pytest.raises(AddressError, match="not a valid email"):
        subscribe(store, "nobody@nowhere", Preferences(), mailer=None, settings=config)  # type: ignore[arg-type]
    with pytest.raises(DeliveryError, match="secret_key"):
        subscribe(
            store, "a@example.org", Preferences(), mailer=None,  # type: ignore[arg-type]
            settings=replace(config, secret_key=""),
        )  # fmt: skip
    with pytest.raises(DeliveryError, match="mail_from"):
        subscribe(
            store, "a@example.org", Preferences(), mailer=None,  # type: ignore[arg-type]
            settings=replace(config, mail_from=""),
        )  # fmt: skip
    with pytest.raises(PreferencesError, match="queries: 'NOT'"):
        subscribe(
            store, "a@example.org", Preferences(queries=("NOT",)), mailer=None,  # type: ignore[arg-type]
            settings=config,
        )  # fmt: skip
    assert store.subscribers() == []
