"""Delivery errors: each with a stable code, the input it concerns and how to fix it."""

from __future__ import annotations

from westminster.errors import WestminsterError


class DeliveryError(WestminsterError):
    """Delivery cannot run: a missing or bad setting (secret key, sender, SMTP server)."""

    code = "W800"


class AddressError(WestminsterError):
    """An email address or a subscriber's preferences are not acceptable."""

    code = "W810"


class TokenError(WestminsterError):
    """A confirm, unsubscribe or preferences link is tampered with, expired or no longer valid."""

    code = "W820"


class SendError(WestminsterError):
    """The SMTP server refused the sender or the login, so nothing can be sent this run."""

    code = "W830"


class EditionError(WestminsterError):
    """An edition cannot be built or read (unknown kind, no builder, bad stored payload)."""

    code = "W840"
