"""What ingestion remembers in SQLite between runs: records, validators, dedupe states."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from westminster.store.base import StoreError, utc_now
from westminster.store.sqlite.connection import STREAM_BATCH, SQLiteConnections


class SQLiteRecords(SQLiteConnections):
    """Archive records stored, conditional-GET validators and duplicate-index states."""

    def mark_records(self, source: str, records: Iterable[tuple[str, str]]) -> None:
        """Remember (record id, article id) pairs of an archive as stored (again is a no-op)."""
        now = utc_now().isoformat()
        rows = [(source, record_id, aid, now) for record_id, aid in records]
        if not rows:
            return
        with self._write() as conn:
            conn.executemany(
                "INSERT OR IGNORE INTO source_records (source, record_id, article_id, stored_at)"
                " VALUES (?, ?, ?, ?)",
                rows,
            )

    def stored_records(self, source: str) -> set[str]:
        """The record ids of an archive marked as stored."""
        rows = self._read().execute(
            "SELECT record_id FROM source_records WHERE source = ?", (source,)
        )
        return {row[0] for row in rows}

    def get_validators(self, url: str) -> tuple[str | None, str | None] | None:
        """The (ETag, Last-Modified) last stored for a URL, or None when none is known."""
        row = (
            self._read()
            .execute("SELECT etag, last_modified FROM fetch_validators WHERE url = ?", (url,))
            .fetchone()
        )
        return None if row is None else (row["etag"], row["last_modified"])

    def put_validators(self, url: str, etag: str | None, last_modified: str | None) -> None:
        """Remember a URL's ETag and Last-Modified, replacing older ones."""
        with self._write() as conn:
            conn.execute(
                "INSERT INTO fetch_validators (url, etag, last_modified, updated_at)"
                " VALUES (?, ?, ?, ?) ON CONFLICT (url) DO UPDATE SET etag = excluded.etag,"
                " last_modified = excluded.last_modified, updated_at = excluded.updated_at",
                (url, etag, last_modified, utc_now().isoformat()),
            )

    def put_dedupe_state(self, article_id: str, state: bytes) -> None:
        """Store (or replace) an article's duplicate-index state."""
        with self._write() as conn:
            if (
                conn.execute("SELECT 1 FROM articles WHERE id = ?", (article_id,)).fetchone()
                is None
            ):
                raise StoreError("no such article in the store", subject=article_id)
            conn.execute(
                "INSERT INTO dedupe_states (article_id, state, stored_at) VALUES (?, ?, ?)"
                " ON CONFLICT (article_id) DO UPDATE SET state = excluded.state,"
                " stored_at = excluded.stored_at",
                (article_id, bytes(state), utc_now().isoformat()),
            )

    def put_dedupe_states(self, states: Iterable[tuple[str, bytes]]) -> list[str]:
        """Store many (article id, state) in one transaction; return the ids with no article."""
        latest = dict(states)  # the same article twice in one batch: the last state wins
        if not latest:
            return []
        now = utc_now().isoformat()
        with self._write() as conn:
            missing = [
                aid
                for aid in latest
                if conn.execute("SELECT 1 FROM articles WHERE id = ?", (aid,)).fetchone() is None
            ]
            absent = set(missing)
            rows = [(aid, bytes(state), now) for aid, state in latest.items() if aid not in absent]
            conn.executemany(
                "INSERT INTO dedupe_states (article_id, state, stored_at) VALUES (?, ?, ?)"
                " ON CONFLICT (article_id) DO UPDATE SET state = excluded.state,"
                " stored_at = excluded.stored_at",
                rows,
            )
        return missing

    def iter_dedupe_states(self) -> Iterator[tuple[str, bytes]]:
        """Each stored (article id, state), in the order of `iter_articles`."""
        cursor = self._read().execute(
            "SELECT d.article_id, d.state FROM dedupe_states d"
            " JOIN articles a ON a.id = d.article_id ORDER BY a.seq"
        )
        while rows := cursor.fetchmany(STREAM_BATCH):
            yield from ((row[0], bytes(row[1])) for row in rows)
