"""Today: the day's stories ranked, each with its independent outlets and a coverage chart."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from starlette.requests import Request
from starlette.responses import Response

from westminster.models import Briefing, BriefingItem, Story
from westminster.store import StoreError
from westminster.web.context import WebContext, get_context
from westminster.web.insights import daily_briefing, latest_day
from westminster.web.links import story_url, topic_url
from westminster.web.pages.params import day_param
from westminster.web.render import query_url
from westminster.web.routing import add_page
from westminster.web.storyviews import (
    Citation,
    CoverageDay,
    briefing_figure,
    briefing_quote,
    citations,
    source_of_ref,
    story_coverage,
)
from westminster.web.views import Chart, FigureView, QuoteView, SourceView, coverage_chart

# Days of coverage in each story's chart, ending on the page's day.
CHART_DAYS = 14


@dataclass(frozen=True)
class TodayItem:
    """One ranked story of the day."""

    rank: int
    story_id: str
    url: str
    headline: str
    outlets: int  # independent outlets on the day
    total_outlets: int  # independent outlets over the whole story
    score: float
    summary: tuple[Citation, ...]
    sources: tuple[SourceView, ...]
    quotes: tuple[QuoteView, ...]
    figures: tuple[FigureView, ...]
    topics: tuple[str, ...]
    signals: dict[str, float]
    coverage: tuple[CoverageDay, ...]
    new: bool = False


@dataclass(frozen=True)
class TodayPage:
    """The day's ranked stories (the latest day with coverage when the asked day has none)."""

    day: date
    title: str
    generated_at: datetime
    items: tuple[TodayItem, ...]
    asked: date | None = None
    note: str | None = None
    previous_url: str | None = None
    next_url: str | None = None


def _item(ctx: WebContext, rank: int, item: BriefingItem, day: date) -> TodayItem:
    sources = [source_of_ref(ref) for ref in item.sources]
    summary = citations(item.summary, sources)
    try:
        story: Story | None = ctx.store.get_story(item.story_id)
    except StoreError:
        story = None
    coverage = story_coverage(story, last=day, days=CHART_DAYS) if story is not None else ()
    return TodayItem(
        rank=rank,
        story_id=item.story_id,
        url=story_url(item.story_id),
        headline=item.headline,
        outlets=item.outlets,
        total_outlets=len(story.outlets) if story is not None else item.outlets,
        score=item.score,
        summary=summary,
        sources=tuple(sources),
        quotes=tuple(briefing_quote(q) for q in item.quotes),
        figures=tuple(briefing_figure(f) for f in item.figures),
        topics=item.topics,
        signals=dict(item.signals),
        coverage=coverage,
        new=item.new_since_last,
    )


def today_of(ctx: WebContext, asked: date | None) -> TodayPage:
    """The page for a day (today by default), or the latest day with stories before it."""
    now = ctx.clock()
    day = asked or now.date()
    briefing: Briefing = daily_briefing(ctx, day, now)
    note = None
    if not briefing.items:
        latest = latest_day(ctx, day)
        if latest is not None and latest != day:
            briefing = daily_briefing(ctx, latest, now)
            note = (
                f"No stories on {day.strftime('%d %B %Y').lstrip('0')}; "
                f"showing the latest day with coverage."
            )
            day = latest
    items = tuple(_item(ctx, rank, item, day) for rank, item in enumerate(briefing.items, 1))
    return TodayPage(
        day=day,
        title=briefing.title,
        generated_at=briefing.generated_at,
        items=items,
        asked=asked,
        note=note,
        previous_url=query_url("/", {"day": day - timedelta(days=1)}),
        next_url=query_url("/", {"day": day + timedelta(days=1)}) if day < now.date() else None,
    )


def today_page(
    request: Request,
    ctx: Annotated[WebContext, Depends(get_context)],
    day: Annotated[str | None, Query(description="The day (YYYY-MM-DD); default today")] = None,
) -> Response:
    """The day's stories ranked by independent coverage, momentum, novelty and weight."""
    page = today_of(ctx, day_param(day, "day"))
    charts: dict[str, Chart] = {
        item.story_id: coverage_chart([(c.day, c.articles, c.outlets) for c in item.coverage])
        for item in page.items
    }
    return ctx.renderer.page(
        request, "today.html", page, extra={"charts": charts, "topic_url": topic_url}
    )


router = APIRouter(tags=["stories"])
add_page(
    router,
    "/today",
    today_page,
    name="today",
    summary="Today's ranked stories",
    model=TodayPage,
    aliases=("/",),
)
