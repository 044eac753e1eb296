"""Atom and RSS feeds: latest stories, a person's or organisation's record, a topic's stories."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path
from starlette.requests import Request
from starlette.responses import Response

from westminster.store import StoreError
from westminster.web.context import WebContext, get_context
from westminster.web.feedxml import ATOM_TYPE, RSS_TYPE, Feed, FeedEntry, atom, rss
from westminster.web.insights import StoryRef, stories_about, story_ref
from westminster.web.links import KIND_BY_PATH, article_url, entity_url, topic_url
from westminster.web.pages.entities import entity_page_of
from westminster.web.pages.topics import topic_page_of

FEED_ENTRIES = 50
# Feed readers poll; a few minutes of caching spares the store without delaying news much.
FEED_MAX_AGE_S = 300
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _absolute(request: Request, path: str) -> str:
    return str(request.base_url).rstrip("/") + path


def _story_entries(request: Request, stories: Iterable[StoryRef]) -> list[FeedEntry]:
    return [
        FeedEntry(
            id=f"tag:westminster,2024:story:{s.id}",
            title=s.headline,
            url=_absolute(request, s.url),
            updated=s.last_updated,
            summary=f"{s.outlets} independent outlets, {s.articles} articles.",
        )
        for s in stories
    ]


def _feed(
    request: Request, title: str, page_path: str, entries: list[FeedEntry], fmt: str
) -> Response:
    entries.sort(key=lambda e: e.updated, reverse=True)
    entries = entries[:FEED_ENTRIES]
    feed = Feed(
        id=_absolute(request, request.url.path),
        title=title,
        self_url=_absolute(request, request.url.path),
        page_url=_absolute(request, page_path),
        updated=entries[0].updated if entries else _EPOCH,
        entries=tuple(entries),
    )
    headers = {"Cache-Control": f"public, max-age={FEED_MAX_AGE_S}"}
    if fmt == "rss":
        return Response(rss(feed), media_type=RSS_TYPE, headers=headers)
    return Response(atom(feed), media_type=ATOM_TYPE, headers=headers)


Fmt = Annotated[str, Path(pattern="^(atom|rss)$", description="atom or rss")]
Ctx = Annotated[WebContext, Depends(get_context)]


def stories_feed(request: Request, fmt: Fmt, ctx: Ctx) -> Response:
    """The latest stories as a feed."""
    try:
        found = ctx.store.stories(limit=FEED_ENTRIES)
    except StoreError:
        found = []
    entries = _story_entries(request, (story_ref(s) for s in found))
    return _feed(request, "Westminster Insights: latest stories", "/stories", entries, fmt)


def entity_feed(
    request: Request,
    segment: Annotated[str, Path(pattern="^(people|organisations)$")],
    slug: Annotated[str, Path(max_length=200)],
    fmt: Fmt,
    ctx: Ctx,
) -> Response:
    """A person's or organisation's feed: their stories and what they said."""
    page = entity_page_of(ctx, KIND_BY_PATH[segment], slug)
    entries = _story_entries(request, page.stories)
    for q in page.said:
        published = q.published or _EPOCH.date()
        entries.append(
            FeedEntry(
                id=f"tag:westminster,2024:quote:{q.article_id}:{_digest(q.text)}",
                title=f"{q.speaker}: {q.text[:120]}" + ("…" if len(q.text) > 120 else ""),
                url=_absolute(request, article_url(q.article_id or "")),
                updated=datetime.combine(published, datetime.min.time(), tzinfo=UTC),
                summary=f"{q.text} ({q.outlet or 'unknown outlet'}: {q.title or ''})",
                author=q.speaker or None,
            )
        )
    path = entity_url(page.key) or "/"
    return _feed(request, f"Westminster Insights: {page.name}", path, entries, fmt)


def topic_feed(
    request: Request,
    name: Annotated[str, Path(max_length=100)],
    fmt: Fmt,
    ctx: Ctx,
) -> Response:
    """A topic's stories as a feed."""
    page = topic_page_of(ctx, name)
    entries = _story_entries(request, stories_about(ctx, topic=name))
    return _feed(request, f"Westminster Insights: {page.name}", topic_url(name), entries, fmt)


router = APIRouter(tags=["feeds"])
_FEED_DOC: dict[int | str, dict[str, Any]] = {
    "200": {"content": {ATOM_TYPE: {}, RSS_TYPE: {}}, "description": "The feed"}
}
router.add_api_route(
    "/feeds/stories.{fmt}", stories_feed, methods=["GET"], summary="Latest stories (Atom/RSS)",
    response_class=Response, responses=_FEED_DOC,
)  # fmt: skip
router.add_api_route(
    "/feeds/topics/{name}.{fmt}", topic_feed, methods=["GET"], summary="A topic (Atom/RSS)",
    response_class=Response, responses=_FEED_DOC,
)  # fmt: skip
router.add_api_route(
    "/feeds/{segment}/{slug}.{fmt}", entity_feed, methods=["GET"],
    summary="A person or organisation (Atom/RSS)", response_class=Response, responses=_FEED_DOC,
)  # fmt: skip
