"""The watch schedule: every source due at the start, then each on its own interval."""

from __future__ import annotations

import contextlib
from pathlib import Path

from tests.warc_writer import article_html, distinct_paragraphs
from westminster.config import Config, SourceSetting
from westminster.ingest.fetcher import Fetcher
from westminster.pipeline.ingest import Ingester, IngestOptions, fetch_settings
from westminster.pipeline.watch import MAX_NAP_S, PassReport, Schedule, watch
from westminster.store import open_store

FAST = SourceSetting("fast", 60.0)
SLOW = SourceSetting("slow", 600.0)


def test_schedule_due_and_wait() -> None:
    schedule = Schedule([FAST, SLOW])
    assert schedule.due(0.0) == [FAST, SLOW]
    schedule.polled(FAST, 0.0)
    schedule.polled(SLOW, 0.0)
    assert schedule.due(59.0) == [] and schedule.wait(59.0) == 1.0
    assert schedule.due(60.0) == [FAST]
    assert schedule.due(600.0) == [FAST, SLOW]
    assert Schedule([]).wait(0.0) == MAX_NAP_S


def test_watch_polls_each_source_when_due(tmp_path: Path) -> None:
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "a.html").write_bytes(article_html("A story", distinct_paragraphs(1)))
    store = open_store(tmp_path / "store.db")
    now = [0.0]
    naps: list[float] = []
    reports: list[PassReport] = []

    def sleep(seconds: float) -> None:
        naps.append(seconds)
        now[0] += seconds
        if now[0] >= 130.0:
            raise KeyboardInterrupt  # how a user stops watch

    source = SourceSetting(str(folder), 60.0)
    with Fetcher(fetch_settings(Config())) as fetcher:
        ingester = Ingester(store, fetcher, IngestOptions(analyse=False))
        with contextlib.suppress(KeyboardInterrupt):
            watch(
                ingester,
                Schedule([source]),
                on_pass=reports.append,
                clock=lambda: now[0],
                sleep=sleep,
            )
    assert [r.counts.new for r in reports] == [1, 0, 0]  # at 0 s, 60 s and 120 s
    assert [r.counts.unchanged for r in reports] == [0, 1, 1]
    assert all(nap <= MAX_NAP_S for nap in naps)
    runs = [store.get_run(r.run_id) for r in reports]
    assert all(run.finished_at is not None for run in runs)
    store.close()
