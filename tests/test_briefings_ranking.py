"""Ranking a day's stories: independent coverage, momentum, novelty and political weight."""

from __future__ import annotations

from datetime import date

import pytest

from tests.briefings_support import DAY, dev, person, story
from westminster.briefings import period_of_days, rank_stories, signals_for
from westminster.briefings.ranking import office_weight, person_weight
from westminster.knowledge.offices import load_office_table

OFFICES = load_office_table()
PERIOD = period_of_days(DAY, DAY)
EARLIER = date(2024, 9, 12)


def test_more_independent_outlets_rank_higher_and_copies_do_not_count() -> None:
    wide = story("wide", [dev("w1", DAY, "A"), dev("w2", DAY, "B"), dev("w3", DAY, "C")])
    copied = story(
        "copied",
        [
            dev("c1", DAY, "A"),
            dev("c2", DAY, "Agency", independent=False),
            dev("c3", DAY, "Agency 2", independent=False),
        ],
    )
    ranked = rank_stories([copied, wide], PERIOD, OFFICES)
    assert [r.story.id for r in ranked] == ["wide", "copied"]
    assert ranked[0].signals.outlets == 3 and ranked[1].signals.outlets == 1
    assert ranked[1].signals.articles == 1  # the two copies are not independent articles


def test_only_stories_with_articles_in_the_period_are_ranked() -> None:
    old = story("old", [dev("o1", date(2024, 9, 10), "A")])
    undated = story("undated", [dev("u1", None, "A")])  # joined on 14 September
    today = story("today", [dev("t1", DAY, "A")])
    ranked = rank_stories([old, undated, today, today], PERIOD, OFFICES)
    assert [r.story.id for r in ranked] == ["today"]  # once, though given twice
    assert [d.article_id for d in ranked[0].in_period] == ["t1"]


def test_momentum_new_stories_beat_fading_ones() -> None:
    new = story("new", [dev("n1", DAY, "A"), dev("n2", DAY, "B")])
    fading = story(
        "fading",
        [dev(f"f{i}", EARLIER, f"O{i}") for i in range(6)]
        + [dev("f9", DAY, "A"), dev("fa", DAY, "B")],
    )
    new_signals, _ = signals_for(new, PERIOD, OFFICES)
    fading_signals, _ = signals_for(fading, PERIOD, OFFICES)
    assert new_signals.momentum == pytest.approx(1.0)
    assert fading_signals.earlier_per_day == pytest.approx(2.0)  # 6 articles over 3 days
    assert fading_signals.momentum == pytest.approx(0.5)
    assert new_signals.coverage == fading_signals.coverage
    assert [r.story.id for r in rank_stories([fading, new], PERIOD, OFFICES)] == ["new", "fading"]


def test_novelty_counts_new_figures_and_quotes_of_the_period() -> None:
    plain = story("plain", [dev("p1", DAY, "A")])
    news = story(
        "news",
        [
            dev("n0", EARLIER, "A", new_figures=("£1bn",) * 5),
            dev(
                "n1",
                DAY,
                "A",
                new_figures=("£600 million",),
                new_quotes=("We will act.",),
                new_people=("X",),
            ),
        ],
    )
    signals, _ = signals_for(news, PERIOD, OFFICES)
    assert signals.new_items == pytest.approx(2.5)  # the earlier day's figures do not count
    assert signals.novelty > signals_for(plain, PERIOD, OFFICES)[0].novelty == 0.0


def test_political_weight_puts_the_prime_minister_above_a_backbencher() -> None:
    pm = story("pm", [dev("a", DAY, "A")], people=(person("Keir Starmer"),))
    minister = story("minister", [dev("b", DAY, "A")], people=(person("Wes Streeting"),))
    nobody = story("nobody", [dev("c", DAY, "A")], people=(person("Joe Bloggs"),))
    ranked = rank_stories([nobody, minister, pm], PERIOD, OFFICES)
    assert [r.story.id for r in ranked] == ["pm", "minister", "nobody"]
    weights = [dict(r.signals.pairs())["office_weight"] for r in ranked]
    assert weights[0] == 1.0 and 0.5 < weights[1] < 1.0 and weights[2] == 0.0
    # Offices are those held on the day: in 2019 Keir Starmer held none of them.
    assert person_weight(OFFICES, "Keir Starmer", date(2019, 1, 1)) == 0.0
    assert office_weight(OFFICES, "uk-prime-minister") > office_weight(OFFICES, "us-president")


def test_topics_add_weight_and_signals_are_recorded() -> None:
    economy = story("economy", [dev("e", DAY, "A")], topics=("economy and public finances",))
    sport = story("sport", [dev("s", DAY, "A")], topics=("culture and sport",))
    ranked = rank_stories([sport, economy], PERIOD, OFFICES)
    assert [r.story.id for r in ranked] == ["economy", "sport"]
    names = [name for name, _ in ranked[0].signals.pairs()]
    assert names[:4] == ["coverage", "momentum", "novelty", "political_weight"]
    assert ranked[0].score == pytest.approx(
        0.4 * ranked[0].signals.coverage
        + 0.2 * ranked[0].signals.momentum
        + 0.2 * ranked[0].signals.novelty
        + 0.2 * ranked[0].signals.political
    )


def test_limit_and_ties_are_stable() -> None:
    stories = [story(f"s{i}", [dev(f"a{i}", DAY, "A")]) for i in (3, 1, 2)]
    ranked = rank_stories(stories, PERIOD, OFFICES, limit=2)
    assert [r.story.id for r in ranked] == ["s1", "s2"]
