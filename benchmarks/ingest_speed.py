"""Articles per second from a WARC to stored, analysed articles: one process and all cores.

Usage: .venv/bin/python benchmarks/ingest_speed.py [DATA_DIR] [--n N] [--processes P]
DATA_DIR defaults to ../shared/data/bbc-politics (articles/NNN.txt, first line the headline).
It writes a WARC of N HTML article pages (default 400) built from the real texts, each at its
own URL with its own date, then times the ingest pipeline's Python API (`Ingester.run`, what
`westminster ingest crawl.warc --db store.db [-p P]` runs) end to end with analysis on: read,
clean, store, analyse, dedupe and link, into a fresh SQLite store each time, once on one
process and once with analysis on P worker processes (default: all cores). Model loading is
inside the timing, as for a command-line run. The one-process run also times its analysis
calls, which gives analysis's share of the time. Not a test: it prints figures.
"""

from __future__ import annotations

import argparse
import html
import os
import tempfile
import time
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path

from westminster.config import Config
from westminster.ingest.fetcher import Fetcher
from westminster.models import Analysis, Article, Rejection
from westminster.nlp.analyzer import Analyzer
from westminster.pipeline.ingest import IngestCounts, Ingester, IngestOptions, fetch_settings
from westminster.store import open_store

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "bbc-politics"
HOST = "https://bench.example.org/politics"
FIRST_DAY = date(2004, 1, 5)
# Beyond the corpus's size, later rounds join one article's first half to another's second
# half (offset by this stride per round), so the extra pages are new texts, not exact copies.
ROUND_STRIDE = 7


# -- the archive -------------------------------------------------------------------------------


def read_corpus(data: Path) -> list[tuple[str, list[str]]]:
    """Each article's headline and paragraphs."""
    files = sorted((data / "articles").glob("*.txt"))
    if not files:
        raise SystemExit(f"{data}: no articles/*.txt found")
    corpus = []
    for file in files:
        lines = file.read_bytes().decode("utf-8", errors="replace").splitlines()
        paragraphs = [line.strip() for line in lines[1:] if line.strip()]
        corpus.append((lines[0].strip(), paragraphs))
    return corpus


def page(n: int, corpus: Sequence[tuple[str, list[str]]]) -> tuple[str, str, bytes]:
    """The n-th page: its URL, its date and its HTML."""
    size = len(corpus)
    title, paragraphs = corpus[n % size]
    rounds = n // size
    if rounds:
        _, other = corpus[(n + rounds * ROUND_STRIDE) % size]
        paragraphs = paragraphs[: len(paragraphs) // 2 + 1] + other[len(other) // 2 + 1 :]
        title = f"{title} ({rounds + 1})"
    day = (FIRST_DAY + timedelta(days=n)).isoformat()
    body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    document = (
        f"<!DOCTYPE html><html><head><title>{html.escape(title)}</title>"
        '<meta property="og:site_name" content="BBC News">'
        f'<meta property="article:published_time" content="{day}T09:00:00Z">'
        f"</head><body><article><h1>{html.escape(title)}</h1>{body}</article></body></html>"
    )
    return f"{HOST}/{day}/story-{n}", day, document.encode()


def warc_record(n: int, url: str, day: str, body: bytes) -> bytes:
    """One WARC/1.0 response record holding an HTTP 200 answer."""
    http = (
        "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode() + body
    head = (
        "WARC/1.0\r\nWARC-Type: response\r\n"
        f"WARC-Record-ID: <urn:uuid:00000000-0000-4000-8000-{n:012d}>\r\n"
        f"WARC-Date: {day}T10:00:00Z\r\nWARC-Target-URI: {url}\r\n"
        "Content-Type: application/http; msgtype=response\r\n"
        f"Content-Length: {len(http)}\r\n\r\n"
    ).encode()
    return head + http + b"\r\n\r\n"


def write_warc(path: Path, count: int, corpus: Sequence[tuple[str, list[str]]]) -> Path:
    """An uncompressed WARC of `count` article pages."""
    with path.open("wb") as handle:
        for n in range(count):
            handle.write(warc_record(n, *page(n, corpus)))
    return path


# -- timing ------------------------------------------------------------------------------------


class TimedAnalyzer(Analyzer):
    """An Analyzer that adds up the time its batches take."""

    seconds = 0.0

    def analyse_batch(
        self, articles: Sequence[Article], today: date | None = None
    ) -> list[Analysis | Rejection]:
        """Analyse as usual, timing the call."""
        start = time.perf_counter()
        try:
            return super().analyse_batch(articles, today=today)
        finally:
            TimedAnalyzer.seconds += time.perf_counter() - start


def ingest(warc: Path, db: Path, processes: int) -> tuple[float, IngestCounts]:
    """Ingest the WARC into a fresh store; return the wall time and the counts."""
    store = open_store(db)
    options = IngestOptions(processes=processes)
    try:
        with Fetcher(fetch_settings(Config())) as fetcher:
            ingester = Ingester(store, fetcher, options, analyzer=TimedAnalyzer)
            start = time.perf_counter()
            ingester.run([str(warc)])
            return time.perf_counter() - start, ingester.counts
    finally:
        store.close()


def contents(db: Path) -> list[tuple[object, ...]]:
    """What a store holds per article: version, links and analysis."""
    store = open_store(db)
    try:
        return [
            (s.id, s.version, s.duplicate_of, s.rewrite_of, s.analysis)
            for s in store.iter_articles()
        ]
    finally:
        store.close()


def main() -> None:
    """Build the WARC, ingest it on one process and on all cores, print both rates."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("data", nargs="?", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--n", type=int, default=400, help="article pages in the WARC")
    parser.add_argument(
        "--processes", type=int, default=len(os.sched_getaffinity(0)), help="for 'all cores'"
    )
    args = parser.parse_args()

    corpus = read_corpus(args.data)
    with tempfile.TemporaryDirectory() as tmp:
        warc = write_warc(Path(tmp) / "bench.warc", args.n, corpus)
        size = warc.stat().st_size
        print(f"WARC: {args.n} HTML article records, {size / 1e6:.1f} MB, from {args.data}")
        one, counts_one = ingest(warc, Path(tmp) / "one.db", processes=1)
        analysis = TimedAnalyzer.seconds
        many, counts_many = ingest(warc, Path(tmp) / "many.db", processes=args.processes)
        same = contents(Path(tmp) / "one.db") == contents(Path(tmp) / "many.db")
    print(f"1 process:       {args.n / one:7.1f} articles/s ({one:.1f} s)  {counts_one.line()}")
    print(
        f"{args.processes} processes:     {args.n / many:7.1f} articles/s ({many:.1f} s)  "
        f"{counts_many.line()}"
    )
    print(f"speed-up: {one / many:.2f}x on {args.processes} processes")
    print(f"stored articles, links and analyses identical in both stores: {same}")
    print(
        f"1 process: analysis {analysis / one:.0%} of the time, the rest (read, clean, store, "
        f"dedupe, link, model load) {1 - analysis / one:.0%}"
    )
    print("(ingest pipeline through its Python API, Ingester.run, analysis on, fresh SQLite)")


if __name__ == "__main__":
    main()
