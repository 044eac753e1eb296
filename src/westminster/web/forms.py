"""Reading a POST body: a form (CSRF token checked) or JSON (API clients), as one mapping."""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request

from westminster.web.context import WebContext
from westminster.web.errors import Forbidden, WebError
from westminster.web.security import CSRF_FIELD

# Largest POST body read (a preferences form with 50 people and 50 queries is ~20 kB).
MAX_BODY_BYTES = 64 * 1024
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def is_json_body(request: Request) -> bool:
    """True for an application/json request body."""
    return request.headers.get("content-type", "").split(";")[0].strip().lower() == (
        "application/json"
    )


async def read_body(request: Request, ctx: WebContext, *, csrf: bool = True) -> dict[str, Any]:
    """The POSTed fields; a form must carry a valid CSRF token (unless `csrf` is False).

    JSON bodies need no token: browsers cannot send them cross-site without a CORS
    preflight, which this server never answers.
    """
    length = request.headers.get("content-length")
    if length is not None and length.isdigit() and int(length) > MAX_BODY_BYTES:
        raise WebError(f"the request body is over {MAX_BODY_BYTES} bytes", status=413)
    if is_json_body(request):
        try:
            data = json.loads(await request.body())
        except (ValueError, UnicodeDecodeError):
            raise WebError("the body is not valid JSON", subject="body", status=422) from None
        if not isinstance(data, dict):
            raise WebError("the body must be a JSON object", subject="body", status=422)
        return data
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    fields: dict[str, Any] = {}
    if content_type in FORM_TYPES:
        form = await request.form()
        for key in form:
            values = [v for v in form.getlist(key) if isinstance(v, str)]
            fields[key] = values if len(values) > 1 else (values[0] if values else "")
    if csrf and not ctx.signer.verify(
        _first(fields.get(CSRF_FIELD)), getattr(request.state, "csrf_cookie", None)
    ):
        raise Forbidden(
            "the form's security token is missing, expired or not for this browser",
            subject=CSRF_FIELD,
            fix="reload the page and submit the form again (cookies must be enabled)",
        )
    fields.pop(CSRF_FIELD, None)
    return fields


def _first(value: Any) -> str | None:
    if isinstance(value, list):
        return str(value[0]) if value else None
    return None if value is None else str(value)


def field_text(fields: dict[str, Any], name: str) -> str:
    """A single text field ("" when absent)."""
    return (_first(fields.get(name)) or "").strip()


def field_list(fields: dict[str, Any], name: str, *, commas: bool = True) -> tuple[str, ...]:
    """A list field: a JSON list or repeated fields as given, or one field split into lines
    (and on commas, unless `commas` is False: keyword queries may hold commas)."""
    value = fields.get(name)
    if value is None:
        return ()
    if isinstance(value, list):
        return tuple(str(v).strip() for v in value if str(v).strip())
    text = str(value)
    parts = text.splitlines()
    if commas:
        parts = [piece for part in parts for piece in part.split(",")]
    return tuple(part.strip() for part in parts if part.strip())
