"""Quantities with units, ranges and percentages."""

from __future__ import annotations

import pytest

from westminster.nlp.figures import extract_figures
from westminster.nlp.figures.quantities import unit_of


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("155 miles", 155, "mile"),
        ("40 km", 40, "kilometre"),
        ("500 metres", 500, "metre"),
        ("2.5-mile", 2.5, "mile"),
        ("20 kg", 20, "kilogram"),
        ("16,000 metric tons", 16_000, "tonne"),
        ("3 litres", 3, "litre"),
        ("45 acres", 45, "acre"),
        ("200 hectares", 200, "hectare"),
        ("30 degrees", 30, "degree"),
        ("6 MW", 6, "MW"),
        ("2 GW", 2, "GW"),
        ("three days", 3, "day"),
    ],
)
def test_quantities(text: str, value: float, unit: str) -> None:
    figures = extract_figures(f"It was {text} in the end.")
    assert [(f.kind, f.value, f.unit, f.text) for f in figures] == [("quantity", value, unit, text)]


def test_up_to_is_a_bound_not_an_estimate() -> None:
    (figure,) = extract_figures("capable of traveling up to 155 miles")
    assert figure.qualifier == "up to"
    assert figure.approximate is False
    assert figure.text == "155 miles"


def test_about_is_approximate() -> None:
    (figure,) = extract_figures("about 40 km away")
    assert (figure.qualifier, figure.approximate) == ("about", True)


def test_range_keeps_lower_bound() -> None:
    (figure,) = extract_figures("given between 44 and 50 mg of it")
    assert (figure.value, figure.unit, figure.qualifier) == (44, "milligram", "between")


def test_change_is_not_a_range() -> None:
    values = [f.value for f in extract_figures("it rose from 5% to 7%")]
    assert values == [5, 7]


@pytest.mark.parametrize("text", ["5%", "5 per cent", "5 percent", "five per cent"])
def test_percent(text: str) -> None:
    (figure,) = extract_figures(f"up {text} on last")
    assert (figure.kind, figure.value, figure.unit) == ("percent", 5, "%")


def test_percentage_points_and_decimals() -> None:
    (points,) = extract_figures("a rise of 2 percentage points")
    assert (points.kind, points.unit) == ("percent", "percentage point")
    (decimal,) = extract_figures("5.5 percent")
    assert decimal.value == 5.5


def test_unit_names() -> None:
    assert unit_of("kilometres") == "kilometre"
    assert unit_of("square miles") == "square mile"
    assert unit_of("widgets") is None
