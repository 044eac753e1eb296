"""Shared helpers for the briefings tests: hand-built stories and the fixture corpus ingested."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from westminster.config import Config
from westminster.ingest.fetcher import Fetcher
from westminster.models import Development, Story, StoryFigure, StoryPerson, StoryQuote
from westminster.pipeline.ingest import Ingester, IngestOptions, fetch_settings
from westminster.store import Store

CORPUS = Path(__file__).resolve().parent / "fixtures" / "briefings" / "articles.jsonl"
DAY = date(2024, 9, 13)
NOW = datetime(2024, 9, 14, 6, 0, tzinfo=UTC)


def dev(
    article_id: str,
    published: date | None,
    outlet: str | None = None,
    *,
    independent: bool = True,
    new_figures: tuple[str, ...] = (),
    new_quotes: tuple[str, ...] = (),
    new_people: tuple[str, ...] = (),
    url: str | None = None,
) -> Development:
    """One article of a story, built by hand."""
    added = datetime(2024, 9, 14, 5, 0, tzinfo=UTC)
    return Development(
        article_id=article_id,
        title=f"Title of {article_id}",
        outlet=outlet,
        url=url if url is not None else f"https://news.example/{article_id}",
        published=published,
        added_at=added,
        score=1.0,
        independent=independent,
        copy_of=None if independent else "x",
        new_people=new_people,
        new_figures=new_figures,
        new_quotes=new_quotes,
    )


def story(
    story_id: str,
    developments: list[Development],
    *,
    people: tuple[StoryPerson, ...] = (),
    topics: tuple[str, ...] = (),
    quotes: tuple[StoryQuote, ...] = (),
    figures: tuple[StoryFigure, ...] = (),
    headline: str | None = None,
) -> Story:
    """A story, built by hand, around its developments."""
    days = [d.published for d in developments if d.published]
    first = datetime.combine(min(days), datetime.min.time(), UTC) if days else NOW
    last = datetime.combine(max(days), datetime.min.time(), UTC) if days else NOW
    return Story(
        id=story_id,
        headline=headline or f"Headline of {story_id}",
        first_seen=first,
        last_updated=last,
        articles=tuple(developments),
        outlets=tuple(dict.fromkeys(d.outlet for d in developments if d.outlet and d.independent)),
        people=people,
        figures=figures,
        quotes=quotes,
        topics=topics,
    )


def person(name: str, kind: str = "person") -> StoryPerson:
    """A story person with the project's key form."""
    return StoryPerson(f"{kind}:{name.lower().replace(' ', '-')}", name, kind, 1)


def ingest_corpus(store: Store, analyzer: object, path: Path = CORPUS) -> None:
    """Ingest the fixture articles (analysed, deduped, assigned to stories) into the store."""
    config = Config(host_interval=0.0, fetch_attempts=1, fetch_timeout=0.5)
    with Fetcher(fetch_settings(config)) as fetcher:
        Ingester(store, fetcher, IngestOptions(analyse=True), analyzer=lambda: analyzer).run(
            [str(path)]
        )
