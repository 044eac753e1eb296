"""Search latency (median and p95) on a store of N articles, for SQLite and PostgreSQL.

Usage: .venv/bin/python benchmarks/search_latency.py [--n N] [--postgres URL | --start-postgres]
The store is filled by replicating the real BBC politics texts in ../shared/data/bbc-politics
under new ids, outlets and shifted dates; then a fixed list of queries (plain, phrase and
filtered) is timed, each several times after one warm-up pass. Not a test: it prints figures.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from westminster.models import Article
from westminster.store import Store, open_store

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "bbc-politics"
OUTLETS = ("BBC", "Guardian", "Telegraph", "Times", "Westminster Insider")
FIRST_DAY = date(2020, 1, 1)
DAYS = 1500  # replicas spread over about four years

# (query, filters): common and rare words, names, phrases, and the CLI's filters.
QUERIES: tuple[tuple[str, dict[str, object]], ...] = (
    ("Blair", {}),
    ("election", {}),
    ("Brown budget", {}),
    ("tuition fees", {}),
    ('"prime minister"', {}),
    ("Howard immigration", {}),
    ("Iraq war", {}),
    ("council tax", {}),
    ("Kilroy-Silk", {}),
    ("identity cards", {}),
    ("hunting ban", {}),
    ("pensions", {}),
    ("election", {"outlet": "Guardian"}),
    ("Blair", {"since": date(2022, 1, 1), "until": date(2022, 6, 30)}),
    ("tax", {"outlet": "BBC", "since": date(2023, 1, 1)}),
)


def load_texts(data: Path) -> list[tuple[str, str]]:
    """(headline, body) of every article in the corpus."""
    files = sorted((data / "articles").glob("*.txt"))
    if not files:
        raise SystemExit(f"{data}: no articles/*.txt (the BBC politics set of ../shared/data)")
    texts = []
    for f in files:
        head, _, body = f.read_text(encoding="utf-8", errors="replace").strip().partition("\n")
        texts.append((head.strip(), body.strip()))
    return texts


def fill(store: Store, texts: list[tuple[str, str]], n: int) -> float:
    """Store n replicas; return articles per second."""
    started = time.perf_counter()
    for i in range(n):
        title, body = texts[i % len(texts)]
        store.put_article(
            Article(
                title=title,
                text=f"{body}\nReference {i}.",
                published=FIRST_DAY + timedelta(days=(i * 7919) % DAYS),
                outlet=OUTLETS[i % len(OUTLETS)],
                url=f"https://bench.example/{i}",
            )
        )
        if (i + 1) % 10_000 == 0:
            print(f"  {i + 1} stored", file=sys.stderr)
    return n / (time.perf_counter() - started)


def time_queries(store: Store, repeat: int) -> tuple[list[float], dict[str, float]]:
    """Latencies in ms of every query run (after a warm-up pass), and each query's median."""
    runs: list[Callable[[], object]] = [
        (lambda q=q, f=f: store.search(q, **f))  # type: ignore[misc]
        for q, f in QUERIES
    ]
    for run in runs:
        run()
    all_ms: list[float] = []
    per_query: dict[str, float] = {}
    for (query, filters), run in zip(QUERIES, runs, strict=True):
        ms = []
        for _ in range(repeat):
            started = time.perf_counter()
            run()
            ms.append((time.perf_counter() - started) * 1000)
        all_ms += ms
        label = query + (f" {sorted(filters)}" if filters else "")
        per_query[label] = statistics.median(ms)
    return all_ms, per_query


def report(name: str, store: Store, texts: list[tuple[str, str]], args: argparse.Namespace) -> None:
    """Fill one store, time the queries and print the figures."""
    print(f"{name}: filling {args.n} articles...", file=sys.stderr)
    rate = fill(store, texts, args.n)
    all_ms, per_query = time_queries(store, args.repeat)
    p95 = statistics.quantiles(all_ms, n=20)[-1]
    print(f"{name}: N={args.n} insert {rate:.0f} articles/s")
    print(f"{name}: search median {statistics.median(all_ms):.1f} ms, p95 {p95:.1f} ms")
    for label, ms in per_query.items():
        print(f"  {ms:7.1f} ms  {label}")


def main() -> None:
    """Build the stores and print latencies."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=100_000, help="articles in the store")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--repeat", type=int, default=5, help="timed runs of each query")
    parser.add_argument("--postgres", metavar="URL", help="also time an empty PostgreSQL db")
    parser.add_argument(
        "--start-postgres", action="store_true", help="start a throwaway PostgreSQL server"
    )
    args = parser.parse_args()
    texts = load_texts(args.data)
    with tempfile.TemporaryDirectory() as tmp:
        sqlite = open_store(Path(tmp) / "bench.db")
        report("sqlite", sqlite, texts, args)
        sqlite.close()
    url, server = args.postgres, None
    if url is None and args.start_postgres:
        # The test suite's throwaway-server helper (tests/ is not a package of the install).
        sys.path.insert(0, str(ROOT))
        from tests.pg_server import PostgresServer, find_bin_dir

        bin_dir = find_bin_dir()
        if bin_dir is None:
            raise SystemExit("PostgreSQL binaries not found (apt-get install -y postgresql)")
        server = PostgresServer(bin_dir)
        url = server.start()
    if url is not None:
        try:
            postgres = open_store(url)
            report("postgres", postgres, texts, args)
            postgres.close()
        finally:
            if server is not None:
                server.stop()


if __name__ == "__main__":
    main()
