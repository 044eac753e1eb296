"""Stories: the list, newest first, and one story with its summary, timeline and sources."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from westminster.models import Story
from westminster.store import StoreError
from westminster.web.context import WebContext, get_context
from westminster.web.errors import NotFound
from westminster.web.insights import StoryRef, story_ref, story_summary
from westminster.web.links import article_url, entity_url, story_url, topic_url
from westminster.web.pages.params import text_param
from westminster.web.render import JSON_SUFFIX, query_url
from westminster.web.routing import add_page
from westminster.web.storyviews import (
    Citation,
    CoverageDay,
    citations,
    story_coverage,
    story_figures,
    story_quotes,
    story_sources,
)
from westminster.web.views import (
    EntityRef,
    FigureView,
    QuoteView,
    SourceView,
    coverage_chart,
    safe_href,
)

PAGE_SIZE = 25
MAX_PAGE = 400


@dataclass(frozen=True)
class DevelopmentView:
    """One article of a story's timeline and what it added."""

    article_id: str
    title: str
    outlet: str | None
    published: date | None
    added_at: datetime
    url: str
    source_url: str | None
    independent: bool
    copy_of: str | None
    new_people: tuple[str, ...]
    new_figures: tuple[str, ...]
    new_quotes: tuple[str, ...]


@dataclass(frozen=True)
class StoryPage:
    """One story: cited summary, timeline, sources, quotes with speakers, figures, people."""

    id: str
    headline: str
    url: str
    first_seen: datetime
    last_updated: datetime
    outlets: tuple[str, ...]
    independent_articles: int
    articles: int
    summary: tuple[Citation, ...]
    timeline: tuple[DevelopmentView, ...]
    sources: tuple[SourceView, ...]
    quotes: tuple[QuoteView, ...]
    figures: tuple[FigureView, ...]
    people: tuple[EntityRef, ...]
    topics: tuple[str, ...]
    coverage: tuple[CoverageDay, ...]
    merged_from: tuple[str, ...] = ()


@dataclass(frozen=True)
class StoriesPage:
    """A page of stories, most recently updated first."""

    stories: tuple[StoryRef, ...]
    page: int
    person: str | None = None
    topic: str | None = None
    next_url: str | None = None
    prev_url: str | None = None


def load_story(ctx: WebContext, story_id: str) -> Story:
    """The story (a merged id gives the survivor); 404 in the one error shape when unknown."""
    try:
        return ctx.store.get_story(story_id)
    except StoreError:
        raise NotFound("no such story in the store", subject=story_id) from None


def story_page_of(ctx: WebContext, story: Story) -> StoryPage:
    """The page object of a story."""
    sources = list(story_sources(story))
    summary = citations(story_summary(ctx, story), sources)
    timeline = tuple(
        DevelopmentView(
            d.article_id,
            d.title,
            d.outlet,
            d.published,
            d.added_at,
            article_url(d.article_id),
            safe_href(d.url),
            d.independent,
            d.copy_of,
            d.new_people,
            d.new_figures,
            d.new_quotes,
        )
        for d in story.articles
    )
    return StoryPage(
        id=story.id,
        headline=story.headline,
        url=story_url(story.id),
        first_seen=story.first_seen,
        last_updated=story.last_updated,
        outlets=story.outlets,
        independent_articles=story.independent_articles,
        articles=len(story.articles),
        summary=summary,
        timeline=timeline,
        sources=tuple(sources),
        quotes=story_quotes(story),
        figures=story_figures(story),
        people=tuple(
            EntityRef(p.key, p.name, p.kind, entity_url(p.key), articles=p.articles)
            for p in story.people
        ),
        topics=story.topics,
        coverage=story_coverage(story),
        merged_from=story.merged_from,
    )


def story_page(
    request: Request, story_id: str, ctx: Annotated[WebContext, Depends(get_context)]
) -> Response:
    """One story: summary with citations, timeline of developments, sources, quotes, figures."""
    story = load_story(ctx, story_id)
    if story.id != story_id:
        # A merged story's id leads to the story it became part of, for good.
        suffix = JSON_SUFFIX if request.url.path.endswith(JSON_SUFFIX) else ""
        return RedirectResponse(story_url(story.id) + suffix, status_code=301)
    page = story_page_of(ctx, story)
    chart = coverage_chart([(c.day, c.articles, c.outlets) for c in page.coverage])
    return ctx.renderer.page(request, "story.html", page, extra={"chart": chart})


def stories_page(
    request: Request,
    ctx: Annotated[WebContext, Depends(get_context)],
    person: Annotated[str | None, Query(description="Only stories with this entity")] = None,
    topic: Annotated[str | None, Query(description="Only stories with this topic")] = None,
    page: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 1,
) -> Response:
    """Stories, most recently updated first, optionally with a person or topic."""
    who, what = text_param(person, "person"), text_param(topic, "topic")
    found = ctx.store.stories(
        person=who, topic=what, limit=PAGE_SIZE + 1, offset=(page - 1) * PAGE_SIZE
    )
    params: dict[str, object] = {"person": who, "topic": what}
    listing = StoriesPage(
        stories=tuple(story_ref(s) for s in found[:PAGE_SIZE]),
        page=page,
        person=who,
        topic=what,
        next_url=query_url("/stories", {**params, "page": page + 1})
        if len(found) > PAGE_SIZE
        else None,
        prev_url=query_url("/stories", {**params, "page": page - 1 if page > 2 else None})
        if page > 1
        else None,
    )
    return ctx.renderer.page(request, "stories.html", listing, extra={"topic_url": topic_url})


router = APIRouter(tags=["stories"])
add_page(router, "/stories", stories_page, name="stories", summary="Stories", model=StoriesPage)
add_page(
    router, "/stories/{story_id}", story_page, name="story", summary="One story", model=StoryPage
)
