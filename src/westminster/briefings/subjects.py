"""What a briefing covers: periods, source references and the subject of an Insights briefing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal

from westminster.errors import WestminsterError
from westminster.knowledge.offices import person_key
from westminster.models import Analysis, Article, Development, Entity, SourceRef

SubjectKind = Literal["person", "organisation", "entity", "topic"]


class BriefingError(WestminsterError):
    """A briefing cannot be made as asked: unknown subject, bad period."""

    code = "W610"


@dataclass(frozen=True)
class Period:
    """A half-open span of whole UTC days: [start, end)."""

    start: datetime
    end: datetime

    @property
    def first_day(self) -> date:
        """The first day in the period."""
        return self.start.date()

    @property
    def last_day(self) -> date:
        """The last day in the period (inclusive)."""
        return (self.end - timedelta(microseconds=1)).date()

    def days(self) -> list[date]:
        """Every day in the period, oldest first."""
        count = (self.last_day - self.first_day).days + 1
        return [self.first_day + timedelta(days=n) for n in range(max(count, 0))]

    def holds(self, day: date) -> bool:
        """Whether a day lies in the period."""
        return self.first_day <= day <= self.last_day


def day_start(day: date) -> datetime:
    """Midnight UTC at the start of a day."""
    return datetime.combine(day, time(), UTC)


def period_of_days(first: date, last: date) -> Period:
    """The whole days from `first` to `last` inclusive; refuses a period that ends first."""
    if last < first:
        raise BriefingError(
            f"the period ends ({last.isoformat()}) before it starts ({first.isoformat()})",
            subject="period",
        )
    return Period(day_start(first), day_start(last + timedelta(days=1)))


def as_day(value: date | datetime) -> date:
    """A date, or the UTC date of a datetime."""
    if isinstance(value, datetime):
        return (value.astimezone(UTC) if value.tzinfo else value).date()
    return value


def development_day(development: Development) -> date:
    """The day an article belongs to: its publication date, else the day it joined the story."""
    if development.published is not None:
        return development.published
    return as_day(development.added_at)


def ref_of_development(development: Development) -> SourceRef:
    """The development's article as a source reference."""
    return SourceRef(
        article_id=development.article_id,
        title=development.title,
        outlet=development.outlet,
        url=development.url,
        published=development.published,
    )


def ref_of_article(article_id: str, article: Article) -> SourceRef:
    """A stored article as a source reference."""
    return SourceRef(
        article_id=article_id,
        title=article.title,
        outlet=article.outlet,
        url=article.url,
        published=article.published,
    )


@dataclass(frozen=True)
class Subject:
    """The subject of an Insights briefing: an entity (by key and name) or a topic."""

    kind: SubjectKind
    key: str  # entity key ("person:keir-starmer") or topic name
    name: str  # display name

    @property
    def is_topic(self) -> bool:
        """Whether the subject is a policy topic (else a person or organisation)."""
        return self.kind == "topic"


def kind_of_key(key: str) -> SubjectKind:
    """The subject kind an entity key names ("person:…", "organisation:…")."""
    prefix = key.split(":", 1)[0]
    if prefix == "person":
        return "person"
    if prefix == "organisation":
        return "organisation"
    return "entity"


def _folded(text: str) -> str:
    return " ".join(text.casefold().replace("’", "'").split())


def entity_matches(entity: Entity, wanted: str) -> bool:
    """Whether an entity is the one named: by key, canonical name or an alias (any case)."""
    target = _folded(wanted)
    if not target:
        return False
    if entity.key and _folded(entity.key) == target:
        return True
    return any(name_matches(n, wanted) for n in (entity.name, *entity.aliases))


def name_matches(name: str, wanted: str) -> bool:
    """Whether a name is the one asked for (case, titles and accents aside)."""
    target = _folded(wanted)
    if not target:
        return False
    if _folded(name) == target:
        return True
    # "Sir Keir Starmer" asked, "Keir Starmer" stored: compare without titles and honorifics.
    bare = person_key(wanted)
    return bool(bare) and person_key(name) == bare


def matching_entities(analysis: Analysis, wanted: str) -> list[Entity]:
    """The analysis's entities that are the one named (key, name or alias)."""
    return [e for e in analysis.entities if entity_matches(e, wanted)]
