"""Number parsing: digits with separators, fractions, number words and scales."""

from __future__ import annotations

import re

import pytest

from westminster.nlp.figures.numbers import NUMBER, is_word_number, parse_number, scale_of


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1,250", 1250),
        ("1,234,567.89", 1234567.89),
        (".08", 0.08),
        ("2 1/2", 2.5),
        ("1/4", 0.25),
        ("10½", 10.5),
        ("-3", -3),
        ("three", 3),
        ("twenty-five", 25),
        ("a dozen", 12),
        ("half a dozen", 6),
        ("a million", 1_000_000),
        ("one hundred and six", 106),
        ("two hundred and two thousand", 202_000),
        ("2.5 million", 2_500_000),
        ("two and a half", 2.5),
    ],
)
def test_parse_number(text: str, value: float) -> None:
    assert re.fullmatch(NUMBER, text, re.IGNORECASE)
    assert parse_number(text) == pytest.approx(value)


def test_not_a_number() -> None:
    assert parse_number("licence") is None
    assert parse_number("") is None


def test_scales() -> None:
    assert scale_of("bn") == 1e9
    assert scale_of("m") == 1e6
    assert scale_of("millions") == 1e6
    assert scale_of("") == 1


def test_word_numbers_are_told_apart() -> None:
    assert is_word_number("twenty-five")
    assert not is_word_number("25")
