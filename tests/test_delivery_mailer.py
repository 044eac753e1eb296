"""SMTP sending against a real aiosmtpd server: STARTTLS + AUTH, implicit TLS, retries."""

from __future__ import annotations

import ssl
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path

import pytest

from tests.delivery_support import (
    PASSWORD,
    USER,
    Handler,
    free_port,
    make_certificate,
    server_context,
    settings,
    smtp_server,
)
from westminster.config import Config
from westminster.delivery.errors import DeliveryError, SendError
from westminster.delivery.mailer import PermanentFailure, SMTPMailer, TemporaryFailure
from westminster.delivery.render import RenderedEmail, build_message
from westminster.delivery.settings import DeliverySettings

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return make_certificate(tmp_path_factory.mktemp("tls"))


@pytest.fixture
def client_tls(certificate: tuple[Path, Path]) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=str(certificate[0]))


def _message(to: str, config: DeliverySettings) -> EmailMessage:
    rendered = RenderedEmail("Hello", "text", "<p>html</p>")
    return build_message(rendered, to=to, settings=config, now=NOW)


def test_starttls_with_login(certificate: tuple[Path, Path], client_tls: ssl.SSLContext) -> None:
    with smtp_server(starttls=server_context(*certificate), auth=True) as (handler, port):
        config = settings(port, smtp_security="starttls", smtp_user=USER, smtp_password=PASSWORD)
        with SMTPMailer(config, ssl_context=client_tls) as mailer:
            mailer.send(_message("ann@example.org", config))
            mailer.send(_message("bob@example.org", config))
        assert [m.rcpt_tos for m in handler.messages] == [["ann@example.org"], ["bob@example.org"]]
        assert handler.messages[0].mail_from == "briefing@example.org"
        # A wrong password stops the run: it is the configuration's fault, not the address's.
        wrong = settings(port, smtp_security="starttls", smtp_user=USER, smtp_password="nope")
        with (
            SMTPMailer(wrong, ssl_context=client_tls) as mailer,
            pytest.raises(SendError, match="login refused: 535"),
        ):
            mailer.send(_message("ann@example.org", wrong))
        # A server certificate the client does not trust is refused.
        with SMTPMailer(config) as mailer, pytest.raises(SendError, match="not trusted"):
            mailer.send(_message("ann@example.org", config))


def test_starttls_refused_when_the_server_lacks_it() -> None:
    with smtp_server() as (_handler, port):
        config = settings(port, smtp_security="starttls")
        with SMTPMailer(config) as mailer, pytest.raises(SendError, match="STARTTLS"):
            mailer.send(_message("ann@example.org", config))


def test_implicit_tls(certificate: tuple[Path, Path], client_tls: ssl.SSLContext) -> None:
    with smtp_server(tls=server_context(*certificate)) as (handler, port):
        config = settings(port, smtp_security="tls")
        with SMTPMailer(config, ssl_context=client_tls) as mailer:
            mailer.send(_message("ann@example.org", config))
        assert len(handler.messages) == 1


def test_temporary_errors_are_retried_with_backoff() -> None:
    handler = Handler(replies={"ann@example.org": ["451 4.3.0 try later", "421 busy", ""]})
    pauses: list[float] = []
    with smtp_server(handler) as (_, port):
        config = settings(port, smtp_backoff_s=0.5)
        with SMTPMailer(config, sleep=pauses.append) as mailer:
            mailer.send(_message("ann@example.org", config))
    assert len(handler.to("ann@example.org")) == 1
    assert pauses == [0.5, 1.0]  # exponential backoff between the three tries


def test_temporary_errors_give_up_after_every_attempt() -> None:
    handler = Handler(replies={"ann@example.org": ["452 4.2.2 mailbox full"]})
    pauses: list[float] = []
    with smtp_server(handler) as (_, port):
        config = settings(port, smtp_attempts=3, smtp_backoff_s=0.25)
        with SMTPMailer(config, sleep=pauses.append) as mailer:
            with pytest.raises(TemporaryFailure, match="452") as caught:
                mailer.send(_message("ann@example.org", config))
            assert caught.value.smtp_code == 452
            mailer.send(_message("bob@example.org", config))  # the connection still works
    assert pauses == [0.25, 0.5] and handler.rcpt_attempts["ann@example.org"] == 3
    assert len(handler.to("bob@example.org")) == 1


def test_permanent_failures_are_not_retried() -> None:
    handler = Handler(replies={"gone@example.org": ["550 5.1.1 no such user"]})
    with smtp_server(handler) as (_, port):
        config = settings(port)
        mailer = SMTPMailer(config, sleep=lambda s: None)
        with mailer, pytest.raises(PermanentFailure, match=r"550 5\.1\.1 no such user"):
            mailer.send(_message("gone@example.org", config))
    assert handler.rcpt_attempts["gone@example.org"] == 1


def test_no_server_is_a_temporary_failure() -> None:
    config = settings(free_port(), smtp_attempts=2)
    pauses: list[float] = []
    mailer = SMTPMailer(config, sleep=pauses.append)
    with mailer, pytest.raises(TemporaryFailure, match="connection failed"):
        mailer.send(_message("ann@example.org", config))
    assert len(pauses) == 1


def test_settings_from_config_pick_ports_and_refuse_bad_values() -> None:
    assert DeliverySettings.from_config(Config()).smtp_port == 587
    assert DeliverySettings.from_config(Config(smtp_security="TLS")).smtp_port == 465
    assert (
        DeliverySettings.from_config(Config(smtp_security="none", smtp_port=2525)).smtp_port == 2525
    )
    with pytest.raises(DeliveryError, match="smtp_security"):
        DeliverySettings.from_config(Config(smtp_security="ssl"))
    with pytest.raises(DeliveryError, match="mail_from"):
        SMTPMailer(DeliverySettings(mail_from="not an address"))
