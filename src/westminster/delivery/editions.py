"""Editions: their ids, which subscribers are due one, and building or reading one.

An edition id names the content, not a subscriber or a clock: "daily-2026-11-24" is the daily
briefing of the news of 24 November 2026 (UK politics' day, whatever the subscriber's time
zone) and "weekly-2026-W48" the weekly one of that ISO week (Monday to Sunday). An edition is
delivered once its period is over: the daily one at each subscriber's local send time on the
next day (the morning briefing), the weekly one at their send time on the Monday after. The
first `send` of an edition stores the briefing as built; every later run (after a crash, or
for subscribers whose morning comes later) sends that stored copy, so every subscriber gets
the same edition.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from westminster.delivery.edition_codec import briefing_from_json, briefing_to_json
from westminster.delivery.errors import EditionError
from westminster.models import Briefing, Preferences, Subscriber
from westminster.store import Store

EditionKind = Literal["daily", "weekly"]
EDITION_KINDS: tuple[EditionKind, ...] = ("daily", "weekly")

Builder = Callable[[Store, date, datetime], Briefing]


def edition_id(kind: str, day: date) -> str:
    """The deterministic id of an edition: daily-YYYY-MM-DD or weekly-YYYY-Www."""
    if kind == "daily":
        return f"daily-{day.isoformat()}"
    if kind == "weekly":
        year, week, _ = day.isocalendar()
        return f"weekly-{year}-W{week:02d}"
    raise EditionError(f"unknown edition kind {kind!r}", subject="edition", fix="daily or weekly")


def edition_start(kind: str, day: date) -> date:
    """The first day an edition covers: the day itself, or the Monday of its ISO week."""
    return day - timedelta(days=day.weekday()) if kind == "weekly" else day


def delivery_day(kind: str, day: date) -> date:
    """The day an edition goes out: the day after it (daily), the Monday after (weekly)."""
    return edition_start(kind, day) + timedelta(days=7 if kind == "weekly" else 1)


def due_at(preferences: Preferences, kind: str, day: date) -> datetime:
    """When (UTC) the subscriber's copy of the edition for `day` is due: their send time."""
    local = datetime.combine(delivery_day(kind, day), preferences.send_time)
    return local.replace(tzinfo=preferences.zone).astimezone(UTC)


def is_due(subscriber: Subscriber, kind: str, day: date, now: datetime) -> bool:
    """True for an active subscriber of this frequency whose local send time has passed."""
    return (
        subscriber.status == "active"
        and subscriber.preferences.frequency == kind
        and due_at(subscriber.preferences, kind, day) <= now
    )


def latest_complete(kind: str, now: datetime, zone: ZoneInfo) -> date:
    """The newest edition day whose period is over at `now` in `zone` (yesterday, last week)."""
    today = now.astimezone(zone).date()
    return today - timedelta(days=7 if kind == "weekly" else 1)


def load_or_build(
    store: Store, edition: str, kind: str, day: date, now: datetime, build: Builder
) -> Briefing:
    """The stored briefing of an edition, else one built now and stored (first build wins)."""
    stored = store.get_edition(edition)
    if stored is None:
        briefing = build(store, edition_start(kind, day), now)
        stored = store.put_edition(edition, kind, briefing_to_json(briefing), now)
    return briefing_from_json(stored)


def default_builder(kind: str) -> Builder:
    """The pipeline's builder for an edition kind (westminster.pipeline.briefs)."""
    # Looked up at run time: the builders live one layer down and may be absent (a
    # ModuleNotFoundError for the module itself is reported as a missing builder).
    try:
        briefs: object = importlib.import_module("westminster.pipeline.briefs")
    except ModuleNotFoundError as exc:
        if exc.name != "westminster.pipeline.briefs":
            raise
        briefs = None
    name = f"build_{kind}"
    function = getattr(briefs, name, None)
    if function is None:
        raise EditionError(
            f"no {kind} briefing builder (westminster.pipeline.briefs.{name}) is installed",
            subject="edition",
        )

    def build(store: Store, day: date, now: datetime) -> Briefing:
        briefing = function(store, day, now=now)
        if not isinstance(briefing, Briefing):
            raise EditionError(f"{name} did not return a Briefing", subject="edition")
        return briefing

    return build
