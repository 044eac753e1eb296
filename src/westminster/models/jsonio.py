"""The JSON shapes of DESIGN.md's CLI interface (keep them stable: other tools read them)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from westminster.models.analysis import Analysis, Entity, Figure, Mention, Quote
from westminster.models.article import Article, Rejection


def _source(article: Article) -> dict[str, Any]:
    if article.url:
        return {"url": article.url}
    return {"path": article.path}


def article_to_dict(article: Article) -> dict[str, Any]:
    """`westminster extract` output: source, title, text, author, published, outlet, removed."""
    return {
        **_source(article),
        "title": article.title,
        "text": article.text,
        "author": article.author,
        "published": article.published.isoformat() if article.published else None,
        "published_source": article.published_source or None,
        "outlet": article.outlet,
        "removed": [{"text": r.text, "reason": r.reason} for r in article.removed],
    }


def _mention(m: Mention) -> dict[str, Any]:
    out: dict[str, Any] = {"start": m.start, "end": m.end, "text": m.text}
    if m.evidence is not None:
        out["evidence"] = {"rule": m.evidence.rule, "detail": m.evidence.detail}
    return out


def _entity(e: Entity) -> dict[str, Any]:
    return {
        "id": e.id,
        "name": e.name,
        "kind": e.kind,
        "key": e.key,
        "aliases": list(e.aliases),
        "offices": list(e.offices),
        "mentions": [_mention(m) for m in e.mentions],
    }


def _quote(q: Quote) -> dict[str, Any]:
    speaker = None
    if q.speaker is not None:
        s = q.speaker
        speaker = {
            "name": s.name,
            "entity_id": s.entity_id,
            "start": s.start,
            "end": s.end,
            "text": s.text,
        }
    cue = None if q.cue is None else {"start": q.cue.start, "end": q.cue.end, "text": q.cue.text}
    out: dict[str, Any] = {
        "start": q.start,
        "end": q.end,
        "text": q.text,
        "kind": q.kind,
        "speaker": speaker,
        "cue": cue,
        "normalised": q.normalised,
        "fingerprint": q.fingerprint,
    }
    if q.field != "text":
        # a headline quote: its offsets point into "title"; body quotes keep the old shape
        out["field"] = q.field
    return out


def _figure(f: Figure) -> dict[str, Any]:
    return asdict(f)


def analysis_to_dict(analysis: Analysis) -> dict[str, Any]:
    """`westminster analyse` output, one object per article."""
    return {
        **article_to_dict(analysis.article),
        "entities": [_entity(e) for e in analysis.entities],
        "unresolved": [asdict(u) for u in analysis.unresolved],
        "quotes": [_quote(q) for q in analysis.quotes],
        "figures": [_figure(f) for f in analysis.figures],
        "topics": [
            {"name": t.name, "score": round(t.score, 4), "evidence": list(t.evidence)}
            for t in analysis.topics
        ],
        "keyphrases": list(analysis.keyphrases),
        "summary": analysis.summary,
    }


def rejection_to_dict(rejection: Rejection) -> dict[str, Any]:
    """A rejected input, as a JSON line on the error stream or in the store."""
    return asdict(rejection)
