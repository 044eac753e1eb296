"""Which stories lead a briefing: independent coverage, momentum, novelty and political weight.

Each signal lies in [0, 1] and the score is their weighted sum; every briefing item records its
signals, so a reader (and a test) can see why a story ranks where it does. No labelled ranking
of UK political stories exists to fit these numbers: they are set by hand from what editors
weigh, and the tests pin the orderings they must produce (tests/test_briefings_ranking.py).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from westminster.briefings.subjects import Period, development_day
from westminster.knowledge.offices import OfficeTable
from westminster.models import Development, Story

# Score weights (sum 1). Independent coverage leads: several outlets reporting a story on their
# own is the plainest evidence that it is news (the issue lists it first); momentum, novelty and
# political weight break ties among stories with similar coverage.
COVERAGE_WEIGHT = 0.4
MOMENTUM_WEIGHT = 0.2
NOVELTY_WEIGHT = 0.2
POLITICAL_WEIGHT = 0.2
# Coverage 1 - exp(-outlets / COVERAGE_SCALE): one outlet 0.28, three 0.63, six 0.86. Three
# independent outlets is where a UK story stops being one paper's exclusive.
COVERAGE_SCALE = 3.0
# Momentum compares the period's independent articles a day with the daily rate over this
# many days before it: momentum = recent / (recent + earlier), both per day. A new story
# scores 1, a story running at the earlier pace 0.5, a fading one less. Three days: a news
# cycle.
MOMENTUM_DAYS = 3
# Novelty 1 - exp(-new / NOVELTY_SCALE) over the new figures and quotes (people count half)
# that the period's articles added: four new items give 0.63.
NOVELTY_SCALE = 4.0
NEW_PERSON_VALUE = 0.5
# Political weight: OFFICE_SHARE from the offices held by the story's people on the day
# (combined as 1 - prod(1 - w), so two cabinet ministers outweigh one), the rest from its topics.
OFFICE_SHARE = 0.7
# Weights of offices, by id first, then by (country, kind); UK offices matter most to a
# Westminster briefing, the Prime Minister above all, then the cabinet and the opposition leader.
OFFICE_ID_WEIGHTS: dict[str, float] = {
    "uk-prime-minister": 1.0,
    "uk-chancellor": 0.85,
    "uk-leader-opposition": 0.75,
    "uk-foreign-secretary": 0.75,
    "uk-home-secretary": 0.75,
}
OFFICE_KIND_WEIGHTS: dict[tuple[str, str], float] = {
    ("GB", "deputy-head-of-government"): 0.8,
    ("GB", "minister"): 0.65,  # the cabinet's secretaries of state
    ("GB", "opposition"): 0.6,
    ("GB", "law-officer"): 0.5,
    ("GB", "parliament"): 0.5,  # Leaders of the Houses, Chief Whip
}
FOREIGN_LEADER_WEIGHT = 0.5  # heads of state or government abroad (US president, ...)
OTHER_OFFICE_WEIGHT = 0.35  # foreign ministers, heads of international institutions
_LEADER_KINDS = frozenset({"head-of-state", "head-of-government"})
# Topic weights: the briefs that dominate public spending and the issues voters rank highest
# (the economy, the NHS, immigration, defence) first; parliamentary business next; the rest
# at DEFAULT_TOPIC_WEIGHT. Topic names are those of nlp/data/topics.toml.
TOPIC_WEIGHTS: dict[str, float] = {
    "economy and public finances": 1.0,
    "health": 0.9,
    "immigration": 0.9,
    "defence": 0.85,
    "foreign affairs": 0.8,
    "elections and parties": 0.8,
    "parliament and legislation": 0.7,
    "brexit and europe": 0.7,
    "welfare and pensions": 0.7,
    "education": 0.7,
    "justice and policing": 0.7,
    "energy and environment": 0.7,
    "housing": 0.65,
    "culture and sport": 0.3,
}
DEFAULT_TOPIC_WEIGHT = 0.5


@dataclass(frozen=True)
class Signals:
    """A story's ranking components for one period, each in [0, 1], and their inputs."""

    coverage: float
    momentum: float
    novelty: float
    political: float
    outlets: int  # independent outlets in the period
    articles: int  # independent articles in the period
    earlier_per_day: float  # independent articles a day over MOMENTUM_DAYS before the period
    new_items: float  # new figures and quotes, people at half value
    office_weight: float
    topic_weight: float

    @property
    def score(self) -> float:
        """The weighted sum that orders a briefing."""
        return (
            COVERAGE_WEIGHT * self.coverage
            + MOMENTUM_WEIGHT * self.momentum
            + NOVELTY_WEIGHT * self.novelty
            + POLITICAL_WEIGHT * self.political
        )

    def pairs(self) -> tuple[tuple[str, float], ...]:
        """The components and inputs as (name, value) pairs for BriefingItem.signals."""
        return tuple(
            (name, round(float(value), 4))
            for name, value in (
                ("coverage", self.coverage),
                ("momentum", self.momentum),
                ("novelty", self.novelty),
                ("political_weight", self.political),
                ("outlets", self.outlets),
                ("articles", self.articles),
                ("earlier_per_day", self.earlier_per_day),
                ("new_items", self.new_items),
                ("office_weight", self.office_weight),
                ("topic_weight", self.topic_weight),
            )
        )


