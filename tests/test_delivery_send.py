"""Sending editions through the outbox to a real SMTP server (aiosmtpd), on both backends."""

from __future__ import annotations

import os
import socket
from dataclasses import replace
from datetime import UTC, date, datetime, time
from email.message import EmailMessage
from zoneinfo import ZoneInfo

import pytest
from typer.testing import CliRunner

from tests.delivery_support import (
    STORIES,
    Handler,
    body,
    daily_briefing,
    env,
    settings,
    smtp_server,
    token_of,
)
from westminster.cli.app import app
from westminster.delivery.edition_codec import briefing_to_json
from westminster.delivery.editions import default_builder, due_at, edition_id, latest_complete
from westminster.delivery.errors import EditionError, SendError
from westminster.delivery.mailer import SMTPMailer
from westminster.delivery.outbox import send_edition
from westminster.delivery.subscriptions import unsubscribe
from westminster.models import Briefing, Preferences
from westminster.store import Store

DAY = date(2026, 11, 24)  # the news day; its edition goes out the next morning
MORNING = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)  # 08:00 in London, 03:00 in New York
NOON = datetime(2026, 11, 25, 12, 30, tzinfo=UTC)  # 07:30 in New York
MONDAY = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)  # after ISO week 48 of 2026
HEADLINES = [s.headline for s in STORIES]


def _subscribe(store: Store, email: str, prefs: Preferences, status: str = "active") -> int:
    subscriber, _ = store.put_subscriber(email, prefs, status=status, now=MORNING)  # type: ignore[arg-type]
    return subscriber.id


def _headlines(message: EmailMessage) -> list[str]:
    text = body(message, "plain")
    return [h for h in HEADLINES if h in text]


class Builds:
    """A briefing builder that counts its calls."""

    def __init__(self, briefing: Briefing) -> None:
        self.briefing = briefing
        self.calls = 0

    def __call__(self, store: Store, day: date, now: datetime) -> Briefing:
        self.calls += 1
        return self.briefing


def test_daily_edition_reaches_each_subscriber_with_their_stories(store: Store) -> None:
    _subscribe(store, "ann@example.org", Preferences(people=("Keir Starmer",)))
    _subscribe(store, "bob@example.org", Preferences(topics=("economy", "health")))
    _subscribe(store, "cat@example.org", Preferences())
    _subscribe(store, "dan@example.org", Preferences(topics=("education",)))
    _subscribe(store, "eve@example.org", Preferences(frequency="weekly"))
    _subscribe(store, "fay@example.org", Preferences(), status="pending")
    ny = Preferences(queries=('"storm shadow"',), timezone="America/New_York", send_time=time(7))
    _subscribe(store, "gus@example.org", ny)
    build = Builds(daily_briefing())
    with smtp_server() as (handler, port):
        config = settings(port)
        with SMTPMailer(config) as mailer:
            first = send_edition(
                store, "daily", DAY, mailer=mailer, settings=config, now=MORNING, build=build
            )
        assert (first.sent, first.skipped, first.waiting, first.failed) == (3, 1, 1, 0)
        assert _headlines(handler.to("ann@example.org")[0].message) == HEADLINES[:1]
        assert _headlines(handler.to("bob@example.org")[0].message) == HEADLINES[1:]
        assert _headlines(handler.to("cat@example.org")[0].message) == HEADLINES
        for nobody in ("dan", "eve", "fay", "gus"):
            assert handler.to(f"{nobody}@example.org") == []
        # Later that day New York's morning comes; nobody else gets a second copy.
        with SMTPMailer(config) as mailer:
            later = send_edition(
                store, "daily", DAY, mailer=mailer, settings=config, now=NOON, build=build
            )
        assert (later.sent, later.skipped, later.waiting) == (1, 0, 0)
        assert _headlines(handler.to("gus@example.org")[0].message) == HEADLINES[:1]
        assert len(handler.messages) == 4
    assert build.calls == 1  # the edition is built once and then read from the store
    statuses = sorted(e.status for e in store.outbox("daily-2026-11-24"))
    assert statuses == ["sent", "sent", "sent", "sent", "skipped"]


