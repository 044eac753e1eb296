"""Full-text search with facets: outlet, month, person, topic."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from starlette.requests import Request
from starlette.responses import Response

from westminster.store import SearchHit, StoreError
from westminster.web.context import WebContext, get_context
from westminster.web.errors import WebError
from westminster.web.links import article_url
from westminster.web.pages.params import day_param, text_param
from westminster.web.render import query_url
from westminster.web.routing import add_page

PAGE_SIZE = 20
MAX_PAGE = 50  # 1,000 results: past that, narrow the search
# Hits the outlet and month facets are counted over: the best matches, not every match. The
# store makes a snippet for every hit it returns; on the 5,000-article store of
# benchmarks/serve_load.py a search for 100 hits took 11 ms against 2.4 ms for one page of 21,
# so the sample is kept to a few pages.
FACET_SAMPLE = 50
FACET_VALUES = 8  # values shown per facet, most frequent first


@dataclass(frozen=True)
class SearchQuery:
    """The search as asked (empty filters are None)."""

    q: str
    outlet: str | None = None
    since: date | None = None
    until: date | None = None
    person: str | None = None
    topic: str | None = None
    page: int = 1


@dataclass(frozen=True)
class FacetValue:
    """One value of a facet, how many results carry it, and the URL that applies it."""

    value: str
    label: str
    count: int
    url: str


@dataclass(frozen=True)
class Facets:
    """Counts over the best matches: outlets and months; people and topics of this page."""

    outlet: tuple[FacetValue, ...] = ()
    month: tuple[FacetValue, ...] = ()
    person: tuple[FacetValue, ...] = ()
    topic: tuple[FacetValue, ...] = ()


@dataclass(frozen=True)
class SearchResult:
    """One matching article (matched words in the snippet are in [brackets])."""

    id: str
    title: str
    outlet: str | None
    published: date | None
    snippet: str
    rank: float
    url: str


@dataclass(frozen=True)
class SearchPage:
    """A page of results, its facets and whether more pages follow."""

    query: SearchQuery
    results: tuple[SearchResult, ...] = ()
    facets: Facets = Facets()
    has_more: bool = False
    next_url: str | None = None
    prev_url: str | None = None


def _params(query: SearchQuery, **changes: object) -> dict[str, object]:
    values: dict[str, object] = {
        "q": query.q,
        "outlet": query.outlet,
        "since": query.since,
        "until": query.until,
        "person": query.person,
        "topic": query.topic,
    }
    values.update(changes)
    return values


def _month_bounds(month: str) -> tuple[date, date]:
    first = date.fromisoformat(month + "-01")
    following = (first + timedelta(days=32)).replace(day=1)
    return first, following - timedelta(days=1)


def _facets(
    ctx: WebContext, query: SearchQuery, sample: list[SearchHit], page_ids: list[str]
) -> Facets:
    outlets = Counter(hit.outlet for hit in sample if hit.outlet)
    months = Counter(hit.published.strftime("%Y-%m") for hit in sample if hit.published)
    people: Counter[tuple[str, str]] = Counter()
    topics: Counter[str] = Counter()
    for article_id in page_ids:
        analysis = ctx.store.get_article(article_id).analysis
        if analysis is None:
            continue
        for entity in analysis.entities:
            if entity.kind in ("person", "organisation") and entity.key:
                people[(entity.key, entity.name)] += 1
        topics.update(topic.name for topic in analysis.topics)
    path = "/search"
    month_values = []
    for month, count in sorted(months.items(), reverse=True)[:FACET_VALUES]:
        first, last = _month_bounds(month)
        url = query_url(path, _params(query, since=first, until=last))
        month_values.append(
            FacetValue(month, date.fromisoformat(month + "-01").strftime("%b %Y"), count, url)
        )
    return Facets(
        outlet=tuple(
            FacetValue(name, name, count, query_url(path, _params(query, outlet=name)))
            for name, count in outlets.most_common(FACET_VALUES)
        ),
        month=tuple(month_values),
        person=tuple(
            FacetValue(key, name, count, query_url(path, _params(query, person=key)))
            for (key, name), count in people.most_common(FACET_VALUES)
        ),
        topic=tuple(
            FacetValue(name, name, count, query_url(path, _params(query, topic=name)))
            for name, count in topics.most_common(FACET_VALUES)
        ),
    )


def run_search(ctx: WebContext, query: SearchQuery) -> SearchPage:
    """The results page for a query (an empty query gives an empty page, not an error)."""
    if not query.q:
        return SearchPage(query=query)
    wanted = query.page * PAGE_SIZE + 1
    try:
        hits = ctx.store.search(
            query.q,
            outlet=query.outlet,
            since=query.since,
            until=query.until,
            person=query.person,
            topic=query.topic,
            limit=max(wanted, FACET_SAMPLE),
        )
    except StoreError as exc:
        raise WebError(exc.message, subject="q", status=422, fix="search for words") from None
    start = (query.page - 1) * PAGE_SIZE
    page_hits = hits[start : start + PAGE_SIZE]
    has_more = len(hits) > start + PAGE_SIZE
    results = tuple(
        SearchResult(
            h.id, h.title, h.outlet, h.published, h.snippet, round(h.rank, 4), article_url(h.id)
        )
        for h in page_hits
    )
    facets = _facets(ctx, query, hits[:FACET_SAMPLE], [h.id for h in page_hits])
    next_url = query_url("/search", _params(query, page=query.page + 1)) if has_more else None
    prev_url = None
    if query.page > 1:
        prev_url = query_url(
            "/search", _params(query, page=query.page - 1 if query.page > 2 else None)
        )
    return SearchPage(query, results, facets, has_more, next_url, prev_url)


def search_page(
    request: Request,
    ctx: Annotated[WebContext, Depends(get_context)],
    q: Annotated[
        str | None, Query(description='Words and "quoted phrases"; all must match')
    ] = None,
    outlet: Annotated[str | None, Query(description="Only this outlet")] = None,
    since: Annotated[str | None, Query(description="Published on or after (YYYY-MM-DD)")] = None,
    until: Annotated[str | None, Query(description="Published on or before (YYYY-MM-DD)")] = None,
    person: Annotated[str | None, Query(description="Entity key or name found by analysis")] = None,
    topic: Annotated[str | None, Query(description="Topic name")] = None,
    page: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 1,
) -> Response:
    """Full-text search over headlines, texts and quotes, best match first, with facets."""
    query = SearchQuery(
        q=text_param(q, "q") or "",
        outlet=text_param(outlet, "outlet"),
        since=day_param(since, "since"),
        until=day_param(until, "until"),
        person=text_param(person, "person"),
        topic=text_param(topic, "topic"),
        page=page,
    )
    return ctx.renderer.page(request, "search.html", run_search(ctx, query))


router = APIRouter(tags=["search"])
add_page(router, "/search", search_page, name="search", summary="Search articles", model=SearchPage)