@dataclass(frozen=True)
class RankedStory:
    """A story with its signals and the developments that fall in the period."""

    story: Story
    signals: Signals
    in_period: tuple[Development, ...]

    @property
    def score(self) -> float:
        """The story's score."""
        return self.signals.score


def office_weight(offices: OfficeTable, office_id: str) -> float:
    """How much holding one office adds to a story's political weight."""
    if office_id in OFFICE_ID_WEIGHTS:
        return OFFICE_ID_WEIGHTS[office_id]
    office = offices.offices.get(office_id)
    if office is None:
        return OTHER_OFFICE_WEIGHT
    if (office.country, office.kind) in OFFICE_KIND_WEIGHTS:
        return OFFICE_KIND_WEIGHTS[office.country, office.kind]
    if office.kind in _LEADER_KINDS:
        return FOREIGN_LEADER_WEIGHT
    return OTHER_OFFICE_WEIGHT


def person_weight(offices: OfficeTable, name: str, on: date) -> float:
    """The highest weight among the offices a person held on a day (0 for none)."""
    return max(
        (office_weight(offices, h.office_id) for h in offices.offices_of(name, on)), default=0.0
    )


def _noisy_or(weights: Iterable[float]) -> float:
    remaining = 1.0
    for weight in weights:
        remaining *= 1.0 - min(max(weight, 0.0), 1.0)
    return 1.0 - remaining


def topic_weight(topics: Sequence[str]) -> float:
    """The heaviest of a story's topics (0 when it has none)."""
    return max((TOPIC_WEIGHTS.get(t.lower(), DEFAULT_TOPIC_WEIGHT) for t in topics), default=0.0)


def signals_for(
    story: Story, period: Period, offices: OfficeTable
) -> tuple[Signals, tuple[Development, ...]]:
    """A story's signals for a period (articles belong to the day they were published)."""
    known = story.articles
    in_period = tuple(d for d in known if period.holds(development_day(d)))
    recent = [d for d in in_period if d.independent]
    window_start = period.first_day - timedelta(days=MOMENTUM_DAYS)
    earlier = [
        d for d in known if d.independent and window_start <= development_day(d) < period.first_day
    ]
    outlets = {d.outlet or f"article:{d.article_id}" for d in recent}
    earlier_per_day = len(earlier) / MOMENTUM_DAYS
    recent_per_day = len(recent) / max(len(period.days()), 1)  # a week compares its daily rate
    momentum = recent_per_day / (recent_per_day + earlier_per_day) if recent else 0.0
    new_items = sum(
        len(d.new_figures) + len(d.new_quotes) + NEW_PERSON_VALUE * len(d.new_people)
        for d in in_period
    )
    on = period.last_day
    office = _noisy_or(
        person_weight(offices, p.name, on) for p in story.people if p.kind == "person"
    )
    topics = topic_weight(story.topics)
    signals = Signals(
        coverage=1.0 - math.exp(-len(outlets) / COVERAGE_SCALE),
        momentum=momentum,
        novelty=1.0 - math.exp(-new_items / NOVELTY_SCALE),
        political=OFFICE_SHARE * office + (1.0 - OFFICE_SHARE) * topics,
        outlets=len(outlets),
        articles=len(recent),
        earlier_per_day=earlier_per_day,
        new_items=new_items,
        office_weight=office,
        topic_weight=topics,
    )
    return signals, in_period


def rank_stories(
    stories: Iterable[Story],
    period: Period,
    offices: OfficeTable,
    *,
    limit: int | None = None,
) -> list[RankedStory]:
    """The stories with articles in the period, best first (ties: more outlets, newer, id)."""
    ranked: list[RankedStory] = []
    seen: set[str] = set()
    for story in stories:
        if story.id in seen:
            continue
        seen.add(story.id)
        signals, in_period = signals_for(story, period, offices)
        if in_period:
            ranked.append(RankedStory(story, signals, in_period))
    ranked.sort(
        key=lambda r: (
            -round(r.score, 9),
            -r.signals.outlets,
            -r.story.last_updated.timestamp(),
            r.story.id,
        )
    )
    return ranked if limit is None else ranked[:limit]