def test_each_message_has_list_headers_and_its_unsubscribe_works(store: Store) -> None:
    _subscribe(store, "ann@example.org", Preferences())
    with smtp_server() as (handler, port):
        config = settings(port)
        with SMTPMailer(config) as mailer:
            send_edition(store, "daily", DAY, mailer=mailer, settings=config, now=MORNING,
                         build=Builds(daily_briefing()))  # fmt: skip
        (mail,) = handler.messages
    message = mail.message
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    header = str(message["List-Unsubscribe"])
    assert header.startswith("<https://westminster.example.org/unsubscribe?token=")
    assert message["Message-ID"].startswith("<daily-2026-11-24.")
    assert message["Subject"].startswith("Westminster Update: Starmer and Biden")
    assert header.strip("<>") in body(message, "plain")
    gone = unsubscribe(store, token_of(header.strip("<>")), settings=config)
    assert gone.email == "ann@example.org" and gone.status == "unsubscribed"


def test_permanent_failure_pauses_and_temporary_failure_waits_for_next_run(store: Store) -> None:
    _subscribe(store, "ann@example.org", Preferences())
    gone = _subscribe(store, "gone@example.org", Preferences())
    _subscribe(store, "slow@example.org", Preferences())
    handler = Handler(
        replies={
            "gone@example.org": ["550 5.1.1 mailbox does not exist"],
            "slow@example.org": ["451 4.7.1 greylisted"] * 3 + [""],
        }
    )
    with smtp_server(handler) as (_, port):
        config = settings(port, smtp_attempts=3)
        build = Builds(daily_briefing())
        with SMTPMailer(config) as mailer:
            report = send_edition(
                store, "daily", DAY, mailer=mailer, settings=config, now=MORNING, build=build
            )
        assert (report.sent, report.failed, report.deferred) == (1, 1, 1)
        paused = store.get_subscriber(gone)
        assert paused is not None and paused.status == "paused"
        assert paused.paused_reason is not None and "550 5.1.1" in paused.paused_reason
        entries = {e.subscriber_id: e for e in store.outbox("daily-2026-11-24")}
        assert entries[gone].status == "failed" and "550" in (entries[gone].detail or "")
        # The next run retries the deferred address (now accepted) and nobody else.
        with SMTPMailer(config) as mailer:
            again = send_edition(
                store, "daily", DAY, mailer=mailer, settings=config, now=MORNING, build=build
            )
        assert (again.sent, again.failed, again.deferred) == (1, 0, 0)
        assert [len(handler.to(f"{n}@example.org")) for n in ("ann", "gone", "slow")] == [1, 0, 1]


def test_weekly_edition_goes_to_weekly_subscribers_only(store: Store) -> None:
    _subscribe(store, "daily@example.org", Preferences())
    _subscribe(store, "weekly@example.org", Preferences(frequency="weekly"))
    _subscribe(store, "now@example.org", Preferences(frequency="immediate"))
    weekly = replace(daily_briefing(), kind="weekly", title="Westminster Week")
    with smtp_server() as (handler, port):
        config = settings(port)
        with SMTPMailer(config) as mailer:
            early = send_edition(store, "weekly", DAY, mailer=mailer, settings=config,
                                 now=MORNING, build=Builds(weekly))  # fmt: skip
            assert (early.sent, early.waiting) == (0, 1)  # the week is not over yet
            report = send_edition(store, "weekly", DAY, mailer=mailer, settings=config,
                                  now=MONDAY, build=Builds(weekly))  # fmt: skip
        assert report.edition == edition_id("weekly", DAY) == "weekly-2026-W48"
        assert [m.rcpt_tos for m in handler.messages] == [["weekly@example.org"]]
        assert handler.messages[0].message["Subject"].startswith("Westminster Week: ")


