"""Subscribing (double opt-in), confirming, unsubscribing (RFC 8058) and preferences.

The work is the delivery layer's (westminster.delivery.subscriptions); these pages read the
forms, call it, and show its answer, which is the same whether or not an address was known.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, replace
from datetime import time
from functools import lru_cache
from importlib import resources
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from westminster.delivery.errors import AddressError, DeliveryError, SendError, TokenError
from westminster.delivery.mailer import Mailer, MailFailure, SMTPMailer
from westminster.delivery.settings import DeliverySettings
from westminster.delivery.subscriptions import (
    SubscribeOutcome,
    check_token,
    confirm,
    subscribe,
    unsubscribe,
    update_preferences,
)
from westminster.models import Preferences, PreferencesError, Subscriber
from westminster.models.subscriber import DEFAULT_TIMEZONE, FREQUENCIES
from westminster.web.context import WebContext, get_context
from westminster.web.errors import ErrorBody, WebError, error_body
from westminster.web.forms import field_list, field_text, read_body
from westminster.web.render import wants_json
from westminster.web.routing import ERROR_RESPONSES, add_page

# Time zones offered first in the form (any IANA name is accepted).
COMMON_TIMEZONES = (
    "Europe/London", "Europe/Dublin", "Europe/Brussels", "Europe/Paris", "America/New_York",
    "America/Chicago", "America/Los_Angeles", "Asia/Singapore", "Australia/Sydney", "UTC",
)  # fmt: skip

TOKEN = Annotated[str, Query(description="The signed token from the email link", max_length=2000)]


@dataclass(frozen=True)
class PreferencesView:
    """A subscriber's choices as the form and the API show them."""

    topics: tuple[str, ...] = ()
    people: tuple[str, ...] = ()
    queries: tuple[str, ...] = ()
    frequency: str = "daily"
    send_time: str = "07:00"
    timezone: str = DEFAULT_TIMEZONE


@dataclass(frozen=True)
class SubscribeForm:
    """The sign-up form: choices offered, the values entered, and a problem with them if any."""

    email: str = ""
    preferences: PreferencesView = PreferencesView()
    topics_offered: tuple[str, ...] = ()
    frequencies: tuple[str, ...] = FREQUENCIES
    timezones: tuple[str, ...] = COMMON_TIMEZONES
    error: ErrorBody | None = None


@dataclass(frozen=True)
class SubscribeResult:
    """The answer to a sign-up: the same for a new, pending or subscribed address."""

    status: str  # "accepted" | "rate_limited"
    email: str
    message: str
    retry_after_s: int | None = None


@dataclass(frozen=True)
class SubscriptionPage:
    """A subscriber's state after following a link (confirm, unsubscribe, preferences)."""

    action: str  # "confirmed" | "unsubscribe" | "unsubscribed" | "preferences" | "saved"
    email: str
    status: str
    preferences: PreferencesView
    token: str | None = None  # for the page's own form (unsubscribe button, preferences form)
    topics_offered: tuple[str, ...] = ()
    frequencies: tuple[str, ...] = FREQUENCIES
    timezones: tuple[str, ...] = COMMON_TIMEZONES
    error: ErrorBody | None = None


@lru_cache(maxsize=1)
def topic_names() -> tuple[str, ...]:
    """The policy topics of the analysis' taxonomy (offered as choices)."""
    resource = resources.files("westminster.nlp").joinpath("data", "topics.toml")
    try:
        data = tomllib.loads(resource.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError):
        return ()
    return tuple(sorted(str(t.get("name")) for t in data.get("topic", []) if t.get("name")))


def preferences_view(preferences: Preferences) -> PreferencesView:
    """Preferences as shown."""
    return PreferencesView(
        topics=preferences.topics,
        people=preferences.people,
        queries=preferences.queries,
        frequency=preferences.frequency,
        send_time=preferences.send_time.strftime("%H:%M"),
        timezone=preferences.timezone,
    )


def preferences_from(fields: dict[str, Any]) -> Preferences:
    """Preferences from a form or JSON body; PreferencesError names a bad field."""
    raw_time = field_text(fields, "send_time") or "07:00"
    try:
        send_time = time.fromisoformat(raw_time)
    except ValueError:
        raise PreferencesError(f"send_time: {raw_time!r} is not a time (HH:MM)") from None
    return Preferences(
        topics=field_list(fields, "topics"),
        people=field_list(fields, "people"),
        queries=field_list(fields, "queries", commas=False),
        frequency=field_text(fields, "frequency") or "daily",  # type: ignore[arg-type]
        send_time=send_time.replace(tzinfo=None),
        timezone=field_text(fields, "timezone") or DEFAULT_TIMEZONE,
    )


