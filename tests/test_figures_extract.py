"""extract_figures on the seed article, offsets, overlap and false positives."""

from __future__ import annotations

import datetime as dt
import itertools
import time

import pytest

from tests.conftest import SEED
from westminster.models import Figure
from westminster.nlp.figures import extract_figures

PUBLISHED = dt.date(2024, 9, 13)


@pytest.fixture(scope="module")
def seed() -> tuple[str, list[Figure]]:
    text = SEED.read_text(encoding="utf-8")
    return text, extract_figures(text, PUBLISHED)


def find(figures: list[Figure], text: str) -> Figure:
    matches = [f for f in figures if f.text == text]
    assert matches, f"{text!r} not among {[f.text for f in figures]}"
    return matches[0]


def test_offsets_sorted_and_disjoint(seed: tuple[str, list[Figure]]) -> None:
    text, figures = seed
    for figure in figures:
        assert text[figure.start : figure.end] == figure.text
    for before, after in itertools.pairwise(figures):
        assert before.end <= after.start


def test_seed_money(seed: tuple[str, list[Figure]]) -> None:
    _, figures = seed
    extra = find(figures, "£600 million")
    assert (extra.kind, extra.value, extra.unit, extra.per) == ("money", 600_000_000, "GBP", None)
    annual = find(figures, "£3 billion")
    assert (annual.value, annual.unit, annual.per) == (3_000_000_000, "GBP", "year")


def test_seed_quantity_and_proportion(seed: tuple[str, list[Figure]]) -> None:
    _, figures = seed
    miles = find(figures, "155 miles")
    assert (miles.kind, miles.value, miles.unit, miles.qualifier) == (
        "quantity",
        155,
        "mile",
        "up to",
    )
    licences = find(figures, "30 out of 350 arms export licenses")
    assert (licences.kind, licences.value, licences.total, licences.unit) == (
        "proportion",
        30,
        350,
        "licence",
    )


def test_seed_dates_and_ordinals(seed: tuple[str, list[Figure]]) -> None:
    _, figures = seed
    assert find(figures, "July 5").value == "2024-07-05"
    assert find(figures, "July").value == "2024-07"
    assert find(figures, "this week").value == "2024-W37"
    assert find(figures, "November").value == "2024-11"
    assert (find(figures, "second").kind, find(figures, "second").value) == ("ordinal", 2)
    assert find(figures, "75th").value == 75
    two = find(figures, "two secretaries")
    assert (two.kind, two.value, two.unit) == ("count", 2, "secretary")


@pytest.mark.parametrize(
    "text",
    [
        "at 10:30 on the dot",
        "at 6pm sharp",
        "call 020 7946 0958 today",
        "at 10 Downing Street",
        "inside No 10 tonight",
        "the G7 summit",
        "Covid-19 rules",
        "the F-35 jet",
        "under Article 50 rules",
    ],
)
def test_false_positives(text: str) -> None:
    assert [f for f in extract_figures(text) if f.kind != "date"] == []


def test_fast_enough() -> None:
    text = SEED.read_text(encoding="utf-8") * 10
    start = time.perf_counter()
    extract_figures(text, PUBLISHED)
    # About 60,000 characters: spaCy's small model takes well over a second on this; the
    # figures pass must stay a small fraction of that.
    assert time.perf_counter() - start < 1.0
