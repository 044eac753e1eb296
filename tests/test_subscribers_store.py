"""Subscribers, counters, editions, the outbox and locks in the store: both backends alike."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest

from westminster.models import Preferences
from westminster.store import Store, StoreError

NOW = datetime(2026, 11, 24, 6, 0, tzinfo=UTC)
PREFS = Preferences(topics=("defence",), people=("Keir Starmer",), send_time=time(7, 30))


def test_put_subscriber_adds_once_and_keeps_the_first(store: Store) -> None:
    ann, created = store.put_subscriber("ann@example.org", PREFS, status="pending", now=NOW)
    assert created and ann.status == "pending" and ann.confirmed_at is None
    assert ann.preferences == PREFS and ann.created_at == NOW
    again, created = store.put_subscriber(
        "ann@example.org", Preferences(), status="active", now=NOW + timedelta(hours=1)
    )
    assert not created and again == ann  # unchanged
    assert store.get_subscriber("ann@example.org") == ann
    assert store.get_subscriber(ann.id) == ann
    assert store.get_subscriber("nobody@example.org") is None
    assert store.get_subscriber(ann.id + 100) is None


def test_update_subscriber_status_preferences_and_reason(store: Store) -> None:
    ann, _ = store.put_subscriber("ann@example.org", PREFS, status="pending", now=NOW)
    later = NOW + timedelta(minutes=5)
    active = store.update_subscriber(ann.id, now=later, status="active")
    assert active.status == "active" and active.confirmed_at == later
    weekly = Preferences(frequency="weekly", timezone="America/New_York")
    changed = store.update_subscriber(ann.id, now=later, preferences=weekly)
    assert changed.preferences == weekly and changed.confirmed_at == later
    assert [s.email for s in store.subscribers(frequency="weekly")] == ["ann@example.org"]
    assert store.subscribers(frequency="daily") == []
    paused = store.update_subscriber(ann.id, now=later, status="paused", reason="550 no user")
    assert paused.status == "paused" and paused.paused_reason == "550 no user"
    back = store.update_subscriber(ann.id, now=later, status="active")
    assert back.paused_reason is None
    with pytest.raises(StoreError, match="no such subscriber"):
        store.update_subscriber(ann.id + 100, now=later, status="active")


def test_subscribers_filter_and_delete(store: Store) -> None:
    a, _ = store.put_subscriber("a@example.org", PREFS, status="active", now=NOW)
    b, _ = store.put_subscriber("b@example.org", PREFS, status="pending", now=NOW)
    assert a.confirmed_at == NOW
    assert [s.email for s in store.subscribers()] == ["a@example.org", "b@example.org"]
    assert [s.email for s in store.subscribers(status="active")] == ["a@example.org"]
    assert store.delete_subscriber(b.id) is True
    assert store.delete_subscriber(b.id) is False
    assert [s.email for s in store.subscribers()] == ["a@example.org"]


def test_count_attempts_per_key_and_window(store: Store) -> None:
    window = NOW.replace(minute=0)
    assert store.count_attempts(["client:1.2.3.4", "email:a@example.org"], window) == [1, 1]
    assert store.count_attempts(["client:1.2.3.4", "email:b@example.org"], window) == [2, 1]
    later = window + timedelta(hours=1)
    assert store.count_attempts(["client:1.2.3.4"], later) == [1]  # a new window starts at 1


def test_edition_first_build_wins(store: Store) -> None:
    assert store.get_edition("daily-2026-11-24") is None
    assert store.put_edition("daily-2026-11-24", "daily", '{"a": 1}', NOW) == '{"a": 1}'
    assert store.put_edition("daily-2026-11-24", "daily", '{"a": 2}', NOW) == '{"a": 1}'
    assert store.get_edition("daily-2026-11-24") == '{"a": 1}'


def _active(store: Store, *emails: str) -> list[int]:
    return [store.put_subscriber(e, PREFS, status="active", now=NOW)[0].id for e in emails]


def test_outbox_enqueue_claim_finish_exactly_once(store: Store) -> None:
    ed = "daily-2026-11-24"
    store.put_edition(ed, "daily", "{}", NOW)
    a, b, c = _active(store, "a@example.org", "b@example.org", "c@example.org")
    assert store.enqueue(ed, [(a, "<1@x>"), (b, "<2@x>")], NOW) == 2
    assert store.enqueue(ed, [(a, "<1@x>"), (b, "<2@x>"), (c, "<3@x>")], NOW) == 1
    assert [e.status for e in store.outbox(ed)] == ["pending"] * 3
    assert store.claim(ed, a, NOW) == "claimed"
    assert store.claim(ed, a, NOW) == "taken"  # one claimant wins
    store.finish(ed, a, "sent", now=NOW)
    assert store.claim(ed, a, NOW) == "taken"  # sent stays sent
    # A subscriber who unsubscribed after being queued is skipped, not sent.
    store.update_subscriber(b, now=NOW, status="unsubscribed")
    assert store.claim(ed, b, NOW) == "inactive"
    entries = {e.subscriber_id: e for e in store.outbox(ed)}
    assert entries[a].status == "sent" and entries[a].attempts == 1
    assert entries[a].message_id == "<1@x>" and entries[a].finished_at == NOW
    assert entries[b].status == "skipped" and entries[b].detail == "subscriber is unsubscribed"
    assert [e.subscriber_id for e in store.outbox(ed, status="pending")] == [c]
    # A claim left by a dead sender goes back to pending, once.
    assert store.claim(ed, c, NOW) == "claimed"
    assert store.reset_claims(ed) == 1
    assert store.reset_claims(ed) == 0
    assert store.outbox(ed, status="pending")[0].attempts == 1
    with pytest.raises(StoreError, match="no such outbox row"):
        store.finish("daily-2026-11-25", a, "sent", now=NOW)
    # Deleting a subscriber removes their rows.
    store.delete_subscriber(c)
    assert store.outbox(ed, status="pending") == []


def test_enqueue_alert_records_each_article_once(store: Store) -> None:
    (a,) = _active(store, "a@example.org")
    store.put_edition("alert-1", "alert", "{}", NOW)
    store.put_edition("alert-2", "alert", "{}", NOW)
    assert store.enqueue_alert("alert-1", a, "<m1@x>", ["x", "y", "x"], NOW) == ["x", "y"]
    assert store.alert_items("alert-1", a) == ["x", "y"]
    # Overlapping articles in a later alert: only the new one is recorded.
    assert store.enqueue_alert("alert-2", a, "<m2@x>", ["y", "z"], NOW) == ["z"]
    assert store.alert_items("alert-2", a) == ["z"]
    # Nothing new: no outbox row at all.
    store.put_edition("alert-3", "alert", "{}", NOW)
    assert store.enqueue_alert("alert-3", a, "<m3@x>", ["x", "z"], NOW) == []
    assert store.outbox("alert-3") == []
    assert [e.message_id for e in store.outbox("alert-2")] == ["<m2@x>"]


def test_locks_refuse_others_and_allow_takeover(store: Store) -> None:
    assert store.acquire_lock("send:d", "host:1:a", now=NOW) is None
    assert store.acquire_lock("send:d", "host:1:a", now=NOW + timedelta(seconds=5)) is None
    held = store.acquire_lock("send:d", "host:2:b", now=NOW)
    assert held is not None and held[0] == "host:1:a" and held[1] == NOW + timedelta(seconds=5)
    # Taking over needs the exact holder (a dead one).
    assert store.acquire_lock("send:d", "host:2:b", now=NOW, replace="host:9:z") is not None
    assert store.acquire_lock("send:d", "host:2:b", now=NOW, replace="host:1:a") is None
    store.release_lock("send:d", "host:1:a")  # not the holder any more: no effect
    assert store.acquire_lock("send:d", "host:3:c", now=NOW) is not None
    store.release_lock("send:d", "host:2:b")
    assert store.acquire_lock("send:d", "host:3:c", now=NOW) is None
