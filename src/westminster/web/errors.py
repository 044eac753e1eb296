"""One error shape and one handler for every HTTP error (datasette's habit).

Every error, whatever raised it (an unknown route, a bad parameter, a missing story, a refused
form, a crash), leaves as the same object: JSON for API requests, the same fields in the error
page otherwise:

    {"ok": false, "status": 404, "title": "Not found", "error": "no such story",
     "code": "W710", "subject": "abc123", "fix": null, "details": []}
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from http import HTTPStatus

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import Request
from starlette.responses import Response

from westminster.errors import WestminsterError
from westminster.web.render import Renderer, json_response, wants_json
from westminster.web.security import security_headers

log = logging.getLogger(__name__)
log.addHandler(logging.NullHandler())


class WebError(WestminsterError):
    """A request the web app refuses or cannot answer, with its HTTP status."""

    code = "W700"
    status = 400

    def __init__(
        self,
        message: str,
        *,
        subject: str | None = None,
        fix: str | None = None,
        status: int | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message, subject=subject, fix=fix)
        if status is not None:
            self.status = status
        self.headers = dict(headers or {})


class NotFound(WebError):
    """The thing a URL names does not exist (story, article, person, subscriber token)."""

    code = "W710"
    status = 404


class Forbidden(WebError):
    """The request is refused: a missing or bad CSRF token, the admin area switched off."""

    code = "W720"
    status = 403


class Unauthorized(WebError):
    """The admin area needs credentials that were not given or are wrong."""

    code = "W730"
    status = 401


@dataclass(frozen=True)
class ErrorDetail:
    """One problem with one input (a 422's list), e.g. {"field": "query.since", ...}."""

    field: str
    message: str


@dataclass(frozen=True)
class ErrorBody:
    """The one error shape of the HTML pages and the JSON API."""

    ok: bool
    status: int
    title: str
    error: str
    code: str | None = None
    subject: str | None = None
    fix: str | None = None
    details: tuple[ErrorDetail, ...] = ()


def error_body(
    status: int,
    message: str,
    *,
    code: str | None = None,
    subject: str | None = None,
    fix: str | None = None,
    details: tuple[ErrorDetail, ...] = (),
) -> ErrorBody:
    """An ErrorBody with the standard title of its status."""
    try:
        title = HTTPStatus(status).phrase
    except ValueError:
        title = "Error"
    return ErrorBody(False, status, title, message, code, subject, fix, details)


def render_error(
    request: Request, body: ErrorBody, headers: Mapping[str, str] | None = None
) -> Response:
    """The error as JSON or as the error page, with the security headers."""
    merged = {**security_headers(), **(headers or {})}
    if wants_json(request):
        return json_response(body, status=body.status, headers=merged)
    renderer: Renderer = request.app.state.renderer
    return renderer.html(request, "error.html", {"error": body}, status=body.status, headers=merged)


def _field(loc: tuple[object, ...]) -> str:
    return ".".join(str(part) for part in loc)


async def handle_http(request: Request, exc: Exception) -> Response:
    """Starlette's HTTP errors: unknown routes (404), wrong methods (405) and others."""
    assert isinstance(exc, StarletteHTTPException)
    message = exc.detail if isinstance(exc.detail, str) else HTTPStatus(exc.status_code).phrase
    if exc.status_code == 404 and message == "Not Found":
        message = "no page at this address"
        body = error_body(404, message, code=NotFound.code, subject=request.url.path)
    else:
        body = error_body(exc.status_code, message)
    return render_error(request, body, exc.headers)


async def handle_validation(request: Request, exc: Exception) -> Response:
    """Bad parameters (422): one detail per parameter, naming it."""
    assert isinstance(exc, RequestValidationError)
    details = tuple(
        ErrorDetail(_field(tuple(err.get("loc", ()))), str(err.get("msg", "invalid")))
        for err in exc.errors()
    )
    first = details[0] if details else ErrorDetail("request", "invalid")
    body = error_body(
        422,
        f"{first.field}: {first.message}",
        code=WebError.code,
        subject=first.field,
        details=details,
    )
    return render_error(request, body)


async def handle_westminster(request: Request, exc: Exception) -> Response:
    """Our own errors: a WebError's status, else 400 for bad input (a query with no words)."""
    assert isinstance(exc, WestminsterError)
    status = exc.status if isinstance(exc, WebError) else 400
    headers = exc.headers if isinstance(exc, WebError) else None
    body = error_body(status, exc.message, code=exc.code, subject=exc.subject, fix=exc.fix)
    return render_error(request, body, headers)


async def handle_crash(request: Request, exc: Exception) -> Response:
    """Anything else: 500 with no internals in the answer (the log has the traceback)."""
    log.error("internal error on %s %s", request.method, request.url.path, exc_info=exc)
    body = error_body(500, "the server hit an internal error; it has been logged")
    return render_error(request, body)


def install_error_handlers(app: FastAPI) -> None:
    """Route every error through the one shape."""
    app.add_exception_handler(StarletteHTTPException, handle_http)
    app.add_exception_handler(RequestValidationError, handle_validation)
    app.add_exception_handler(WestminsterError, handle_westminster)
    app.add_exception_handler(Exception, handle_crash)
