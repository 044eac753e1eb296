"""Analyse articles on one process or several, each worker loading the model once."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from datetime import date
from itertools import islice
from types import TracebackType

from westminster.models import Analysis, Article, Rejection
from westminster.nlp.analyzer import PIPE_BATCH_SIZE, Analyzer

# Chunks in flight per worker: enough to keep every process busy without holding the whole
# input in memory.
CHUNKS_AHEAD_PER_WORKER = 2

_worker: Analyzer | None = None


def _init_worker(model: str) -> None:
    global _worker
    _worker = Analyzer(model)


def _work(chunk: list[Article], today: date | None) -> list[Analysis | Rejection]:
    assert _worker is not None, "worker not initialised"
    return _worker.analyse_batch(chunk, today=today)


class AnalysisPool:
    """A pool of worker processes, each holding one Analyzer, that analyse batches."""

    def __init__(self, processes: int, model: str = "") -> None:
        self.processes = max(1, processes)
        self._pool = ProcessPoolExecutor(
            self.processes, initializer=_init_worker, initargs=(model,)
        )

    def submit(
        self, articles: Sequence[Article], today: date | None = None
    ) -> Future[list[Analysis | Rejection]]:
        """Analyse one batch on a worker (one nlp.pipe pass); results in input order."""
        return self._pool.submit(_work, list(articles), today)

    def close(self) -> None:
        """Stop the workers once their work is done."""
        self._pool.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> AnalysisPool:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def analyse_articles(
    articles: Iterable[Article],
    *,
    processes: int = 1,
    model: str = "",
    today: date | None = None,
    analyzer: Analyzer | None = None,
) -> Iterator[Analysis | Rejection]:
    """Yield results in input order; with processes > 1, chunks go to a process pool."""
    if processes <= 1:
        yield from (analyzer or Analyzer(model)).analyse_many(articles, today=today)
        return
    it = iter(articles)
    with AnalysisPool(processes, model) as pool:
        pending: list[Future[list[Analysis | Rejection]]] = []
        while True:
            while len(pending) < processes * CHUNKS_AHEAD_PER_WORKER:
                chunk = list(islice(it, PIPE_BATCH_SIZE))
                if not chunk:
                    break
                pending.append(pool.submit(chunk, today))
            if not pending:
                return
            yield from pending.pop(0).result()
