"""Subscribers, sign-up counters, editions, the outbox and sender locks in PostgreSQL.

Each outbox step is its own short transaction; concurrent senders meet at row locks
(`SELECT ... FOR UPDATE`), so exactly one claims a row (westminster.delivery.outbox explains the
exactly-once argument).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from psycopg.types.json import Jsonb

from westminster.models.subscriber import (
    Preferences,
    Subscriber,
    SubscriberStatus,
    preferences_from_dict,
    preferences_to_dict,
)
from westminster.store.base import ClaimResult, OutboxEntry, OutboxStatus, StoreError
from westminster.store.postgres.connection import PostgresConnection

_OUTBOX_COLUMNS = (
    "edition, subscriber_id, status, message_id, attempts, enqueued_at, claimed_at,"
    " finished_at, detail"
)


def _subscriber(row: dict[str, Any]) -> Subscriber:
    return Subscriber(
        id=int(row["id"]),
        email=row["email"],
        status=row["status"],
        preferences=preferences_from_dict(row["preferences"]),
        created_at=row["created_at"],
        confirmed_at=row["confirmed_at"],
        updated_at=row["updated_at"],
        paused_reason=row["paused_reason"],
    )


def _entry(row: dict[str, Any]) -> OutboxEntry:
    return OutboxEntry(**{**row, "subscriber_id": int(row["subscriber_id"])})


class PostgresSubscribers(PostgresConnection):
    """Subscribers and what has been sent to them."""

    def put_subscriber(
        self, email: str, preferences: Preferences, *, status: SubscriberStatus, now: datetime
    ) -> tuple[Subscriber, bool]:
        """Add an address (True) or return the one already stored, unchanged (False)."""
        with self._lock, self._conn.transaction():
            inserted = self._conn.execute(
                "INSERT INTO subscribers (email, status, preferences, frequency, created_at,"
                " confirmed_at, updated_at) VALUES (%s, %s, %s, %s, %s, %s, %s)"
                " ON CONFLICT (email) DO NOTHING RETURNING id",
                (
                    email,
                    status,
                    Jsonb(preferences_to_dict(preferences)),
                    preferences.frequency,
                    now,
                    now if status == "active" else None,
                    now,
                ),
            ).fetchone()
            row = self._conn.execute(
                "SELECT * FROM subscribers WHERE email = %s", (email,)
            ).fetchone()
        assert row is not None  # inserted or already there
        return _subscriber(row), inserted is not None

    def get_subscriber(self, key: int | str) -> Subscriber | None:
        """The subscriber with this id or (normalised) email, or None."""
        column = "email" if isinstance(key, str) else "id"
        with self._lock:
            row = self._conn.execute(
                f"SELECT * FROM subscribers WHERE {column} = %s", (key,)
            ).fetchone()
        return None if row is None else _subscriber(row)

    def update_subscriber(
        self,
        subscriber_id: int,
        *,
        now: datetime,
        status: SubscriberStatus | None = None,
        preferences: Preferences | None = None,
        reason: str | None = None,
    ) -> Subscriber:
        """Change status and/or preferences; becoming active stamps confirmed_at."""
        with self._lock, self._conn.transaction():
            row = self._conn.execute(
                "SELECT status FROM subscribers WHERE id = %s FOR UPDATE", (subscriber_id,)
            ).fetchone()
            if row is None:
                raise StoreError("no such subscriber", subject=f"subscriber {subscriber_id}")
            sets: list[str] = ["updated_at = %s"]
            params: list[object] = [now]
            if status is not None:
                sets += ["status = %s", "paused_reason = %s"]
                params += [status, reason if status == "paused" else None]
                if status == "active" and row["status"] != "active":
                    sets.append("confirmed_at = %s")
                    params.append(now)
            if preferences is not None:
                sets += ["preferences = %s", "frequency = %s"]
                params += [Jsonb(preferences_to_dict(preferences)), preferences.frequency]
            updated = self._conn.execute(
                f"UPDATE subscribers SET {', '.join(sets)} WHERE id = %s RETURNING *",
                (*params, subscriber_id),
            ).fetchone()
        assert updated is not None  # the row is locked above
        return _subscriber(updated)

    def delete_subscriber(self, subscriber_id: int) -> bool:
        """Remove a subscriber and their outbox rows; False when there was none."""
        with self._lock:
            cursor = self._conn.execute("DELETE FROM subscribers WHERE id = %s", (subscriber_id,))
            return cursor.rowcount == 1

    def subscribers(
        self, *, status: SubscriberStatus | None = None, frequency: str | None = None
    ) -> list[Subscriber]:
        """Subscribers by id, optionally only those with a status and/or frequency."""
        where: list[str] = []
        params: list[str] = []
        if status is not None:
            where.append("status = %s")
            params.append(status)
        if frequency is not None:
            where.append("frequency = %s")
            params.append(frequency)
        sql = "SELECT * FROM subscribers"
        if where:
            sql += " WHERE " + " AND ".join(where)
        with self._lock:
            rows = self._conn.execute(sql + " ORDER BY id", params).fetchall()
        return [_subscriber(row) for row in rows]

    def count_attempts(self, keys: Sequence[str], window_start: datetime) -> list[int]:
        """Add one attempt to each key's counter for the window; return the new counts."""
        counts = []
        with self._lock, self._conn.transaction():
            # Old windows are dropped as new ones are counted, so the table stays small.
            self._conn.execute(
                "DELETE FROM signup_counters WHERE window_start < %s", (window_start,)
            )
            for key in keys:
                row = self._conn.execute(
                    "INSERT INTO signup_counters (key, window_start, count) VALUES (%s, %s, 1)"
                    " ON CONFLICT (key, window_start) DO UPDATE"
                    " SET count = signup_counters.count + 1 RETURNING count",
                    (key, window_start),
                ).fetchone()
                assert row is not None  # RETURNING gives one row
                counts.append(int(row["count"]))
        return counts

    def put_edition(self, edition_id: str, kind: str, payload: str, built_at: datetime) -> str:
        """Store an edition as built unless one is stored; return the stored payload."""
        with self._lock, self._conn.transaction():
            self._conn.execute(
                "INSERT INTO editions (id, kind, payload, built_at) VALUES (%s, %s, %s, %s)"
                " ON CONFLICT (id) DO NOTHING",
                (edition_id, kind, payload, built_at),
            )
            row = self._conn.execute(
                "SELECT payload FROM editions WHERE id = %s", (edition_id,)
            ).fetchone()
        assert row is not None  # inserted or already there
        return str(row["payload"])

    def get_edition(self, edition_id: str) -> str | None:
        """An edition's stored payload, or None."""
        with self._lock:
            row = self._conn.execute(
                "SELECT payload FROM editions WHERE id = %s", (edition_id,)
            ).fetchone()
        return None if row is None else str(row["payload"])

    def enqueue(self, edition_id: str, entries: Iterable[tuple[int, str]], now: datetime) -> int:
        """Add (subscriber id, Message-ID) rows as pending; existing rows are kept; count new."""
        rows = [(edition_id, sid, mid, now) for sid, mid in entries]
        if not rows:
            return 0
        added = 0
        with self._lock, self._conn.transaction(), self._conn.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO outbox (edition, subscriber_id, status, message_id, enqueued_at)"
                " VALUES (%s, %s, 'pending', %s, %s) ON CONFLICT DO NOTHING RETURNING 1",
                rows,
                returning=True,
            )
            while True:
                added += len(cursor.fetchall())
                if not cursor.nextset():
                    break
        return added

    def enqueue_alert(
        self,
        edition_id: str,
        subscriber_id: int,
        message_id: str,
        article_ids: Sequence[str],
        now: datetime,
    ) -> list[str]:
        """Record the articles not yet alerted to the subscriber and, if any, queue the alert."""
        new = []
        with self._lock, self._conn.transaction():
            for aid in dict.fromkeys(article_ids):
                row = self._conn.execute(
                    "INSERT INTO alert_items (subscriber_id, article_id, edition)"
                    " VALUES (%s, %s, %s) ON CONFLICT DO NOTHING RETURNING article_id",
                    (subscriber_id, aid, edition_id),
                ).fetchone()
                if row is not None:
                    new.append(aid)
            if new:
                self._conn.execute(
                    "INSERT INTO outbox (edition, subscriber_id, status, message_id, enqueued_at)"
                    " VALUES (%s, %s, 'pending', %s, %s) ON CONFLICT DO NOTHING",
                    (edition_id, subscriber_id, message_id, now),
                )
        return new

    def alert_items(self, edition_id: str, subscriber_id: int) -> list[str]:
        """The article ids an alert edition covers for a subscriber."""
        with self._lock:
            rows = self._conn.execute(
                "SELECT article_id FROM alert_items WHERE subscriber_id = %s AND edition = %s"
                " ORDER BY article_id",
                (subscriber_id, edition_id),
            ).fetchall()
        return [row["article_id"] for row in rows]

    def claim(self, edition_id: str, subscriber_id: int, now: datetime) -> ClaimResult:
        """Mark a pending row as being sent (one claimant wins); inactive ones become skipped."""
        key = (edition_id, subscriber_id)
        with self._lock, self._conn.transaction():
            row = self._conn.execute(
                "SELECT o.status, s.status AS who FROM outbox o JOIN subscribers s"
                " ON s.id = o.subscriber_id WHERE o.edition = %s AND o.subscriber_id = %s"
                " FOR UPDATE OF o",
                key,
            ).fetchone()
            if row is None or row["status"] != "pending":
                return "taken"
            if row["who"] != "active":
                self._conn.execute(
                    "UPDATE outbox SET status = 'skipped', finished_at = %s, detail = %s"
                    " WHERE edition = %s AND subscriber_id = %s",
                    (now, f"subscriber is {row['who']}", *key),
                )
                return "inactive"
            self._conn.execute(
                "UPDATE outbox SET status = 'sending', claimed_at = %s, attempts = attempts + 1"
                " WHERE edition = %s AND subscriber_id = %s",
                (now, *key),
            )
            return "claimed"

    def finish(
        self,
        edition_id: str,
        subscriber_id: int,
        status: OutboxStatus,
        *,
        now: datetime,
        detail: str | None = None,
    ) -> None:
        """Record what became of a claimed row (sent, failed, or pending again)."""
        finished = None if status == "pending" else now
        with self._lock:
            cursor = self._conn.execute(
                "UPDATE outbox SET status = %s, finished_at = %s, detail = %s"
                " WHERE edition = %s AND subscriber_id = %s",
                (status, finished, detail, edition_id, subscriber_id),
            )
            if cursor.rowcount == 0:
                raise StoreError(
                    "no such outbox row", subject=f"{edition_id} / subscriber {subscriber_id}"
                )

    def outbox(self, edition_id: str, *, status: OutboxStatus | None = None) -> list[OutboxEntry]:
        """An edition's outbox rows by subscriber id, optionally of one status."""
        sql = f"SELECT {_OUTBOX_COLUMNS} FROM outbox WHERE edition = %s"
        params: tuple[str, ...] = (edition_id,)
        if status is not None:
            sql, params = sql + " AND status = %s", (edition_id, status)
        with self._lock:
            rows = self._conn.execute(sql + " ORDER BY subscriber_id", params).fetchall()
        return [_entry(row) for row in rows]

    def reset_claims(self, edition_id: str) -> int:
        """Put rows left `sending` by a dead sender back to pending; return how many."""
        with self._lock:
            cursor = self._conn.execute(
                "UPDATE outbox SET status = 'pending', detail = 'resent after an interrupted send'"
                " WHERE edition = %s AND status = 'sending'",
                (edition_id,),
            )
            return cursor.rowcount

    def unfinished_editions(self, prefix: str) -> list[str]:
        """Ids starting with `prefix` of editions with rows still pending or sending."""
        with self._lock:
            rows = self._conn.execute(
                "SELECT DISTINCT edition FROM outbox WHERE status IN ('pending', 'sending')"
                " AND left(edition, %s) = %s ORDER BY edition",
                (len(prefix), prefix),
            ).fetchall()
        return [row["edition"] for row in rows]

    def acquire_lock(
        self, name: str, owner: str, *, now: datetime, replace: str | None = None
    ) -> tuple[str, datetime] | None:
        """Take or refresh a named lock (None); else the holder and its heartbeat."""
        with self._lock, self._conn.transaction():
            inserted = self._conn.execute(
                "INSERT INTO send_locks (name, owner, heartbeat_at) VALUES (%s, %s, %s)"
                " ON CONFLICT (name) DO NOTHING RETURNING name",
                (name, owner, now),
            ).fetchone()
            if inserted is not None:
                return None
            row = self._conn.execute(
                "SELECT owner, heartbeat_at FROM send_locks WHERE name = %s FOR UPDATE", (name,)
            ).fetchone()
            if row is not None and row["owner"] not in (owner, replace):
                return str(row["owner"]), row["heartbeat_at"]
            # An upsert: the row may have been released between the insert and the select.
            self._conn.execute(
                "INSERT INTO send_locks (name, owner, heartbeat_at) VALUES (%s, %s, %s)"
                " ON CONFLICT (name) DO UPDATE SET owner = excluded.owner,"
                " heartbeat_at = excluded.heartbeat_at",
                (name, owner, now),
            )
        return None

    def release_lock(self, name: str, owner: str) -> None:
        """Release a named lock if this owner holds it."""
        with self._lock:
            self._conn.execute(
                "DELETE FROM send_locks WHERE name = %s AND owner = %s", (name, owner)
            )