def test_a_live_sender_holds_the_edition(store: Store) -> None:
    _subscribe(store, "ann@example.org", Preferences())
    owner = f"{socket.gethostname()}:{os.getpid()}:other"  # this process: alive
    assert store.acquire_lock("send:daily-2026-11-24", owner, now=datetime.now(UTC)) is None
    with smtp_server() as (handler, port):
        config = settings(port)
        with SMTPMailer(config) as mailer, pytest.raises(SendError, match="another sender"):
            send_edition(store, "daily", DAY, mailer=mailer, settings=config, now=MORNING,
                         build=Builds(daily_briefing()))  # fmt: skip
        # A dead sender's lock (its pid is gone) is taken over.
        store.release_lock("send:daily-2026-11-24", owner)
        dead = f"{socket.gethostname()}:99999999:gone"
        assert store.acquire_lock("send:daily-2026-11-24", dead, now=datetime.now(UTC)) is None
        with SMTPMailer(config) as mailer:
            report = send_edition(store, "daily", DAY, mailer=mailer, settings=config,
                                  now=MORNING, build=Builds(daily_briefing()))  # fmt: skip
        assert report.sent == 1 and len(handler.messages) == 1


def test_editions_are_built_by_the_pipeline_by_default(store: Store) -> None:
    _subscribe(store, "day@example.org", Preferences())
    _subscribe(store, "week@example.org", Preferences(frequency="weekly"))
    with smtp_server() as (handler, port), SMTPMailer(settings(port)) as mailer:
        daily = send_edition(store, "daily", DAY, mailer=mailer, settings=settings(port),
                             now=MONDAY)  # fmt: skip
        weekly = send_edition(store, "weekly", DAY, mailer=mailer, settings=settings(port),
                              now=MONDAY)  # fmt: skip
    # An empty store makes editions without stories: nobody is sent an empty email.
    assert (daily.skipped, weekly.skipped) == (1, 1) and handler.messages == []
    assert store.get_edition("daily-2026-11-24") is not None
    assert store.get_edition("weekly-2026-W48") is not None
    with pytest.raises(EditionError, match="no monthly briefing builder"):
        default_builder("monthly")


def test_send_dry_run_prints_who_gets_what_and_sends_nothing(store: Store, store_url: str) -> None:
    _subscribe(store, "ann@example.org", Preferences(people=("Keir Starmer",)))
    _subscribe(store, "dan@example.org", Preferences(topics=("education",)))
    store.put_edition("daily-2026-11-24", "daily", briefing_to_json(daily_briefing()), MORNING)
    with smtp_server() as (handler, port):
        result = CliRunner().invoke(
            app,
            ["send", "--edition", "daily", "--date", "2026-11-24", "--dry-run",
             "--now", "2026-11-25T08:00:00+00:00"],
            env=env(port, store_url),
        )  # fmt: skip
        assert result.exit_code == 0, result.output
        assert handler.messages == []
    assert f"ann@example.org: 1 story: {HEADLINES[0]}" in result.stdout
    assert "dan@example.org: nothing matches (skipped)" in result.stdout
    assert store.outbox("daily-2026-11-24") == []  # a dry run writes nothing


def test_due_times_follow_each_subscribers_zone_and_the_calendar() -> None:
    london = Preferences(send_time=time(7))
    tokyo = Preferences(send_time=time(7), timezone="Asia/Tokyo")
    # The daily edition of 24 November goes out on the 25th at 07:00 local time.
    assert due_at(london, "daily", DAY) == datetime(2026, 11, 25, 7, 0, tzinfo=UTC)
    assert due_at(tokyo, "daily", DAY) == datetime(2026, 11, 24, 22, 0, tzinfo=UTC)
    # British Summer Time: 07:00 in London is 06:00 UTC.
    assert due_at(london, "daily", date(2026, 7, 1)) == datetime(2026, 7, 2, 6, 0, tzinfo=UTC)
    # The weekly edition of any day of ISO week 48 goes out on Monday 30 November.
    for day in (date(2026, 11, 23), date(2026, 11, 29)):
        assert due_at(london, "weekly", day) == datetime(2026, 11, 30, 7, 0, tzinfo=UTC)
    zone = ZoneInfo("Europe/London")
    assert latest_complete("daily", MORNING, zone) == DAY
    assert edition_id("weekly", latest_complete("weekly", MONDAY, zone)) == "weekly-2026-W48"
