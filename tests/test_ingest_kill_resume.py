"""SIGKILL in the middle of a large WARC, then a rerun: every record is stored exactly once."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.warc_writer import news_captures, write_warc

RECORDS = 400  # large enough that the first run is still writing when it is killed
POLL_S = 0.01
START_TIMEOUT_S = 120.0


def _count(db: Path, sql: str) -> int:
    """A count from the store, or 0 while the database or its tables do not exist yet."""
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as conn:
            return int(conn.execute(sql).fetchone()[0])
    except sqlite3.OperationalError:
        return 0


def _ingest(warc: Path, db: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "WESTMINSTER_CONFIG": os.devnull}
    return subprocess.Popen(
        [sys.executable, "-m", "westminster", "ingest", str(warc), "--db", str(db), "--no-analyse"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=env,
    )


@pytest.mark.slow
def test_sigkill_mid_warc_then_rerun_stores_every_record_once(tmp_path: Path) -> None:
    warc = write_warc(tmp_path / "crawl.warc", news_captures(RECORDS))
    db = tmp_path / "store.db"
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
