"""Online IDF and sparse-vector arithmetic for story centroids."""

from __future__ import annotations

import math
from collections import Counter

import pytest

from westminster.stories.vectors import DocumentFrequencies, add_into, dot, normalise, top, weigh


def test_idf_falls_as_a_feature_spreads() -> None:
    frequencies = DocumentFrequencies()
    frequencies.add(["w:a", "w:b", "w:a"])
    frequencies.add(["w:a"])
    assert frequencies.df["w:a"] == 2 and frequencies.share("w:b") == 0.5
    assert frequencies.idf("w:a") < frequencies.idf("w:b") < frequencies.idf("w:unseen")


def test_weigh_is_unit_length_and_boosts_names() -> None:
    frequencies = DocumentFrequencies()
    frequencies.add(["w:x", "n:x"])
    vector = weigh(Counter({"w:x": 1, "n:x": 1}), frequencies)
    assert math.isclose(dot(vector, vector), 1.0)
    assert vector["n:x"] > vector["w:x"]


def test_sparse_helpers() -> None:
    total = {"a": 1.0}
    add_into(total, {"a": 1.0, "b": 3.0})
    assert total == {"a": 2.0, "b": 3.0}
    assert top(total, 1) == {"b": 3.0}
    assert normalise({}) == {}
    assert normalise({"a": 3.0, "b": 4.0})["b"] == pytest.approx(0.8)
