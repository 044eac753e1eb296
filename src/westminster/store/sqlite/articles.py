"""Articles in SQLite: versions when the text changes, links between copies, streaming."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from datetime import datetime

from westminster.models import Article
from westminster.store.base import (
    ArticleVersion,
    LinkKind,
    PutResult,
    StoredArticle,
    StoreError,
    check_link,
    check_no_loop,
    utc_now,
)
from westminster.store.codec import removed_to_json
from westminster.store.identity import article_id, content_sha256
from westminster.store.rows import ARTICLE_SELECT, content_lines, stored_article
from westminster.store.sqlite.analyses import delete_analysis
from westminster.store.sqlite.connection import (
    STREAM_BATCH,
    SQLiteConnections,
    iso,
    required_datetime,
    to_date,
    to_datetime,
)


def _stored(row: sqlite3.Row) -> StoredArticle:
    """A StoredArticle from an `ARTICLE_SELECT` row."""
    doc = row["doc"]
    return stored_article(
        row,
        published=to_date(row["published"]),
        fetched_at=to_datetime(row["fetched_at"]),
        first_seen=required_datetime(row["first_seen"]),
        updated_at=required_datetime(row["updated_at"]),
        doc=None if doc is None else json.loads(doc),
    )


def _outlet_id(conn: sqlite3.Connection, outlet: str | None) -> int | None:
    if not outlet:
        return None
    conn.execute("INSERT OR IGNORE INTO outlets (name) VALUES (?)", (outlet,))
    row = conn.execute("SELECT id FROM outlets WHERE name = ?", (outlet,)).fetchone()
    return int(row[0])


class SQLiteArticles(SQLiteConnections):
    """Storing, reading and linking articles."""

    def put_article(
        self,
        article: Article,
        *,
        raw_sha256: str | None = None,
        fetched_at: datetime | None = None,
    ) -> PutResult:
        """Store an article, or a new version when its title or text changed."""
        aid, sha, now = article_id(article), content_sha256(article), utc_now().isoformat()
        with self._write() as conn:
            row = conn.execute(
                "SELECT text_sha256, version FROM articles WHERE id = ?", (aid,)
            ).fetchone()
            if row is not None and row["text_sha256"] == sha:
                return PutResult(aid, "unchanged", row["version"])
            version = 1 if row is None else row["version"] + 1
            values = {
                "id": aid,
                "url": article.url,
                "path": article.path,
                "outlet_id": _outlet_id(conn, article.outlet),
                "title": article.title,
                "text": article.text,
                "published": article.published.isoformat() if article.published else None,
                "published_source": article.published_source,
                "author": article.author,
                "removed": removed_to_json(article.removed),
                "text_sha256": sha,
                "raw_sha256": raw_sha256,
                "fetched_at": iso(fetched_at),
                "version": version,
                "now": now,
            }
            if row is None:
                conn.execute(
                    "INSERT INTO articles (id, url, path, outlet_id, title, text, published,"
                    " published_source, author, removed, text_sha256, raw_sha256, fetched_at,"
                    " version, first_seen, updated_at) VALUES (:id, :url, :path, :outlet_id,"
                    " :title, :text, :published, :published_source, :author, :removed,"
                    " :text_sha256, :raw_sha256, :fetched_at, :version, :now, :now)",
                    values,
                )
            else:
                # The old analysis describes the old text (its offsets point into it): drop it,
                # so the article is analysed again rather than shown with stale findings.
                delete_analysis(conn, aid)
                conn.execute(
                    "UPDATE articles SET url = :url, path = :path, outlet_id = :outlet_id,"
                    " title = :title, text = :text, published = :published,"
                    " published_source = :published_source, author = :author,"
                    " removed = :removed, text_sha256 = :text_sha256, raw_sha256 = :raw_sha256,"
                    " fetched_at = :fetched_at, version = :version, quotes_text = '',"
                    " updated_at = :now WHERE id = :id",
                    values,
                )
            conn.execute(
                "INSERT INTO article_versions (article_id, version, title, text, text_sha256,"
                " raw_sha256, fetched_at, stored_at) VALUES (:id, :version, :title, :text,"
                " :text_sha256, :raw_sha256, :fetched_at, :now)",
                values,
            )
        return PutResult(aid, "new" if row is None else "updated", version)

    def get_article(self, article_id: str) -> StoredArticle:
        """The stored article with its latest version, links and analysis."""
        row = self._read().execute(f"{ARTICLE_SELECT} WHERE a.id = ?", (article_id,)).fetchone()
        if row is None:
            raise StoreError("no such article in the store", subject=article_id)
        return _stored(row)

    def iter_articles(self) -> Iterator[StoredArticle]:
        """Every stored article with its links and analysis, in the order first stored."""
        cursor = self._read().execute(f"{ARTICLE_SELECT} ORDER BY a.seq")
        while rows := cursor.fetchmany(STREAM_BATCH):
            yield from (_stored(row) for row in rows)

    def article_versions(self, article_id: str) -> list[ArticleVersion]:
        """Every stored version of an article, oldest first."""
        rows = self._read().execute(
            "SELECT * FROM article_versions WHERE article_id = ? ORDER BY version", (article_id,)
        )
        out = [
            ArticleVersion(
                version=row["version"],
                title=row["title"],
                text=row["text"],
                text_sha256=row["text_sha256"],
                raw_sha256=row["raw_sha256"],
                fetched_at=to_datetime(row["fetched_at"]),
                stored_at=required_datetime(row["stored_at"]),
            )
            for row in rows
        ]
        if not out:
            raise StoreError("no such article in the store", subject=article_id)
        return out

    def link_duplicate(self, article_id: str, original_id: str, kind: LinkKind) -> None:
        """Mark an article as a duplicate or rewrite of an original; refuses loops."""
        column = check_link(article_id, original_id, kind)
        with self._write() as conn:
            for aid in (article_id, original_id):
                if conn.execute("SELECT 1 FROM articles WHERE id = ?", (aid,)).fetchone() is None:
                    raise StoreError("no such article in the store", subject=aid)

            def parent(aid: str) -> str | None:
                row = conn.execute(
                    "SELECT coalesce(duplicate_of, rewrite_of) FROM articles WHERE id = ?", (aid,)
                ).fetchone()
                return None if row is None else row[0]

            check_no_loop(article_id, original_id, parent)
            conn.execute(
                f"UPDATE articles SET {column} = ? WHERE id = ?", (original_id, article_id)
            )

    def iter_outlet_lines(self, outlet: str) -> Iterator[tuple[str, list[str]]]:
        """Each of an outlet's articles (name case-insensitive) with its non-empty lines."""
        cursor = self._read().execute(
            "SELECT a.id, a.text FROM articles a JOIN outlets o ON o.id = a.outlet_id"
            " WHERE o.name = ? COLLATE NOCASE ORDER BY a.seq",
            (outlet,),
        )
        while rows := cursor.fetchmany(STREAM_BATCH):
            for row in rows:
                yield row[0], content_lines(row[1])
