"""Subscribing: double opt-in, confirm, one-click unsubscribe and the preferences link.

The web layer (and the CLI) call these; they never say whether an address was already
subscribed. `subscribe` gives the same outcome for a new, pending, active or unsubscribed
address: each gets an email (a confirmation link, or for an active address a note with its
preferences link), so only the inbox's owner learns anything. Sign-ups are rate limited per
client and per address, counted before the address is looked up.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal

from westminster.delivery.addresses import normalise_email
from westminster.delivery.errors import TokenError
from westminster.delivery.links import link, token_for
from westminster.delivery.mailer import Mailer
from westminster.delivery.matching import check_queries
from westminster.delivery.render import LIST_NAME, RenderedEmail, build_message, render
from westminster.delivery.settings import DeliverySettings
from westminster.delivery.tokens import Purpose, read_token
from westminster.models import Preferences, Subscriber
from westminster.store import Store

OutcomeStatus = Literal["accepted", "rate_limited"]

ACCEPTED_MESSAGE = (
    "Thank you. If {email} can receive our emails, a message is on its way: follow its link "
    "to confirm your subscription."
)
RATE_LIMITED_MESSAGE = "Too many sign-up attempts. Please try again in {minutes} minutes."


@dataclass(frozen=True)
class SubscribeOutcome:
    """What to tell the person who asked: the same words whether or not the address is known."""

    status: OutcomeStatus
    email: str
    message: str
    retry_after_s: int | None = None


def _now(now: datetime | None) -> datetime:
    return (now or datetime.now(UTC)).astimezone(UTC)


def _window_start(now: datetime, window_s: int) -> datetime:
    epoch = int(now.timestamp())
    return datetime.fromtimestamp(epoch - epoch % window_s, UTC)


def _rate_limited(
    store: Store, email: str, client_key: str | None, settings: DeliverySettings, now: datetime
) -> int | None:
    """Seconds until the window resets when a limit is exceeded, else None (attempt counted)."""
    start = _window_start(now, settings.signup_window_s)
    keys = [f"email:{email}"] + ([f"client:{client_key}"] if client_key is not None else [])
    counts = store.count_attempts(keys, start)
    limits = [settings.address_signups_per_window, settings.client_signups_per_window]
    if any(count > limit for count, limit in zip(counts, limits, strict=False)):
        reset = start + timedelta(seconds=settings.signup_window_s)
        return max(1, int((reset - now).total_seconds()))
    return None


def confirmation_email(
    subscriber: Subscriber, *, settings: DeliverySettings, now: datetime
) -> RenderedEmail:
    """The double opt-in email with its signed, expiring confirm link."""
    text, html = render(
        "confirm",
        title=f"Confirm your {LIST_NAME} subscription",
        subtitle="",
        preheader="One click to start receiving the briefing.",
        email=subscriber.email,
        list_name=LIST_NAME,
        confirm_url=link(settings, "confirm", subscriber, now),
        ttl_days=max(1, round(settings.confirm_ttl_s / 86400)),
    )
    return RenderedEmail(f"Confirm your {LIST_NAME} subscription", text, html)


def already_subscribed_email(
    subscriber: Subscriber, *, settings: DeliverySettings, now: datetime
) -> RenderedEmail:
    """The note an active address gets when someone signs it up again."""
    text, html = render(
        "already",
        title=f"You already receive {LIST_NAME}",
        subtitle="",
        preheader="Nothing has changed.",
        email=subscriber.email,
        list_name=LIST_NAME,
        preferences_url=link(settings, "preferences", subscriber, now),
        unsubscribe_url=link(settings, "unsubscribe", subscriber, now),
    )
    return RenderedEmail(f"You already receive {LIST_NAME}", text, html)


def request_confirmation(
    store: Store,
    subscriber: Subscriber,
    preferences: Preferences,
    *,
    mailer: Mailer,
    settings: DeliverySettings,
    now: datetime,
) -> Subscriber:
    """Mail the right note for the address's state; returns the subscriber as stored after."""
    if subscriber.status == "active":
        # Someone without the inbox cannot change an active subscription.
        rendered = already_subscribed_email(subscriber, settings=settings, now=now)
    else:
        # Pending, unsubscribed or paused: wait for a fresh confirmation, with the new choices.
        subscriber = store.update_subscriber(
            subscriber.id, now=now, status="pending", preferences=preferences
        )
        rendered = confirmation_email(subscriber, settings=settings, now=now)
    mailer.send(build_message(rendered, to=subscriber.email, settings=settings, now=now))
    return subscriber


