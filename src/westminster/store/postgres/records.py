"""What ingestion remembers in PostgreSQL between runs: archive records, fetch validators."""

from __future__ import annotations

from collections.abc import Iterable

from westminster.store.base import utc_now
from westminster.store.postgres.connection import PostgresConnection


class PostgresRecords(PostgresConnection):
    """Archive records already stored and the conditional-GET validators of fetched URLs."""

    def mark_records(self, source: str, records: Iterable[tuple[str, str]]) -> None:
        """Remember (record id, article id) pairs of an archive as stored (again is a no-op)."""
        now = utc_now()
        rows = [(source, record_id, aid, now) for record_id, aid in records]
        if not rows:
            return
        with self._lock, self._conn.transaction(), self._conn.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO source_records (source, record_id, article_id, stored_at)"
                " VALUES (%s, %s, %s, %s) ON CONFLICT DO NOTHING",
                rows,
            )

    def stored_records(self, source: str) -> set[str]:
        """The record ids of an archive marked as stored."""
        with self._lock:
            rows = self._conn.execute(
                "SELECT record_id FROM source_records WHERE source = %s", (source,)
            ).fetchall()
        return {row["record_id"] for row in rows}

    def get_validators(self, url: str) -> tuple[str | None, str | None] | None:
        """The (ETag, Last-Modified) last stored for a URL, or None when none is known."""
        with self._lock:
            row = self._conn.execute(
                "SELECT etag, last_modified FROM fetch_validators WHERE url = %s", (url,)
            ).fetchone()
        return None if row is None else (row["etag"], row["last_modified"])

    def put_validators(self, url: str, etag: str | None, last_modified: str | None) -> None:
        """Remember a URL's ETag and Last-Modified, replacing older ones."""
        with self._lock:
            self._conn.execute(
                "INSERT INTO fetch_validators (url, etag, last_modified, updated_at)"
                " VALUES (%s, %s, %s, %s) ON CONFLICT (url) DO UPDATE SET etag = excluded.etag,"
                " last_modified = excluded.last_modified, updated_at = excluded.updated_at",
                (url, etag, last_modified, utc_now()),
            )
