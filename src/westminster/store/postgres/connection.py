"""The PostgreSQL connection (psycopg 3) and its migrations, serialised by an advisory lock.

One connection, used by one thread at a time under a lock; every write is one transaction, and
concurrent writers from other processes meet at row locks (`SELECT ... FOR UPDATE`) and
`ON CONFLICT`, so the same page stored twice at once still gives one article.
"""

from __future__ import annotations

import re
import threading
from typing import Any

import psycopg
from psycopg.rows import dict_row

from westminster.store.base import StoreError, utc_now
from westminster.store.migrations import SCHEMA_MIGRATIONS_DDL, load_migrations, pending

# Key of the advisory lock that serialises `migrate` across processes ("wm" + schema in hex).
MIGRATION_LOCK_KEY = 0x776D_5343_4845_4D41

# Rows fetched per page when streaming articles (keyset pages, no lock held between).
STREAM_BATCH = 200

_PASSWORD = re.compile(r"(://[^:/@]*:)[^@]*@")


def redact(url: str) -> str:
    """The URL with any password hidden, for error messages."""
    return _PASSWORD.sub(r"\1***@", url)


class PostgresConnection:
    """The connection to a database given by a postgresql:// URL, and its migrations."""

    def __init__(self, url: str, *, migrate: bool = True) -> None:
        """Connect and apply pending migrations."""
        self.url = url
        self._lock = threading.Lock()
        try:
            self._conn: psycopg.Connection[dict[str, Any]] = psycopg.connect(
                url, autocommit=True, row_factory=dict_row
            )
        except psycopg.Error as exc:
            raise StoreError(
                f"cannot connect to PostgreSQL: {str(exc).strip()}", subject=redact(url)
            ) from None
        if migrate:
            self.migrate()

    def migrate(self) -> list[int]:
        """Apply pending migrations in order under an advisory lock, each recorded."""
        done = []
        with self._lock, self._conn.transaction():
            conn = self._conn
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK_KEY,))
            conn.execute(SCHEMA_MIGRATIONS_DDL)
            applied = {r["version"] for r in conn.execute("SELECT version FROM schema_migrations")}
            for migration in pending(load_migrations("postgres"), applied):
                conn.execute(migration.sql)
                conn.execute(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (%s, %s, %s)",
                    (migration.version, migration.name, utc_now().isoformat()),
                )
                done.append(migration.version)
        return done

    def applied_migrations(self) -> list[int]:
        """Versions recorded in schema_migrations, in order."""
        with self._lock:
            rows = self._conn.execute("SELECT version FROM schema_migrations ORDER BY version")
            return [r["version"] for r in rows]

    def _locked_row(self, aid: str) -> dict[str, Any] | None:
        """An article's text hash and version, row-locked until the transaction ends."""
        return self._conn.execute(
            "SELECT text_sha256, version FROM articles WHERE id = %s FOR UPDATE", (aid,)
        ).fetchone()

    def close(self) -> None:
        """Close the connection."""
        with self._lock:
            self._conn.close()
