"""Rows both backends read and write: the article select, StoredArticle and analysis rows.

Only what is the same on SQLite and PostgreSQL lives here; statements with parameters stay in
the backends, whose placeholders (`?` and `%s`) and column types differ.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from westminster.models import Analysis
from westminster.store.base import StoredArticle
from westminster.store.codec import analysis_from_doc, article_from_row, entity_rows, quote_rows

# The latest version of articles with their outlet and analysis document, for StoredArticle.
ARTICLE_SELECT = (
    "SELECT a.*, o.name AS outlet, n.doc AS doc FROM articles a"
    " LEFT JOIN outlets o ON o.id = a.outlet_id LEFT JOIN analyses n ON n.article_id = a.id"
)

# Tables holding an article's analysis; all are cleared when its text changes.
ANALYSIS_TABLES = ("analyses", "entities", "quotes", "topics")

# Columns of the `quotes` rows, in the order of `quote_params`' tuples.
QUOTE_COLUMNS = (
    'article_id, idx, start, "end", text, kind, speaker_name, speaker_key, normalised, fingerprint'
)


def stored_article(
    row: Any,
    *,
    published: date | None,
    fetched_at: datetime | None,
    first_seen: datetime,
    updated_at: datetime,
    doc: Mapping[str, Any] | None,
) -> StoredArticle:
    """A StoredArticle from an `ARTICLE_SELECT` row and its columns decoded by the backend."""
    article = article_from_row(
        title=row["title"],
        text=row["text"],
        published=published,
        outlet=row["outlet"],
        author=row["author"],
        path=row["path"],
        url=row["url"],
        removed=row["removed"],
        published_source=row["published_source"],
    )
    return StoredArticle(
        id=row["id"],
        article=article,
        version=row["version"],
        text_sha256=row["text_sha256"],
        raw_sha256=row["raw_sha256"],
        fetched_at=fetched_at,
        first_seen=first_seen,
        updated_at=updated_at,
        duplicate_of=row["duplicate_of"],
        rewrite_of=row["rewrite_of"],
        analysis=None if doc is None else analysis_from_doc(doc, article),
    )


def entity_params(article_id: str, analysis: Analysis) -> list[tuple[Any, ...]]:
    """(article_id, entity_id, key, name, kind, mentions) rows of the `entities` table."""
    return [
        (article_id, e.entity_id, e.key, e.name, e.kind, e.mentions) for e in entity_rows(analysis)
    ]


def quote_params(article_id: str, analysis: Analysis) -> list[tuple[Any, ...]]:
    """Rows of the `quotes` table in `QUOTE_COLUMNS` order."""
    return [
        (
            article_id,
            q.idx,
            q.start,
            q.end,
            q.text,
            q.kind,
            q.speaker_name,
            q.speaker_key,
            q.normalised,
            q.fingerprint,
        )
        for q in quote_rows(analysis)
    ]


def topic_params(article_id: str, analysis: Analysis) -> list[tuple[Any, ...]]:
    """(article_id, name, score) rows of the `topics` table."""
    return [(article_id, t.name, t.score) for t in analysis.topics]


def content_lines(text: str) -> list[str]:
    """The non-empty lines of an article's text (what the outlet boilerplate filter counts)."""
    return [line for line in text.split("\n") if line.strip()]
