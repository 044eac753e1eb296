"""Signed links for confirm, unsubscribe and preferences (itsdangerous, one salt per purpose).

A token carries the subscriber's id and address and when it was issued; it is signed with the
secret key and a salt naming its purpose, so an unsubscribe token cannot confirm and a
preferences token cannot unsubscribe. Expiry is checked here against an explicit `now`, so
tests and the web layer decide the clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

from itsdangerous import BadSignature, URLSafeSerializer

from westminster.delivery.errors import TokenError

Purpose = Literal["confirm", "unsubscribe", "preferences"]

_SALT = "westminster.delivery."
_SUBJECT = "link"


@dataclass(frozen=True)
class TokenClaims:
    """What a verified token says: whose it is and when it was issued."""

    purpose: Purpose
    subscriber_id: int
    email: str
    issued_at: datetime


def _serializer(secret: str, purpose: Purpose) -> URLSafeSerializer:
    return URLSafeSerializer(secret, salt=_SALT + purpose)


def make_token(
    secret: str, purpose: Purpose, subscriber_id: int, email: str, *, now: datetime
) -> str:
    """A URL-safe signed token for one subscriber and purpose, issued at `now`."""
    payload = {"s": subscriber_id, "e": email, "t": int(now.timestamp())}
    return str(_serializer(secret, purpose).dumps(payload))


def read_token(
    secret: str, purpose: Purpose, token: str, *, max_age_s: int | None, now: datetime
) -> TokenClaims:
    """The claims of a valid token; TokenError when tampered with, malformed or expired."""
    token = (token or "").strip()
    if not token:
        raise TokenError("the link has no token", subject=_SUBJECT, fix="use the whole link")
    try:
        payload = _serializer(secret, purpose).loads(token)
    except BadSignature:
        raise TokenError(
            f"this {purpose} link is not valid: it was changed, cut short or is for another "
            "purpose",
            subject=_SUBJECT,
            fix="copy the whole link from the email",
        ) from None
    if (
        not isinstance(payload, dict)
        or not isinstance(payload.get("s"), int)
        or not isinstance(payload.get("e"), str)
        or not isinstance(payload.get("t"), int)
    ):
        raise TokenError(f"this {purpose} link is malformed", subject=_SUBJECT)
    issued = datetime.fromtimestamp(payload["t"], UTC)
    if max_age_s is not None and (now - issued).total_seconds() > max_age_s:
        days = max(1, round(max_age_s / 86400))
        raise TokenError(
            f"this {purpose} link has expired (links last {days} day{'s' if days != 1 else ''})",
            subject=_SUBJECT,
            fix="subscribe again to get a new link"
            if purpose == "confirm"
            else "use the link in your latest email",
        )
    return TokenClaims(purpose, payload["s"], payload["e"], issued)