def subscribe(
    store: Store,
    email: str,
    preferences: Preferences,
    *,
    mailer: Mailer,
    settings: DeliverySettings,
    client_key: str = "cli",
    now: datetime | None = None,
) -> SubscribeOutcome:
    """Start a double opt-in; the outcome is the same whether or not the address is known.

    Raises AddressError for an address that is not one, PreferencesError for a malformed
    keyword query, DeliveryError when the secret key or
    sender is not configured, and MailFailure/SendError when the email cannot be sent.
    """
    now = _now(now)
    address = normalise_email(email)
    check_queries(preferences)
    settings.require_secret()
    settings.sender()
    retry = _rate_limited(store, address, client_key, settings, now)
    if retry is not None:
        minutes = max(1, -(-retry // 60))
        return SubscribeOutcome(
            "rate_limited", address, RATE_LIMITED_MESSAGE.format(minutes=minutes), retry
        )
    subscriber, _created = store.put_subscriber(address, preferences, status="pending", now=now)
    request_confirmation(store, subscriber, preferences, mailer=mailer, settings=settings, now=now)
    return SubscribeOutcome("accepted", address, ACCEPTED_MESSAGE.format(email=address))


def _max_age(purpose: Purpose, settings: DeliverySettings) -> int | None:
    if purpose == "confirm":
        return settings.confirm_ttl_s
    if purpose == "preferences":
        return settings.preferences_ttl_s
    return None  # unsubscribe links never expire


def check_token(
    store: Store,
    token: str,
    purpose: Purpose,
    *,
    settings: DeliverySettings,
    now: datetime | None = None,
) -> Subscriber:
    """The subscriber a valid link is for (changes nothing); TokenError otherwise.

    The web layer calls this to show the unsubscribe confirmation page (GET) and the
    preferences form before anything is changed.
    """
    claims = read_token(
        settings.require_secret(),
        purpose,
        token,
        max_age_s=_max_age(purpose, settings),
        now=_now(now),
    )
    subscriber = store.get_subscriber(claims.subscriber_id)
    if subscriber is None or subscriber.email != claims.email:
        raise TokenError(
            f"this {purpose} link is for an address that is no longer on the list",
            subject="link",
            fix="subscribe again",
        )
    return subscriber


def confirm(
    store: Store, token: str, *, settings: DeliverySettings, now: datetime | None = None
) -> Subscriber:
    """Activate the subscriber of a confirm link (again is harmless); TokenError when invalid."""
    now = _now(now)
    subscriber = check_token(store, token, "confirm", settings=settings, now=now)
    if subscriber.status == "active":
        return subscriber
    if subscriber.status != "pending":
        raise TokenError(
            f"this confirm link is no longer valid: the address was {subscriber.status} after "
            "it was sent",
            subject="link",
            fix="subscribe again to get a new link",
        )
    return store.update_subscriber(subscriber.id, now=now, status="active")


def unsubscribe(
    store: Store, token: str, *, settings: DeliverySettings, now: datetime | None = None
) -> Subscriber:
    """Unsubscribe the subscriber of a link (RFC 8058 one-click POST; again is harmless)."""
    now = _now(now)
    subscriber = check_token(store, token, "unsubscribe", settings=settings, now=now)
    if subscriber.status == "unsubscribed":
        return subscriber
    return store.update_subscriber(subscriber.id, now=now, status="unsubscribed")


def preferences_token(
    subscriber: Subscriber, *, settings: DeliverySettings, now: datetime | None = None
) -> str:
    """A signed, expiring token for the subscriber's preferences page."""
    return token_for(settings, "preferences", subscriber, _now(now))


def update_preferences(
    store: Store,
    token: str,
    preferences: Preferences,
    *,
    settings: DeliverySettings,
    now: datetime | None = None,
) -> Subscriber:
    """Replace the preferences of a preferences link's subscriber; TokenError when invalid."""
    now = _now(now)
    check_queries(preferences)
    subscriber = check_token(store, token, "preferences", settings=settings, now=now)
    return store.update_subscriber(subscriber.id, now=now, preferences=preferences)
