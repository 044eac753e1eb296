"""SQLite connections: one writer under `BEGIN IMMEDIATE`, a read-only reader per thread.

datasette's habit: every write goes through one connection guarded by a lock and opens its
transaction with `BEGIN IMMEDIATE`, so concurrent writers (threads here, processes through
SQLite's own lock) queue instead of failing half-way; each reading thread has its own
read-only connection, which WAL lets run while a write is in progress.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path

from westminster.store.base import StoreError, utc_now
from westminster.store.migrations import (
    SCHEMA_MIGRATIONS_DDL,
    load_migrations,
    pending,
    sqlite_statements,
)

# How long a writer waits for another process's write lock before giving up (seconds). Long
# enough for a large batch from a parallel ingest to commit; short enough to report a stuck one.
BUSY_TIMEOUT_S = 30.0

# Rows fetched at a time when streaming articles.
STREAM_BATCH = 200


def iso(value: datetime | None) -> str | None:
    """A time as stored (ISO 8601 text), None kept."""
    return None if value is None else value.isoformat()


def to_datetime(value: str | None) -> datetime | None:
    """A stored time back, None kept."""
    return None if value is None else datetime.fromisoformat(value)


def to_date(value: str | None) -> date | None:
    """A stored date back, None kept."""
    return None if value is None else date.fromisoformat(value)


def required_datetime(value: str) -> datetime:
    """A stored time from a NOT NULL column."""
    return datetime.fromisoformat(value)


class SQLiteConnections:
    """The database file, its writer and readers, and its migrations."""

    def __init__(self, path: str | Path, *, migrate: bool = True) -> None:
        """Open (creating if needed) the database file and apply pending migrations."""
        self.path = Path(path)
        if str(path) == ":memory:" or not str(path):
            raise StoreError(
                "the SQLite store needs a file (readers and the writer share it)",
                subject=str(path) or "''",
                fix="give a file path",
            )
        if not self.path.parent.is_dir():
            raise StoreError("the folder for the database does not exist", subject=str(path))
        self._lock = threading.Lock()
        self._local = threading.local()
        self._readers: list[sqlite3.Connection] = []
        self._writer = self._connect(read_only=False)
        if migrate:
            self.migrate()

    def _connect(self, *, read_only: bool) -> sqlite3.Connection:
        try:
            # isolation_level=None: autocommit; transactions are opened explicitly below.
            conn = sqlite3.connect(
                self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False
            )
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA foreign_keys = ON")
            if read_only:
                conn.execute("PRAGMA query_only = ON")
            else:
                conn.execute("PRAGMA journal_mode = WAL")
                # NORMAL is durable across application crashes in WAL mode (only a power loss
                # can lose the last commits), and much faster than FULL.
                conn.execute("PRAGMA synchronous = NORMAL")
        except sqlite3.DatabaseError as exc:
            raise StoreError(
                f"cannot open the SQLite database: {exc}", subject=str(self.path)
            ) from None
        return conn

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction on the single writer connection."""
        with self._lock:
            conn = self._writer
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    def _read(self) -> sqlite3.Connection:
        """This thread's read-only connection."""
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._connect(read_only=True)
            self._local.conn = conn
            with self._lock:
                self._readers.append(conn)
        return conn

    def migrate(self) -> list[int]:
        """Apply pending migrations in order, each recorded in schema_migrations."""
        with self._write() as conn:
            conn.execute(SCHEMA_MIGRATIONS_DDL)
            applied = {row[0] for row in conn.execute("SELECT version FROM schema_migrations")}
            done = []
            for migration in pending(load_migrations("sqlite"), applied):
                for statement in sqlite_statements(migration.sql):
                    conn.execute(statement)
                conn.execute(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                    (migration.version, migration.name, utc_now().isoformat()),
                )
                done.append(migration.version)
        return done

    def applied_migrations(self) -> list[int]:
        """Versions recorded in schema_migrations, in order."""
        rows = self._read().execute("SELECT version FROM schema_migrations ORDER BY version")
        return [row[0] for row in rows]

    def close(self) -> None:
        """Close the writer and every reader connection."""
        with self._lock:
            for conn in [*self._readers, self._writer]:
                conn.close()
            self._readers.clear()
