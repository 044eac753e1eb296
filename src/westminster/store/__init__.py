"""The store: articles with versions, analyses, links, rejections and runs, searchable.

`open_store(url)` picks the backend: a file path or `sqlite:///path` opens SQLite (the
default), a `postgresql://` URL opens PostgreSQL. Both implement the `Store` protocol.
"""

from __future__ import annotations

from pathlib import Path

from westminster.store.base import (
    ArticleVersion,
    LinkKind,
    PutResult,
    PutStatus,
    QuoteHit,
    RunRecord,
    SearchHit,
    Store,
    StoredArticle,
    StoredRejection,
    StoreError,
)
from westminster.store.identity import article_id, canonical_url, content_sha256
from westminster.store.sqlite import SQLiteStore

POSTGRES_SCHEMES = ("postgresql://", "postgres://")
SQLITE_SCHEME = "sqlite:///"


def open_store(url: str | Path, *, migrate: bool = True) -> Store:
    """Open the store named by a path, `sqlite:///path` or `postgresql://...` URL."""
    text = str(url).strip()
    if text.startswith(POSTGRES_SCHEMES):
        # Imported here so that psycopg is needed only by those who use PostgreSQL.
        from westminster.store.postgres import PostgresStore

        return PostgresStore(text, migrate=migrate)
    if text.startswith(SQLITE_SCHEME):
        # SQLAlchemy's convention: sqlite:///relative.db, sqlite:////absolute/path.db
        text = text[len(SQLITE_SCHEME) :]
    elif "://" in text:
        raise StoreError(
            "unknown store URL scheme",
            subject=text.split("://", 1)[0] + "://…",
            fix="give a file path, sqlite:///path or postgresql://host/db",
        )
    return SQLiteStore(Path(text).expanduser(), migrate=migrate)


__all__ = [
    "ArticleVersion",
    "LinkKind",
    "PutResult",
    "PutStatus",
    "QuoteHit",
    "RunRecord",
    "SQLiteStore",
    "SearchHit",
    "Store",
    "StoreError",
    "StoredArticle",
    "StoredRejection",
    "article_id",
    "canonical_url",
    "content_sha256",
    "open_store",
]
