"""The SQLite store: WAL, one writer under `BEGIN IMMEDIATE`, readers apart, FTS5 search.

One class per job, joined here: connections and migrations (connection.py), articles
(articles.py), analyses (analyses.py), search (search.py), runs and rejections (runs.py) and
what ingestion remembers between runs (records.py).
"""

from __future__ import annotations

from westminster.store.sqlite.analyses import SQLiteAnalyses
from westminster.store.sqlite.articles import SQLiteArticles
from westminster.store.sqlite.briefings import SQLiteBriefings
from westminster.store.sqlite.records import SQLiteRecords
from westminster.store.sqlite.runs import SQLiteRuns
from westminster.store.sqlite.search import SQLiteSearch
from westminster.store.sqlite.stories import SQLiteStories
from westminster.store.sqlite.subscribers import SQLiteSubscribers


class SQLiteStore(
    SQLiteArticles,
    SQLiteAnalyses,
    SQLiteSearch,
    SQLiteRuns,
    SQLiteRecords,
    SQLiteSubscribers,
    SQLiteStories,
    SQLiteBriefings,
):
    """A store in one SQLite file (WAL mode); safe to share between threads."""


__all__ = ["SQLiteStore"]
