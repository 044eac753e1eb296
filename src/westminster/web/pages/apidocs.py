"""The API's own page: every operation of the OpenAPI schema, listed without any script."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import Response

from westminster.web.render import Renderer

METHODS = ("get", "post", "put", "patch", "delete")


@dataclass(frozen=True)
class Parameter:
    """One parameter of an operation."""

    name: str
    where: str
    required: bool
    description: str


@dataclass(frozen=True)
class Operation:
    """One documented operation."""

    method: str
    path: str
    summary: str
    description: str
    tag: str
    parameters: tuple[Parameter, ...]


def operations(schema: dict[str, Any]) -> list[Operation]:
    """The operations of an OpenAPI schema, grouped by tag then path."""
    found = []
    for path, item in schema.get("paths", {}).items():
        for method in METHODS:
            op = item.get(method)
            if op is None:
                continue
            params = tuple(
                Parameter(
                    p.get("name", ""),
                    p.get("in", ""),
                    bool(p.get("required")),
                    p.get("description", "") or p.get("schema", {}).get("description", ""),
                )
                for p in op.get("parameters", [])
            )
            found.append(
                Operation(
                    method.upper(),
                    path,
                    op.get("summary", ""),
                    (op.get("description", "") or "").split("\n\n")[0],
                    (op.get("tags") or ["other"])[0],
                    params,
                )
            )
    return sorted(found, key=lambda o: (o.tag, o.path, o.method))


def api_page(request: Request) -> Response:
    """The API reference page (HTML); the machine-readable schema is /openapi.json."""
    schema = request.app.openapi()
    renderer: Renderer = request.app.state.renderer
    info = schema.get("info", {})
    return renderer.html(request, "api.html", {"info": info, "operations": operations(schema)})


router = APIRouter()
router.add_api_route("/api", api_page, methods=["GET"], include_in_schema=False)
