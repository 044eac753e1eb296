"""Daily briefing items: key quotes, key figures, sources, signals and the empty day."""

from __future__ import annotations

from datetime import date

from tests.briefings_support import DAY, NOW, dev, person, story
from westminster.briefings import (
    daily_briefing,
    daily_item,
    key_figures,
    key_quotes,
    period_of_days,
    rank_stories,
)
from westminster.briefings.daily import cited, item_sources
from westminster.briefings.subjects import ref_of_development
from westminster.knowledge.offices import load_office_table
from westminster.models import StoryFigure, StoryQuote

OFFICES = load_office_table()
PERIOD = period_of_days(DAY, DAY)
EARLIER = date(2024, 9, 12)


def q(
    text: str, speaker: str, article: str, kind: str = "direct", key: str | None = None
) -> StoryQuote:
    slug = speaker.lower().replace(" ", "-")
    return StoryQuote(
        text, kind, speaker, key if key is not None else f"person:{slug}", text, article
    )


def test_key_quotes_prefer_the_period_resolved_speakers_and_one_each() -> None:
    developments = [dev("old", EARLIER, "A"), dev("a", DAY, "B"), dev("b", DAY, "C")]
    quotes = (
        q("Yesterday I said something rather long about missiles.", "Keir Starmer", "old"),
        q("Let me be clear, it was Russia that started this.", "Keir Starmer", "a"),
        q("We have a strong partnership with the United States.", "Keir Starmer", "b"),
        q("allowing the strikes would mean war with Nato", "Vladimir Putin", "a", "indirect"),
        q("The budget is far too small for the county.", "a spokesman", "b", key=""),
        q("Too short.", "David Lammy", "a"),
        q("Ukraine must have what it needs to defend itself this winter.", "David Lammy", "b"),
        q("A quote from an article the story does not hold at all.", "Joe Biden", "zz"),
    )
    s = story("s", developments, quotes=quotes)
    ranked = rank_stories([s], PERIOD, OFFICES)[0]
    chosen = key_quotes(s, ranked.in_period, OFFICES, DAY)
    assert [(c.speaker, c.text[:12]) for c in chosen] == [
        ("Keir Starmer", "Let me be cl"),  # the PM, in the period, his own words
        ("David Lammy", "Ukraine must"),
        ("Vladimir Putin", "allowing the"),  # reported speech after direct quotes
    ]
    assert chosen[0].source.article_id == "a" and chosen[0].source.url == "https://news.example/a"


def test_key_quotes_fill_up_with_a_second_quote_of_a_speaker() -> None:
    quotes = (
        q("Let me be clear, it was Russia that started this.", "Keir Starmer", "a"),
        q("We have a strong partnership with the United States.", "Keir Starmer", "a"),
    )
    s = story("s", [dev("a", DAY, "A")], quotes=quotes)
    assert len(key_quotes(s, s.articles, OFFICES, DAY)) == 2


def test_key_figures_keep_news_figures_once_the_period_first() -> None:
    figures = (
        StoryFigure("£3 billion", "money", 3e9, "GBP", "old"),
        StoryFigure("two leaders", "count", 2, "leader", "a"),
        StoryFigure("2024", "date", "2024", None, "a"),
        StoryFigure("£600 million", "money", 6e8, "GBP", "a"),
        StoryFigure("£600m", "money", 6e8, "GBP", "b"),
        StoryFigure("40%", "percent", 40, "%", "b"),
        StoryFigure("155 miles", "quantity", 155, "mile", "b"),
    )
    s = story(
        "s", [dev("old", EARLIER, "A"), dev("a", DAY, "B"), dev("b", DAY, "C")], figures=figures
    )
    chosen = key_figures(s, [d for d in s.articles if d.published == DAY])
    assert [f.text for f in chosen] == ["£600 million", "40%", "155 miles", "£3 billion"]


def test_sources_list_independent_articles_first() -> None:
    s = story("s", [dev("copy", DAY, "Wire", independent=False), dev("a", DAY, "A")])
    assert [r.article_id for r in item_sources(s, s.articles)] == ["a", "copy"]


def test_daily_item_carries_summary_signals_people_and_newness() -> None:
    continuing = story(
        "cont",
        [dev("old", EARLIER, "A"), dev("a", DAY, "B")],
        people=(person("Keir Starmer"), person("Nato", "organisation")),
        topics=("defence",),
    )
    fresh = story("fresh", [dev("f", DAY, "C")])
    ranked = {r.story.id: r for r in rank_stories([continuing, fresh], PERIOD, OFFICES)}
    refs = {d.article_id: ref_of_development(d) for d in continuing.articles}
    summary = cited([("a", "Sentence one."), ("gone", "Dropped."), ("old", "Two.")], refs)
    item = daily_item(ranked["cont"], summary, PERIOD, OFFICES)
    assert [s.source.article_id for s in item.summary] == ["a", "old"]
    assert item.people == ("person:keir-starmer", "organisation:nato")
    assert item.topics == ("defence",) and item.outlets == 1
    assert dict(item.signals)["coverage"] > 0 and item.score == round(ranked["cont"].score, 4)
    assert not item.new_since_last
    assert daily_item(ranked["fresh"], (), PERIOD, OFFICES).new_since_last


def test_an_empty_day_is_a_briefing_without_items() -> None:
    briefing = daily_briefing(DAY, PERIOD, [], NOW)
    assert briefing.kind == "daily" and briefing.items == ()
    assert briefing.title == "Westminster Update — Friday 13 September 2024"
    assert briefing.period_start.isoformat() == "2024-09-13T00:00:00+00:00"
    assert briefing.period_end.isoformat() == "2024-09-14T00:00:00+00:00"
