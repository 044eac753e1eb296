"""Articles per second for `analyse` beside bare `nlp.pipe` of the same model, as a ratio.

Usage: .venv/bin/python benchmarks/analyse_speed.py [DATA_DIR] [--repeat N] [--processes N]
DATA_DIR defaults to ../shared/data/bbc-politics (articles/NNN.txt, first line the headline).
Both sides process the same texts in the same run; the model is loaded before timing starts.
The three are timed alternately for several rounds and the medians compared, so load from other
processes on the machine falls on all alike: bare nlp.pipe, analyse without attribution (the
foundation: entities, offices, figures, topics, summary) and the full analyse with attribution
(quotes and speakers). It prints the foundation's ratio to spaCy's throughput and the share of
the full analyse's time that attribution takes.
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

    without = Analyzer(attribution=False)
    times: dict[str, list[float]] = {"bare": [], "foundation": [], "full": []}
    results: list[object] = []
    for _ in range(args.rounds):
        start = time.perf_counter()
        for _doc in nlp.pipe((a.text for a in articles), batch_size=PIPE_BATCH_SIZE):
            pass
        times["bare"].append(time.perf_counter() - start)
        start = time.perf_counter()
        list(analyse_articles(articles, processes=args.processes, analyzer=without))
        times["foundation"].append(time.perf_counter() - start)
        start = time.perf_counter()
        results = list(analyse_articles(articles, processes=args.processes, analyzer=analyzer))
        times["full"].append(time.perf_counter() - start)
    bare, foundation, ours = (statistics.median(times[k]) for k in ("bare", "foundation", "full"))

    n = len(articles)
    words = sum(len(a.text.split()) for a in articles)
    print(f"articles: {n} ({words:,} words), model {nlp.meta['name']} {nlp.meta['version']}")
    print(f"bare nlp.pipe:                    {n / bare:8.1f} articles/s")
    print(f"analyse without attribution:      {n / foundation:8.1f} articles/s")
    print(f"analyse with attribution (full):  {n / ours:8.1f} articles/s")
    print(f"ratio analyse without attribution / nlp.pipe: {bare / foundation:.2f}")
    print(f"ratio full analyse / nlp.pipe:                {bare / ours:.2f}")
    print(f"attribution's share of the full analyse time: {(ours - foundation) / ours:.0%}")
    # issue 3's limit is on this figure: attribution may add at most a quarter per article
    print(f"attribution adds to an article's analysis:    {(ours - foundation) / foundation:.0%}")
    print(f"(medians of {args.rounds} alternating rounds, processes={args.processes})")
    assert len(results) == n


if __name__ == "__main__":
    main()
