"""Briefings generated, in PostgreSQL: when each kind of briefing on a subject was last made."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from westminster.store.postgres.connection import PostgresConnection
from westminster.store.story_rows import utc as _utc


class PostgresBriefings(PostgresConnection):
    """What ``what's new since the last briefing`` needs: the generation times per subject."""

    def record_briefing(
        self,
        kind: str,
        subject: str,
        generated_at: datetime,
        *,
        period_start: datetime,
        period_end: datetime,
        items: int = 0,
    ) -> None:
        """Remember that a briefing was generated (the same kind, subject and time once)."""
        with self._lock:
            self._conn.execute(
                "INSERT INTO briefings_generated (kind, subject, generated_at, period_start,"
                " period_end, items) VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT DO NOTHING",
                (kind, subject, _utc(generated_at), _utc(period_start), _utc(period_end), items),
            )

    def last_briefing(
        self, kind: str, subject: str, *, before: datetime | None = None
    ) -> datetime | None:
        """When the latest briefing of a kind on a subject was generated (before a time)."""
        sql = (
            "SELECT max(generated_at) AS last FROM briefings_generated"
            " WHERE kind = %s AND subject = %s"
        )
        params: tuple[Any, ...] = (kind, subject)
        if before is not None:
            sql += " AND generated_at < %s"
            params += (_utc(before),)
        with self._lock:
            row = self._conn.execute(sql, params).fetchone()
        last = None if row is None else row["last"]
        return None if last is None else _utc(last)
