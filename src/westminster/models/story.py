"""Stories: one event covered across outlets and over time, with what each article added."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True)
class StoryQuote:
    """A quote carried by a story, with its speaker and the article it first appeared in."""

    text: str
    kind: str  # "direct" | "indirect" | "mixed" | "continuation"
    speaker: str  # the speaker's name as resolved ("" when unattributed)
    speaker_key: str  # canonical entity key, e.g. "person:keir-starmer" ("" when none)
    fingerprint: str  # Quote.fingerprint: the same words in another outlet match
    article_id: str

    @property
    def key(self) -> str:
        """How quotes are told apart across a story: the fingerprint (else the words)."""
        return self.fingerprint or self.text.casefold()


@dataclass(frozen=True)
class StoryFigure:
    """A figure carried by a story, with the article it first appeared in."""

    text: str  # as written, e.g. "£600 million"
    kind: str  # Figure.kind
    value: float | str | None
    unit: str | None
    article_id: str

    @property
    def key(self) -> str:
        """How figures are told apart: kind, normalised value and unit, not the wording."""
        value = self.value
        shown = repr(float(value)) if isinstance(value, int | float) else str(value or self.text)
        return f"{self.kind}|{shown}|{self.unit or ''}"


@dataclass(frozen=True)
class StoryPerson:
    """A person or organisation in a story and in how many of its articles they appear."""

    key: str  # canonical entity key
    name: str
    kind: str  # Entity.kind
    articles: int


@dataclass(frozen=True)
class Development:
    """One article of a story and what it added that earlier coverage of the story did not."""

    article_id: str
    title: str
    outlet: str | None
    url: str | None
    published: date | None
    added_at: datetime  # when the article joined the story (UTC)
    score: float  # the engine's similarity when it joined (1.0 for a story's first article)
    independent: bool  # False for duplicates and rewrites of another article
    copy_of: str | None = None  # the original article of a duplicate or rewrite
    new_people: tuple[str, ...] = ()  # names first seen in this story in this article
    new_figures: tuple[str, ...] = ()  # figure texts first seen here
    new_quotes: tuple[str, ...] = ()  # quote texts first seen here
    reason: str | None = None  # why it stands alone: "empty", "not-english" (else None)


@dataclass(frozen=True)
class StoryMerge:
    """A record that a story turned out to be part of another; its id now leads there."""

    merged_id: str
    into_id: str
    at: datetime
    score: float


@dataclass(frozen=True)
class Story:
    """A story as stored: headline, times, independent outlets, key content and timeline."""

    id: str  # stable: derived from the first article; merged ids resolve to the survivor
    headline: str  # representative headline
    first_seen: datetime
    last_updated: datetime
    articles: tuple[Development, ...] = ()  # the timeline, oldest first
    outlets: tuple[str, ...] = ()  # independent outlets only (duplicates/rewrites excluded)
    people: tuple[StoryPerson, ...] = ()  # most-mentioned first
    figures: tuple[StoryFigure, ...] = ()
    quotes: tuple[StoryQuote, ...] = ()
    topics: tuple[str, ...] = ()
    merged_from: tuple[str, ...] = ()  # ids of stories merged into this one

    @property
    def independent_articles(self) -> int:
        """Articles that are not duplicates or rewrites of another article."""
        return sum(1 for item in self.articles if item.independent)

    def developments_since(self, when: datetime) -> tuple[Development, ...]:
        """The articles that joined after `when` ("what's new since T")."""
        return tuple(item for item in self.articles if item.added_at > when)
