"""The PostgreSQL store (psycopg 3): tsvector columns with GIN indexes for full-text search.

The only package that imports psycopg. One class per job, joined here: the connection and
migrations (connection.py), articles (articles.py), analyses (analyses.py), search
(search.py), runs and rejections (runs.py) and what ingestion remembers between runs
(records.py).
"""

from __future__ import annotations

from westminster.store.postgres.analyses import PostgresAnalyses
from westminster.store.postgres.articles import PostgresArticles
from westminster.store.postgres.briefings import PostgresBriefings
from westminster.store.postgres.connection import redact
from westminster.store.postgres.records import PostgresRecords
from westminster.store.postgres.runs import PostgresRuns
from westminster.store.postgres.search import PostgresSearch
from westminster.store.postgres.stories import PostgresStories
from westminster.store.postgres.subscribers import PostgresSubscribers


class PostgresStore(
    PostgresArticles,
    PostgresAnalyses,
    PostgresSearch,
    PostgresRuns,
    PostgresRecords,
    PostgresSubscribers,
    PostgresStories,
    PostgresBriefings,
):
    """A store in a PostgreSQL database given by a postgresql:// URL."""


__all__ = ["PostgresStore", "redact"]
