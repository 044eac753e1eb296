"""Counts, proportions, ordinals and bare numbers."""

from __future__ import annotations

import pytest

from westminster.nlp.figures import extract_figures
from westminster.nlp.figures.counts import singular


def test_out_of_proportion() -> None:
    (figure,) = extract_figures("halt 30 out of 350 arms export licenses to Israel")
    assert (figure.kind, figure.value, figure.total, figure.unit) == (
        "proportion",
        30,
        350,
        "licence",
    )
    assert figure.text == "30 out of 350 arms export licenses"


@pytest.mark.parametrize(
    ("text", "value", "total"),
    [("one in five voters", 1, 5), ("two-thirds of MPs", 2, 3), ("half of voters", 1, 2)],
)
def test_spoken_proportions(text: str, value: float, total: float) -> None:
    (figure,) = [f for f in extract_figures(text) if f.kind == "proportion"]
    assert (figure.value, figure.total) == (value, total)


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("2,000 jobs", 2000, "job"),
        ("three hospitals", 3, "hospital"),
        ("2.5m people", 2.5e6, "person"),
    ],
)
def test_counts(text: str, value: float, unit: str) -> None:
    (figure,) = extract_figures(f"It will create {text} in the area.")
    assert (figure.kind, figure.value, figure.unit, figure.text) == ("count", value, unit, text)


def test_ordinals() -> None:
    figures = extract_figures("his second visit for the 75th anniversary")
    assert [(f.kind, f.value) for f in figures] == [("ordinal", 2), ("ordinal", 75)]


def test_bare_numbers_and_lone_one() -> None:
    assert [(f.kind, f.value) for f in extract_figures("The answer is 42.")] == [("number", 42)]
    assert extract_figures("actions taken one after another") == []


@pytest.mark.parametrize(
    ("plural", "single"),
    [("licenses", "licence"), ("secretaries", "secretary"), ("people", "person"), ("buses", "bus")],
)
def test_singular(plural: str, single: str) -> None:
    assert singular(plural) == single
