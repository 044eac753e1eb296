"""Briefings: the daily "Westminster Update", "Insights" on one subject, and alerts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

BriefingKind = Literal["daily", "weekly", "insights", "alert"]


@dataclass(frozen=True)
class SourceRef:
    """An article a briefing cites."""

    article_id: str
    title: str
    outlet: str | None
    url: str | None
    published: date | None


@dataclass(frozen=True)
class CitedSentence:
    """A summary sentence and the article it was taken from (or that supports it)."""

    text: str
    source: SourceRef
    abstractive: bool = False  # written by the abstractive backend (checked against sources)
    also_from: tuple[SourceRef, ...] = ()  # further cited articles (abstractive sentences)


@dataclass(frozen=True)
class BriefingQuote:
    """A quote in a briefing: the words, who said them, where and when."""

    text: str
    kind: str
    speaker: str
    speaker_key: str
    source: SourceRef
    new_since_last: bool = False  # Insights: first stored after the last briefing on the subject


@dataclass(frozen=True)
class BriefingFigure:
    """A figure in a briefing with its normalised value and source."""

    text: str
    kind: str
    value: float | str | None
    unit: str | None
    source: SourceRef


@dataclass(frozen=True)
class BriefingItem:
    """One story in a briefing, with why it ranks where it does."""

    story_id: str
    headline: str
    summary: tuple[CitedSentence, ...]
    quotes: tuple[BriefingQuote, ...] = ()
    figures: tuple[BriefingFigure, ...] = ()
    sources: tuple[SourceRef, ...] = ()
    outlets: int = 0  # independent outlets
    score: float = 0.0
    signals: tuple[tuple[str, float], ...] = ()  # ("coverage", 0.8), ("momentum", ...), ...
    people: tuple[str, ...] = ()  # entity keys, for matching subscribers' preferences
    topics: tuple[str, ...] = ()
    new_since_last: bool = False


@dataclass(frozen=True)
class CoveragePoint:
    """Articles (and independent outlets) about a subject on one day."""

    day: date
    articles: int
    outlets: int


@dataclass(frozen=True)
class Briefing:
    """A briefing: a ranked list of stories, plus, for Insights, the subject's record."""

    kind: BriefingKind
    title: str
    period_start: datetime
    period_end: datetime
    generated_at: datetime
    items: tuple[BriefingItem, ...] = ()
    subject: str | None = None  # Insights: entity key, topic name or query
    subject_name: str | None = None
    quote_history: tuple[BriefingQuote, ...] = ()  # Insights: what the subject said, newest first
    figures: tuple[BriefingFigure, ...] = ()  # Insights: figures in the subject's coverage
    appeared_with: tuple[tuple[str, int], ...] = ()  # Insights: (name, shared articles)
    coverage: tuple[CoveragePoint, ...] = ()  # Insights: coverage over time
    new_since: datetime | None = None  # Insights/alerts: items newer than this are marked new
    subject_kind: str | None = None  # Insights: "person", "organisation", "topic", ...
    new_sources: tuple[SourceRef, ...] = ()  # Insights: articles first stored after new_since
