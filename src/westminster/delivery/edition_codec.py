"""Briefings to JSON and back, so an edition is stored once as built and sent as stored.

Decoding follows the dataclasses' own type hints (nested dataclasses, tuples, optionals,
dates), so fields added to the briefing models later round-trip without changes here.
"""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from datetime import date, datetime
from functools import cache
from typing import Any, Literal, Union

from westminster.delivery.errors import EditionError
from westminster.models import Briefing


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def briefing_to_json(briefing: Briefing) -> str:
    """The briefing as one JSON document (dates as ISO 8601 text)."""
    return json.dumps(_plain(dataclasses.asdict(briefing)), ensure_ascii=False, sort_keys=True)


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _decode(tp: Any, value: Any) -> Any:
    """A JSON value as the type `tp` says (the inverse of `_plain` over dataclasses)."""
    origin = typing.get_origin(tp)
    if origin in (Union, types.UnionType):
        if value is None:
            return None
        options = [a for a in typing.get_args(tp) if a is not type(None)]
        return _decode(options[0], value) if len(options) == 1 else value
    if origin is tuple:
        args = typing.get_args(tp)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_decode(args[0], v) for v in value)
        return tuple(_decode(a, v) for a, v in zip(args, value, strict=True))
    if origin is Literal or tp is Any:
        return value
    if dataclasses.is_dataclass(tp) and isinstance(tp, type):
        hints = _hints(tp)
        known = {f.name for f in dataclasses.fields(tp)}
        return tp(**{k: _decode(hints[k], v) for k, v in value.items() if k in known})
    if tp is datetime:
        return datetime.fromisoformat(value)
    if tp is date:
        return date.fromisoformat(value)
    if tp is float and isinstance(value, int):
        return float(value)
    return value


def briefing_from_json(text: str) -> Briefing:
    """A briefing back from `briefing_to_json`; EditionError when the document is not one."""
    try:
        briefing = _decode(Briefing, json.loads(text))
    except (ValueError, KeyError, TypeError) as exc:
        raise EditionError(f"the stored edition cannot be read: {exc}", subject="edition") from None
    assert isinstance(briefing, Briefing)
    return briefing
