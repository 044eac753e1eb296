"""Alerts: does new material match a followed person, topic or keyword query? Pure functions.

A keyword query is words and "quoted phrases" combined with AND (also implied between terms),
OR and NOT (or a leading "-"), with parentheses; NOT binds tightest, then AND, then OR, as in
ordinary Boolean logic: `"storm shadow" OR (missiles -drones)`. Words match whole words in the
headline, body and quotes, ignoring case; a trailing `*` matches any ending (`sanction*`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from westminster.briefings.subjects import BriefingError, entity_matches
from westminster.models import Analysis, BriefingItem

FollowKind = Literal["person", "topic", "query"]
FOLLOW_KINDS: tuple[FollowKind, ...] = ("person", "topic", "query")

_TOKEN = re.compile(r'"([^"]*)"|(\()|(\))|(-?[^\s()"]+)')
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*\*?|\*")


@dataclass(frozen=True)
class Follow:
    """Something a subscriber follows: a person or organisation (key or name), topic or query."""

    kind: FollowKind
    value: str


@dataclass(frozen=True)
class AlertMatch:
    """Why an article (or briefing item) matched a follow, in words, with what matched."""

    follow: Follow
    reason: str
    evidence: tuple[str, ...] = ()


# --- keyword queries ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    """A word or phrase (words in order); a last word ending in * matches any ending."""

    words: tuple[str, ...]


@dataclass(frozen=True)
class Not:
    """The negation of a query."""

    part: Query


@dataclass(frozen=True)
class AllOf:
    """Every part must match."""

    parts: tuple[Query, ...]


@dataclass(frozen=True)
class AnyOf:
    """At least one part must match."""

    parts: tuple[Query, ...]


Query = Term | Not | AllOf | AnyOf


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).casefold().replace("’", "'")


def words_of(text: str) -> list[str]:
    """The text's words, case and accents folded, apostrophes kept ("starmer's")."""
    return [w for w in _WORD.findall(_fold(text)) if w != "*"]


def _bad(query: str, problem: str) -> BriefingError:
    return BriefingError(
        f"bad keyword query: {problem}",
        subject=query,
        fix='use words, "quoted phrases", AND, OR, NOT (or -word) and parentheses',
    )


class _Parser:
    """Recursive descent over the tokens: or := and (OR and)*; and := not (AND? not)*."""

    def __init__(self, query: str) -> None:
        self.query = query
        self.tokens: list[tuple[str, str]] = []
        for match in _TOKEN.finditer(query):
            phrase, opening, closing, word = match.groups()
            if phrase is not None:
                self.tokens.append(("term", phrase))
            elif opening:
                self.tokens.append(("(", "("))
            elif closing:
                self.tokens.append((")", ")"))
            elif word in ("AND", "OR", "NOT"):
                self.tokens.append((word, word))
            elif word.startswith("-") and len(word) > 1:
                self.tokens.append(("NOT", "NOT"))
                self.tokens.append(("term", word[1:]))
            else:
                self.tokens.append(("term", word))
        self.at = 0

    def peek(self) -> str | None:
        return self.tokens[self.at][0] if self.at < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        token = self.tokens[self.at]
        self.at += 1
        return token

    def parse(self) -> Query:
        if not self.tokens:
            raise _bad(self.query, "it is empty")
        result = self.parse_or()
        if self.peek() is not None:
            raise _bad(self.query, f"unexpected {self.tokens[self.at][1]!r}")
        return result

    def parse_or(self) -> Query:
        parts = [self.parse_and()]
        while self.peek() == "OR":
            self.take()
            parts.append(self.parse_and())
        return parts[0] if len(parts) == 1 else AnyOf(tuple(parts))

    def parse_and(self) -> Query:
        parts = [self.parse_not()]
        while self.peek() in ("AND", "NOT", "term", "("):
            if self.peek() == "AND":
                self.take()
            parts.append(self.parse_not())
        return parts[0] if len(parts) == 1 else AllOf(tuple(parts))

    def parse_not(self) -> Query:
        if self.peek() == "NOT":
            self.take()
            return Not(self.parse_not())
        return self.parse_atom()

    def parse_atom(self) -> Query:
        kind = self.peek()
        if kind is None:
            raise _bad(self.query, "it ends where a word was expected")
        if kind == "(":
            self.take()
            inner = self.parse_or()
            if self.peek() != ")":
                raise _bad(self.query, "a parenthesis is not closed")
            self.take()
            return inner
        if kind != "term":
            raise _bad(self.query, f"{self.tokens[self.at][1]!r} needs a word before it")
        words = tuple(words_of(self.take()[1]))
        if not words:
            raise _bad(self.query, "a quoted phrase or word has no letters or digits")
        return Term(words)


