"""Briefings built from a real store (both backends): the daily update and Insights."""

from __future__ import annotations

import json
import logging
import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.briefings_support import CORPUS, DAY, NOW, ingest_corpus
from tests.llm_server import chat_server
from westminster.briefings import BriefingError, render
from westminster.nlp.abstractive import LLMEndpoint
from westminster.pipeline.briefs import (
    BriefOptions,
    build_daily,
    build_insights,
    build_weekly,
    resolve_subject,
)
from westminster.store import Store

ELEVEN_DAY = date(2024, 9, 11)


def test_the_daily_update_ranks_the_days_stories_with_cited_summaries(
    store: Store, analyzer: object
) -> None:
    ingest_corpus(store, analyzer)
    briefing = build_daily(store, DAY, now=NOW)
    assert briefing.kind == "daily" and briefing.generated_at == NOW
    headlines = [item.headline for item in briefing.items]
    assert len(headlines) == 3  # the rail story ran on the 10th
    assert "Storm Shadow" in headlines[0] and "NHS" in headlines[1] and "Council" in headlines[2]
    top = briefing.items[0]
    assert dict(top.signals)["outlets"] == top.outlets >= 2
    weights = [dict(item.signals)["political_weight"] for item in briefing.items]
    assert weights[0] > weights[2]
    assert "person:keir-starmer" in top.people and "defence" in top.topics
    assert not top.new_since_last and briefing.items[1].new_since_last  # ran on the 12th too
    for item in briefing.items:
        story = store.get_story(item.story_id)
        assert 2 <= len(item.summary) <= 3
        for sentence in item.summary:
            assert sentence.source.article_id in {d.article_id for d in story.articles}
            assert sentence.text in " ".join(
                store.get_article(sentence.source.article_id).article.text.split()
            )
        assert all(s.url and s.url.startswith("https://") for s in item.sources)
    speakers = [q.speaker for q in top.quotes]
    assert speakers[0] == "Keir Starmer" and len(set(speakers)) == len(speakers)
    assert "£600 million" in [f.text for f in top.figures]
    # Building is read-only and repeatable.
    assert build_daily(store, DAY, now=NOW) == briefing
    assert store.last_briefing("daily", "") is None
    assert build_daily(store, date(2024, 9, 1), now=NOW).items == ()
    week = build_weekly(store, date(2024, 9, 9), now=NOW)
    assert week.kind == "weekly" and week.title == "Westminster Week — 9–15 September 2024"
    assert len(week.items) == 4 and week.items[0].story_id == top.story_id
    assert any("Rail fares" in i.headline for i in week.items)  # it ran on the 10th
    assert "no stories were published from 2 September 2024 to 8 September 2024" in render(
        build_weekly(store, date(2024, 9, 2), now=NOW), "txt"
    )


def test_insights_remember_what_is_new_since_the_last_one(
    store: Store, analyzer: object, tmp_path: Path
) -> None:
    ingest_corpus(store, analyzer)
    first_time = datetime.now(UTC)
    first = build_insights(
        store, "Sir Keir Starmer", since=date(2024, 9, 7), until=DAY, now=first_time
    )
    assert first.subject == "person:keir-starmer" and first.subject_name == "Keir Starmer"
    assert first.new_since is None and len(first.coverage) == 7
    assert [(p.day, p.articles) for p in first.coverage if p.articles] == [
        (date(2024, 9, 12), 1),
        (DAY, 4),
    ]
    said = [q for q in first.quote_history if q.text.startswith('"Let me be clear')]
    assert said and said[0].source.outlet == "Westminster Courier"
    assert said[0].source.published == DAY
    assert ("Joe Biden", 3) in first.appeared_with
    assert first.items and "Storm Shadow" in first.items[0].headline

    later = tmp_path / "later.jsonl"
    record = {
        "id": "later",
        "title": "Starmer returns from Washington",
        "outlet": "Evening Post",
        "published": "2024-09-13",
        "url": "https://eveningpost.example/later",
        "text": "Sir Keir Starmer returned to London on Saturday after his talks with Joe Biden.\n"
        'The prime minister told reporters: "We agreed a long-term plan for Ukraine and for '
        'peace in the Middle East."\nHe said more support would follow in the coming weeks.',
    }
    later.write_text(json.dumps(record) + "\n", encoding="utf-8")
    ingest_corpus(store, analyzer, later)
    second_time = datetime.now(UTC) + timedelta(seconds=1)
    week = {"since": date(2024, 9, 7), "until": DAY}
    second = build_insights(store, "person:keir-starmer", **week, now=second_time)
    assert second.new_since == first_time
    assert [r.article_id for r in second.new_sources] == [_id(store, "later")]
    new_quotes = [q for q in second.quote_history if q.new_since_last]
    assert new_quotes and all(q.source.outlet == "Evening Post" for q in new_quotes)
    # The same briefing again (same time) records nothing new and still dates from the first.
    again = build_insights(store, "person:keir-starmer", **week, now=second_time)
    assert again == second
    assert store.last_briefing("insights", "person:keir-starmer") == second_time


