"""Re-cleaning stored articles with newly learned outlet lines: streamed, analyses kept."""

from __future__ import annotations

import tracemalloc
from datetime import date
from pathlib import Path

from tests.warc_writer import distinct_paragraphs
from westminster.clean.outlet_filter import OutletLineFilter
from westminster.models import Article
from westminster.pipeline.reclean import reclean
from westminster.store import Store, open_store

PROMO = "Subscribe to the Borough Bugle newsletter for every council story"
BIG_PARAGRAPHS = 10  # about 1 KB of text per article in the memory test
MANY = 2000  # articles in the memory test: ten times the store's streaming batch


def bugle(n: int, *, promo: bool = True, paragraphs: int = 2, outlet: str = "Bugle") -> Article:
    """An article of one outlet, its promotion line inside the body (as the seed has)."""
    body = distinct_paragraphs(n, paragraphs)
    if promo:
        body.insert(1, PROMO)
    return Article(
        title=f"Council story {n}",
        text="\n".join(body),
        url=f"https://bugle.example/{n}",
        outlet=outlet,
        published=date(2024, 9, 13),
    )


def learned_filter(count: int = 12) -> OutletLineFilter:
    """An outlet filter that has learned the Bugle's promotion line."""
    learned = OutletLineFilter()
    for n in range(count):
        learned.observe("Bugle", f"seen-{n}", bugle(n).text.split("\n"))
    assert learned.is_boilerplate("Bugle", PROMO)
    return learned


def test_reclean_keeps_analyses_of_the_new_versions(store: Store, analyzer: object) -> None:
    from westminster.nlp.analyzer import Analyzer

    assert isinstance(analyzer, Analyzer)
    articles = [bugle(n) for n in range(3)] + [bugle(9, promo=False)]
    ids = [store.put_article(article).article_id for article in articles]
    for aid, analysis in zip(ids, analyzer.analyse_batch(articles[:2]), strict=False):
        store.put_analysis(aid, analysis)  # type: ignore[arg-type]
    assert reclean(store, learned_filter(), analyse=analyzer.analyse_batch) == 3
    after = {s.id: s for s in store.iter_articles()}
    for n, aid in enumerate(ids[:3]):
        stored = after[aid]
        assert stored.version == 2 and PROMO not in stored.article.text
        assert [r.text for r in stored.article.removed] == [PROMO]
        # Analysed before: analysed again, its offsets pointing into the new text.
        assert (stored.analysis is not None) == (n < 2)
        for entity in stored.analysis.entities if stored.analysis else ():
            for mention in entity.mentions:
                assert stored.article.text[mention.start : mention.end] == mention.text
    assert after[ids[3]].version == 1  # no learned line in it
    assert reclean(store, learned_filter(), analyse=analyzer.analyse_batch) == 0  # again


def test_reclean_streams_the_store(tmp_path: Path) -> None:
    store = open_store(tmp_path / "store.db")
    for n in range(MANY):
        store.put_article(bugle(n, promo=n % 100 == 0, paragraphs=BIG_PARAGRAPHS))
    learned = learned_filter()
    tracemalloc.start()
    try:
        listed = list(store.iter_articles())  # what holding every article at once takes
        _, held = tracemalloc.get_traced_memory()
        del listed
        tracemalloc.reset_peak()
        changed = reclean(store, learned)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert changed == MANY // 100
    # Measured: about a fifth (the store streams 200 articles at a time); listing them all
    # first, as reclean once did, costs at least the whole.
    assert peak < held / 3, f"peak {peak:,} bytes; the whole store takes {held:,}"
    store.close()
