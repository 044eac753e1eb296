"""Runs and rejections in PostgreSQL: what each run counted and which inputs it refused."""

from __future__ import annotations

from collections.abc import Mapping

from psycopg.types.json import Jsonb

from westminster.models import Rejection
from westminster.store.base import RunRecord, StoredRejection, StoreError, check_counts, utc_now
from westminster.store.postgres.connection import PostgresConnection


class PostgresRuns(PostgresConnection):
    """Recording runs and their rejections."""

    def start_run(self, kind: str) -> int:
        """Record the start of a run and return its id."""
        with self._lock:
            row = self._conn.execute(
                "INSERT INTO runs (kind, started_at) VALUES (%s, %s) RETURNING id",
                (kind, utc_now()),
            ).fetchone()
        assert row is not None  # RETURNING gives one row
        return int(row["id"])

    def finish_run(self, run_id: int, counts: Mapping[str, int]) -> None:
        """Record the end of a run with its counts."""
        payload = Jsonb(check_counts(counts))
        with self._lock:
            updated = self._conn.execute(
                "UPDATE runs SET finished_at = %s, counts = %s WHERE id = %s",
                (utc_now(), payload, run_id),
            ).rowcount
        if not updated:
            raise StoreError("no such run in the store", subject=f"run {run_id}")

    def get_run(self, run_id: int) -> RunRecord:
        """One recorded run."""
        with self._lock:
            row = self._conn.execute("SELECT * FROM runs WHERE id = %s", (run_id,)).fetchone()
        if row is None:
            raise StoreError("no such run in the store", subject=f"run {run_id}")
        return RunRecord(**row)

    def runs(self, *, limit: int = 50) -> list[RunRecord]:
        """The most recent runs, newest first."""
        with self._lock:
            rows = self._conn.execute(
                "SELECT * FROM runs ORDER BY id DESC LIMIT %s", (limit,)
            ).fetchall()
        return [RunRecord(**row) for row in rows]

    def record_rejection(self, run_id: int, rejection: Rejection) -> None:
        """Record a rejected input; the same rejection twice in one run is kept once."""
        with self._lock, self._conn.transaction():
            if self._conn.execute("SELECT 1 FROM runs WHERE id = %s", (run_id,)).fetchone() is None:
                raise StoreError("no such run in the store", subject=f"run {run_id}")
            self._conn.execute(
                "INSERT INTO rejections (run_id, stage, code, detail, input, recorded_at)"
                " VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT DO NOTHING",
                (
                    run_id,
                    rejection.stage,
                    rejection.code,
                    rejection.detail,
                    rejection.input,
                    utc_now(),
                ),
            )

    def rejections(self, run_id: int | None = None) -> list[StoredRejection]:
        """Recorded rejections, oldest first, for one run or all."""
        sql = "SELECT run_id, stage, code, detail, input, recorded_at FROM rejections"
        params: tuple[int, ...] = ()
        if run_id is not None:
            sql, params = sql + " WHERE run_id = %s", (run_id,)
        with self._lock:
            rows = self._conn.execute(sql + " ORDER BY id", params).fetchall()
        return [
            StoredRejection(
                run_id=row["run_id"],
                rejection=Rejection(
                    stage=row["stage"], code=row["code"], detail=row["detail"], input=row["input"]
                ),
                recorded_at=row["recorded_at"],
            )
            for row in rows
        ]