def parse_query(query: str) -> Query:
    """Parse a keyword query; BriefingError naming the query when it is malformed."""
    return _Parser(query).parse()


def _word_matches(pattern: str, word: str) -> bool:
    if pattern.endswith("*"):
        return word.startswith(pattern[:-1])
    return word == pattern


def _term_found(term: Term, words: Sequence[str]) -> bool:
    size = len(term.words)
    for i in range(len(words) - size + 1):
        if all(_word_matches(p, words[i + j]) for j, p in enumerate(term.words)):
            return True
    return False


def evaluate_query(query: Query, words: Sequence[str]) -> bool:
    """Whether a parsed query matches a text's words (see `words_of`)."""
    if isinstance(query, Term):
        return _term_found(query, words)
    if isinstance(query, Not):
        return not evaluate_query(query.part, words)
    if isinstance(query, AllOf):
        return all(evaluate_query(p, words) for p in query.parts)
    return any(evaluate_query(p, words) for p in query.parts)


def positive_terms(query: Query) -> list[str]:
    """The query's words and phrases that are not negated (evidence of a match)."""
    if isinstance(query, Term):
        return [" ".join(query.words)]
    if isinstance(query, Not):
        return []
    return [t for part in query.parts for t in positive_terms(part)]


def matches_text(query: str | Query, text: str) -> bool:
    """Whether a keyword query matches a text."""
    parsed = parse_query(query) if isinstance(query, str) else query
    return evaluate_query(parsed, words_of(text))


# --- follows against articles and briefing items -----------------------------------------------


def _check_follow(follow: Follow) -> None:
    if follow.kind not in FOLLOW_KINDS:
        raise BriefingError(
            f"unknown follow kind {follow.kind!r}",
            subject=follow.value,
            fix="person, topic or query",
        )
    if not follow.value.strip():
        raise BriefingError(f"an empty {follow.kind} cannot be followed", subject=follow.kind)


def _query_match(follow: Follow, text: str) -> AlertMatch | None:
    parsed = parse_query(follow.value)
    words = words_of(text)
    if not evaluate_query(parsed, words):
        return None
    found = tuple(t for t in positive_terms(parsed) if _term_found(Term(tuple(t.split())), words))
    return AlertMatch(follow, f"matches the query {follow.value}", found)


def match_article(analysis: Analysis, follow: Follow) -> AlertMatch | None:
    """The match of one article's analysis with one follow, or None.

    person: an entity whose key, name or alias is the value (people and organisations alike);
    topic: one of the article's topics, by name (any case); query: a keyword query over the
    headline, body and quotes (see the module's docstring).
    """
    _check_follow(follow)
    if follow.kind == "person":
        found = [e for e in analysis.entities if entity_matches(e, follow.value)]
        if not found:
            return None
        names = tuple(dict.fromkeys(e.name for e in found))
        return AlertMatch(follow, f"mentions {names[0]}", names)
    if follow.kind == "topic":
        wanted = follow.value.strip().casefold()
        topic = next((t for t in analysis.topics if t.name.casefold() == wanted), None)
        if topic is None:
            return None
        return AlertMatch(follow, f"is about {topic.name}", topic.evidence)
    article = analysis.article
    return _query_match(follow, f"{article.title}\n{article.text}")


def match_alerts(analysis: Analysis, follows: Iterable[Follow]) -> tuple[AlertMatch, ...]:
    """Every follow the article matches, in the order given."""
    return tuple(m for f in follows if (m := match_article(analysis, f)) is not None)


def match_item(item: BriefingItem, follow: Follow) -> AlertMatch | None:
    """The match of a briefing item (a story) with a follow: by people keys, topics or words.

    person: an entity key in `item.people` (or the key form of a name: "person:<slug>");
    topic: one of `item.topics`; query: headline, summary sentences and quotes.
    """
    _check_follow(follow)
    if follow.kind == "person":
        wanted = follow.value.strip().casefold()
        slug = re.sub(r"[^a-z0-9]+", "-", _fold(follow.value)).strip("-")
        for key in item.people:
            folded = key.casefold()
            if folded == wanted or folded.split(":", 1)[-1] == slug:
                return AlertMatch(follow, f"involves {follow.value}", (key,))
        return None
    if follow.kind == "topic":
        wanted = follow.value.strip().casefold()
        topic = next((t for t in item.topics if t.casefold() == wanted), None)
        return None if topic is None else AlertMatch(follow, f"is about {topic}", (topic,))
    text = "\n".join(
        [item.headline, *(s.text for s in item.summary), *(q.text for q in item.quotes)]
    )
    return _query_match(follow, text)
