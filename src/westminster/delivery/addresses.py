"""Email addresses as subscribers give them: checked, and normalised to one stored form."""

from __future__ import annotations

import re

from westminster.delivery.errors import AddressError

# RFC 5321's limit on a forward path, less the angle brackets.
MAX_ADDRESS_LENGTH = 254

# The dot-atom local part of RFC 5322 (no quoted strings, no SMTPUTF8: the sender does not
# offer them) and a domain of LDH labels with at least one dot (IDN domains arrive as punycode).
_LOCAL = re.compile(r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$")
_LABEL = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$")


def normalise_email(raw: str) -> str:
    """The address trimmed and lower-cased; AddressError naming it when it is not one."""
    text = (raw or "").strip()
    shown = text if len(text) <= 80 else text[:77] + "..."
    if not text:
        raise AddressError("no email address given", subject="email")
    if any(ch.isspace() or ch in '<>,;"()[]\\' for ch in text) or text.count("@") != 1:
        raise AddressError("is not a single plain email address", subject=repr(shown))
    local, domain = text.rsplit("@", 1)
    try:
        domain = domain.encode("idna").decode("ascii")
    except UnicodeError:
        raise AddressError("has a domain that cannot be encoded", subject=repr(shown)) from None
    labels = domain.split(".")
    if (
        not _LOCAL.match(local)
        or len(local) > 64
        or len(labels) < 2
        or not all(_LABEL.match(label) for label in labels)
        or labels[-1].isdigit()
    ):
        raise AddressError("is not a valid email address", subject=repr(shown))
    address = f"{local}@{domain}".lower()
    if len(address) > MAX_ADDRESS_LENGTH:
        raise AddressError(f"is longer than {MAX_ADDRESS_LENGTH} characters", subject=repr(shown))
    return address