def _id(store: Store, record: str) -> str:
    return next(s.id for s in store.iter_articles() if (s.article.url or "").endswith(record))


def test_subjects_resolve_by_name_key_or_topic_and_unknowns_are_named(
    store: Store, analyzer: object
) -> None:
    ingest_corpus(store, analyzer)
    assert resolve_subject(store, "Wes Streeting").key == "person:wes-streeting"
    assert resolve_subject(store, "person:joe-biden").name == "Joe Biden"
    assert resolve_subject(store, "DEFENCE").kind == "topic"
    topic = build_insights(
        store, "health", since=DAY, until=DAY, now=NOW, hint="topic", record=False
    )
    assert topic.subject_kind == "topic" and topic.title == "Insights: health, 13 September 2024"
    assert {q.speaker for q in topic.quote_history} >= {"Wes Streeting"}
    assert store.last_briefing("insights", "health") is None  # record=False
    with pytest.raises(BriefingError) as unknown:
        resolve_subject(store, "Nobody Atall")
    assert unknown.value.subject == "Nobody Atall" and unknown.value.code == "W610"
    with pytest.raises(BriefingError, match="no such topic"):
        resolve_subject(store, "astrology", "topic")
    with pytest.raises(BriefingError, match="ends"):
        build_insights(store, "health", since=DAY, until=ELEVEN_DAY, now=NOW)


def _first_source_and_an_invention(request: dict[str, Any]) -> str:
    """Answer with the first numbered source, cited, and an uncited invention."""
    user = request["messages"][1]["content"]
    first = re.search(r"^\[1\](?: \([^)]*\))? (.+)$", user, re.M)
    assert first is not None
    return f"{first.group(1)} [1]\nAliens endorsed the plan, officials confirmed."


def test_the_abstractive_backend_is_checked_and_falls_back(
    tmp_path: Path, analyzer: object, caplog: pytest.LogCaptureFixture
) -> None:
    from westminster.store import open_store

    store = open_store(tmp_path / "store.db")
    ingest_corpus(store, analyzer, CORPUS)
    with chat_server() as server:
        server.reply = _first_source_and_an_invention
        options = BriefOptions(llm=LLMEndpoint(server.base, "m"))
        briefing = build_daily(store, DAY, now=NOW, options=options)
        assert len(server.requests) == 3  # one per story
        for item in briefing.items:
            assert len(item.summary) == 1 and item.summary[0].abstractive
            assert "Aliens" not in item.summary[0].text
        server.status = 503
        with caplog.at_level(logging.WARNING, logger="westminster.pipeline.briefs"):
            fallback = build_daily(store, DAY, now=NOW, options=options)
    assert fallback == build_daily(store, DAY, now=NOW)  # the extractive briefing
    assert "extractive used" in caplog.text and "HTTP 503" in caplog.text
    assert "Aliens" not in render(briefing, "html")
    store.close()
