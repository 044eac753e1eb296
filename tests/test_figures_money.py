"""Money: currency, scale, subunits and rates."""

from __future__ import annotations

import pytest

from westminster.models import Figure
from westminster.nlp.figures import extract_figures


def one(text: str) -> Figure:
    money = [f for f in extract_figures(text) if f.kind == "money"]
    assert len(money) == 1, money
    return money[0]


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("£600 million", 600_000_000, "GBP"),
        ("£3bn", 3_000_000_000, "GBP"),
        ("$1.2 trillion", 1_200_000_000_000, "USD"),
        ("€50m", 50_000_000, "EUR"),
        ("£1,250", 1250, "GBP"),
        ("50p", 0.5, "GBP"),
        ("470 pence", 4.7, "GBP"),
        ("50 cents", 0.5, "USD"),
        ("US$5 billion", 5_000_000_000, "USD"),
        ("c $ 16.4 million", 16_400_000, "CAD"),
        ("5 million pounds", 5_000_000, "GBP"),
        ("125 million australian dollars", 125_000_000, "AUD"),
        ("five million yen", 5_000_000, "JPY"),
        ("USD 200", 200, "USD"),
        ("30 MUSD", 30_000_000, "USD"),
    ],
)
def test_money_values(text: str, value: float, unit: str) -> None:
    figure = one(f"It cost {text} in all.")
    assert figure.value == pytest.approx(value)
    assert figure.unit == unit
    assert figure.text == text


def test_an_additional_keeps_the_value() -> None:
    figure = one("the UK will provide an additional £600 million in support")
    assert figure.value == 600_000_000
    assert figure.per is None


@pytest.mark.parametrize(
    "tail",
    ["a year", "per year", "each year", "it will continue to give annually"],
)
def test_rate_phrases(tail: str) -> None:
    assert one(f"the £3 billion {tail} for Ukraine").per == "year"


def test_rate_does_not_cross_a_clause() -> None:
    text = "£600 million in support, in addition to the £3 billion it will give annually"
    first, second = (f for f in extract_figures(text) if f.kind == "money")
    assert first.per is None
    assert second.per == "year"


def test_article_a_is_not_australian() -> None:
    assert one("won a $ 300 million contract").unit == "USD"


def test_weight_pounds_are_not_money() -> None:
    figures = extract_figures("this baby is over two pounds")
    assert [(f.kind, f.unit) for f in figures] == [("quantity", "lb")]
