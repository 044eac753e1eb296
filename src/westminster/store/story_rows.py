"""Stories as both backends store them: what ingestion writes and how a Story is assembled.

A story is its member articles in the order they joined (`story_articles`), what each added
(people, figures and quotes as JSON), the merges that folded other stories into it and, for the
story engine, its opaque state. Only what is the same on SQLite and PostgreSQL lives here.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from westminster.models.story import (
    Development,
    Story,
    StoryFigure,
    StoryMerge,
    StoryPerson,
    StoryQuote,
)

# Key people listed with a story: most articles first (a story of 200 articles names hundreds).
STORY_PEOPLE = 20
# Topics listed with a story: those carried by most of its articles.
STORY_TOPICS = 5
# Entity kinds that count as a story's people (StoryPerson: a person or an organisation).
PEOPLE_KINDS = ("person", "organisation")
# The representative headline is chosen among the first this many articles (cost bound).
HEADLINE_CANDIDATES = 50
# Name of the engine header row in `story_engine`.
ENGINE_ROW = "engine"

_WORD = re.compile(r"[^\W_]{4,}", re.UNICODE)


@dataclass(frozen=True)
class StoryMember:
    """One article in a story, as ingestion records it."""

    article_id: str
    story_id: str
    score: float  # the engine's similarity when it joined (1.0 for a story's first article)
    added_at: datetime  # when it joined (UTC)
    seen_at: datetime  # its publication day (midnight UTC), else its fetch time
    independent: bool = True  # False for duplicates and rewrites of another article
    copy_of: str | None = None
    created: bool = False  # the article started the story
    reason: str | None = None  # "empty", "not-english": why it stands alone
    evidence: tuple[str, ...] = ()  # the features it shared with the story
    analysed: bool = False  # its analysis was known when its additions were computed
    new_people: tuple[StoryPerson, ...] = ()
    new_figures: tuple[StoryFigure, ...] = ()
    new_quotes: tuple[StoryQuote, ...] = ()


@dataclass(frozen=True)
class EngineState:
    """The story engine's saved state: opaque header and story entries, feature counts."""

    header: bytes
    stories: Mapping[str, bytes] = field(default_factory=dict)  # changed active stories
    dropped: tuple[str, ...] = ()  # stories that left the engine
    frequencies: Mapping[str, int] = field(default_factory=dict)  # changed document counts
    replace: bool = False  # drop every stored part first (the engine started afresh)


@dataclass(frozen=True)
class StorySplit:
    """Articles of a story that the engine found to be another event, moved to a new story."""

    story_id: str  # the story split (it keeps its id and its other articles)
    new_id: str
    article_ids: tuple[str, ...]  # the articles that move to `new_id`
    at: datetime
    after_merges: int = 0  # how many of the batch's merges came before it (applied in order)


@dataclass(frozen=True)
class StoryBatch:
    """What one ingest batch did to stories, stored in one transaction."""

    members: tuple[StoryMember, ...] = ()  # new members; an unanalysed one may get additions
    merges: tuple[StoryMerge, ...] = ()  # applied after the members, in order
    copies: tuple[tuple[str, str], ...] = ()  # (article, original): now a copy, not independent
    splits: tuple[StorySplit, ...] = ()  # applied after the members, among the merges
    engine: EngineState | None = None


@dataclass(frozen=True)
class StoredMember:
    """A member with its article's headline, outlet, URL and date, for the timeline."""

    member: StoryMember
    title: str
    outlet: str | None
    url: str | None
    published: date | None


def utc(value: datetime) -> datetime:
    """A time in UTC (naive times are taken as UTC)."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


# -- JSON columns ------------------------------------------------------------------------------


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def people_json(people: Sequence[StoryPerson]) -> str:
    """`new_people` as stored."""
    return _dumps([[p.key, p.name, p.kind] for p in people])


def figures_json(figures: Sequence[StoryFigure]) -> str:
    """`new_figures` as stored."""
    return _dumps([[f.text, f.kind, f.value, f.unit, f.article_id] for f in figures])


def quotes_json(quotes: Sequence[StoryQuote]) -> str:
    """`new_quotes` as stored."""
    return _dumps(
        [[q.text, q.kind, q.speaker, q.speaker_key, q.fingerprint, q.article_id] for q in quotes]
    )


def _loads(value: Any) -> list[Any]:
    """A JSON column back: text on SQLite, already parsed (jsonb) on PostgreSQL."""
    parsed = json.loads(value) if isinstance(value, str | bytes) else value
    return list(parsed or [])


def member_params(m: StoryMember) -> dict[str, Any]:
    """A member's columns (times as datetimes; the backend converts them)."""
    return {
        "article_id": m.article_id,
        "story_id": m.story_id,
        "score": float(m.score),
        "added_at": utc(m.added_at),
        "seen_at": utc(m.seen_at),
        "independent": m.independent,
        "copy_of": m.copy_of,
        "created": m.created,
        "reason": m.reason,
        "evidence": _dumps(list(m.evidence)),
        "analysed": m.analysed,
        "new_people": people_json(m.new_people),
        "new_figures": figures_json(m.new_figures),
        "new_quotes": quotes_json(m.new_quotes),
    }


