"""Stories and briefings as the pages need them, from the store and the briefing pipeline.

Building a briefing reads and parses articles (a sentence splitter over each summarised
story), so the day's briefing and each story's summary are kept for a short while: an analyst
reloading the page, or many readers at once, cost one build.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, TypeVar

from westminster.briefings import BriefingError
from westminster.models import Briefing, CitedSentence, Story
from westminster.pipeline import briefs
from westminster.pipeline.briefs import BriefOptions, build_daily, build_insights
from westminster.store import StoreError
from westminster.web.context import WebContext
from westminster.web.links import story_url
from westminster.web.storyviews import development_day

# Stories listed on a person's or topic's page, newest first.
STORIES_SHOWN = 20
# Insights cover this many days back from today: long enough for a record of what someone
# said and how their coverage moved, short enough to build on a page view.
INSIGHTS_DAYS = 3 * 365
# Stories looked at to find the latest day with coverage (most recently updated first).
LATEST_DAY_SCAN = 50
# Seconds a built briefing or summary is reused. New articles arrive every few minutes at
# most (watch polls feeds every 15 minutes by default), so a minute's delay is invisible.
CACHE_TTL_S = 60.0
CACHE_ENTRIES = 256

T = TypeVar("T")


class TTLCache:
    """A small thread-safe cache of values that expire after a fixed time."""

    def __init__(self, ttl_s: float = CACHE_TTL_S, size: int = CACHE_ENTRIES) -> None:
        self.ttl_s = ttl_s
        self.size = size
        self._items: OrderedDict[object, tuple[float, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: object, build: Callable[[], T]) -> T:
        """The cached value for `key`, built (outside the lock) when missing or expired."""
        now = time.monotonic()
        with self._lock:
            found = self._items.get(key)
            if found is not None and now - found[0] < self.ttl_s:
                value: T = found[1]
                return value
        value = build()
        with self._lock:
            self._items[key] = (now, value)
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return value


@dataclass(frozen=True)
class StoryRef:
    """A story in a list: headline, independent outlets, articles and times."""

    id: str
    headline: str
    url: str
    outlets: int
    articles: int
    first_seen: datetime
    last_updated: datetime


def story_ref(story: Story) -> StoryRef:
    """A story as listed."""
    return StoryRef(
        id=story.id,
        headline=story.headline,
        url=story_url(story.id),
        outlets=len(story.outlets),
        articles=len(story.articles),
        first_seen=story.first_seen,
        last_updated=story.last_updated,
    )


def _cache(ctx: WebContext) -> TTLCache:
    cache = ctx.extras.get("briefings")
    if cache is None:
        cache = ctx.extras.setdefault("briefings", TTLCache())
    assert isinstance(cache, TTLCache)
    return cache


def brief_options(ctx: WebContext) -> BriefOptions:
    """Extractive summaries only: a page view never waits on a remote language model."""
    return BriefOptions(data_dir=ctx.config.data_dir)


def stories_about(
    ctx: WebContext, *, person: str | None = None, topic: str | None = None
) -> tuple[StoryRef, ...]:
    """Stories with a person or topic, most recently updated first."""
    return tuple(
        story_ref(s) for s in ctx.store.stories(person=person, topic=topic, limit=STORIES_SHOWN)
    )


def insights_for(ctx: WebContext, subject: str, *, topic: bool = False) -> Briefing | None:
    """The Insights briefing of an entity key or topic (None when the store does not know it).

    Built without recording it: looking at a page must not change what the next emailed
    Insights calls new.
    """
    now = ctx.clock()
    until = now.date()
    since: date = until - timedelta(days=INSIGHTS_DAYS)

    def build() -> Briefing | None:
        try:
            return build_insights(
                ctx.store, subject, since=since, until=until, now=now,
                hint="topic" if topic else "entity", record=False, options=brief_options(ctx),
            )  # fmt: skip
        except (BriefingError, StoreError):
            return None

    return _cache(ctx).get(("insights", subject, topic, until), build)


def daily_briefing(ctx: WebContext, day: date, now: datetime) -> Briefing:
    """The day's "Westminster Update" (ranked stories with cited summaries)."""
    return _cache(ctx).get(
        ("daily", day), lambda: build_daily(ctx.store, day, now=now, options=brief_options(ctx))
    )


def story_summary(ctx: WebContext, story: Story) -> tuple[CitedSentence, ...]:
    """A story's two or three cited sentences across its articles (the briefings' summariser)."""

    def build() -> tuple[CitedSentence, ...]:
        # The briefing pipeline's per-briefing article reader; one per summary here.
        articles = briefs.ArticleReader(ctx.store)
        return briefs.story_summary(story, story.articles, articles, brief_options(ctx))

    return _cache(ctx).get(("summary", story.id, story.last_updated, len(story.articles)), build)


def latest_day(ctx: WebContext, on_or_before: date) -> date | None:
    """The latest day, not after the given one, on which some story had an article."""
    best: date | None = None
    for story in ctx.store.stories(limit=LATEST_DAY_SCAN):
        for development in story.articles:
            day = development_day(development)
            if day <= on_or_before and (best is None or day > best):
                best = day
    return best
