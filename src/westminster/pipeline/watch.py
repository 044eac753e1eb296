"""Poll configured sources on their intervals: each pass ingests the sources that are due."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from westminster.config import SourceSetting
from westminster.pipeline.ingest import IngestCounts, Ingester, Progress

# The longest single sleep between checks, so Ctrl-C and newly due sources are noticed promptly
# even when every interval is long.
MAX_NAP_S = 5.0


@dataclass
class Schedule:
    """When each source is next due (monotonic seconds); every source is due at the start."""

    sources: Sequence[SourceSetting]
    next_due: dict[str, float] = field(default_factory=dict)

    def due(self, now: float) -> list[SourceSetting]:
        """The sources due at `now`, in configured order."""
        return [s for s in self.sources if self.next_due.get(s.url, now) <= now]

    def polled(self, source: SourceSetting, now: float) -> None:
        """Note that a source was polled at `now`."""
        self.next_due[source.url] = now + source.interval_s

    def wait(self, now: float) -> float:
        """Seconds until the next source is due (0 when one is due now)."""
        if not self.sources:
            return MAX_NAP_S
        return max(0.0, min(self.next_due.get(s.url, now) for s in self.sources) - now)


@dataclass(frozen=True)
class PassReport:
    """One polling pass: the run it recorded, the sources polled and what it counted."""

    run_id: int
    sources: tuple[str, ...]
    counts: IngestCounts


def watch(
    ingester: Ingester,
    schedule: Schedule,
    *,
    once: bool = False,
    progress: Callable[[], Progress] | None = None,
    on_pass: Callable[[PassReport], None] = lambda _report: None,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> int:
    """Ingest due sources until interrupted (or one pass with `once`); return passes run."""
    passes = 0
    while True:
        now = clock()
        due = schedule.due(now)
        if due:
            run_id = ingester.run([s.url for s in due], progress() if progress else None)
            for source in due:
                schedule.polled(source, now)
            passes += 1
            on_pass(PassReport(run_id, tuple(s.url for s in due), ingester.counts))
        if once:
            return passes
        sleep(min(MAX_NAP_S, schedule.wait(clock())))