def member_from_row(row: Any, added_at: datetime, seen_at: datetime) -> StoryMember:
    """A StoryMember from a `story_articles` row (times decoded by the backend)."""
    return StoryMember(
        article_id=row["article_id"],
        story_id=row["story_id"],
        score=float(row["score"]),
        added_at=added_at,
        seen_at=seen_at,
        independent=bool(row["independent"]),
        copy_of=row["copy_of"],
        created=bool(row["created"]),
        reason=row["reason"],
        evidence=tuple(str(e) for e in _loads(row["evidence"])),
        analysed=bool(row["analysed"]),
        new_people=tuple(
            StoryPerson(str(k), str(n), str(kind), 1) for k, n, kind in _loads(row["new_people"])
        ),
        new_figures=tuple(
            StoryFigure(str(t), str(kind), v, u, str(a))
            for t, kind, v, u, a in _loads(row["new_figures"])
        ),
        new_quotes=tuple(
            StoryQuote(str(t), str(kind), str(s), str(sk), str(fp), str(a))
            for t, kind, s, sk, fp, a in _loads(row["new_quotes"])
        ),
    )


# -- assembling a Story ------------------------------------------------------------------------


def representative_headline(titles: Sequence[str]) -> str:
    """The headline sharing the most words with the others (the earliest on ties).

    The first report of an event is often a teaser; the wording most outlets converge on
    names the event as readers know it.
    """
    candidates = [t for t in titles[:HEADLINE_CANDIDATES] if t.strip()]
    if not candidates:
        return ""
    words = [{w.casefold() for w in _WORD.findall(t)} for t in candidates]
    best, best_shared = 0, -1
    for i, mine in enumerate(words):
        shared = sum(len(mine & other) for j, other in enumerate(words) if j != i)
        if shared > best_shared:
            best, best_shared = i, shared
    return candidates[best].strip()


def assemble_story(
    story_id: str,
    first_seen: datetime,
    last_updated: datetime,
    members: Sequence[StoredMember],
    *,
    people: Sequence[StoryPerson] = (),
    topics: Sequence[str] = (),
    merged_from: Sequence[str] = (),
) -> Story:
    """A Story from its members in joining order, people and topics read from the analyses.

    What a member added is counted once along the timeline: after a merge, two members that
    each added the same figure to their own story show it only at the first.
    """
    seen_people: set[str] = set()
    seen_figures: set[str] = set()
    seen_quotes: set[str] = set()
    timeline: list[Development] = []
    figures: list[StoryFigure] = []
    quotes: list[StoryQuote] = []
    outlets: dict[str, None] = {}
    for stored in members:
        m = stored.member
        new_people = [p for p in m.new_people if p.key not in seen_people]
        seen_people.update(p.key for p in new_people)
        new_figures = [f for f in m.new_figures if f.key not in seen_figures]
        seen_figures.update(f.key for f in new_figures)
        new_quotes = [q for q in m.new_quotes if q.key not in seen_quotes]
        seen_quotes.update(q.key for q in new_quotes)
        figures.extend(new_figures)
        quotes.extend(new_quotes)
        if m.independent and stored.outlet:
            outlets.setdefault(stored.outlet, None)
        timeline.append(
            Development(
                article_id=m.article_id,
                title=stored.title,
                outlet=stored.outlet,
                url=stored.url,
                published=stored.published,
                added_at=m.added_at,
                score=m.score,
                independent=m.independent,
                copy_of=m.copy_of,
                new_people=tuple(p.name for p in new_people),
                new_figures=tuple(f.text for f in new_figures),
                new_quotes=tuple(q.text for q in new_quotes),
                reason=m.reason,
            )
        )
    independent = [s.title for s in members if s.member.independent]
    headline = representative_headline(independent) or representative_headline(
        [s.title for s in members]
    )
    return Story(
        id=story_id,
        headline=headline,
        first_seen=first_seen,
        last_updated=last_updated,
        articles=tuple(timeline),
        outlets=tuple(outlets),
        people=tuple(people),
        figures=tuple(figures),
        quotes=tuple(quotes),
        topics=tuple(topics),
        merged_from=tuple(merged_from),
    )
