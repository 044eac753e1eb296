"""Articles per second for `analyse` beside bare `nlp.pipe` of the same model, as a ratio.

Usage: .venv/bin/python benchmarks/analyse_speed.py [DATA_DIR] [--repeat N] [--processes N]
DATA_DIR defaults to ../shared/data/bbc-politics (articles/NNN.txt, first line the headline).
Both sides process the same texts in the same run; the model is loaded before timing starts.
The two are timed alternately for several rounds and the medians compared, so load from other
processes on the machine falls on both sides alike.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from westminster.clean import split_plain_text
from westminster.models import Article
from westminster.nlp.analyzer import PIPE_BATCH_SIZE, Analyzer
from westminster.pipeline.parallel import analyse_articles

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "bbc-politics"


def load_articles(data: Path) -> list[Article]:
    """Read the corpus as analyse does (headline split and boilerplate removal)."""
    files = sorted((data / "articles").glob("*.txt"))
    if not files:
        raise SystemExit(f"{data}: no articles/*.txt found")
    return [
        split_plain_text(f.read_bytes().decode("utf-8", errors="replace"), source=str(f))
        for f in files
    ]


def main() -> None:
    """Time bare spaCy, then the full analysis, and print both rates and their ratio."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("data", nargs="?", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--repeat", type=int, default=1, help="pass over the corpus N times")
    parser.add_argument("--processes", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=3, help="alternate timings, take medians")
    args = parser.parse_args()

    articles = load_articles(args.data) * args.repeat
    analyzer = Analyzer()
    nlp = analyzer.nlp
    list(nlp.pipe([a.text for a in articles[:8]]))  # warm-up: first calls allocate

    bare_times: list[float] = []
    our_times: list[float] = []
    results: list[object] = []
    for _ in range(args.rounds):
        start = time.perf_counter()
        for _doc in nlp.pipe((a.text for a in articles), batch_size=PIPE_BATCH_SIZE):
            pass
        bare_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        results = list(analyse_articles(articles, processes=args.processes, analyzer=analyzer))
        our_times.append(time.perf_counter() - start)
    bare, ours = statistics.median(bare_times), statistics.median(our_times)

    n = len(articles)
    words = sum(len(a.text.split()) for a in articles)
    print(f"articles: {n} ({words:,} words), model {nlp.meta['name']} {nlp.meta['version']}")
    print(f"bare nlp.pipe:        {n / bare:8.1f} articles/s")
    print(f"westminster analyse:  {n / ours:8.1f} articles/s  (processes={args.processes})")
    print(f"ratio analyse / nlp.pipe: {bare / ours:.2f}  (medians of {args.rounds} rounds)")
    assert len(results) == n


if __name__ == "__main__":
    main()
