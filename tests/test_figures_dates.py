"""Dates resolved against the publication date."""

from __future__ import annotations

import datetime as dt

import pytest

from westminster.nlp.figures import extract_figures

PUBLISHED = dt.date(2024, 9, 13)  # a Friday


def date_of(text: str, published: dt.date | None = PUBLISHED) -> str | float | None:
    dates = [f for f in extract_figures(text, published) if f.kind == "date"]
    assert len(dates) == 1, dates
    assert dates[0].unit is None
    return dates[0].value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("since he won the election on July 5.", "2024-07-05"),
        ("on 5 July 2024 he won", "2024-07-05"),
        ("affirmed back in July.", "2024-07"),
        ("the upcoming November election", "2024-11"),
        ("they met this week", "2024-W37"),
        ("it grew last year", "2023"),
        ("they will meet next Tuesday", "2024-09-17"),
        ("they met on Monday", "2024-09-09"),
        ("they will meet on Monday", "2024-09-16"),
        ("figures for September 2023", "2023-09"),
        ("elected in 2019", "2019"),
        ("yesterday", "2024-09-12"),
    ],
)
def test_resolution(text: str, value: str) -> None:
    assert date_of(text) == value


def test_without_published_only_absolute_dates_resolve() -> None:
    assert date_of("on 5 July 2024", None) == "2024-07-05"
    assert date_of("on July 5", None) is None
    assert date_of("this week", None) is None


def test_may_the_modal_is_not_a_month() -> None:
    assert extract_figures("It may be so. They May rise.", PUBLISHED) == []
    assert date_of("elected in May") == "2024-05"
