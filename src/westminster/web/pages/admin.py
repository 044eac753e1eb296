"""The admin area: sources, subscribers, rejections and runs, behind HTTP Basic authentication."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from westminster.web.context import WebContext, get_context
from westminster.web.errors import ErrorBody, NotFound
from westminster.web.forms import read_body
from westminster.web.render import json_response, wants_json
from westminster.web.routing import add_page

# Rows shown per admin table, newest first.
ROWS_SHOWN = 200
RUNS_SHOWN = 50


def require_admin(request: Request, ctx: Annotated[WebContext, Depends(get_context)]) -> str:
    """The signed-in admin's name; 403 when the area is off, 401 without valid credentials."""
    return ctx.gate.check(request)


@dataclass(frozen=True)
class SourceRow:
    """A source `westminster watch` polls."""

    url: str
    interval_s: float


@dataclass(frozen=True)
class SubscriberRow:
    """A subscriber as the admin sees it."""

    id: int
    email: str
    status: str
    frequency: str
    follows: str
    created_at: datetime
    confirmed_at: datetime | None
    paused_reason: str | None


@dataclass(frozen=True)
class RejectionRow:
    """A recorded rejection."""

    run_id: int
    stage: str
    code: str
    detail: str
    input: str
    recorded_at: datetime


@dataclass(frozen=True)
class RunRow:
    """A recorded run with its counts."""

    id: int
    kind: str
    started_at: datetime
    finished_at: datetime | None
    counts: dict[str, int]


@dataclass(frozen=True)
class AdminPage:
    """One admin section (the others are empty)."""

    section: str  # "overview" | "sources" | "subscribers" | "rejections" | "runs"
    user: str
    sources: tuple[SourceRow, ...] = ()
    subscribers: tuple[SubscriberRow, ...] = ()
    rejections: tuple[RejectionRow, ...] = ()
    runs: tuple[RunRow, ...] = ()
    config_file: str | None = None


Admin = Annotated[str, Depends(require_admin)]
Ctx = Annotated[WebContext, Depends(get_context)]


def _sources(ctx: WebContext) -> tuple[SourceRow, ...]:
    return tuple(SourceRow(s.url, s.interval_s) for s in ctx.config.sources)


def _subscribers(ctx: WebContext) -> tuple[SubscriberRow, ...]:
    rows = []
    for s in ctx.store.subscribers()[:ROWS_SHOWN]:
        p = s.preferences
        follows = ", ".join([*p.topics, *p.people, *p.queries]) or "everything"
        rows.append(
            SubscriberRow(
                s.id,
                s.email,
                s.status,
                p.frequency,
                follows,
                s.created_at,
                s.confirmed_at,
                s.paused_reason,
            )
        )
    return tuple(rows)


def _rejections(ctx: WebContext, run_id: int | None) -> tuple[RejectionRow, ...]:
    stored = ctx.store.rejections(run_id)[-ROWS_SHOWN:]
    return tuple(
        RejectionRow(
            r.run_id,
            r.rejection.stage,
            r.rejection.code,
            r.rejection.detail,
            r.rejection.input,
            r.recorded_at,
        )
        for r in reversed(stored)
    )


def _runs(ctx: WebContext) -> tuple[RunRow, ...]:
    return tuple(
        RunRow(r.id, r.kind, r.started_at, r.finished_at, dict(r.counts))
        for r in ctx.store.runs(limit=RUNS_SHOWN)
    )


def _show(request: Request, ctx: WebContext, page: AdminPage) -> Response:
    # Admin pages are private: never cached by a browser or proxy.
    headers = {"Cache-Control": "no-store"}
    return ctx.renderer.page(request, "admin.html", page, headers=headers)


def overview(request: Request, user: Admin, ctx: Ctx) -> Response:
    """The admin overview: latest runs and rejections, sources and subscribers at a glance."""
    page = AdminPage(
        "overview",
        user,
        sources=_sources(ctx),
        subscribers=_subscribers(ctx)[:10],
        rejections=_rejections(ctx, None)[:10],
        runs=_runs(ctx)[:10],
        config_file=str(ctx.config.config_file) if ctx.config.config_file else None,
    )
    return _show(request, ctx, page)


def sources(request: Request, user: Admin, ctx: Ctx) -> Response:
    """The sources `westminster watch` polls (from westminster.toml)."""
    config_file = str(ctx.config.config_file) if ctx.config.config_file else None
    return _show(
        request, ctx, AdminPage("sources", user, sources=_sources(ctx), config_file=config_file)
    )


def subscribers(request: Request, user: Admin, ctx: Ctx) -> Response:
    """Every subscriber with status, frequency and what they follow."""
    return _show(request, ctx, AdminPage("subscribers", user, subscribers=_subscribers(ctx)))


def rejections(
    request: Request,
    user: Admin,
    ctx: Ctx,
    run: Annotated[int | None, Query(ge=1, description="Only this run's rejections")] = None,
) -> Response:
    """Recorded rejections, newest first (what could not be used, at which stage, and why)."""
    return _show(request, ctx, AdminPage("rejections", user, rejections=_rejections(ctx, run)))


def runs(request: Request, user: Admin, ctx: Ctx) -> Response:
    """Recent runs with their counts, newest first."""
    return _show(request, ctx, AdminPage("runs", user, runs=_runs(ctx)))


@dataclass(frozen=True)
class Removed:
    """The answer to removing a subscriber."""

    removed: int


async def remove_subscriber(
    request: Request, subscriber_id: int, user: Admin, ctx: Ctx
) -> Response:
    """Remove a subscriber and their outbox rows (a form needs its CSRF token)."""
    await read_body(request, ctx)
    if not await run_in_threadpool(ctx.store.delete_subscriber, subscriber_id):
        raise NotFound("no such subscriber", subject=str(subscriber_id))
    if wants_json(request):
        return json_response(Removed(subscriber_id))
    return RedirectResponse("/admin/subscribers", status_code=303)


router = APIRouter(tags=["admin"])
_AUTH: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorBody, "description": "Credentials needed"},
    403: {"model": ErrorBody, "description": "Admin area off, or bad CSRF token"},
}
for path, endpoint, name, summary in (
    ("/admin", overview, "admin", "Admin overview"),
    ("/admin/sources", sources, "admin_sources", "Sources"),
    ("/admin/subscribers", subscribers, "admin_subscribers", "Subscribers"),
    ("/admin/rejections", rejections, "admin_rejections", "Rejections"),
    ("/admin/runs", runs, "admin_runs", "Runs"),
):
    add_page(
        router,
        path,
        endpoint,
        name=name,
        summary=summary,
        model=AdminPage,
        extra_responses=_AUTH,
    )
add_page(
    router,
    "/admin/subscribers/{subscriber_id}/delete",
    remove_subscriber,
    name="admin_remove_subscriber",
    summary="Remove a subscriber",
    model=Removed,
    methods=["POST"],
    extra_responses=_AUTH,
)
