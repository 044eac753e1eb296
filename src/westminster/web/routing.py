"""Register a page and its `.json` twin in one call, documented once in OpenAPI."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from fastapi import APIRouter

from westminster.web.errors import ErrorBody
from westminster.web.render import JSON_SUFFIX

# Error answers every page may give, documented with the one error shape.
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorBody, "description": "Not found (the one error shape)"},
    422: {"model": ErrorBody, "description": "Bad parameters, one detail each"},
    500: {"model": ErrorBody, "description": "Internal error"},
}


def add_page(
    router: APIRouter,
    path: str,
    endpoint: Callable[..., Any],
    *,
    name: str,
    summary: str,
    model: Any,
    methods: Sequence[str] = ("GET",),
    json_path: str | None = None,
    aliases: Sequence[str] = (),
    extra_responses: dict[int | str, dict[str, Any]] | None = None,
) -> None:
    """Route `path` (HTML, or JSON by Accept) and `path.json` (JSON, in the OpenAPI schema).

    The JSON route is registered first: `/stories/{id}.json` must win over `/stories/{id}`,
    whose parameter would otherwise swallow the suffix.
    """
    description = (
        f"{endpoint.__doc__ or summary}\n\nThe same page as HTML: `{path}` "
        "(or this path with `Accept: application/json`)."
    )
    router.add_api_route(
        json_path or path + JSON_SUFFIX,
        endpoint,
        methods=list(methods),
        name=f"{name}_json",
        summary=summary,
        description=description,
        response_model=model,
        responses={**ERROR_RESPONSES, **(extra_responses or {})},
    )
    for route in (path, *aliases):
        router.add_api_route(
            route, endpoint, methods=list(methods), name=name if route == path else None,
            include_in_schema=False,
        )  # fmt: skip
