"""SIGKILL a real `westminster send` in the middle of an edition, run it again: every
subscriber has exactly one message (both store backends, a real aiosmtpd server)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections import Counter
from datetime import UTC, datetime

import pytest

from tests.delivery_support import Handler, daily_briefing, env, smtp_server
from westminster.delivery.edition_codec import briefing_to_json
from westminster.models import Preferences
from westminster.store import Store

SUBSCRIBERS = 30
KILL_AFTER = 11  # the sender is killed while the server holds the 12th message
EDITION = "daily-2026-11-24"
NOW = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)  # the morning after the edition's day
TIMEOUT_S = 120.0


def _send(port: int, db: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "westminster", "send", "--edition", "daily",
         "--date", "2026-11-24", "--now", NOW.isoformat()],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, **env(port, db)},
    )  # fmt: skip


@pytest.mark.slow
def test_sigkill_mid_edition_then_rerun_sends_each_subscriber_one_message(
    store: Store, store_url: str
) -> None:
    emails = [f"reader{n:02d}@example.org" for n in range(SUBSCRIBERS)]
    for email in emails:
        store.put_subscriber(email, Preferences(), status="active", now=NOW)
    # The edition as built earlier (the builder is not what this test is about).
    store.put_edition(EDITION, "daily", briefing_to_json(daily_briefing()), NOW)
    handler = Handler(hold_at=KILL_AFTER)
    with smtp_server(handler) as (_, port):
        first = _send(port, store_url)
        try:
            assert handler.holding.wait(TIMEOUT_S), "the sender never reached the held message"
        finally:
            first.send_signal(signal.SIGKILL)
            first.wait()
        handler.hold_at = None
        handler.release.set()  # the held transaction ends unaccepted, as a cut connection does
        assert first.returncode == -signal.SIGKILL
        states = Counter(e.status for e in store.outbox(EDITION))
        assert states == {"sent": KILL_AFTER, "sending": 1, "pending": SUBSCRIBERS - KILL_AFTER - 1}
        assert len(handler.messages) == KILL_AFTER

        second = _send(port, store_url)
        _, err = second.communicate(timeout=TIMEOUT_S)
        assert second.returncode == 0, err.decode()
    closing = err.decode().strip().splitlines()[-1]
    assert f"sent {SUBSCRIBERS - KILL_AFTER}," in closing and "resumed 1" in closing, closing
    received = Counter(rcpt for m in handler.messages for rcpt in m.rcpt_tos)
    assert received == Counter(emails)  # every subscriber exactly once
    ids = {m.message["Message-ID"] for m in handler.messages}
    assert len(ids) == SUBSCRIBERS
    assert Counter(e.status for e in store.outbox(EDITION)) == {"sent": SUBSCRIBERS}
    resent = [e for e in store.outbox(EDITION) if e.attempts == 2]
    assert len(resent) == 1  # the message in flight at the kill was sent again, once
