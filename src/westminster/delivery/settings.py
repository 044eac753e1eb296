"""Delivery settings: the SMTP server, the sender, the site's address and the signing key."""

from __future__ import annotations

from dataclasses import dataclass
from email.headerregistry import Address
from email.utils import parseaddr
from typing import Literal

from westminster.config import Config
from westminster.delivery.errors import DeliveryError

Security = Literal["starttls", "tls", "none"]
SECURITIES: tuple[Security, ...] = ("starttls", "tls", "none")

# The registered ports for each mode (RFC 6409 submission, RFC 8314 implicit TLS, RFC 5321).
DEFAULT_PORTS: dict[str, int] = {"starttls": 587, "tls": 465, "none": 25}

# Sign-up limits. Per client (an IP address on the web): a household or office behind one
# address signs up a few people, a script thousands. Per address: a few tries cover a lost
# confirmation mail, while more would let anyone flood a stranger's inbox with confirmations.
CLIENT_SIGNUPS_PER_WINDOW = 10
ADDRESS_SIGNUPS_PER_WINDOW = 3
SIGNUP_WINDOW_S = 3600

# A confirmation link lives two days (a weekend away from the inbox); a preferences link a
# month (each email carries a fresh one). Unsubscribe links never expire: RFC 8058 and the law
# in most places expect them to keep working in old emails.
CONFIRM_TTL_S = 2 * 86400
PREFERENCES_TTL_S = 30 * 86400

# SMTP: seconds to wait for the server; tries per message on temporary failures (4xx answers,
# dropped connections) and the first pause between them, doubled after each try.
SMTP_TIMEOUT_S = 30.0
SMTP_ATTEMPTS = 4
SMTP_BACKOFF_S = 1.0


@dataclass(frozen=True)
class DeliverySettings:
    """Everything delivery needs, resolved from the run's settings."""

    smtp_host: str = "localhost"
    smtp_port: int = 587
    smtp_security: Security = "starttls"
    smtp_user: str = ""
    smtp_password: str = ""
    mail_from: str = ""
    base_url: str = "http://127.0.0.1:8000"
    secret_key: str = ""
    client_signups_per_window: int = CLIENT_SIGNUPS_PER_WINDOW
    address_signups_per_window: int = ADDRESS_SIGNUPS_PER_WINDOW
    signup_window_s: int = SIGNUP_WINDOW_S
    confirm_ttl_s: int = CONFIRM_TTL_S
    preferences_ttl_s: int = PREFERENCES_TTL_S
    smtp_timeout_s: float = SMTP_TIMEOUT_S
    smtp_attempts: int = SMTP_ATTEMPTS
    smtp_backoff_s: float = SMTP_BACKOFF_S

    @classmethod
    def from_config(cls, config: Config) -> DeliverySettings:
        """The delivery part of the run's settings; DeliveryError names a bad one."""
        security = config.smtp_security.strip().lower()
        if security not in SECURITIES:
            raise DeliveryError(
                f"{config.smtp_security!r} is not one of {', '.join(SECURITIES)}",
                subject="smtp_security",
            )
        port = config.smtp_port or DEFAULT_PORTS[security]
        if not 0 < port < 65536:
            raise DeliveryError(f"{port} is not a TCP port", subject="smtp_port")
        return cls(
            smtp_host=config.smtp_host,
            smtp_port=port,
            smtp_security=security,
            smtp_user=config.smtp_user,
            smtp_password=config.smtp_password,
            mail_from=config.mail_from,
            base_url=config.base_url.rstrip("/"),
            secret_key=config.secret_key,
        )

    def require_secret(self) -> str:
        """The signing key; DeliveryError when it is not set."""
        if not self.secret_key:
            raise DeliveryError(
                "no key to sign links with",
                subject="secret_key",
                fix="set WESTMINSTER_SECRET_KEY (or secret_key in westminster.toml) to a long "
                "random string, e.g. `python -c 'import secrets; print(secrets.token_hex(32))'`",
            )
        return self.secret_key

    def sender(self) -> Address:
        """The From address; DeliveryError when mail_from is missing or not an address."""
        name, addr = parseaddr(self.mail_from)
        if not self.mail_from or "@" not in addr:
            raise DeliveryError(
                f"{self.mail_from!r} is not an email address" if self.mail_from else "not set",
                subject="mail_from",
                fix='set WESTMINSTER_MAIL_FROM, e.g. "Westminster Update <briefing@example.org>"',
            )
        local, domain = addr.rsplit("@", 1)
        return Address(display_name=name, username=local, domain=domain)
