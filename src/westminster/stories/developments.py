"""What each article adds to its story: the people, figures and quotes earlier coverage lacked.

An article's contribution is everything it carries (from its analysis); what it adds is the
part no earlier article of the same story carried, compared by key: the entity key for people,
kind, value and unit for figures ("£600m" and "£600 million" are one figure), the quote
fingerprint for quotes (the same words in another outlet are the same quote).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol, TypeVar

from westminster.models import Analysis
from westminster.models.story import StoryFigure, StoryPerson, StoryQuote

# Dates ("13 September") place the news and ordinals ("second", "75th") rank it; neither is
# news, so neither is reported as a figure a development added.
SKIPPED_FIGURE_KINDS = frozenset({"date", "ordinal"})
# Counts below this are phrasing ("the two leaders", "one particular capability"), not news:
# on the bundled examples every count under 10 was of that sort, while the counts worth
# reporting ("10 million pensioners", "348 votes") are far above it.
MIN_NEWS_COUNT = 10


@dataclass(frozen=True)
class Contribution:
    """People, figures and quotes of one article (or the new part of them)."""

    people: tuple[StoryPerson, ...] = ()
    figures: tuple[StoryFigure, ...] = ()
    quotes: tuple[StoryQuote, ...] = ()


def _entity_key(key: str, name: str) -> str:
    # As the store keys entity rows: the cross-article key, else the folded name.
    return key or name.casefold()


def _small_count(kind: str, value: float | str | None) -> bool:
    return kind == "count" and isinstance(value, int | float) and abs(value) < MIN_NEWS_COUNT


def contribution(article_id: str, analysis: Analysis | None) -> Contribution:
    """Everything `analysis` carries, each person, figure and quote once, in text order."""
    if analysis is None:
        return Contribution()
    people: dict[str, StoryPerson] = {}
    for entity in analysis.entities:
        if entity.kind != "person":
            continue
        key = _entity_key(entity.key, entity.name)
        people.setdefault(key, StoryPerson(key, entity.name, entity.kind, 1))
    figures: dict[str, StoryFigure] = {}
    for figure in analysis.figures:
        if figure.kind in SKIPPED_FIGURE_KINDS or _small_count(figure.kind, figure.value):
            continue
        carried = StoryFigure(figure.text, figure.kind, figure.value, figure.unit, article_id)
        figures.setdefault(carried.key, carried)
    by_id = {e.id: e for e in analysis.entities}
    quotes: dict[str, StoryQuote] = {}
    for quote in analysis.quotes:
        name = key = ""
        if quote.speaker is not None:
            speaker = by_id.get(quote.speaker.entity_id or "")
            name = speaker.name if speaker is not None else quote.speaker.name
            key = _entity_key(speaker.key, speaker.name) if speaker is not None else ""
        said = StoryQuote(quote.text, quote.kind, name, key, quote.fingerprint, article_id)
        quotes.setdefault(said.key, said)
    return Contribution(tuple(people.values()), tuple(figures.values()), tuple(quotes.values()))


@dataclass
class _Seen:
    people: set[str] = field(default_factory=set)
    figures: set[str] = field(default_factory=set)
    quotes: set[str] = field(default_factory=set)

    def take(self, found: Contribution) -> Contribution:
        """The part of `found` not seen yet, which is seen from now on."""
        people = _new(found.people, self.people)
        figures = _new(found.figures, self.figures)
        quotes = _new(found.quotes, self.quotes)
        return Contribution(people, figures, quotes)


class _Keyed(Protocol):
    @property
    def key(self) -> str: ...


K = TypeVar("K", bound=_Keyed)


def _new(items: tuple[K, ...], seen: set[str]) -> tuple[K, ...]:
    out = []
    for item in items:
        if item.key not in seen:
            seen.add(item.key)
            out.append(item)
    return tuple(out)


class Novelty:
    """The people, figures and quotes each story has carried so far, by key."""

    def __init__(self) -> None:
        self._seen: dict[str, _Seen] = {}

    def __contains__(self, story_id: str) -> bool:
        return story_id in self._seen

    def __len__(self) -> int:
        return len(self._seen)

    def seed(self, story_id: str, earlier: Iterable[Contribution]) -> None:
        """Start tracking a story from what its stored articles added."""
        seen = self._seen.setdefault(story_id, _Seen())
        for item in earlier:
            seen.take(item)

    def add(self, story_id: str, found: Contribution) -> Contribution:
        """What `found` adds to the story (recorded as seen from now on)."""
        return self._seen.setdefault(story_id, _Seen()).take(found)

    def merge(self, survivor: str, merged: str) -> None:
        """The survivor has seen what the merged story had."""
        gone = self._seen.pop(merged, _Seen())
        seen = self._seen.setdefault(survivor, _Seen())
        seen.people |= gone.people
        seen.figures |= gone.figures
        seen.quotes |= gone.quotes

    def forget(self, story_ids: Iterable[str]) -> None:
        """Stop tracking stories (they left the engine: a later article reloads them)."""
        for story_id in story_ids:
            self._seen.pop(story_id, None)
