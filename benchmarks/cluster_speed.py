"""Articles per second and peak memory of the story engine at 10,000 and 100,000 articles.

Usage: .venv/bin/python benchmarks/cluster_speed.py [DATA_DIR] [--sizes 10000 100000]
DATA_DIR defaults to ../shared/data/bbc-politics (articles/NNN.txt, first line the headline).
The 208 real texts are replicated with new ids; each pass over them is published a month after
the one before (ten articles a day within a pass), so earlier copies' stories have expired and
the stream keeps making stories as a real one does. Peak memory is the process's maximum
resident set size (getrusage), which includes the interpreter and the texts held in memory.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from datetime import date, timedelta
from pathlib import Path

from westminster.models import Article
from westminster.stories import StoryEngine

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "bbc-politics"
START = date(2020, 1, 1)
PASS_DAYS = 30  # each replica pass starts a month later, past the engine's 21-day expiry
PER_DAY = 10


def load_texts(data: Path) -> list[tuple[str, str]]:
    """(headline, body) of each article file."""
    files = sorted((data / "articles").glob("*.txt"))
    if not files:
        raise SystemExit(f"{data}: no articles/*.txt found")
    out = []
    for f in files:
        title, _, body = f.read_text(encoding="utf-8", errors="replace").partition("\n")
        out.append((title.strip(), body.strip()))
    return out


def stream(texts: list[tuple[str, str]], size: int) -> list[tuple[str, Article]]:
    """`size` articles replicated from `texts` with new ids and shifted dates."""
    items = []
    for i in range(size):
        replica, position = divmod(i, len(texts))
        day = START + timedelta(days=replica * PASS_DAYS + position // PER_DAY)
        title, body = texts[position]
        items.append((f"a{i}", Article(title, body, published=day, outlet="bbc")))
    return items


def main() -> None:
    """Cluster each stream size once and print articles per second and peak memory."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", nargs="?", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    args = parser.parse_args()
    texts = load_texts(args.data)
    for size in args.sizes:
        items = stream(texts, size)
        engine = StoryEngine()
        start = time.perf_counter()
        tenth = time.perf_counter()
        last_rate = 0.0
        for n, (article_id, article) in enumerate(items, start=1):
            engine.add(article_id, article)
            if n % (size // 10) == 0:  # the rate over the last tenth shows growth, if any
                now = time.perf_counter()
                last_rate = (size // 10) / (now - tenth)
                tenth = now
        elapsed = time.perf_counter() - start
        peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        stories = len(set(engine.assigned.values()))
        print(
            f"{size:>7} articles: {size / elapsed:,.0f} articles/s overall, "
            f"{last_rate:,.0f}/s over the last tenth; {stories} stories, {engine.active} active "
            f"at the end; peak RSS {peak_mib:,.0f} MiB",
            flush=True,
        )
    sys.exit(0)


if __name__ == "__main__":
    main()
