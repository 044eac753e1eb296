"""Real parts for the delivery tests: an aiosmtpd server on loopback, TLS certificates from
openssl, and briefings built by hand (the briefing builder is not what these tests test)."""

from __future__ import annotations

import asyncio
import socket
import ssl
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from westminster.delivery.settings import DeliverySettings
from westminster.models import (
    Briefing,
    BriefingFigure,
    BriefingItem,
    BriefingQuote,
    CitedSentence,
    SourceRef,
)

SECRET = "test-secret-key-0123456789abcdef"
MAIL_FROM = "Westminster Update <briefing@example.org>"
BASE_URL = "https://westminster.example.org"
USER, PASSWORD = "sender", "s3cret-pass"


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Captured:
    """One message the server accepted."""

    mail_from: str
    rcpt_tos: list[str]
    raw: bytes
    message: EmailMessage


@dataclass
class Handler:
    """Accepts mail and keeps it; scripted answers make recipients fail on purpose.

    `replies[address]` is a list of SMTP answers given at RCPT, one per attempt ("" = accept);
    the last one repeats. `hold_at = n` makes the (n+1)-th DATA wait until `release` is set,
    then answer 451 (the sender is killed meanwhile in the exactly-once test).
    """

    messages: list[Captured] = field(default_factory=list)
    replies: dict[str, list[str]] = field(default_factory=dict)
    rcpt_attempts: dict[str, int] = field(default_factory=dict)
    hold_at: int | None = None
    holding: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        with self.lock:
            n = self.rcpt_attempts.get(address, 0)
            self.rcpt_attempts[address] = n + 1
        script = self.replies.get(address)
        if script:
            reply = script[min(n, len(script) - 1)]
            if reply:
                return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.hold_at is not None and len(self.messages) >= self.hold_at:
            self.holding.set()
            while not self.release.is_set():
                await asyncio.sleep(0.01)
            return "451 4.3.0 aborted by the test"
        raw = bytes(envelope.original_content or envelope.content)
        parsed = message_from_bytes(raw, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        with self.lock:
            self.messages.append(Captured(envelope.mail_from, list(envelope.rcpt_tos), raw, parsed))
        return "250 Message accepted"

    def to(self, address: str) -> list[Captured]:
        """Messages delivered to an address."""
        with self.lock:
            return [m for m in self.messages if address in m.rcpt_tos]

    def wait_for(self, count: int, timeout: float = 10.0) -> None:
        """Wait until the server holds at least `count` messages."""
        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.01)


