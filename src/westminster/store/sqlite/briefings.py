"""Briefings generated, in SQLite: when each kind of briefing on a subject was last made."""

from __future__ import annotations

from datetime import datetime

from westminster.store.sqlite.connection import SQLiteConnections
from westminster.store.story_rows import utc

# Fixed-width UTC text (microseconds always present): text order is time order.
_TIME_FORMAT = "%Y-%m-%dT%H:%M:%S.%f+00:00"


def _text(value: datetime) -> str:
    return utc(value).strftime(_TIME_FORMAT)


class SQLiteBriefings(SQLiteConnections):
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
        with self._write() as conn:
            conn.execute(
                "INSERT OR IGNORE INTO briefings_generated (kind, subject, generated_at,"
                " period_start, period_end, items) VALUES (?, ?, ?, ?, ?, ?)",
                (
                    kind,
                    subject,
                    _text(generated_at),
                    _text(period_start),
                    _text(period_end),
                    items,
                ),
            )

    def last_briefing(
        self, kind: str, subject: str, *, before: datetime | None = None
    ) -> datetime | None:
        """When the latest briefing of a kind on a subject was generated (before a time)."""
        sql = "SELECT max(generated_at) FROM briefings_generated WHERE kind = ? AND subject = ?"
        params: tuple[str, ...] = (kind, subject)
        if before is not None:
            sql += " AND generated_at < ?"
            params += (_text(before),)
        row = self._read().execute(sql, params).fetchone()
        return None if row is None or row[0] is None else datetime.fromisoformat(row[0])
