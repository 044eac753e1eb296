"""The inverted index over active stories."""

from __future__ import annotations

from westminster.stories.index import StoryIndex


def test_candidates_rank_by_shared_weight_and_skip_common_features() -> None:
    index = StoryIndex(max_postings=2)
    index.add("s1", ["w:rwanda", "w:court"])
    index.add("s2", ["w:court"])
    index.add("s3", ["w:court", "w:summit"])  # "w:court" now has 3 stories: too common
    assert index.candidates({"w:rwanda": 1.0, "w:court": 5.0, "w:summit": 0.5}, 5) == ["s1", "s3"]
    assert index.candidates({"w:rwanda": 1.0, "w:summit": 1.0}, 1) == ["s1"]  # tie: by id


def test_remove_drops_empty_postings() -> None:
    index = StoryIndex(max_postings=10)
    index.add("s1", ["w:a"])
    index.remove("s1", ["w:a", "w:never"])
    assert index.postings == {}
