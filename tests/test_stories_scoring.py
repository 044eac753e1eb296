"""How an article's fit to a story is scored: cosine, family cosines, year clash; two events."""

from __future__ import annotations

import math

import pytest

from westminster.models import Article
from westminster.stories import StoryEngine
from westminster.stories.scoring import (
    FAMILY_WEIGHTS,
    YEAR_CLASH_PENALTY,
    is_year,
    story_score,
)
from westminster.stories.vectors import Vector, dot, normalise


def _score(article: Vector, story: Vector) -> float:
    return story_score(article, story, math.sqrt(dot(story, story)))


def test_words_alone_score_their_cosine() -> None:
    article = normalise({"w:storm": 1.0, "w:shadow": 1.0})
    story = {"w:storm": 2.0, "w:missile": 2.0}
    assert _score(article, story) == pytest.approx(0.5)
    assert story_score(article, {}, 0.0) == 0.0


def test_shared_names_and_figures_count_beside_the_words() -> None:
    # Same whole-vector cosine, but one article shares the story's name, the other a word.
    story = {"w:fight": 1.0, "n:rahman": 1.0, "w:title": 1.0}
    by_name = normalise({"w:fight": 1.0, "n:rahman": 1.0, "w:round": 1.0})
    by_word = normalise({"w:fight": 1.0, "w:title": 1.0, "n:thompson": 1.0})
    assert dot(by_name, story) == pytest.approx(dot(by_word, story))
    assert _score(by_name, story) > _score(by_word, story)
    # A family only one side carries drops out of the blend instead of counting as a miss.
    no_names = normalise({"w:fight": 1.0, "w:title": 1.0})
    words_only = {"w:fight": 1.0, "w:title": 1.0}
    assert _score(no_names, story) == pytest.approx(dot(no_names, story) / math.sqrt(3))
    assert _score(no_names, words_only) == pytest.approx(1.0)
    assert set(FAMILY_WEIGHTS) <= {"n", "f"}


def test_years_that_share_nothing_cost_the_clash_penalty() -> None:
    assert is_year("f:2012") and not is_year("f:36") and not is_year("f:1e+06")
    assert not is_year("n:2012") and not is_year("f:2200")
    story = {"w:klitschko": 1.0, "f:2008": 1.0}
    same = normalise({"w:klitschko": 1.0, "f:2008": 1.0})
    other = normalise({"w:klitschko": 1.0, "f:2012": 1.0})
    undated = normalise({"w:klitschko": 1.0})
    assert _score(same, story) == pytest.approx(1.0)
    # Both carry figures that share nothing: a figure cosine of 0 in the blend, then the clash.
    base = dot(other, story) / math.sqrt(2) / (1 + FAMILY_WEIGHTS.get("f", 0.0))
    assert _score(other, story) == pytest.approx(base - YEAR_CLASH_PENALTY)
    assert _score(undated, story) == pytest.approx(dot(undated, story) / math.sqrt(2))


FIGHT_2008 = (
    "Klitschko stops Rahman in Mannheim to keep heavyweight titles",
    "Wladimir Klitschko stopped Hasim Rahman in the seventh round in Mannheim, Germany, on "
    "Saturday to retain his IBF and WBO heavyweight titles. Rahman, 36, never threw a punch "
    "worth the name in 2008's most one-sided title fight, and referee Tony Weeks stopped it "
    "after 44 seconds of the seventh round. Klitschko improved his record to 52-3.",
)
FIGHT_2008_FOLLOW = (
    "Rahman no match for Klitschko in Mannheim",
    "Hasim Rahman was stopped by Wladimir Klitschko in the seventh round in Mannheim. "
    "Referee Tony Weeks waved it off after 44 seconds of the seventh, and Klitschko, now "
    "52-3, kept his IBF and WBO heavyweight titles. Rahman, 36, said he had no excuses.",
)
FIGHT_2012 = (
    "Klitschko stops Thompson in Bern to retain heavyweight belts",
    "Wladimir Klitschko stopped Tony Thompson in the sixth round in Bern, Switzerland, on "
    "Saturday to keep his WBA, IBF and WBO heavyweight titles in July 2012. Thompson, 40, "
    "was down twice in the sixth before referee Eddie Cotton stopped the fight. Klitschko "
    "improved his record to 58-3 in front of 26,000 fans at the Stade de Suisse.",
)


def test_second_event_of_a_topic_starts_its_own_story() -> None:
    engine = StoryEngine(decay=False)
    first = engine.add("a", Article(*FIGHT_2008))
    follow = engine.add("b", Article(*FIGHT_2008_FOLLOW))
    other = engine.add("c", Article(*FIGHT_2012))
    assert not follow.created and follow.story_id == first.story_id
    assert other.created and other.story_id != first.story_id
