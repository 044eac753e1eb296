"""Re-clean stored articles with what the outlet filter has learned since they were stored."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from westminster.clean.outlet_filter import OutletLineFilter
from westminster.models import Analysis, Article, Rejection, RemovedLine
from westminster.nlp.analyzer import PIPE_BATCH_SIZE
from westminster.store import Store

# Analyse a batch of re-cleaned articles per nlp.pipe pass, as ingestion does.
RECLEAN_BATCH = PIPE_BATCH_SIZE

BatchAnalyser = Callable[[Sequence[Article]], list[Analysis | Rejection]]


def learned_reason(outlet: str) -> str:
    """The reason shown for a line the outlet filter removed (as cleaning words it)."""
    return f"learned boilerplate for outlet {outlet}"


def strip_learned(article: Article, outlet_filter: OutletLineFilter) -> Article | None:
    """The article without the lines its outlet's filter now flags, or None if none are."""
    outlet = article.outlet
    if not outlet or not outlet_filter.learned(outlet):
        return None
    kept: list[str] = []
    dropped: list[RemovedLine] = []
    for line in article.text.split("\n"):
        if line.strip() and outlet_filter.is_boilerplate(outlet, line.strip()):
            dropped.append(RemovedLine(line.strip(), learned_reason(outlet)))
        else:
            kept.append(line)
    if not dropped or not any(line.strip() for line in kept):
        return None  # nothing learned applies, or the article would be left with no text
    return replace(
        article, text="\n".join(kept).strip("\n"), removed=article.removed + tuple(dropped)
    )


def reclean(
    store: Store, outlet_filter: OutletLineFilter, *, analyse: BatchAnalyser | None = None
) -> int:
    """Store a new version of every article that still holds learned boilerplate; the count.

    A new version drops the old analysis (its offsets point into the old text), so with
    `analyse` the articles that had one are analysed again, a batch at a time.
    """
    changed = 0
    waiting: list[tuple[str, Article]] = []
    # Streamed, never all in memory, while new versions are written: a new version updates its
    # row in place, which SQLite's reading snapshot does not show and PostgreSQL's keyset pages
    # have already passed; and a re-cleaned article has no learned line left, so even an
    # article read twice would not be changed twice.
    for stored in store.iter_articles():
        cleaner = strip_learned(stored.article, outlet_filter)
        if cleaner is None:
            continue
        result = store.put_article(
            cleaner, raw_sha256=stored.raw_sha256, fetched_at=stored.fetched_at
        )
        changed += 1
        if analyse is not None and stored.analysis is not None:
            waiting.append((result.article_id, cleaner))
            if len(waiting) >= RECLEAN_BATCH:
                _store_analyses(store, waiting, analyse)
                waiting = []
    _store_analyses(store, waiting, analyse)
    return changed


def _store_analyses(
    store: Store, waiting: list[tuple[str, Article]], analyse: BatchAnalyser | None
) -> None:
    """Analyse the re-cleaned articles and store each analysis with its new version."""
    if not waiting or analyse is None:
        return
    results = analyse([article for _, article in waiting])
    for (aid, _), result in zip(waiting, results, strict=True):
        # An analysis that fails on text it succeeded on before, less a few lines, leaves the
        # article as ingestion leaves one it could not analyse: stored, searchable by text.
        if isinstance(result, Analysis):
            store.put_analysis(aid, result)
