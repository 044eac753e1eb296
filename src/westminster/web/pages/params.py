"""Query parameters as HTML forms send them: empty fields mean "not given"."""

from __future__ import annotations

from datetime import date

from westminster.web.errors import WebError

# Longest free-text parameter accepted (a query, a name): longer is a mistake or an attack.
MAX_TEXT = 500


def text_param(value: str | None, field: str) -> str | None:
    """A stripped text parameter; None when empty; 422 naming the field when too long."""
    if value is None:
        return None
    value = " ".join(value.split())
    if len(value) > MAX_TEXT:
        raise WebError(
            f"is longer than {MAX_TEXT} characters", subject=field, status=422, fix="shorten it"
        )
    return value or None


def day_param(value: str | None, field: str) -> date | None:
    """A YYYY-MM-DD parameter; None when empty; 422 naming the field when unreadable."""
    text = text_param(value, field)
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise WebError(
            f"{text!r} is not a date", subject=field, status=422, fix="write it as YYYY-MM-DD"
        ) from None