def _settings(ctx: WebContext) -> DeliverySettings:
    try:
        settings = DeliverySettings.from_config(ctx.config)
    except DeliveryError as exc:
        raise WebError(exc.message, subject=exc.subject, fix=exc.fix, status=503) from None
    if settings.base_url != ctx.base_url:
        settings = replace(settings, base_url=ctx.base_url)
    return settings


def _send_signup(
    ctx: WebContext, email: str, preferences: Preferences, client: str
) -> SubscribeOutcome:
    settings = _settings(ctx)
    try:
        if ctx.mailer is not None:
            mailer: Mailer = ctx.mailer
            return subscribe(
                ctx.store, email, preferences, mailer=mailer, settings=settings,
                client_key=client, now=ctx.clock(),
            )  # fmt: skip
        with SMTPMailer(settings) as smtp:
            return subscribe(
                ctx.store, email, preferences, mailer=smtp, settings=settings,
                client_key=client, now=ctx.clock(),
            )  # fmt: skip
    except DeliveryError as exc:
        raise WebError(
            "sign-up is not configured on this server: " + exc.message,
            subject=exc.subject, fix=exc.fix, status=503,
        ) from None  # fmt: skip
    except (MailFailure, SendError) as exc:
        raise WebError(
            "the confirmation email could not be sent: " + exc.message,
            subject="email", fix="try again in a few minutes", status=502,
        ) from None  # fmt: skip


def subscribe_form(request: Request, ctx: Annotated[WebContext, Depends(get_context)]) -> Response:
    """The sign-up form: email address, topics, people, keyword queries, when to send."""
    page = SubscribeForm(topics_offered=topic_names())
    return ctx.renderer.page(request, "subscribe.html", page)


async def subscribe_submit(
    request: Request, ctx: Annotated[WebContext, Depends(get_context)]
) -> Response:
    """Start a double opt-in: a confirmation email goes to the address (same answer for all)."""
    fields = await read_body(request, ctx)
    email = field_text(fields, "email")
    try:
        preferences = preferences_from(fields)
        client = request.client.host if request.client else "unknown"
        outcome = await run_in_threadpool(_send_signup, ctx, email, preferences, client)
    except (AddressError, PreferencesError) as exc:
        message = exc.message if isinstance(exc, AddressError) else str(exc)
        subject = exc.subject if isinstance(exc, AddressError) else "preferences"
        body = error_body(422, message, code=AddressError.code, subject=subject)
        if wants_json(request):
            raise WebError(message, subject=subject, status=422) from None
        view = PreferencesView(
            field_list(fields, "topics"), field_list(fields, "people"),
            field_list(fields, "queries", commas=False),
            field_text(fields, "frequency") or "daily",
            field_text(fields, "send_time") or "07:00",
            field_text(fields, "timezone") or DEFAULT_TIMEZONE,
        )  # fmt: skip
        form = SubscribeForm(email, view, topic_names(), error=body)
        return ctx.renderer.page(request, "subscribe.html", form, status=422)
    result = SubscribeResult(outcome.status, outcome.email, outcome.message, outcome.retry_after_s)
    if outcome.status == "rate_limited":
        headers = {"Retry-After": str(outcome.retry_after_s or 60)}
        if wants_json(request):
            raise WebError(outcome.message, subject="email", status=429, headers=headers)
        return ctx.renderer.page(request, "subscribed.html", result, status=429, headers=headers)
    return ctx.renderer.page(request, "subscribed.html", result)


def _token_error(exc: TokenError) -> WebError:
    return WebError(exc.message, subject=exc.subject or "link", fix=exc.fix, status=400)


def _page(
    action: str, subscriber: Subscriber, token: str | None = None, error: ErrorBody | None = None
) -> SubscriptionPage:
    return SubscriptionPage(
        action=action,
        email=subscriber.email,
        status=subscriber.status,
        preferences=preferences_view(subscriber.preferences),
        token=token,
        topics_offered=topic_names(),
        error=error,
    )


def confirm_page(
    request: Request, token: TOKEN, ctx: Annotated[WebContext, Depends(get_context)]
) -> Response:
    """Follow a confirmation link: the subscription becomes active (again is harmless)."""
    try:
        subscriber = confirm(ctx.store, token, settings=_settings(ctx), now=ctx.clock())
    except TokenError as exc:
        raise _token_error(exc) from None
    return ctx.renderer.page(request, "subscription.html", _page("confirmed", subscriber))


def unsubscribe_page(
    request: Request, token: TOKEN, ctx: Annotated[WebContext, Depends(get_context)]
) -> Response:
    """The unsubscribe link's page: who will be unsubscribed, and the button that does it."""
    try:
        subscriber = check_token(
            ctx.store, token, "unsubscribe", settings=_settings(ctx), now=ctx.clock()
        )
    except TokenError as exc:
        raise _token_error(exc) from None
    return ctx.renderer.page(request, "subscription.html", _page("unsubscribe", subscriber, token))


