"""JSON for the API: page dataclasses to plain values, and bytes that stay inert in any context.

Scraped text is untrusted. JSON is served as application/json with nosniff, so a browser never
runs it; the encoder also writes <, > and & as \\u escapes (as Django's json_script does), so
the same bytes stay inert even if some client pastes them into HTML.
"""

from __future__ import annotations

import dataclasses
import json
import math
from collections.abc import Mapping
from datetime import date, datetime, time
from typing import Any

# Characters escaped in JSON output: HTML-significant ones, and the two line separators that
# end a JavaScript string literal.
_ESCAPES = {
    ord("<"): "\\u003c",
    ord(">"): "\\u003e",
    ord("&"): "\\u0026",
    0x2028: "\\u2028",
    0x2029: "\\u2029",
}


def to_jsonable(value: Any) -> Any:
    """Dataclasses, tuples, dates and mappings as JSON-ready dicts, lists and strings."""
    if value is None or isinstance(value, str | bool | int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [to_jsonable(v) for v in value]
    raise TypeError(f"cannot encode {type(value).__name__} as JSON")


def dumps(value: Any) -> bytes:
    """UTF-8 JSON with HTML-significant characters escaped."""
    text = json.dumps(to_jsonable(value), ensure_ascii=False, separators=(",", ":"))
    # A lone surrogate (possible in text decoded with surrogateescape) cannot be UTF-8.
    return text.translate(_ESCAPES).encode("utf-8", "replace")
