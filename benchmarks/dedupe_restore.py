"""Duplicate index: rebuilding from texts versus restoring from stored states, N articles.

Usage: .venv/bin/python benchmarks/dedupe_restore.py [--n N] [--data DIR]
The articles replicate the real BBC politics texts in ../shared/data/bbc-politics under new
ids: replica k of article i keeps i's first half and takes the second half of another article,
so most replicas are new stories and some overlap. Timed: adding all N to an index (the old run
start), exporting their states, restoring them into a fresh index, and then `Ingester.load` on
a SQLite store of the N articles, first without states (it rebuilds and writes them) and then
with them. The verdicts of 50 held-out articles are checked to be the same after both. Not a
test: it prints figures.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

from westminster.config import Config
from westminster.dedupe import DuplicateIndex
from westminster.ingest.fetcher import Fetcher
from westminster.models import Article
from westminster.pipeline.ingest import Ingester, IngestOptions, fetch_settings
from westminster.store import open_store

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "bbc-politics"
HELD_OUT = 50
MIX_STEP = 37  # replica k of article i borrows from article i + k * MIX_STEP


def replicas(data: Path, n: int) -> list[tuple[str, Article]]:
    """N articles made from the BBC politics texts, each with a new id and URL."""
    files = sorted((data / "articles").glob("*.txt"))
    if not files:
        sys.exit(f"no articles under {data / 'articles'}")
    texts = []
    for path in files:
        title, _, body = path.read_text(encoding="latin-1").partition("\n")
        texts.append((title.strip(), [p for p in body.split("\n") if p.strip()]))
    out = []
    for m in range(n):
        k, i = divmod(m, len(texts))
        title, paragraphs = texts[i]
        if k:
            other = texts[(i + k * MIX_STEP) % len(texts)][1]
            paragraphs = paragraphs[: len(paragraphs) // 2] + other[len(other) // 2 :]
        article = Article(
            title=f"{title} ({k})" if k else title,
            text="\n".join(paragraphs),
            url=f"https://example.org/bbc/{m}",
            published=date(2005, 1, 1) + timedelta(days=m % 365),
        )
        out.append((f"bbc-{m}", article))
    return out


def timed(label: str, start: float, n: int) -> float:
    """Print and return the seconds since `start`."""
    seconds = time.perf_counter() - start
    print(f"{label:<34} {seconds:8.2f} s  {1000 * seconds / n:7.3f} ms/article")
    return seconds


def main() -> None:
    """Time rebuild and restore and check their verdicts agree."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = parser.parse_args()
    items = replicas(args.data, args.n + HELD_OUT)
    stored, later = items[: args.n], items[args.n :]
    n = len(stored)

    built = DuplicateIndex()
    start = time.perf_counter()
    kinds = Counter(built.add(aid, article).kind for aid, article in stored)
    rebuild = timed("rebuild (add every article)", start, n)
    start = time.perf_counter()
    states = [(aid, built.export_entry(aid)) for aid, _ in stored]
    timed("export states", start, n)
    size = sum(len(s) for _, s in states)
    restored = DuplicateIndex()
    start = time.perf_counter()
    for aid, state in states:
        restored.restore_entry(aid, state)
    restore = timed("restore states", start, n)
    same = [built.add(a, x) for a, x in later] == [restored.add(a, x) for a, x in later]
    print(f"verdicts of {n}: {dict(kinds)}; state {size / n:.0f} bytes/article")
    print(f"held-out verdicts identical after restore: {same}; speed-up {rebuild / restore:.0f}x")

    with tempfile.TemporaryDirectory() as folder:
        store = open_store(Path(folder) / "store.db")
        for _, article in stored:
            store.put_article(replace(article, outlet="BBC"))
        fetcher = Fetcher(fetch_settings(Config()))
        options = IngestOptions(analyse=False)
        start = time.perf_counter()
        Ingester(store, fetcher, options).load()
        timed("Ingester.load, no states (rebuild)", start, n)
        start = time.perf_counter()
        Ingester(store, fetcher, options).load()
        timed("Ingester.load, states (restore)", start, n)
        start = time.perf_counter()
        for _ in store.iter_articles():
            pass
        timed("  of which reading the articles", start, n)
        store.close()
    if not same:
        sys.exit("verdicts differ after restore")


if __name__ == "__main__":
    main()
