"""JSON Lines: one article a line, {"id", "title", "text", "published", "outlet"?, "url"?}."""

from __future__ import annotations

import json
from collections.abc import Container, Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from westminster.errors import InputError
from westminster.models import RawPage, Rejection

STAGE = "read"
REQUIRED = ("id", "title", "text")
OPTIONAL_TEXT = ("outlet", "url")


def parse_published(value: Any) -> datetime | None:
    """An ISO 8601 date or date-time as an aware datetime (UTC when no zone is given)."""
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise ValueError(f"published must be an ISO date string, not {type(value).__name__}")
    text = value.strip().replace("Z", "+00:00")
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        when = datetime.combine(date.fromisoformat(text), datetime.min.time())
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def record_page(record: Any, source: str) -> RawPage:
    """A RawPage from one decoded record; ValueError naming the field when it is malformed."""
    if not isinstance(record, dict):
        raise ValueError(f"a line must hold a JSON object, not a {type(record).__name__}")
    for key in REQUIRED:
        if not isinstance(record.get(key), str | int) or record.get(key) == "":
            raise ValueError(f"field {key!r} is missing or not a string")
    for key in OPTIONAL_TEXT:
        if record.get(key) is not None and not isinstance(record[key], str):
            raise ValueError(f"field {key!r} must be a string")
    text = str(record["text"])
    if not text.strip():
        raise ValueError("field 'text' is empty")
    return RawPage(
        content=text.encode("utf-8"),
        source=source,
        content_type="text/plain",
        url=record.get("url"),
        encoding="utf-8",
        record_id=str(record["id"]),
        title_hint=str(record["title"]).strip(),
        published_hint=parse_published(record.get("published")),
        outlet_hint=record.get("outlet"),
    )


class JsonlSource:
    """Articles from a JSON Lines file; a bad line is a Rejection and the rest still come."""

    def __init__(
        self, path: str | Path, *, max_bytes: int, skip: Container[str] = frozenset()
    ) -> None:
        self.path = Path(path)
        self.name = str(path)
        self.max_bytes = max_bytes
        self.skip = skip  # record ids already stored by an earlier (interrupted) run

    def _skipped(self, record: Any) -> bool:
        """Whether a decoded line is a record an earlier run stored (by its "id")."""
        if not isinstance(record, dict) or record.get("id") is None:
            return False
        return str(record["id"]) in self.skip

    def fetch(self) -> Iterator[RawPage | Rejection]:
        """One RawPage per good line not in `skip`, in file order; blank lines are skipped."""
        try:
            handle = self.path.open("rb")
        except OSError as exc:
            yield Rejection(STAGE, InputError.code, f"cannot be read: {exc.strerror}", self.name)
            return
        with handle:
            for number, raw in enumerate(handle, start=1):
                where = f"{self.name}:{number}"
                if not raw.strip():
                    continue
                if len(raw) > self.max_bytes:
                    detail = f"line is over the {self.max_bytes:,}-byte limit"
                    yield Rejection(STAGE, InputError.code, detail, where)
                    continue
                try:
                    record = json.loads(raw)
                    if self._skipped(record):
                        continue
                    yield record_page(record, where)
                except UnicodeDecodeError:
                    yield Rejection(STAGE, InputError.code, "line is not UTF-8", where)
                except json.JSONDecodeError as exc:
                    detail = f"line is not JSON ({exc.msg} at column {exc.colno})"
                    yield Rejection(STAGE, InputError.code, detail, where)
                except ValueError as exc:
                    yield Rejection(STAGE, InputError.code, str(exc), where)
