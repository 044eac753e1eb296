"""Articles in PostgreSQL: versions when the text changes, links between copies, streaming."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from psycopg.types.json import Jsonb

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
from westminster.store.identity import article_id, content_sha256
from westminster.store.postgres.analyses import delete_analysis
from westminster.store.postgres.connection import STREAM_BATCH, PostgresConnection
from westminster.store.rows import ARTICLE_SELECT, content_lines, stored_article


def _stored(row: dict[str, Any]) -> StoredArticle:
    """A StoredArticle from an `ARTICLE_SELECT` row (psycopg has decoded dates and jsonb)."""
    return stored_article(
        row,
        published=row["published"],
        fetched_at=row["fetched_at"],
        first_seen=row["first_seen"],
        updated_at=row["updated_at"],
        doc=row["doc"],
    )


class PostgresArticles(PostgresConnection):
    """Storing, reading and linking articles."""

    def _outlet_id(self, outlet: str | None) -> int | None:
        if not outlet:
            return None
        self._conn.execute(
            "INSERT INTO outlets (name) VALUES (%s) ON CONFLICT (name) DO NOTHING", (outlet,)
        )
        row = self._conn.execute("SELECT id FROM outlets WHERE name = %s", (outlet,)).fetchone()
        assert row is not None  # inserted above or already there
        return int(row["id"])

    def put_article(
        self,
        article: Article,
        *,
        raw_sha256: str | None = None,
        fetched_at: datetime | None = None,
    ) -> PutResult:
        """Store an article, or a new version when its title or text changed."""
        aid, sha, now = article_id(article), content_sha256(article), utc_now()
        values: dict[str, Any] = {
            "id": aid,
            "url": article.url,
            "path": article.path,
            "title": article.title,
            "text": article.text,
            "published": article.published,
            "published_source": article.published_source,
            "author": article.author,
            "removed": Jsonb([{"text": r.text, "reason": r.reason} for r in article.removed]),
            "text_sha256": sha,
            "raw_sha256": raw_sha256,
            "fetched_at": fetched_at,
            "now": now,
        }
        with self._lock, self._conn.transaction():
            conn = self._conn
            row = self._locked_row(aid)
            if row is None:
                values.update(outlet_id=self._outlet_id(article.outlet), version=1)
                inserted = conn.execute(
                    "INSERT INTO articles (id, url, path, outlet_id, title, text, published,"
                    " published_source, author, removed, text_sha256, raw_sha256, fetched_at,"
                    " version, first_seen, updated_at) VALUES (%(id)s, %(url)s, %(path)s,"
                    " %(outlet_id)s, %(title)s, %(text)s, %(published)s, %(published_source)s,"
                    " %(author)s, %(removed)s, %(text_sha256)s, %(raw_sha256)s, %(fetched_at)s,"
                    " %(version)s, %(now)s, %(now)s) ON CONFLICT (id) DO NOTHING",
                    values,
                ).rowcount
                if not inserted:  # another process stored it since the SELECT
                    row = self._locked_row(aid)
            if row is not None:
                if row["text_sha256"] == sha:
                    return PutResult(aid, "unchanged", row["version"])
                values.update(outlet_id=self._outlet_id(article.outlet), version=row["version"] + 1)
                # The old analysis describes the old text (its offsets point into it): drop it.
                delete_analysis(conn, aid)
                conn.execute(
                    "UPDATE articles SET url = %(url)s, path = %(path)s,"
                    " outlet_id = %(outlet_id)s, title = %(title)s, text = %(text)s,"
                    " published = %(published)s, published_source = %(published_source)s,"
                    " author = %(author)s, removed = %(removed)s, text_sha256 = %(text_sha256)s,"
                    " raw_sha256 = %(raw_sha256)s, fetched_at = %(fetched_at)s,"
                    " version = %(version)s, quotes_text = '', updated_at = %(now)s"
                    " WHERE id = %(id)s",
                    values,
                )
            conn.execute(
                "INSERT INTO article_versions (article_id, version, title, text, text_sha256,"
                " raw_sha256, fetched_at, stored_at) VALUES (%(id)s, %(version)s, %(title)s,"
                " %(text)s, %(text_sha256)s, %(raw_sha256)s, %(fetched_at)s, %(now)s)",
                values,
            )
        return PutResult(aid, "new" if row is None else "updated", values["version"])

    def get_article(self, article_id: str) -> StoredArticle:
        """The stored article with its latest version, links and analysis."""
        with self._lock:
            row = self._conn.execute(f"{ARTICLE_SELECT} WHERE a.id = %s", (article_id,)).fetchone()
        if row is None:
            raise StoreError("no such article in the store", subject=article_id)
        return _stored(row)

    def iter_articles(self) -> Iterator[StoredArticle]:
        """Every stored article with its links and analysis, in the order first stored."""
        # Keyset pages on (first_seen, id), so no cursor or lock is held between pages.
        last: tuple[datetime, str] | None = None
        while True:
            where = ""
            params: dict[str, Any] = {"limit": STREAM_BATCH}
            if last is not None:
                where = " WHERE (a.first_seen, a.id) > (%(seen)s, %(id)s)"
                params.update(seen=last[0], id=last[1])
            with self._lock:
                rows = self._conn.execute(
                    f"{ARTICLE_SELECT}{where} ORDER BY a.first_seen, a.id LIMIT %(limit)s",
                    params,
                ).fetchall()
            if not rows:
                return
            yield from (_stored(row) for row in rows)
            last = (rows[-1]["first_seen"], rows[-1]["id"])

    def article_versions(self, article_id: str) -> list[ArticleVersion]:
        """Every stored version of an article, oldest first."""
        with self._lock:
            rows = self._conn.execute(
                "SELECT version, title, text, text_sha256, raw_sha256, fetched_at, stored_at"
                " FROM article_versions WHERE article_id = %s ORDER BY version",
                (article_id,),
            ).fetchall()
        if not rows:
            raise StoreError("no such article in the store", subject=article_id)
        return [ArticleVersion(**row) for row in rows]

    def link_duplicate(self, article_id: str, original_id: str, kind: LinkKind) -> None:
        """Mark an article as a duplicate or rewrite of an original; refuses loops."""
        column = check_link(article_id, original_id, kind)
        with self._lock, self._conn.transaction():
            conn = self._conn
            for aid in (article_id, original_id):
                if self._locked_row(aid) is None:
                    raise StoreError("no such article in the store", subject=aid)

            def parent(aid: str) -> str | None:
                row = conn.execute(
                    "SELECT coalesce(duplicate_of, rewrite_of) AS up FROM articles WHERE id = %s",
                    (aid,),
                ).fetchone()
                return None if row is None else row["up"]

            check_no_loop(article_id, original_id, parent)
            conn.execute(
                f"UPDATE articles SET {column} = %s WHERE id = %s", (original_id, article_id)
            )

    def iter_outlet_lines(self, outlet: str) -> Iterator[tuple[str, list[str]]]:
        """Each of an outlet's articles (name case-insensitive) with its non-empty lines."""
        last = ""
        while True:
            with self._lock:
                rows = self._conn.execute(
                    "SELECT a.id, a.text FROM articles a JOIN outlets o ON o.id = a.outlet_id"
                    " WHERE lower(o.name) = lower(%s) AND a.id > %s ORDER BY a.id LIMIT %s",
                    (outlet, last, STREAM_BATCH),
                ).fetchall()
            if not rows:
                return
            for row in rows:
                yield row["id"], content_lines(row["text"])
            last = rows[-1]["id"]
