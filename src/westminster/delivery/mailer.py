"""SMTP sending: STARTTLS or implicit TLS, AUTH, one reused connection, retries with backoff.

Failures are sorted by what they say about the future: a 4xx answer or a dropped connection
is temporary (retried here with exponential backoff, then left for the next run); a 5xx answer
to a recipient or a message is permanent for that address (the caller pauses it); a refused
login, sender or TLS handshake is the configuration's fault and stops the run (SendError).
"""

from __future__ import annotations

import logging
import smtplib
import ssl
import time
from collections.abc import Callable
from email.message import EmailMessage
from email.utils import getaddresses
from types import TracebackType
from typing import Protocol

from westminster.delivery.errors import SendError
from westminster.delivery.settings import DeliverySettings
from westminster.delivery.wire import RawMessage
from westminster.errors import WestminsterError

logger = logging.getLogger(__name__)
logger.addHandler(logging.NullHandler())

# Reconnect after this many messages: several providers cap messages per connection (100 is
# the lowest common cap in their published limits), and a fresh session costs little.
MESSAGES_PER_CONNECTION = 100


class MailFailure(WestminsterError):
    """One message could not be delivered; `smtp_code` is the server's answer, if any."""

    code = "W850"
    temporary = True

    def __init__(self, message: str, *, subject: str | None = None, smtp_code: int | None = None):
        self.smtp_code = smtp_code
        super().__init__(message, subject=subject)


class TemporaryFailure(MailFailure):
    """A 4xx answer or a lost connection, still failing after every retry."""

    code = "W851"


class PermanentFailure(MailFailure):
    """A 5xx answer to the recipient or the message: the address will not take it."""

    code = "W852"
    temporary = False


class Mailer(Protocol):
    """Something that delivers one message or raises MailFailure / SendError."""

    def send(self, message: EmailMessage | RawMessage) -> None:
        """Deliver the message to its To addresses (a RawMessage to its one recipient)."""
        ...


def _text(raw: bytes | str) -> str:
    return (raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw).strip()


