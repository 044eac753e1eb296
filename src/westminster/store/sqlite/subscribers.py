"""Subscribers, sign-up counters, editions, the outbox and sender locks in SQLite.

The outbox rows move pending -> sending (claimed, committed before any SMTP traffic) -> sent,
failed, skipped or back to pending; each step is its own short `BEGIN IMMEDIATE` transaction,
so a killed sender leaves every row in a state the next run can read
(westminster.delivery.outbox explains the exactly-once argument).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from datetime import datetime

from westminster.models.subscriber import (
    Preferences,
    Subscriber,
    SubscriberStatus,
    preferences_from_dict,
    preferences_to_dict,
)
from westminster.store.base import ClaimResult, OutboxEntry, OutboxStatus, StoreError
from westminster.store.sqlite.connection import (
    SQLiteConnections,
    iso,
    required_datetime,
    to_datetime,
)

_OUTBOX_COLUMNS = (
    "edition, subscriber_id, status, message_id, attempts, enqueued_at, claimed_at,"
    " finished_at, detail"
)


def _subscriber(row: sqlite3.Row) -> Subscriber:
    return Subscriber(
        id=row["id"],
        email=row["email"],
        status=row["status"],
        preferences=preferences_from_dict(json.loads(row["preferences"])),
        created_at=required_datetime(row["created_at"]),
        confirmed_at=to_datetime(row["confirmed_at"]),
        updated_at=to_datetime(row["updated_at"]),
        paused_reason=row["paused_reason"],
    )


def _entry(row: sqlite3.Row) -> OutboxEntry:
    return OutboxEntry(
        edition=row["edition"],
        subscriber_id=row["subscriber_id"],
        status=row["status"],
        message_id=row["message_id"],
        attempts=row["attempts"],
        enqueued_at=required_datetime(row["enqueued_at"]),
        claimed_at=to_datetime(row["claimed_at"]),
        finished_at=to_datetime(row["finished_at"]),
        detail=row["detail"],
    )


def _prefs_json(preferences: Preferences) -> str:
    return json.dumps(preferences_to_dict(preferences), ensure_ascii=False, sort_keys=True)


class SQLiteSubscribers(SQLiteConnections):
    """Subscribers and what has been sent to them."""

    def put_subscriber(
        self, email: str, preferences: Preferences, *, status: SubscriberStatus, now: datetime
    ) -> tuple[Subscriber, bool]:
        """Add an address (True) or return the one already stored, unchanged (False)."""
        with self._write() as conn:
            cursor = conn.execute(
                "INSERT INTO subscribers (email, status, preferences, frequency, created_at,"
                " confirmed_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (email) DO NOTHING",
                (
                    email,
                    status,
                    _prefs_json(preferences),
                    preferences.frequency,
                    iso(now),
                    iso(now) if status == "active" else None,
                    iso(now),
                ),
            )
            created = cursor.rowcount == 1
            row = conn.execute("SELECT * FROM subscribers WHERE email = ?", (email,)).fetchone()
        return _subscriber(row), created

    def get_subscriber(self, key: int | str) -> Subscriber | None:
        """The subscriber with this id or (normalised) email, or None."""
        column = "email" if isinstance(key, str) else "id"
        row = (
            self._read().execute(f"SELECT * FROM subscribers WHERE {column} = ?", (key,)).fetchone()
        )
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
        with self._write() as conn:
            row = conn.execute(
                "SELECT * FROM subscribers WHERE id = ?", (subscriber_id,)
            ).fetchone()
            if row is None:
                raise StoreError("no such subscriber", subject=f"subscriber {subscriber_id}")
            sets: list[str] = ["updated_at = ?"]
            params: list[object] = [iso(now)]
            if status is not None:
                sets += ["status = ?", "paused_reason = ?"]
                params += [status, reason if status == "paused" else None]
                if status == "active" and row["status"] != "active":
                    sets.append("confirmed_at = ?")
                    params.append(iso(now))
            if preferences is not None:
                sets += ["preferences = ?", "frequency = ?"]
                params += [_prefs_json(preferences), preferences.frequency]
            conn.execute(
                f"UPDATE subscribers SET {', '.join(sets)} WHERE id = ?", (*params, subscriber_id)
            )
            row = conn.execute(
                "SELECT * FROM subscribers WHERE id = ?", (subscriber_id,)
            ).fetchone()
        return _subscriber(row)

    def delete_subscriber(self, subscriber_id: int) -> bool:
        """Remove a subscriber and their outbox rows; False when there was none."""
        with self._write() as conn:
            cursor = conn.execute("DELETE FROM subscribers WHERE id = ?", (subscriber_id,))
            return cursor.rowcount == 1

    def subscribers(
        self, *, status: SubscriberStatus | None = None, frequency: str | None = None
    ) -> list[Subscriber]:
        """Subscribers by id, optionally only those with a status and/or frequency."""
        where: list[str] = []
        params: list[str] = []
        if status is not None:
            where.append("status = ?")
            params.append(status)
        if frequency is not None:
            where.append("frequency = ?")
            params.append(frequency)
        sql = "SELECT * FROM subscribers"
        if where:
            sql += " WHERE " + " AND ".join(where)
        return [_subscriber(row) for row in self._read().execute(sql + " ORDER BY id", params)]

    def count_attempts(self, keys: Sequence[str], window_start: datetime) -> list[int]:
        """Add one attempt to each key's counter for the window; return the new counts."""
        counts = []
        with self._write() as conn:
            # Old windows are dropped as new ones are counted, so the table stays small.
            conn.execute("DELETE FROM signup_counters WHERE window_start < ?", (iso(window_start),))
            for key in keys:
                row = conn.execute(
                    "INSERT INTO signup_counters (key, window_start, count) VALUES (?, ?, 1)"
                    " ON CONFLICT (key, window_start) DO UPDATE SET count = count + 1"
                    " RETURNING count",
                    (key, iso(window_start)),
                ).fetchone()
                counts.append(int(row[0]))
        return counts

    def put_edition(self, edition_id: str, kind: str, payload: str, built_at: datetime) -> str:
        """Store an edition as built unless one is stored; return the stored payload."""
        with self._write() as conn:
            conn.execute(
                "INSERT INTO editions (id, kind, payload, built_at) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (id) DO NOTHING",
                (edition_id, kind, payload, iso(built_at)),
            )
            row = conn.execute("SELECT payload FROM editions WHERE id = ?", (edition_id,))
            return str(row.fetchone()[0])

    def get_edition(self, edition_id: str) -> str | None:
        """An edition's stored payload, or None."""
        row = (
            self._read()
            .execute("SELECT payload FROM editions WHERE id = ?", (edition_id,))
            .fetchone()
        )
        return None if row is None else str(row[0])

    def enqueue(self, edition_id: str, entries: Iterable[tuple[int, str]], now: datetime) -> int:
        """Add (subscriber id, Message-ID) rows as pending; existing rows are kept; count new."""
        rows = [(edition_id, sid, mid, iso(now)) for sid, mid in entries]
        if not rows:
            return 0
        with self._write() as conn:
            before = conn.total_changes
            conn.executemany(
                "INSERT INTO outbox (edition, subscriber_id, status, message_id, enqueued_at)"
                " VALUES (?, ?, 'pending', ?, ?) ON CONFLICT DO NOTHING",
                rows,
            )
            return conn.total_changes - before

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
        with self._write() as conn:
            for aid in dict.fromkeys(article_ids):
                cursor = conn.execute(
                    "INSERT INTO alert_items (subscriber_id, article_id, edition) VALUES (?, ?, ?)"
                    " ON CONFLICT DO NOTHING",
                    (subscriber_id, aid, edition_id),
                )
                if cursor.rowcount == 1:
                    new.append(aid)
            if new:
                conn.execute(
                    "INSERT INTO outbox (edition, subscriber_id, status, message_id, enqueued_at)"
                    " VALUES (?, ?, 'pending', ?, ?) ON CONFLICT DO NOTHING",
                    (edition_id, subscriber_id, message_id, iso(now)),
                )
        return new

    def alert_items(self, edition_id: str, subscriber_id: int) -> list[str]:
        """The article ids an alert edition covers for a subscriber."""
        rows = self._read().execute(
            "SELECT article_id FROM alert_items WHERE subscriber_id = ? AND edition = ?"
            " ORDER BY article_id",
            (subscriber_id, edition_id),
        )
        return [row[0] for row in rows]

    def claim(self, edition_id: str, subscriber_id: int, now: datetime) -> ClaimResult:
        """Mark a pending row as being sent (one claimant wins); inactive ones become skipped."""
        with self._write() as conn:
            row = conn.execute(
                "SELECT o.status, s.status AS who FROM outbox o JOIN subscribers s"
                " ON s.id = o.subscriber_id WHERE o.edition = ? AND o.subscriber_id = ?",
                (edition_id, subscriber_id),
            ).fetchone()
            if row is None or row["status"] != "pending":
                return "taken"
            if row["who"] != "active":
                conn.execute(
                    "UPDATE outbox SET status = 'skipped', finished_at = ?, detail = ?"
                    " WHERE edition = ? AND subscriber_id = ?",
                    (iso(now), f"subscriber is {row['who']}", edition_id, subscriber_id),
                )
                return "inactive"
            conn.execute(
                "UPDATE outbox SET status = 'sending', claimed_at = ?, attempts = attempts + 1"
                " WHERE edition = ? AND subscriber_id = ?",
                (iso(now), edition_id, subscriber_id),
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
        finished = None if status == "pending" else iso(now)
        with self._write() as conn:
            cursor = conn.execute(
                "UPDATE outbox SET status = ?, finished_at = ?, detail = ?"
                " WHERE edition = ? AND subscriber_id = ?",
                (status, finished, detail, edition_id, subscriber_id),
            )
            if cursor.rowcount == 0:
                raise StoreError(
                    "no such outbox row", subject=f"{edition_id} / subscriber {subscriber_id}"
                )

    def outbox(self, edition_id: str, *, status: OutboxStatus | None = None) -> list[OutboxEntry]:
        """An edition's outbox rows by subscriber id, optionally of one status."""
        sql = f"SELECT {_OUTBOX_COLUMNS} FROM outbox WHERE edition = ?"
        params: tuple[str, ...] = (edition_id,)
        if status is not None:
            sql, params = sql + " AND status = ?", (edition_id, status)
        return [
            _entry(row) for row in self._read().execute(sql + " ORDER BY subscriber_id", params)
        ]

    def reset_claims(self, edition_id: str) -> int:
        """Put rows left `sending` by a dead sender back to pending; return how many."""
        with self._write() as conn:
            cursor = conn.execute(
                "UPDATE outbox SET status = 'pending', detail = 'resent after an interrupted send'"
                " WHERE edition = ? AND status = 'sending'",
                (edition_id,),
            )
            return cursor.rowcount

    def unfinished_editions(self, prefix: str) -> list[str]:
        """Ids starting with `prefix` of editions with rows still pending or sending."""
        rows = self._read().execute(
            "SELECT DISTINCT edition FROM outbox WHERE status IN ('pending', 'sending')"
            " AND substr(edition, 1, ?) = ? ORDER BY edition",
            (len(prefix), prefix),
        )
        return [row[0] for row in rows]

    def acquire_lock(
        self, name: str, owner: str, *, now: datetime, replace: str | None = None
    ) -> tuple[str, datetime] | None:
        """Take or refresh a named lock (None); else the holder and its heartbeat."""
        with self._write() as conn:
            row = conn.execute(
                "SELECT owner, heartbeat_at FROM send_locks WHERE name = ?", (name,)
            ).fetchone()
            if row is not None and row["owner"] not in (owner, replace):
                return row["owner"], required_datetime(row["heartbeat_at"])
            conn.execute(
                "INSERT INTO send_locks (name, owner, heartbeat_at) VALUES (?, ?, ?)"
                " ON CONFLICT (name) DO UPDATE SET owner = excluded.owner,"
                " heartbeat_at = excluded.heartbeat_at",
                (name, owner, iso(now)),
            )
        return None

    def release_lock(self, name: str, owner: str) -> None:
        """Release a named lock if this owner holds it."""
        with self._write() as conn:
            conn.execute("DELETE FROM send_locks WHERE name = ? AND owner = ?", (name, owner))
