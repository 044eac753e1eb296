"""The signed links an email carries: confirm, unsubscribe (RFC 8058) and preferences."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlencode

from westminster.delivery.settings import DeliverySettings
from westminster.delivery.tokens import Purpose, make_token
from westminster.models import Subscriber

# Paths the web layer serves for these links (westminster.web; keep them in step).
PATHS: dict[Purpose, str] = {
    "confirm": "/subscribe/confirm",
    "unsubscribe": "/unsubscribe",
    "preferences": "/preferences",
}


def token_for(
    settings: DeliverySettings, purpose: Purpose, subscriber: Subscriber, now: datetime
) -> str:
    """A signed token for this subscriber and purpose."""
    return make_token(settings.require_secret(), purpose, subscriber.id, subscriber.email, now=now)


def link(
    settings: DeliverySettings, purpose: Purpose, subscriber: Subscriber, now: datetime
) -> str:
    """`{base_url}{path}?token=...` for this subscriber and purpose."""
    query = urlencode({"token": token_for(settings, purpose, subscriber, now)})
    return f"{settings.base_url}{PATHS[purpose]}?{query}"
