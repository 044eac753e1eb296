"""OutletLineFilter: learning thresholds, idempotence, normalisation and persistence."""

from __future__ import annotations

import json

import pytest

from westminster.clean import OutletLineFilter
from westminster.clean.outlet_filter import normalise_line
from westminster.errors import DataError

PROMO = "Support our journalism: donate today"


def feed(learned: OutletLineFilter, outlet: str, n: int, *, promo_every: int = 1) -> None:
    for i in range(n):
        lines = [f"Unique story line number {i} about topic {chr(97 + i % 26)}"]
        if i % promo_every == 0:
            lines.append(PROMO)
        learned.observe(outlet, f"{outlet}-{i}", lines)


def test_learns_nothing_below_minimum_articles() -> None:
    learned = OutletLineFilter(min_articles=10, min_fraction=0.5)
    feed(learned, "Bugle", 9)
    assert not learned.is_boilerplate("Bugle", PROMO)
    assert learned.learned("Bugle") == []
    feed(learned, "Bugle", 10)
    assert learned.is_boilerplate("Bugle", PROMO)
    assert learned.learned("Bugle") == [normalise_line(PROMO)]


def test_fraction_threshold() -> None:
    rare = OutletLineFilter(min_articles=5, min_fraction=0.5)
    feed(rare, "Bugle", 30, promo_every=3)  # in a third of the articles
    assert not rare.is_boilerplate("Bugle", PROMO)
    common = OutletLineFilter(min_articles=5, min_fraction=0.3)
    feed(common, "Bugle", 30, promo_every=3)
    assert common.is_boilerplate("Bugle", PROMO)


def test_observe_is_idempotent_per_article() -> None:
    learned = OutletLineFilter(min_articles=3, min_fraction=0.5)
    for _ in range(10):
        learned.observe("Bugle", "same-id", [PROMO])
    learned.observe("Bugle", "other-1", ["a"])
    learned.observe("Bugle", "other-2", ["b"])
    assert learned.articles_seen("Bugle") == 3
    assert not learned.is_boilerplate("Bugle", PROMO)  # 1 of 3 articles


def test_normalisation_case_space_digits_and_outlet_name() -> None:
    learned = OutletLineFilter(min_articles=3, min_fraction=0.5)
    for i in range(4):
        learned.observe("The Bugle", str(i), [f"Updated  {i + 10}:0{i} GMT, {2020 + i}"])
    assert learned.is_boilerplate(" the bugle ", "updated 99:99 gmt, 1999")
    assert not learned.is_boilerplate("Other", "updated 99:99 gmt, 1999")


def test_line_counted_once_per_article() -> None:
    learned = OutletLineFilter(min_articles=4, min_fraction=0.5)
    learned.observe("Bugle", "1", [PROMO, PROMO, PROMO])
    for i in range(2, 5):
        learned.observe("Bugle", str(i), ["other"])
    assert not learned.is_boilerplate("Bugle", PROMO)


def test_round_trip_through_json() -> None:
    learned = OutletLineFilter(min_articles=5, min_fraction=0.5)
    feed(learned, "Bugle", 12)
    restored = OutletLineFilter.from_dict(json.loads(json.dumps(learned.to_dict())))
    assert restored.to_dict() == learned.to_dict()
    assert restored.is_boilerplate("Bugle", PROMO)
    restored.observe("Bugle", "Bugle-0", [PROMO])  # already seen: still idempotent
    assert restored.articles_seen("Bugle") == 12


@pytest.mark.parametrize(
    "snapshot",
    [
        {},
        {"version": 99, "min_articles": 5, "min_fraction": 0.5, "outlets": {}},
        {"version": 1, "min_articles": 5, "min_fraction": 0.5, "outlets": {"x": {"lines": {}}}},
        {"version": 1, "min_articles": 5, "min_fraction": 0.5,
         "outlets": {"x": {"articles": ["a"], "lines": {"promo": 3}}}},
        {"version": 1, "min_articles": 0, "min_fraction": 0.5, "outlets": {}},
    ],
)  # fmt: skip
def test_malformed_snapshot_is_a_data_error(snapshot: dict[str, object]) -> None:
    with pytest.raises(DataError, match="outlet filter"):
        OutletLineFilter.from_dict(snapshot)
