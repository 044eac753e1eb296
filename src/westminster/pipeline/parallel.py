"""Analyse articles on one process or several, each worker loading the model once."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from datetime import date
from itertools import islice

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
    with ProcessPoolExecutor(processes, initializer=_init_worker, initargs=(model,)) as pool:
        pending: list[Future[list[Analysis | Rejection]]] = []
        while True:
            while len(pending) < processes * CHUNKS_AHEAD_PER_WORKER:
                chunk = list(islice(it, PIPE_BATCH_SIZE))
                if not chunk:
                    break
                pending.append(pool.submit(_work, chunk, today))
            if not pending:
                return
            yield from pending.pop(0).result()
