"""What ingestion remembers in PostgreSQL between runs: records, validators, dedupe states."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any

from westminster.store.base import StoreError, utc_now
from westminster.store.postgres.connection import STREAM_BATCH, PostgresConnection


class PostgresRecords(PostgresConnection):
    """Archive records stored, conditional-GET validators and duplicate-index states."""

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

    def put_dedupe_state(self, article_id: str, state: bytes) -> None:
        """Store (or replace) an article's duplicate-index state."""
        with self._lock, self._conn.transaction():
            if self._locked_row(article_id) is None:
                raise StoreError("no such article in the store", subject=article_id)
            self._conn.execute(
                "INSERT INTO dedupe_states (article_id, state, stored_at) VALUES (%s, %s, %s)"
                " ON CONFLICT (article_id) DO UPDATE SET state = excluded.state,"
                " stored_at = excluded.stored_at",
                (article_id, bytes(state), utc_now()),
            )

    def put_dedupe_states(self, states: Iterable[tuple[str, bytes]]) -> list[str]:
        """Store many (article id, state) in one transaction; return the ids with no article."""
        # The same article twice in one batch: the last state wins (ON CONFLICT cannot touch
        # one row twice in a statement).
        latest = dict(states)
        if not latest:
            return []
        ids = list(latest)
        # One statement: the states whose article exists (row-locked, as put_dedupe_state
        # does), inserted or replaced; the ids it returns are those stored.
        with self._lock, self._conn.transaction():
            rows = self._conn.execute(
                "WITH given AS (SELECT * FROM unnest(%s::text[], %s::bytea[]) AS g(id, state)),"
                " present AS (SELECT a.id FROM articles a JOIN given g ON g.id = a.id"
                " FOR UPDATE OF a)"
                " INSERT INTO dedupe_states (article_id, state, stored_at)"
                " SELECT g.id, g.state, %s FROM given g JOIN present p ON p.id = g.id"
                " ON CONFLICT (article_id) DO UPDATE SET state = excluded.state,"
                " stored_at = excluded.stored_at RETURNING article_id",
                (ids, [bytes(latest[aid]) for aid in ids], utc_now()),
            ).fetchall()
        stored = {row["article_id"] for row in rows}
        return [aid for aid in ids if aid not in stored]

    def iter_dedupe_states(self) -> Iterator[tuple[str, bytes]]:
        """Each stored (article id, state), in the order of `iter_articles`."""
        # Keyset pages on the articles' (first_seen, id), as iter_articles reads them.
        last: tuple[datetime, str] | None = None
        while True:
            where = ""
            params: dict[str, Any] = {"limit": STREAM_BATCH}
            if last is not None:
                where = " WHERE (a.first_seen, a.id) > (%(seen)s, %(id)s)"
                params.update(seen=last[0], id=last[1])
            with self._lock:
                rows = self._conn.execute(
                    "SELECT a.id, a.first_seen, d.state FROM dedupe_states d"
                    f" JOIN articles a ON a.id = d.article_id{where}"
                    " ORDER BY a.first_seen, a.id LIMIT %(limit)s",
                    params,
                ).fetchall()
            if not rows:
                return
            yield from ((row["id"], bytes(row["state"])) for row in rows)
            last = (rows[-1]["first_seen"], rows[-1]["id"])
