"""Runs and rejections in SQLite: what each run counted and which inputs it refused."""

from __future__ import annotations

import json
from collections.abc import Mapping

from westminster.models import Rejection
from westminster.store.base import RunRecord, StoredRejection, StoreError, check_counts, utc_now
from westminster.store.codec import dumps
from westminster.store.sqlite.connection import SQLiteConnections, required_datetime, to_datetime


class SQLiteRuns(SQLiteConnections):
    """Recording runs and their rejections."""

    def start_run(self, kind: str) -> int:
        """Record the start of a run and return its id."""
        with self._write() as conn:
            cursor = conn.execute(
                "INSERT INTO runs (kind, started_at) VALUES (?, ?)", (kind, utc_now().isoformat())
            )
            assert cursor.lastrowid is not None
            return cursor.lastrowid

    def finish_run(self, run_id: int, counts: Mapping[str, int]) -> None:
        """Record the end of a run with its counts."""
        payload = dumps(check_counts(counts))
        with self._write() as conn:
            cursor = conn.execute(
                "UPDATE runs SET finished_at = ?, counts = ? WHERE id = ?",
                (utc_now().isoformat(), payload, run_id),
            )
            if cursor.rowcount == 0:
                raise StoreError("no such run in the store", subject=f"run {run_id}")

    def get_run(self, run_id: int) -> RunRecord:
        """One recorded run."""
        row = self._read().execute("SELECT * FROM runs WHERE id = ?", (run_id,)).fetchone()
        if row is None:
            raise StoreError("no such run in the store", subject=f"run {run_id}")
        return RunRecord(
            id=row["id"],
            kind=row["kind"],
            started_at=required_datetime(row["started_at"]),
            finished_at=to_datetime(row["finished_at"]),
            counts=json.loads(row["counts"]),
        )

    def runs(self, *, limit: int = 50) -> list[RunRecord]:
        """The most recent runs, newest first."""
        rows = self._read().execute("SELECT * FROM runs ORDER BY id DESC LIMIT ?", (limit,))
        return [
            RunRecord(
                id=row["id"],
                kind=row["kind"],
                started_at=required_datetime(row["started_at"]),
                finished_at=to_datetime(row["finished_at"]),
                counts=json.loads(row["counts"]),
            )
            for row in rows
        ]

    def record_rejection(self, run_id: int, rejection: Rejection) -> None:
        """Record a rejected input; the same rejection twice in one run is kept once."""
        with self._write() as conn:
            if conn.execute("SELECT 1 FROM runs WHERE id = ?", (run_id,)).fetchone() is None:
                raise StoreError("no such run in the store", subject=f"run {run_id}")
            conn.execute(
                "INSERT OR IGNORE INTO rejections (run_id, stage, code, detail, input,"
                " recorded_at) VALUES (?, ?, ?, ?, ?, ?)",
                (
                    run_id,
                    rejection.stage,
                    rejection.code,
                    rejection.detail,
                    rejection.input,
                    utc_now().isoformat(),
                ),
            )

    def rejections(self, run_id: int | None = None) -> list[StoredRejection]:
        """Recorded rejections, oldest first, for one run or all."""
        sql = "SELECT * FROM rejections"
        params: tuple[int, ...] = ()
        if run_id is not None:
            sql, params = sql + " WHERE run_id = ?", (run_id,)
        out = []
        for row in self._read().execute(sql + " ORDER BY id", params):
            out.append(
                StoredRejection(
                    run_id=row["run_id"],
                    rejection=Rejection(
                        stage=row["stage"],
                        code=row["code"],
                        detail=row["detail"],
                        input=row["input"],
                    ),
                    recorded_at=required_datetime(row["recorded_at"]),
                )
            )
        return out
