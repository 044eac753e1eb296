"""A topic: its stories, coverage over time, what was said and the figures in its coverage."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, Path
from starlette.requests import Request
from starlette.responses import Response

from westminster.web.context import WebContext, get_context
from westminster.web.errors import NotFound
from westminster.web.insights import StoryRef, insights_for, stories_about
from westminster.web.links import topic_url
from westminster.web.pages.subscribe import topic_names
from westminster.web.routing import add_page
from westminster.web.storyviews import (
    CoverageDay,
    briefing_figure,
    briefing_quote,
    trimmed_coverage,
)
from westminster.web.views import FigureView, QuoteView, coverage_chart

QUOTES_SHOWN = 30


@dataclass(frozen=True)
class TopicPage:
    """One policy topic."""

    name: str
    url: str
    feed_url: str
    stories: tuple[StoryRef, ...] = ()
    coverage: tuple[CoverageDay, ...] = ()
    quotes: tuple[QuoteView, ...] = ()
    figures: tuple[FigureView, ...] = ()


def topic_page_of(ctx: WebContext, name: str) -> TopicPage:
    """The page of a topic; 404 when the taxonomy does not know it and no story has it."""
    stories = stories_about(ctx, topic=name)
    known = name in topic_names()
    if not known and not stories:
        raise NotFound("no such topic", subject=name, fix="see the topics on an article's page")
    briefing = insights_for(ctx, name, topic=True)
    return TopicPage(
        name=name,
        url=topic_url(name),
        feed_url=f"/feeds/topics/{name}.atom",
        stories=stories,
        coverage=trimmed_coverage(briefing) if briefing else (),
        quotes=tuple(briefing_quote(q) for q in briefing.quote_history[:QUOTES_SHOWN])
        if briefing
        else (),
        figures=tuple(briefing_figure(f) for f in briefing.figures) if briefing else (),
    )


def topic_page(
    request: Request,
    name: Annotated[str, Path(description='Topic name, e.g. "defence"', max_length=100)],
    ctx: Annotated[WebContext, Depends(get_context)],
) -> Response:
    """A policy topic: its stories, coverage over time, quotes and figures."""
    page = topic_page_of(ctx, name)
    chart = coverage_chart([(c.day, c.articles, c.outlets) for c in page.coverage])
    return ctx.renderer.page(request, "topic.html", page, extra={"chart": chart})


router = APIRouter(tags=["topics"])
add_page(router, "/topics/{name}", topic_page, name="topic", summary="A topic", model=TopicPage)
