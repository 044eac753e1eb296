"""A person or organisation: offices held, what they said over time, who they appear with."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Path
from starlette.requests import Request
from starlette.responses import Response

from westminster.models import Briefing
from westminster.models.keys import slugify
from westminster.store import StoreError
from westminster.web.context import WebContext, get_context
from westminster.web.errors import NotFound
from westminster.web.insights import StoryRef, insights_for, stories_about
from westminster.web.links import ENTITY_PATHS, KIND_BY_PATH, article_url
from westminster.web.render import query_url
from westminster.web.routing import add_page
from westminster.web.storyviews import CoverageDay, quote_hit_view, trimmed_coverage
from westminster.web.views import (
    EntityRef,
    FigureView,
    QuoteView,
    coverage_chart,
)

# Most quotes listed on a person's page (newest first; the quote search finds older ones).
QUOTES_SHOWN = 50
APPEARED_WITH_SHOWN = 15


@dataclass(frozen=True)
class OfficeHeld:
    """One office a person held, from `start` to `end` (None: still in office)."""

    office_id: str
    title: str
    start: date
    end: date | None


@dataclass(frozen=True)
class EntityPage:
    """Everything known about one person or organisation."""

    key: str
    name: str
    kind: str
    url: str
    feed_url: str
    offices: tuple[OfficeHeld, ...] = ()
    said: tuple[QuoteView, ...] = ()
    appeared_with: tuple[EntityRef, ...] = ()
    coverage: tuple[CoverageDay, ...] = ()
    figures: tuple[FigureView, ...] = ()
    stories: tuple[StoryRef, ...] = ()


def offices_held(ctx: WebContext, slug: str) -> tuple[tuple[OfficeHeld, ...], str | None]:
    """The offices a person with this slug held (newest first), and the table's name for them."""
    table = ctx.offices
    held = [h for h in table.holdings if slugify(h.person) == slug]
    held.sort(key=lambda h: h.start, reverse=True)
    rows = tuple(
        OfficeHeld(
            h.office_id,
            table.offices[h.office_id].title if h.office_id in table.offices else h.office_id,
            h.start,
            h.end,
        )
        for h in held
    )
    return rows, (held[0].person if held else None)


def _said(ctx: WebContext, key: str) -> tuple[QuoteView, ...]:
    try:
        hits = ctx.store.quotes_by(key)
    except StoreError:
        return ()
    return tuple(quote_hit_view(h) for h in hits[:QUOTES_SHOWN])


def _from_briefing(briefing: Briefing | None) -> dict[str, object]:
    if briefing is None:
        return {}
    return {
        "appeared_with": tuple(
            EntityRef(
                key="",
                name=name,
                kind="",
                url=query_url("/stories", {"person": name}),
                articles=count,
            )
            for name, count in briefing.appeared_with[:APPEARED_WITH_SHOWN]
        ),
        "coverage": trimmed_coverage(briefing),
        "figures": tuple(
            FigureView(
                f.text,
                f.kind,
                f.value,
                f.unit,
                article_id=f.source.article_id,
                article_url=article_url(f.source.article_id),
            )
            for f in briefing.figures
        ),
    }


def entity_page_of(ctx: WebContext, kind: str, slug: str) -> EntityPage:
    """The page of the entity `kind:slug`; 404 when neither the store nor the table knows it."""
    key = f"{kind}:{slug}"
    offices, table_name = offices_held(ctx, slug) if kind == "person" else ((), None)
    said = _said(ctx, key)
    briefing = insights_for(ctx, key)
    stories = stories_about(ctx, person=key)
    name = (
        (said[0].speaker if said else None)
        or (briefing.subject_name if briefing is not None else None)
        or table_name
    )
    known = bool(offices or said or stories or (briefing is not None and briefing.coverage))
    if not known or not name:
        raise NotFound(
            f"no {kind} with this key in the store or the office table",
            subject=key,
            fix="search for the name instead",
        )
    segment = ENTITY_PATHS[kind]
    return EntityPage(
        key=key,
        name=name,
        kind=kind,
        url=f"/{segment}/{slug}",
        feed_url=f"/feeds/{segment}/{slug}.atom",
        offices=offices,
        said=said,
        stories=stories,
        **_from_briefing(briefing),  # type: ignore[arg-type]
    )


def _entity_response(request: Request, ctx: WebContext, segment: str, slug: str) -> Response:
    page = entity_page_of(ctx, KIND_BY_PATH[segment], slug)
    chart = coverage_chart([(c.day, c.articles, c.outlets) for c in page.coverage])
    return ctx.renderer.page(request, "entity.html", page, extra={"chart": chart})


Slug = Annotated[str, Path(description='Slug of the name, e.g. "keir-starmer"', max_length=200)]


def person_page(
    request: Request, slug: Slug, ctx: Annotated[WebContext, Depends(get_context)]
) -> Response:
    """A person: offices held with dates, quotes over time, who they appear with, coverage."""
    return _entity_response(request, ctx, "people", slug)


def organisation_page(
    request: Request, slug: Slug, ctx: Annotated[WebContext, Depends(get_context)]
) -> Response:
    """An organisation: what it said, who it appears with, its coverage over time."""
    return _entity_response(request, ctx, "organisations", slug)


router = APIRouter(tags=["people and organisations"])
add_page(router, "/people/{slug}", person_page, name="person", summary="A person", model=EntityPage)
add_page(
    router,
    "/organisations/{slug}",
    organisation_page,
    name="organisation",
    summary="An organisation",
    model=EntityPage,
)
