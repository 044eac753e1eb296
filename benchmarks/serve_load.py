"""Requests per second and latency of the web server for the story list and search.

Usage: .venv/bin/python benchmarks/serve_load.py [--articles 100000] [--db PATH] [--seconds 10]
       [--clients 8] [--data DIR]

Builds a SQLite store of N articles by replicating the real BBC politics texts in
../shared/data/bbc-politics under new ids, outlets and dates (each pass over the texts a month
after the one before, as benchmarks/cluster_speed.py does, so stories form and expire as in a
real stream), assigns them to stories with the pipeline's story stage, then starts
`westminster serve` on loopback in its own process and drives it from client threads, each
with one keep-alive connection. Prints requests per second and latency p50/p95/p99 per
scenario. With --db, a store that already holds N or more articles is reused as it is.
Not a test: it prints figures.
"""

from __future__ import annotations

import argparse
import http.client
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import cycle
from pathlib import Path
from urllib.parse import urlencode

from westminster.models import Article, Rejection
from westminster.pipeline.stories import StoryStage
from westminster.store import Store, open_store

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "bbc-politics"
OUTLETS = ("BBC", "Guardian", "Telegraph", "Times", "Westminster Insider")
START = date(2020, 1, 1)
PASS_DAYS = 30  # each pass over the texts starts a month later, past the 21-day story expiry
PER_DAY = 10
SEARCHES = (
    "Blair", "election", "Brown budget", "tuition fees", '"prime minister"', "Iraq war",
    "council tax", "identity cards", "hunting ban", "pensions", "Howard immigration", "tax",
)  # fmt: skip
STORY_PAGES = 10  # the story list is read at pages 1..10 in turn


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


def count_articles(store: Store) -> int:
    """Articles in the store (the runs table records each fill)."""
    runs = [r for r in store.runs(limit=100) if r.kind == "serve-load-fill"]
    return max((r.counts.get("articles", 0) for r in runs), default=0)


def fill(store: Store, texts: list[tuple[str, str]], n: int) -> None:
    """Store n replicas, then assign them to stories as ingestion does."""
    run = store.start_run("serve-load-fill")
    started = time.perf_counter()
    for i in range(n):
        title, body = texts[i % len(texts)]
        pass_number, position = divmod(i, len(texts))
        published = START + timedelta(days=pass_number * PASS_DAYS + position // PER_DAY)
        store.put_article(
            Article(
                title=title,
                text=f"{body}\nReference {i}.",
                published=published,
                outlet=OUTLETS[i % len(OUTLETS)],
                url=f"https://bench.example/{i}",
            )
        )
        if (i + 1) % 10_000 == 0:
            print(f"  {i + 1} stored", file=sys.stderr)
    print(f"stored {n} articles in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    started = time.perf_counter()
    rejected: list[Rejection] = []
    stage = StoryStage(store, rejected.append)
    stage.start()
    for stored in store.iter_articles():
        stage.observe(stored)
    stage.repair()
    print(
        f"assigned stories in {time.perf_counter() - started:.0f} s ({len(rejected)} rejected)",
        file=sys.stderr,
    )
    store.finish_run(run, {"articles": n})


@dataclass
class Result:
    """Latencies (ms) and failures of one scenario."""

    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


def client(port: int, paths: list[str], until: float, result: Result, offset: int) -> None:
    """One keep-alive connection issuing requests in turn until the deadline."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    mine: list[float] = []
    errors = 0
    for path in cycle(paths[offset:] + paths[:offset]):
        if time.perf_counter() >= until:
            break
        started = time.perf_counter()
        try:
            conn.request("GET", path)
            response = conn.getresponse()
            response.read()
            if response.status != 200:
                errors += 1
        except (OSError, http.client.HTTPException):
            errors += 1
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            continue
        mine.append((time.perf_counter() - started) * 1000)
    conn.close()
    with result.lock:
        result.latencies += mine
        result.errors += errors


def run_scenario(port: int, paths: list[str], clients: int, seconds: float) -> tuple[float, Result]:
    """Requests per second over the scenario, and its latencies."""
    for path in paths:  # warm-up: one of each
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        conn.request("GET", path)
        conn.getresponse().read()
        conn.close()
    result = Result()
    started = time.perf_counter()
    until = started + seconds
    threads = [
        threading.Thread(target=client, args=(port, paths, until, result, i % len(paths)))
        for i in range(clients)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    return len(result.latencies) / elapsed, result


def start_server(db: Path, port: int) -> subprocess.Popen[bytes]:
    """`westminster serve` on loopback, in its own process; returns once it answers."""
    env = {**os.environ, "WESTMINSTER_CONFIG": os.devnull}
    exe = Path(sys.executable).with_name("westminster")
    process = subprocess.Popen(
        [str(exe), "serve", "--db", str(db), "--host", "127.0.0.1", "--port", str(port)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the server stopped: {process.stderr.read().decode()[-2000:]}")  # type: ignore[union-attr]
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/stories.json")
            if conn.getresponse().status == 200:
                return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("the server did not answer within 120 s")


def free_port() -> int:
    """A TCP port free on loopback now."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def main() -> None:
    """Build or reuse the store, serve it and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=100_000, help="articles in the store")
    parser.add_argument("--db", type=Path, help="store file to build or reuse")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--seconds", type=float, default=10.0, help="timed seconds per scenario")
    parser.add_argument("--clients", type=int, default=8, help="concurrent connections")
    args = parser.parse_args()
    folder = None
    if args.db is None:
        folder = tempfile.TemporaryDirectory(prefix="serve-load-")
        args.db = Path(folder.name) / "bench.db"
    store = open_store(args.db)
    try:
        have = count_articles(store)
        if have < args.articles:
            if have:
                raise SystemExit(f"{args.db} holds {have} articles: give another --db")
            fill(store, load_texts(args.data), args.articles)
        else:
            print(f"reusing {args.db} ({have} articles)", file=sys.stderr)
    finally:
        store.close()
    port = free_port()
    server = start_server(args.db, port)
    scenarios = {
        "story list (JSON)": [f"/stories.json?page={p}" for p in range(1, STORY_PAGES + 1)],
        "story list (HTML)": [f"/stories?page={p}" for p in range(1, STORY_PAGES + 1)],
        "search (JSON)": ["/search.json?" + urlencode({"q": q}) for q in SEARCHES],
        "search (HTML)": ["/search?" + urlencode({"q": q}) for q in SEARCHES],
    }
    try:
        print(f"N={args.articles} articles, {args.clients} clients, {args.seconds:.0f} s each")
        for name, paths in scenarios.items():
            rate, result = run_scenario(port, paths, args.clients, args.seconds)
            ms = sorted(result.latencies)
            cuts = statistics.quantiles(ms, n=100) if len(ms) > 1 else ms * 99
            print(
                f"  {name:18} {rate:7.1f} req/s  p50 {statistics.median(ms):6.1f} ms"
                f"  p95 {cuts[94]:6.1f} ms  p99 {cuts[98]:6.1f} ms  errors {result.errors}"
            )
    finally:
        server.terminate()
        server.wait(timeout=30)
        if folder is not None:
            folder.cleanup()


if __name__ == "__main__":
    main()
