"""What the analysis finds in an article: entities, quotes, figures, topics, summary."""

from __future__ import annotations

from dataclasses import dataclass, field

from westminster.models.article import Article


@dataclass(frozen=True)
class Span:
    """Character offsets into the article text, with the text they cover."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Evidence:
    """Why a mention was linked or a label given: the rule and what it rested on."""

    rule: str  # e.g. "office-holder-on-date", "surname-match", "gazetteer"
    detail: str  # human-readable, e.g. "Prime Minister of the United Kingdom on 2024-09-13"


@dataclass(frozen=True)
class Mention(Span):
    """One mention of an entity; `evidence` says how it was linked when not by its own name."""

    evidence: Evidence | None = None


@dataclass(frozen=True)
class Entity:
    """One real-world referent within an article (person, organisation, place, ...)."""

    id: str  # stable within the article, e.g. "e1"; canonical key in `key`
    name: str  # canonical name without titles, e.g. "Keir Starmer"
    kind: str  # "person" | "organisation" | "place" | "group" | "event" | "other"
    aliases: tuple[
        str, ...
    ] = ()  # the distinct surface forms seen, e.g. "Sir Keir", "the prime minister"
    mentions: tuple[Mention, ...] = ()
    key: str = ""  # canonical key across articles, e.g. "person:keir-starmer"
    offices: tuple[str, ...] = ()  # offices held on the publication date, e.g. "uk-prime-minister"


@dataclass(frozen=True)
class Unresolved:
    """A role mention left unresolved on purpose, with the reason (never guess silently)."""

    start: int
    end: int
    text: str
    reason: str
    candidates: tuple[str, ...] = ()


@dataclass(frozen=True)
class QuoteSpeaker(Span):
    """The mention that supports a quote's attribution, linked to an entity when possible."""

    name: str = ""
    entity_id: str | None = None


@dataclass(frozen=True)
class Quote(Span):
    """Who said what (filled by the quotes stage)."""

    kind: str = "direct"  # "direct" | "indirect" | "mixed" | "continuation"
    speaker: QuoteSpeaker | None = None
    cue: Span | None = None
    normalised: str = ""  # case-, mark- and space-folded words, for matching across outlets
    fingerprint: str = ""  # hash of `normalised`: the same words give the same fingerprint
    # Which string of the article the offsets (the quote's, its speaker's and its cue's) point
    # into: "text", or "title" for a quote in the headline.
    field: str = "text"


@dataclass(frozen=True)
class Figure(Span):
    """A number that carries news, normalised: £600 million -> 600000000 GBP."""

    kind: str = (
        "number"  # "money" | "quantity" | "percent" | "count" | "proportion" | "date" | "number"
    )
    value: float | str | None = None  # numeric value; ISO date string for dates
    unit: str | None = None  # "GBP", "mile", "%", "licence", ...
    per: str | None = None  # rate period, e.g. "year" for "£3 billion a year"
    total: float | None = None  # for proportions: "30 out of 350" -> value 30, total 350
    upper: float | None = None  # for ranges: "between 44 and 50 mg" -> value 44, upper 50
    approximate: bool = False  # "about", "up to", "nearly"
    qualifier: str | None = None  # "up to", "more than", "at least", ...


@dataclass(frozen=True)
class Topic:
    """A policy-taxonomy topic with its score and the words that support it."""

    name: str
    score: float
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True)
class Analysis:
    """Everything found in one article."""

    article: Article
    entities: tuple[Entity, ...] = ()
    quotes: tuple[Quote, ...] = ()
    figures: tuple[Figure, ...] = ()
    topics: tuple[Topic, ...] = ()
    keyphrases: tuple[str, ...] = ()
    summary: str = ""
    unresolved: tuple[Unresolved, ...] = field(default_factory=tuple)
