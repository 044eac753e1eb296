"""Alerts: follows of people, topics and keyword queries against articles and stories."""

from __future__ import annotations

import pytest

from westminster.briefings import BriefingError, Follow, match_alerts, match_article, match_item
from westminster.briefings.alerts import matches_text, parse_query
from westminster.models import (
    Analysis,
    Article,
    BriefingItem,
    BriefingQuote,
    CitedSentence,
    Entity,
    SourceRef,
    Topic,
)

TEXT = (
    "Sir Keir Starmer met Joe Biden to discuss Storm Shadow missiles.\n"
    "The prime minister's officials said sanctions on Russia would widen."
)
ANALYSIS = Analysis(
    Article("Starmer and Biden discuss missiles", TEXT),
    entities=(
        Entity(
            "e1",
            "Keir Starmer",
            "person",
            ("Sir Keir Starmer", "the prime minister"),
            (),
            "person:keir-starmer",
        ),
        Entity("e2", "Joe Biden", "person", ("Joe Biden",), (), "person:joe-biden"),
        Entity("e3", "Downing Street", "organisation", (), (), "organisation:downing-street"),
    ),
    topics=(Topic("defence", 0.9, ("missiles",)), Topic("foreign affairs", 0.6)),
)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("starmer", True),
        ("STARMER biden", True),
        ('"storm shadow"', True),
        ('"shadow storm"', False),
        ("starmer AND trump", False),
        ("trump OR biden", True),
        ("missiles -drones", True),
        ("missiles NOT russia", False),
        ("sanction*", True),
        ("sanction", False),
        ('(trump OR biden) "prime minister\'s"', True),
        ("trump OR biden starmer", True),  # AND binds tighter: trump OR (biden AND starmer)
        ("(trump OR biden) AND nato", False),
        ("Starmer’s", False),
        ("missiles,", True),  # punctuation around a word is not part of it
    ],
)
def test_keyword_queries(query: str, expected: bool) -> None:
    assert matches_text(query, ANALYSIS.article.title + "\n" + TEXT) is expected


@pytest.mark.parametrize(
    "bad", ["", "AND starmer", "(starmer", "starmer)", "starmer OR", '""', "NOT"]
)
def test_bad_queries_name_the_query(bad: str) -> None:
    with pytest.raises(BriefingError) as caught:
        parse_query(bad)
    assert caught.value.code == "W610" and "bad keyword query" in caught.value.message
    assert caught.value.subject == bad


def test_a_person_matches_by_key_name_alias_or_titles() -> None:
    for value in (
        "person:keir-starmer",
        "Keir Starmer",
        "keir starmer",
        "Sir Keir Starmer",
        "the prime minister",
    ):
        match = match_article(ANALYSIS, Follow("person", value))
        assert match is not None, value
        assert match.reason == "mentions Keir Starmer" and match.evidence == ("Keir Starmer",)
    assert match_article(ANALYSIS, Follow("person", "Downing Street")) is not None  # organisations
    assert match_article(ANALYSIS, Follow("person", "Keir")) is None  # a first name is not enough
    assert match_article(ANALYSIS, Follow("person", "Rachel Reeves")) is None


def test_topics_and_queries_and_several_follows() -> None:
    follows = [
        Follow("topic", "Defence"),
        Follow("topic", "health"),
        Follow("query", '"storm shadow" -drones'),
        Follow("person", "Joe Biden"),
    ]
    matches = match_alerts(ANALYSIS, follows)
    assert [m.follow for m in matches] == [follows[0], follows[2], follows[3]]
    assert matches[0].reason == "is about defence" and matches[0].evidence == ("missiles",)
    assert matches[1].evidence == ("storm shadow",)


def test_bad_follows_are_refused() -> None:
    with pytest.raises(BriefingError, match="empty"):
        match_article(ANALYSIS, Follow("person", "  "))
    with pytest.raises(BriefingError, match="unknown follow kind"):
        match_article(ANALYSIS, Follow("outlet", "BBC"))  # type: ignore[arg-type]


def test_briefing_items_match_by_people_keys_topics_and_words() -> None:
    ref = SourceRef("a", "t", None, None, None)
    item = BriefingItem(
        story_id="s",
        headline="Starmer and Biden discuss Storm Shadow",
        summary=(CitedSentence("The leaders met in Washington.", ref),),
        quotes=(
            BriefingQuote("Ukraine has every right to defend itself.", "direct", "K", "k", ref),
        ),
        people=("person:keir-starmer", "organisation:nato"),
        topics=("defence",),
    )
    assert match_item(item, Follow("person", "person:keir-starmer")) is not None
    assert match_item(item, Follow("person", "Keir Starmer")) is not None  # its key form
    assert match_item(item, Follow("person", "Nato")) is not None
    assert match_item(item, Follow("person", "Joe Biden")) is None
    assert match_item(item, Follow("topic", "DEFENCE")) is not None
    assert match_item(item, Follow("query", "washington ukraine")) is not None
    assert match_item(item, Follow("query", "washington -ukraine")) is None