class SMTPMailer:
    """Delivers through the configured SMTP server, reusing one connection; close when done."""

    def __init__(
        self,
        settings: DeliverySettings,
        *,
        ssl_context: ssl.SSLContext | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        """Check the sender now; connect on the first message."""
        self.settings = settings
        self.envelope_from = settings.sender().addr_spec
        self._ssl = ssl_context
        self._sleep = sleep
        self._conn: smtplib.SMTP | None = None
        self._sent_on_conn = 0
        self.sent = 0

    def __enter__(self) -> SMTPMailer:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _where(self) -> str:
        return f"{self.settings.smtp_host}:{self.settings.smtp_port}"

    def _context(self) -> ssl.SSLContext:
        return self._ssl or ssl.create_default_context()

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        conn: smtplib.SMTP
        if s.smtp_security == "tls":
            conn = smtplib.SMTP_SSL(
                s.smtp_host, s.smtp_port, timeout=s.smtp_timeout_s, context=self._context()
            )
        else:
            conn = smtplib.SMTP(s.smtp_host, s.smtp_port, timeout=s.smtp_timeout_s)
        try:
            conn.ehlo()
            if s.smtp_security == "starttls":
                if not conn.has_extn("starttls"):
                    raise SendError(
                        "the server does not offer STARTTLS",
                        subject=self._where(),
                        fix="set smtp_security to tls (port 465) or, for a local relay, none",
                    )
                conn.starttls(context=self._context())
                conn.ehlo()
            if s.smtp_user:
                conn.login(s.smtp_user, s.smtp_password)
        except BaseException:
            conn.close()
            raise
        return conn

    def _connection(self) -> smtplib.SMTP:
        if self._conn is not None and self._sent_on_conn >= MESSAGES_PER_CONNECTION:
            self.close()
        if self._conn is None:
            self._conn = self._connect()
            self._sent_on_conn = 0
        return self._conn

    def close(self) -> None:
        """Say QUIT and close the connection, if one is open."""
        conn, self._conn = self._conn, None
        if conn is None:
            return
        try:
            conn.quit()
        except (smtplib.SMTPException, OSError):
            conn.close()

    def _drop(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            conn.close()

    def send(self, message: EmailMessage | RawMessage) -> None:
        """Deliver one message, retrying temporary failures with exponential backoff."""
        if isinstance(message, RawMessage):
            recipients = [message.to]
        else:
            recipients = [addr for _name, addr in getaddresses(message.get_all("To", []))]
        subject = ", ".join(recipients) or "message"
        delay = self.settings.smtp_backoff_s
        attempts = max(1, self.settings.smtp_attempts)
        for attempt in range(1, attempts + 1):
            try:
                self._attempt(message, recipients, subject)
                self.sent += 1
                self._sent_on_conn += 1
                return
            except TemporaryFailure as failure:
                if attempt == attempts:
                    raise
                logger.info("%s; retrying in %.1f s", failure.render(), delay)
                self._sleep(delay)
                delay *= 2

    def _attempt(
        self, message: EmailMessage | RawMessage, recipients: list[str], subject: str
    ) -> None:
        """One try; every failure comes out as Temporary/PermanentFailure or SendError."""
        try:
            conn = self._connection()
            if isinstance(message, RawMessage):
                conn.sendmail(self.envelope_from, recipients, message.data)
            else:
                conn.send_message(message, from_addr=self.envelope_from, to_addrs=recipients)
        except smtplib.SMTPRecipientsRefused as exc:
            code, answer = next(iter(exc.recipients.values()))
            if code == 421:
                self._drop()  # the server is closing the session (smtplib has closed it)
            raise _failure(code, f"recipient refused: {code} {_text(answer)}", subject) from None
        except smtplib.SMTPSenderRefused as exc:
            if 400 <= exc.smtp_code < 500:
                self._drop()
                raise TemporaryFailure(
                    f"sender deferred: {exc.smtp_code} {_text(exc.smtp_error)}",
                    subject=subject,
                    smtp_code=exc.smtp_code,
                ) from None
            raise SendError(
                f"the server refuses the sender {self.envelope_from}: {exc.smtp_code} "
                f"{_text(exc.smtp_error)}",
                subject=self._where(),
                fix="check mail_from and that smtp_user may send as it",
            ) from None
        except smtplib.SMTPAuthenticationError as exc:
            raise SendError(
                f"login refused: {exc.smtp_code} {_text(exc.smtp_error)}",
                subject=self._where(),
                fix="check smtp_user and smtp_password",
            ) from None
        except smtplib.SMTPNotSupportedError as exc:
            raise SendError(f"the server does not support {exc}", subject=self._where()) from None
        except (smtplib.SMTPConnectError, smtplib.SMTPHeloError) as exc:
            self._drop()
            if 400 <= exc.smtp_code < 500:
                raise TemporaryFailure(
                    f"server busy: {exc.smtp_code} {_text(exc.smtp_error)}",
                    subject=self._where(),
                    smtp_code=exc.smtp_code,
                ) from None
            raise SendError(
                f"the server refuses this client: {exc.smtp_code} {_text(exc.smtp_error)}",
                subject=self._where(),
            ) from None
        except smtplib.SMTPResponseException as exc:
            # DATA refused (SMTPDataError) or another answer to one message.
            if exc.smtp_code >= 500:
                raise PermanentFailure(
                    f"message refused: {exc.smtp_code} {_text(exc.smtp_error)}",
                    subject=subject,
                    smtp_code=exc.smtp_code,
                ) from None
            self._drop()
            raise TemporaryFailure(
                f"message deferred: {exc.smtp_code} {_text(exc.smtp_error)}",
                subject=subject,
                smtp_code=exc.smtp_code,
            ) from None
        except ssl.SSLCertVerificationError as exc:
            self._drop()
            raise SendError(
                f"the server's TLS certificate is not trusted: {exc.verify_message}",
                subject=self._where(),
                fix="fix the server's certificate or smtp_host (it must match the certificate)",
            ) from None
        except (smtplib.SMTPException, OSError) as exc:
            # Lost or refused connections, timeouts, TLS failures mid-session: try again.
            self._drop()
            raise TemporaryFailure(
                f"connection failed: {exc or type(exc).__name__}", subject=self._where()
            ) from None


def _failure(code: int, detail: str, subject: str) -> MailFailure:
    if 400 <= code < 500:
        return TemporaryFailure(detail, subject=subject, smtp_code=code)
    return PermanentFailure(detail, subject=subject, smtp_code=code)