def _authenticator(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> Any:
    ok = (
        isinstance(data, LoginPassword)
        and data.login == USER.encode()
        and data.password == PASSWORD.encode()
    )
    return AuthResult(success=ok, handled=False)


@contextmanager
def smtp_server(
    handler: Handler | None = None,
    *,
    tls: ssl.SSLContext | None = None,
    starttls: ssl.SSLContext | None = None,
    auth: bool = False,
) -> Iterator[tuple[Handler, int]]:
    """A running aiosmtpd server on 127.0.0.1: (handler, port)."""
    handler = handler or Handler()
    kwargs: dict[str, Any] = {}
    if starttls is not None:
        kwargs.update(tls_context=starttls, require_starttls=True)
    if auth:
        kwargs.update(authenticator=_authenticator, auth_required=True)
    port = free_port()
    controller = Controller(
        handler, hostname="127.0.0.1", port=port, ssl_context=tls, server_hostname="127.0.0.1",
        **kwargs,
    )  # fmt: skip
    controller.start()
    try:
        yield handler, port
    finally:
        controller.stop()


def make_certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 and localhost, made by openssl: (cert, key)."""
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key),
         "-out", str(cert), "-days", "2", "-subj", "/CN=localhost",
         "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"],
        check=True, capture_output=True,
    )  # fmt: skip
    return cert, key


def server_context(cert: Path, key: Path) -> ssl.SSLContext:
    """The server side of TLS with the certificate."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    return context


def settings(port: int, **overrides: Any) -> DeliverySettings:
    """Delivery settings for the loopback server: no TLS, fast retries."""
    values: dict[str, Any] = dict(
        smtp_host="127.0.0.1", smtp_port=port, smtp_security="none", mail_from=MAIL_FROM,
        base_url=BASE_URL, secret_key=SECRET, smtp_backoff_s=0.01, smtp_timeout_s=10.0,
    )  # fmt: skip
    values.update(overrides)
    return DeliverySettings(**values)


def env(port: int, db: str) -> dict[str, str]:
    """Environment variables for a `westminster` subprocess using the loopback server."""
    return {
        "WESTMINSTER_CONFIG": "/dev/null",
        "WESTMINSTER_DB": db,
        "WESTMINSTER_SMTP_HOST": "127.0.0.1",
        "WESTMINSTER_SMTP_PORT": str(port),
        "WESTMINSTER_SMTP_SECURITY": "none",
        "WESTMINSTER_MAIL_FROM": MAIL_FROM,
        "WESTMINSTER_BASE_URL": BASE_URL,
        "WESTMINSTER_SECRET_KEY": SECRET,
    }


def token_of(url: str) -> str:
    """The token parameter of a link."""
    return parse_qs(urlsplit(url).query)["token"][0]


def body(message: EmailMessage, subtype: str) -> str:
    """The text/plain or text/html part of a message."""
    part = message.get_body(preferencelist=(subtype,))
    assert part is not None, f"no text/{subtype} part"
    content = part.get_content()
    assert isinstance(content, str)
    return content


def source(n: int, outlet: str = "BBC News") -> SourceRef:
    """A cited article."""
    return SourceRef(
        article_id=f"a{n}",
        title=f"Article {n}",
        outlet=outlet,
        url=f"https://news.example.org/{n}",
        published=date(2026, 11, 24),
    )


def item(
    story_id: str,
    headline: str,
    summary: str,
    *,
    people: tuple[str, ...] = (),
    topics: tuple[str, ...] = (),
    speaker: str = "",
    speaker_key: str = "",
) -> BriefingItem:
    """One story with a cited summary, a quote and a figure."""
    ref = source(int("".join(ch for ch in story_id if ch.isdigit()) or "1"))
    quotes = (
        (BriefingQuote("We will stand by Ukraine.", "direct", speaker, speaker_key, ref),)
        if speaker
        else ()
    )
    return BriefingItem(
        story_id=story_id,
        headline=headline,
        summary=(CitedSentence(summary, ref),),
        quotes=quotes,
        figures=(BriefingFigure("£600 million", "money", 600_000_000.0, "GBP", ref),),
        sources=(ref, source(99, "The Guardian")),
        outlets=2,
        score=1.0,
        people=people,
        topics=topics,
    )


STORIES = (
    item(
        "s1",
        "Starmer and Biden discuss Storm Shadow missiles",
        "The prime minister met the US president in Washington to discuss long-range missiles.",
        people=("person:keir-starmer", "person:joe-biden"),
        topics=("defence",),
        speaker="Keir Starmer",
        speaker_key="person:keir-starmer",
    ),
    item(
        "s2",
        "Reeves sets out autumn budget tax rises",
        "The chancellor announced £40 billion of tax rises in the budget.",
        people=("person:rachel-reeves",),
        topics=("economy",),
    ),
    item(
        "s3",
        "NHS waiting lists fall for third month",
        "Waiting lists in England fell again, the health secretary said.",
        people=("person:wes-streeting",),
        topics=("health",),
    ),
)


def daily_briefing(
    items: tuple[BriefingItem, ...] = STORIES, day: date = date(2026, 11, 24)
) -> Briefing:
    """A daily briefing of the given stories."""
    start = datetime(day.year, day.month, day.day, tzinfo=UTC)
    return Briefing(
        kind="daily",
        title="Westminster Update",
        period_start=start,
        period_end=start.replace(hour=23, minute=59),
        generated_at=start.replace(hour=6),
        items=items,
    )
