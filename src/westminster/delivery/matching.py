"""Which stories of an edition a subscriber gets: people, topics and keyword queries.

Keyword queries use the briefings' query language (westminster.briefings.alerts: words,
"quoted phrases", AND, OR, NOT or -word, parentheses, trailing *), so a query means the same
in an email as in `westminster brief` and on the web. An item's features (people, topics,
words) are computed once per edition and each query parsed once, not per subscriber.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from functools import lru_cache

from westminster.briefings.alerts import (
    Follow,
    Query,
    evaluate_query,
    match_article,
    parse_query,
    words_of,
)
from westminster.briefings.subjects import BriefingError
from westminster.models import Analysis, BriefingItem, Preferences, PreferencesError
from westminster.models.keys import slugify

# Distinct queries kept parsed (a subscriber list repeats the popular ones).
PARSED_QUERIES = 4096


def _fold(text: str) -> str:
    """Lower case without accents, for matching names and topics."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def slug(text: str) -> str:
    """A name as entity keys spell it: "Keir Starmer" -> "keir-starmer"."""
    return slugify(text)


def person_slugs(people: Iterable[str]) -> set[str]:
    """Each followed person as the slug after the key's kind ("person:keir-starmer")."""
    return {slug(p.split(":", 1)[1] if ":" in p else p) for p in people if p.strip()}


@lru_cache(maxsize=PARSED_QUERIES)
def parsed_query(query: str) -> Query | None:
    """The parsed query, or None when it is malformed (such a query matches nothing)."""
    try:
        return parse_query(query)
    except BriefingError:
        return None


def check_queries(preferences: Preferences) -> Preferences:
    """The preferences, when every query parses; PreferencesError naming the first that does not."""
    for query in preferences.queries:
        try:
            parse_query(query)
        except BriefingError as exc:
            raise PreferencesError(f"queries: {query!r}: {exc.message}") from None
    return preferences


def item_text(item: BriefingItem) -> str:
    """The text a keyword query is matched against: headline, summary and quotes."""
    return "\n".join(
        [item.headline, *(s.text for s in item.summary), *(q.text for q in item.quotes)]
    )


def item_people(item: BriefingItem) -> set[str]:
    """The slugs of the item's people and of its quotes' speakers."""
    keys = [*item.people, *(q.speaker_key or q.speaker for q in item.quotes)]
    return person_slugs(keys)


class ItemFeatures:
    """What matching needs from one item, computed once per edition (not per subscriber)."""

    __slots__ = ("item", "people", "topics", "words")

    def __init__(self, item: BriefingItem) -> None:
        self.item = item
        self.people = item_people(item)
        self.topics = {_fold(t) for t in item.topics}
        self.words = words_of(item_text(item))


def _query_matches(query: str, words: list[str]) -> bool:
    parsed = parsed_query(query)
    return parsed is not None and evaluate_query(parsed, words)


def matches(item: BriefingItem | ItemFeatures, preferences: Preferences) -> bool:
    """True when the item concerns a followed person or topic or matches a query."""
    f = item if isinstance(item, ItemFeatures) else ItemFeatures(item)
    if preferences.people and person_slugs(preferences.people) & f.people:
        return True
    if preferences.topics and {_fold(t) for t in preferences.topics} & f.topics:
        return True
    return any(_query_matches(q, f.words) for q in preferences.queries)


def select_items(
    items: Iterable[BriefingItem | ItemFeatures], preferences: Preferences
) -> tuple[BriefingItem, ...]:
    """The items a subscriber gets, in edition order; everything when nothing is followed."""
    features = [i if isinstance(i, ItemFeatures) else ItemFeatures(i) for i in items]
    if preferences.follows_everything:
        return tuple(f.item for f in features)
    return tuple(f.item for f in features if matches(f, preferences))


def follows(preferences: Preferences) -> list[Follow]:
    """The preferences as the briefings' follows (people, topics, well-formed queries)."""
    return [
        *(Follow("person", p) for p in preferences.people),
        *(Follow("topic", t) for t in preferences.topics),
        *(Follow("query", q) for q in preferences.queries if parsed_query(q) is not None),
    ]


def article_matches(analysis: Analysis, preferences: Preferences) -> bool:
    """True when an analysed article mentions a followed person (by key, name or alias), has a
    followed topic, or its headline, text or quotes match a query; always for no preferences."""
    if preferences.follows_everything:
        return True
    return any(match_article(analysis, follow) is not None for follow in follows(preferences))
