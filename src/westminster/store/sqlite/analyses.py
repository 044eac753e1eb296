"""Analyses in SQLite: the whole document as JSON and the entity, quote and topic rows."""

from __future__ import annotations

import sqlite3

from westminster.models import Analysis
from westminster.store.base import StoreError, utc_now
from westminster.store.codec import analysis_doc, dumps, quotes_text
from westminster.store.identity import content_sha256
from westminster.store.rows import (
    ANALYSIS_TABLES,
    QUOTE_COLUMNS,
    entity_params,
    quote_params,
    topic_params,
)
from westminster.store.sqlite.connection import SQLiteConnections


def delete_analysis(conn: sqlite3.Connection, aid: str) -> None:
    """Drop an article's analysis and its rows (inside the caller's transaction)."""
    for table in ANALYSIS_TABLES:
        conn.execute(f"DELETE FROM {table} WHERE article_id = ?", (aid,))


class SQLiteAnalyses(SQLiteConnections):
    """Storing analyses of the articles' latest versions."""

    def put_analysis(self, article_id: str, analysis: Analysis) -> None:
        """Store (or replace) the analysis of the article's latest version."""
        doc = dumps(analysis_doc(analysis))
        with self._write() as conn:
            row = conn.execute(
                "SELECT a.version, a.text_sha256, n.doc FROM articles a"
                " LEFT JOIN analyses n ON n.article_id = a.id WHERE a.id = ?",
                (article_id,),
            ).fetchone()
            if row is None:
                raise StoreError("no such article in the store", subject=article_id)
            if row["text_sha256"] != content_sha256(analysis.article):
                raise StoreError(
                    "the analysis is of a different text than the article's latest version",
                    subject=article_id,
                    fix="analyse the stored article again",
                )
            if row["doc"] == doc:
                return  # the same analysis again: nothing changes
            delete_analysis(conn, article_id)
            conn.execute(
                "INSERT INTO analyses (article_id, version, summary, doc, analysed_at)"
                " VALUES (?, ?, ?, ?, ?)",
                (article_id, row["version"], analysis.summary, doc, utc_now().isoformat()),
            )
            conn.executemany(
                "INSERT OR REPLACE INTO entities (article_id, entity_id, key, name, kind,"
                " mentions) VALUES (?, ?, ?, ?, ?, ?)",
                entity_params(article_id, analysis),
            )
            conn.executemany(
                f"INSERT INTO quotes ({QUOTE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                quote_params(article_id, analysis),
            )
            conn.executemany(
                "INSERT OR REPLACE INTO topics (article_id, name, score) VALUES (?, ?, ?)",
                topic_params(article_id, analysis),
            )
            conn.execute(
                "UPDATE articles SET quotes_text = ? WHERE id = ? AND quotes_text != ?",
                (quotes_text(analysis), article_id, quotes_text(analysis)),
            )
