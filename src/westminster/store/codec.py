"""Analyses to stored rows and JSON and back; the same shapes serve both backends.

An analysis is kept whole as one JSON document (the `westminster analyse` shapes of
westminster.models.jsonio, so it round-trips exactly) and, beside it, as rows that queries
need: entities by key and name, quotes by speaker and text, topics by name.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from westminster.models import (
    Analysis,
    Article,
    Entity,
    Evidence,
    Figure,
    Mention,
    Quote,
    QuoteSpeaker,
    RemovedLine,
    Span,
    Topic,
    Unresolved,
)
from westminster.models.jsonio import analysis_to_dict

# Keys of analysis_to_dict that belong to the article, which is stored in its own table.
_ARTICLE_KEYS = frozenset(
    {"url", "path", "title", "text", "author", "published", "published_source", "outlet", "removed"}
)


@dataclass(frozen=True)
class EntityRow:
    """An entity as the `entities` table holds it."""

    entity_id: str
    key: str
    name: str
    kind: str
    mentions: int


@dataclass(frozen=True)
class QuoteRow:
    """A quote as the `quotes` table holds it, with its speaker resolved to an entity key."""

    idx: int
    start: int
    end: int
    text: str
    kind: str
    speaker_name: str
    speaker_key: str
    normalised: str
    fingerprint: str


def dumps(value: Any) -> str:
    """Compact JSON, non-ASCII kept (titles and quotes are mostly prose)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def removed_to_json(removed: Sequence[RemovedLine]) -> str:
    """The removed boilerplate lines of an article as JSON."""
    return dumps([{"text": r.text, "reason": r.reason} for r in removed])


def removed_from_json(raw: str | list[Any] | None) -> tuple[RemovedLine, ...]:
    """Removed lines back from JSON text (SQLite) or a decoded list (PostgreSQL jsonb)."""
    items = json.loads(raw) if isinstance(raw, str) else (raw or [])
    return tuple(RemovedLine(text=r["text"], reason=r["reason"]) for r in items)


def analysis_doc(analysis: Analysis) -> dict[str, Any]:
    """The analysis without its article, as JSON-ready data (topic scores unrounded)."""
    doc = {k: v for k, v in analysis_to_dict(analysis).items() if k not in _ARTICLE_KEYS}
    doc["topics"] = [
        {"name": t.name, "score": t.score, "evidence": list(t.evidence)} for t in analysis.topics
    ]
    return doc


def _span(d: Mapping[str, Any] | None) -> Span | None:
    return None if d is None else Span(start=d["start"], end=d["end"], text=d["text"])


def _entity(d: Mapping[str, Any]) -> Entity:
    mentions = tuple(
        Mention(
            start=m["start"],
            end=m["end"],
            text=m["text"],
            evidence=Evidence(**m["evidence"]) if m.get("evidence") else None,
        )
        for m in d["mentions"]
    )
    return Entity(
        id=d["id"],
        name=d["name"],
        kind=d["kind"],
        aliases=tuple(d["aliases"]),
        mentions=mentions,
        key=d["key"],
        offices=tuple(d["offices"]),
    )


def _quote(d: Mapping[str, Any]) -> Quote:
    s = d["speaker"]
    speaker = (
        None
        if s is None
        else QuoteSpeaker(
            start=s["start"], end=s["end"], text=s["text"], name=s["name"], entity_id=s["entity_id"]
        )
    )
    return Quote(
        start=d["start"],
        end=d["end"],
        text=d["text"],
        kind=d["kind"],
        speaker=speaker,
        cue=_span(d["cue"]),
        normalised=d["normalised"],
        fingerprint=d["fingerprint"],
        field=d.get("field", "text"),
    )


def analysis_from_doc(doc: Mapping[str, Any], article: Article) -> Analysis:
    """Rebuild the Analysis stored by `analysis_doc` for its article."""
    return Analysis(
        article=article,
        entities=tuple(_entity(e) for e in doc["entities"]),
        quotes=tuple(_quote(q) for q in doc["quotes"]),
        figures=tuple(Figure(**f) for f in doc["figures"]),
        topics=tuple(
            Topic(name=t["name"], score=t["score"], evidence=tuple(t["evidence"]))
            for t in doc["topics"]
        ),
        keyphrases=tuple(doc["keyphrases"]),
        summary=doc["summary"],
        unresolved=tuple(
            Unresolved(**{**u, "candidates": tuple(u["candidates"])}) for u in doc["unresolved"]
        ),
    )


def entity_rows(analysis: Analysis) -> list[EntityRow]:
    """One row per entity, keyed by its cross-article key (or its name when it has none)."""
    return [
        EntityRow(
            entity_id=e.id,
            key=e.key or e.name.casefold(),
            name=e.name,
            kind=e.kind,
            mentions=len(e.mentions),
        )
        for e in analysis.entities
    ]


def quote_rows(analysis: Analysis) -> list[QuoteRow]:
    """One row per quote, its speaker named and keyed through the entity it is linked to."""
    by_id = {e.id: e for e in analysis.entities}
    rows = []
    for idx, q in enumerate(analysis.quotes):
        name, key = "", ""
        if q.speaker is not None:
            entity = by_id.get(q.speaker.entity_id or "")
            name = entity.name if entity else q.speaker.name
            key = (entity.key or entity.name.casefold()) if entity else q.speaker.name.casefold()
        rows.append(
            QuoteRow(
                idx=idx,
                start=q.start,
                end=q.end,
                text=q.text,
                kind=q.kind,
                speaker_name=name,
                speaker_key=key,
                normalised=q.normalised,
                fingerprint=q.fingerprint,
            )
        )
    return rows


def quotes_text(analysis: Analysis) -> str:
    """All quote texts of an analysis, one per line, for the article's full-text index."""
    return "\n".join(q.text for q in analysis.quotes)


def article_from_row(
    *,
    title: str,
    text: str,
    published: date | None,
    outlet: str | None,
    author: str | None,
    path: str | None,
    url: str | None,
    removed: str | list[Any] | None,
    published_source: str,
) -> Article:
    """An Article from stored columns."""
    return Article(
        title=title,
        text=text,
        published=published,
        outlet=outlet,
        author=author,
        path=path,
        url=url,
        removed=removed_from_json(removed),
        published_source=published_source,
    )
