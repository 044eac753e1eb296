"""One stored article: its text, who is in it, what they said, its figures and its story."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Depends
from starlette.requests import Request
from starlette.responses import Response

from westminster.store import StoredArticle, StoreError
from westminster.web.context import WebContext, get_context
from westminster.web.errors import NotFound
from westminster.web.links import entity_url, story_url, topic_url
from westminster.web.routing import add_page
from westminster.web.views import (
    EntityRef,
    FigureView,
    QuoteView,
    figure_view,
    quote_view,
    safe_href,
    speaker_keys,
)


@dataclass(frozen=True)
class TopicRef:
    """A topic with its score and its page."""

    name: str
    score: float
    url: str


@dataclass(frozen=True)
class ArticlePage:
    """An article as stored, with its analysis."""

    id: str
    title: str
    outlet: str | None
    published: date | None
    author: str | None
    source_url: str | None  # the outlet's page (http(s) only)
    paragraphs: tuple[str, ...]
    summary: str
    people: tuple[EntityRef, ...]
    quotes: tuple[QuoteView, ...]
    figures: tuple[FigureView, ...]
    topics: tuple[TopicRef, ...]
    version: int
    first_seen: datetime
    duplicate_of: str | None = None
    rewrite_of: str | None = None
    story_id: str | None = None
    story_url: str | None = None


def story_id_of(ctx: WebContext, article_id: str) -> str | None:
    """The story an article belongs to, when the store knows stories."""
    story_of = getattr(ctx.store, "story_of", None)
    if story_of is None:
        return None
    try:
        found = story_of(article_id)
    except StoreError:
        return None
    return getattr(found, "id", found) if found is not None else None


def load_article(ctx: WebContext, article_id: str) -> StoredArticle:
    """The stored article; 404 in the one error shape when there is none."""
    try:
        return ctx.store.get_article(article_id)
    except StoreError:
        raise NotFound("no such article in the store", subject=article_id) from None


def article_page_of(ctx: WebContext, stored: StoredArticle) -> ArticlePage:
    """The page object of a stored article."""
    article, analysis = stored.article, stored.analysis
    people: tuple[EntityRef, ...] = ()
    quotes: tuple[QuoteView, ...] = ()
    figures: tuple[FigureView, ...] = ()
    topics: tuple[TopicRef, ...] = ()
    summary = ""
    if analysis is not None:
        keys = speaker_keys(analysis)
        people = tuple(
            EntityRef(e.key, e.name, e.kind, entity_url(e.key), e.offices, len(e.mentions))
            for e in sorted(analysis.entities, key=lambda e: -len(e.mentions))
            if e.kind in ("person", "organisation")
        )
        quotes = tuple(quote_view(q, keys) for q in analysis.quotes)
        figures = tuple(figure_view(f) for f in analysis.figures)
        topics = tuple(
            TopicRef(t.name, round(t.score, 3), topic_url(t.name)) for t in analysis.topics
        )
        summary = analysis.summary
    story_id = story_id_of(ctx, stored.id)
    return ArticlePage(
        id=stored.id,
        title=article.title,
        outlet=article.outlet,
        published=article.published,
        author=article.author,
        source_url=safe_href(article.url),
        paragraphs=tuple(article.paragraphs),
        summary=summary,
        people=people,
        quotes=quotes,
        figures=figures,
        topics=topics,
        version=stored.version,
        first_seen=stored.first_seen,
        duplicate_of=stored.duplicate_of,
        rewrite_of=stored.rewrite_of,
        story_id=story_id,
        story_url=story_url(story_id) if story_id else None,
    )


def article_page(
    request: Request, article_id: str, ctx: Annotated[WebContext, Depends(get_context)]
) -> Response:
    """One article with its analysis: people, quotes with speakers, figures, topics, story."""
    page = article_page_of(ctx, load_article(ctx, article_id))
    return ctx.renderer.page(request, "article.html", page)


router = APIRouter(tags=["articles"])
add_page(
    router,
    "/articles/{article_id}",
    article_page,
    name="article",
    summary="One article",
    model=ArticlePage,
)