def unsubscribe_submit(
    request: Request, token: TOKEN, ctx: Annotated[WebContext, Depends(get_context)]
) -> Response:
    """Unsubscribe (RFC 8058 one-click POST from a mail client, or the page's button).

    The signed token in the URL is the authority; no CSRF token is needed or possible here.
    """
    try:
        subscriber = unsubscribe(ctx.store, token, settings=_settings(ctx), now=ctx.clock())
    except TokenError as exc:
        raise _token_error(exc) from None
    return ctx.renderer.page(request, "subscription.html", _page("unsubscribed", subscriber))


def preferences_page(
    request: Request, token: TOKEN, ctx: Annotated[WebContext, Depends(get_context)]
) -> Response:
    """The preferences link's page: the subscriber's choices in a form."""
    try:
        subscriber = check_token(
            ctx.store, token, "preferences", settings=_settings(ctx), now=ctx.clock()
        )
    except TokenError as exc:
        raise _token_error(exc) from None
    return ctx.renderer.page(request, "subscription.html", _page("preferences", subscriber, token))


async def preferences_submit(
    request: Request, token: TOKEN, ctx: Annotated[WebContext, Depends(get_context)]
) -> Response:
    """Save new preferences through a preferences link."""
    fields = await read_body(request, ctx)
    try:
        preferences = preferences_from(fields)
        subscriber = await run_in_threadpool(
            update_preferences, ctx.store, token, preferences, settings=_settings(ctx),
            now=ctx.clock(),
        )  # fmt: skip
    except TokenError as exc:
        raise _token_error(exc) from None
    except PreferencesError as exc:
        raise WebError(str(exc), subject="preferences", status=422) from None
    return ctx.renderer.page(request, "subscription.html", _page("saved", subscriber, token))


# Both bodies are accepted: a form (with the CSRF token) or a JSON object of the same fields.
_BODY_DOC: dict[str, Any] = {
    "requestBody": {
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "required": ["email"],
                    "properties": {
                        "email": {"type": "string"},
                        "topics": {"type": "array", "items": {"type": "string"}},
                        "people": {"type": "array", "items": {"type": "string"}},
                        "queries": {"type": "array", "items": {"type": "string"}},
                        "frequency": {"type": "string", "enum": list(FREQUENCIES)},
                        "send_time": {"type": "string", "example": "07:00"},
                        "timezone": {"type": "string", "example": DEFAULT_TIMEZONE},
                    },
                }
            },
            "application/x-www-form-urlencoded": {
                "schema": {"type": "object", "properties": {"csrf_token": {"type": "string"}}}
            },
        }
    }
}

_SIGNUP_ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorBody, "description": why}
    for status, why in (
        (403, "A form without a valid CSRF token"),
        (429, "Too many sign-ups from this client or for this address (Retry-After)"),
        (502, "The confirmation email could not be sent"),
        (503, "Sign-up is not configured (secret_key, mail_from)"),
    )
}

router = APIRouter(tags=["subscriptions"])
add_page(
    router, "/subscribe", subscribe_form, name="subscribe_form", summary="The sign-up form",
    model=SubscribeForm,
)  # fmt: skip
router.add_api_route(
    "/subscribe.json", subscribe_submit, methods=["POST"], name="subscribe_json",
    summary="Subscribe (double opt-in)", response_model=SubscribeResult,
    openapi_extra=_BODY_DOC, responses={**ERROR_RESPONSES, **_SIGNUP_ERRORS},
    description="Start a double opt-in: a confirmation email goes to the address. The answer "
    "is the same whether or not the address is already subscribed. A form body needs the "
    "page's CSRF token; a JSON body needs none.",
)  # fmt: skip
router.add_api_route("/subscribe", subscribe_submit, methods=["POST"], include_in_schema=False)
add_page(
    router, "/subscribe/confirm", confirm_page, name="confirm",
    summary="Confirm a subscription", model=SubscriptionPage,
)  # fmt: skip
add_page(
    router, "/unsubscribe", unsubscribe_page, name="unsubscribe_page",
    summary="The unsubscribe page", model=SubscriptionPage,
)  # fmt: skip
add_page(
    router, "/unsubscribe", unsubscribe_submit, name="unsubscribe", methods=["POST"],
    summary="Unsubscribe (RFC 8058 one-click)", model=SubscriptionPage,
)  # fmt: skip
add_page(
    router, "/preferences", preferences_page, name="preferences_page",
    summary="A subscriber's preferences", model=SubscriptionPage,
)  # fmt: skip
add_page(
    router, "/preferences", preferences_submit, name="preferences", methods=["POST"],
    summary="Save a subscriber's preferences", model=SubscriptionPage,
)  # fmt: skip
