"""SIGKILL in the middle of a large WARC, then a rerun: every record is stored exactly once.

The same test runs on both backends: a SQLite file and a schema of the test PostgreSQL server.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.pg_server import fresh_schema
from tests.warc_writer import news_captures, write_warc

RECORDS = 400  # large enough that the first run is still writing when it is killed
POLL_S = 0.01
START_TIMEOUT_S = 120.0


@pytest.fixture(params=["sqlite", "postgres"])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty store of each backend, named as `--db` takes it (nothing created yet)."""
    if request.param == "sqlite":
        yield str(tmp_path / "store.db")
    else:
        with fresh_schema(request.getfixturevalue("postgres_url")) as url:
            yield url


def _count(db: str, sql: str) -> int:
    """A count from the store, or 0 while the database or its tables do not exist yet."""
    if db.startswith("postgresql://"):
        import psycopg

        try:
            with psycopg.connect(db, connect_timeout=5) as conn:
                row = conn.execute(sql).fetchone()
                return int(row[0]) if row and row[0] is not None else 0
        except psycopg.errors.UndefinedTable:
            return 0
    if not Path(db).exists():
        return 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as conn:
            return int(conn.execute(sql).fetchone()[0])
    except sqlite3.OperationalError:
        return 0


def _ingest(warc: Path, db: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "WESTMINSTER_CONFIG": os.devnull}
    return subprocess.Popen(
        [sys.executable, "-m", "westminster", "ingest", str(warc), "--db", db, "--no-analyse"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=env,
    )


@pytest.mark.slow
def test_sigkill_mid_warc_then_rerun_stores_every_record_once(tmp_path: Path, db: str) -> None:
    warc = write_warc(tmp_path / "crawl.warc", news_captures(RECORDS))
    first = _ingest(warc, db)
    deadline = time.monotonic() + START_TIMEOUT_S
    stored = 0
    while time.monotonic() < deadline and first.poll() is None:
        stored = _count(db, "SELECT count(*) FROM articles")
        if stored >= 10:
            break
        time.sleep(POLL_S)
    first.send_signal(signal.SIGKILL)
    first.wait()
    assert first.returncode == -signal.SIGKILL, "the first run finished before it could be killed"
    killed_at = _count(db, "SELECT count(*) FROM articles")
    assert 0 < killed_at < RECORDS, f"killed with {killed_at} of {RECORDS} stored"
    unfinished = _count(db, "SELECT count(*) FROM runs WHERE finished_at IS NULL")
    assert unfinished == 1  # the killed run is on record as never finished

    second = _ingest(warc, db)
    _, err = second.communicate(timeout=START_TIMEOUT_S)
    assert second.returncode == 0, err.decode()
    assert _count(db, "SELECT count(*) FROM articles") == RECORDS
    assert _count(db, "SELECT count(DISTINCT url) FROM articles") == RECORDS
    assert _count(db, "SELECT count(*) FROM article_versions") == RECORDS  # one version each
    assert _count(db, "SELECT max(version) FROM articles") == 1
    assert _count(db, "SELECT count(*) FROM source_records") == RECORDS
    closing = err.decode().strip().splitlines()[-1]
    # The rerun stored exactly the records the killed run had not (the rest were skipped or
    # found unchanged).
    new = int(closing.split(",")[0].split()[1])
    assert new == RECORDS - killed_at, closing
