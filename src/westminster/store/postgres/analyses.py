"""Analyses in PostgreSQL: the whole document as jsonb and the entity, quote and topic rows."""

from __future__ import annotations

from typing import Any

import psycopg
from psycopg.types.json import Jsonb

from westminster.models import Analysis
from westminster.store.base import StoreError, utc_now
from westminster.store.codec import analysis_doc, quotes_text
from westminster.store.identity import content_sha256
from westminster.store.postgres.connection import PostgresConnection
from westminster.store.rows import (
    ANALYSIS_TABLES,
    QUOTE_COLUMNS,
    entity_params,
    quote_params,
    topic_params,
)


def delete_analysis(conn: psycopg.Connection[dict[str, Any]], aid: str) -> None:
    """Drop an article's analysis and its rows (inside the caller's transaction)."""
    for table in ANALYSIS_TABLES:
        conn.execute(f"DELETE FROM {table} WHERE article_id = %s", (aid,))


class PostgresAnalyses(PostgresConnection):
    """Storing analyses of the articles' latest versions."""

    def put_analysis(self, article_id: str, analysis: Analysis) -> None:
        """Store (or replace) the analysis of the article's latest version."""
        doc = Jsonb(analysis_doc(analysis))
        with self._lock, self._conn.transaction():
            conn = self._conn
            row = conn.execute(
                "SELECT a.version, a.text_sha256, n.doc = %s AS same FROM articles a"
                " LEFT JOIN analyses n ON n.article_id = a.id WHERE a.id = %s FOR UPDATE OF a",
                (doc, article_id),
            ).fetchone()
            if row is None:
                raise StoreError("no such article in the store", subject=article_id)
            if row["text_sha256"] != content_sha256(analysis.article):
                raise StoreError(
                    "the analysis is of a different text than the article's latest version",
                    subject=article_id,
                    fix="analyse the stored article again",
                )
            if row["same"]:
                return  # the same analysis again: nothing changes
            delete_analysis(conn, article_id)
            conn.execute(
                "INSERT INTO analyses (article_id, version, summary, doc, analysed_at)"
                " VALUES (%s, %s, %s, %s, %s)",
                (article_id, row["version"], analysis.summary, doc, utc_now()),
            )
            with conn.cursor() as cur:
                cur.executemany(
                    "INSERT INTO entities (article_id, entity_id, key, name, kind, mentions)"
                    " VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT DO NOTHING",
                    entity_params(article_id, analysis),
                )
                cur.executemany(
                    f"INSERT INTO quotes ({QUOTE_COLUMNS})"
                    " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                    quote_params(article_id, analysis),
                )
                cur.executemany(
                    "INSERT INTO topics (article_id, name, score) VALUES (%s, %s, %s)"
                    " ON CONFLICT DO NOTHING",
                    topic_params(article_id, analysis),
                )
            text = quotes_text(analysis)
            conn.execute(
                "UPDATE articles SET quotes_text = %s WHERE id = %s AND quotes_text <> %s",
                (text, article_id, text),
            )
