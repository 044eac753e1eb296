"""dedupe.similarity: weighted key overlap and best-match sentence similarity."""

from __future__ import annotations

import pytest

from westminster.dedupe.features import build_features
from westminster.dedupe.similarity import (
    Vocabulary,
    sentence_similarity,
    story_similarity,
    weighted_overlap,
)
from westminster.models import Article


def _flat(_: str) -> float:
    return 1.0


def test_weighted_overlap_is_relative_to_the_smaller_side() -> None:
    a, b = frozenset({"x", "y"}), frozenset({"x", "y", "z", "w"})
    assert weighted_overlap(a, b, _flat) == 1.0
    assert weighted_overlap(a, frozenset({"x"}), lambda k: 3.0 if k == "x" else 1.0) == 1.0
    assert weighted_overlap(a, frozenset(), _flat) == 0.0


def test_sentence_similarity_finds_reordered_sentences_and_rejects_other_text() -> None:
    vocabulary = Vocabulary()
    one = build_features(
        Article("", "The minister resigned on Tuesday evening. Voters were angry about taxes.")
    )
    swapped = build_features(
        Article("", "Voters were angry about taxes. The minister resigned on Tuesday evening.")
    )
    other = build_features(
        Article("", "Rain fell across Scotland all weekend long. Farmers hope for sun soon.")
    )
    a, b, c = (vocabulary.encode(f.sentences) for f in (one, swapped, other))
    for encoded in (a, b, c):
        vocabulary.count(encoded)
    assert sentence_similarity(a, b, vocabulary) == pytest.approx(1.0)
    assert sentence_similarity(a, c, vocabulary) == 0.0
    similarity = story_similarity(one, swapped, 1.0, _flat)
    assert similarity.score > 0.9 and "sentence similarity 1.00" in similarity.describe()
