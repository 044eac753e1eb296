"""One view, two formats: HTML from a template or JSON from the same page object (datasette).

A request wants JSON when its path ends in `.json` or its Accept header prefers
application/json to text/html; everything else gets the page. Templates autoescape every
value: scraped text is untrusted, and no template marks it safe.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any
from urllib.parse import quote, urlencode

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from westminster.store.fts import SNIPPET_END, SNIPPET_START
from westminster.web.jsonout import dumps
from westminster.web.links import article_url, entity_url, story_url, topic_url

JSON_SUFFIX = ".json"
HOME_JSON_PATH = "/today"
JSON_TYPE = "application/json"
HTML_TYPE = "text/html"

# The marks the store puts around matched words in search snippets: the snippet is escaped
# first, then the marks become <mark> elements.
_SNIPPET_MARK = re.compile(
    re.escape(SNIPPET_START)
    + r"([^"
    + re.escape(SNIPPET_START + SNIPPET_END)
    + r"]*)"
    + re.escape(SNIPPET_END)
)

_MEDIA = re.compile(r"^\s*([^;\s]+)\s*(?:;(.*))?$")
_Q = re.compile(r"(?:^|;)\s*q\s*=\s*([0-9.]+)")


def accept_weights(header: str) -> dict[str, float]:
    """Media types of an Accept header with their q weights (1.0 when none is given)."""
    weights: dict[str, float] = {}
    for part in header.split(","):
        match = _MEDIA.match(part)
        if match is None:
            continue
        media, params = match.group(1).lower(), match.group(2) or ""
        q_match = _Q.search(params)
        try:
            q = float(q_match.group(1)) if q_match else 1.0
        except ValueError:
            q = 0.0
        weights[media] = max(q, weights.get(media, 0.0))
    return weights


def prefers_json(header: str) -> bool:
    """True when an Accept header weighs application/json above text/html."""
    weights = accept_weights(header)
    json_q = weights.get(JSON_TYPE, 0.0)
    html_q = max(weights.get(HTML_TYPE, 0.0), weights.get("application/xhtml+xml", 0.0))
    return json_q > 0.0 and json_q > html_q


def wants_json(request: Request) -> bool:
    """The `.json` twin of a route, or an Accept header that prefers JSON."""
    if request.url.path.endswith(JSON_SUFFIX):
        return True
    return prefers_json(request.headers.get("accept", ""))


def json_response(
    data: Any, *, status: int = 200, headers: Mapping[str, str] | None = None
) -> Response:
    """A JSON response from a page object or plain values."""
    return Response(dumps(data), status_code=status, media_type=JSON_TYPE, headers=headers)


def highlight(snippet: str) -> Markup:
    """A search snippet, escaped, with the store's match marks turned into <mark> elements."""
    escaped = str(escape(snippet))
    return Markup(_SNIPPET_MARK.sub(r"<mark>\1</mark>", escaped))


def format_date(value: date | datetime | None, style: str = "day") -> str:
    """A date as "13 Sep 2024" ("day"), "13 Sep 2024 14:05" ("time") or "" for None."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%d %b %Y %H:%M" if style == "time" else "%d %b %Y").lstrip("0")
    return value.strftime("%d %b %Y").lstrip("0")


def query_url(path: str, params: Mapping[str, object]) -> str:
    """A path with the non-empty parameters as its query string."""
    kept = {k: str(v) for k, v in params.items() if v not in (None, "", False)}
    return f"{path}?{urlencode(kept)}" if kept else path


def make_environment() -> Environment:
    """The template environment: autoescaping on for every template, undefined names fail."""
    env = Environment(
        loader=PackageLoader("westminster.web", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["highlight"] = highlight
    env.filters["day"] = format_date
    env.filters["urlpart"] = lambda value: quote(str(value), safe="")
    env.globals.update(
        article_url=article_url,
        entity_url=entity_url,
        story_url=story_url,
        topic_url=topic_url,
        query_url=query_url,
    )
    return env


class Renderer:
    """Renders a page object as HTML (a template) or JSON, as the request asks."""

    def __init__(self, env: Environment | None = None) -> None:
        self.env = env or make_environment()

    def html(
        self,
        request: Request,
        template: str,
        context: Mapping[str, Any],
        *,
        status: int = 200,
        headers: Mapping[str, str] | None = None,
    ) -> Response:
        """The template rendered with the request's common context."""
        state = request.state
        values = {
            "request": request,
            "path": request.url.path,
            "csrf_token": getattr(state, "csrf_form_token", ""),
            **context,
        }
        body = self.env.get_template(template).render(values)
        return HTMLResponse(body, status_code=status, headers=headers)

    def page(
        self,
        request: Request,
        template: str,
        page: Any,
        *,
        status: int = 200,
        extra: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Response:
        """JSON of the page object for `.json`/Accept requests, else the template."""
        if wants_json(request):
            return json_response(page, status=status, headers=headers)
        merged = {"Vary": "Accept", **(headers or {})}
        # "/" is the Today page; its JSON twin is /today.json.
        json_url = (request.url.path.rstrip("/") or HOME_JSON_PATH) + JSON_SUFFIX
        if request.url.query:
            json_url += "?" + request.url.query
        context = {"page": page, "json_url": json_url, **(extra or {})}
        return self.html(request, template, context, status=status, headers=merged)
