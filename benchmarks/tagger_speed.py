"""Milliseconds per article for the attribution tagger alone, for one or more trained weights.

Usage: .venv/bin/python benchmarks/tagger_speed.py [MODEL_DIR ...] [--data DIR] [--articles N]
MODEL_DIR defaults to the shipped weights (src/westminster/nlp/data/attribution). The articles
(default: the first 100 of ../shared/data/bbc-politics) are parsed once before timing; each round
times `tag_spans_batch` (input docs with hints, then the tagger) for every model in turn, and
the fastest round per model is printed. Run it with OMP_NUM_THREADS=1 to compare on one thread.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import spacy
from analyse_speed import DEFAULT_DATA, load_articles

from westminster.nlp.model import load_model
from westminster.nlp.quotes import tagged


def main() -> None:
    """Parse the articles once, then time the tagger of each model over them."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("models", nargs="*", type=Path, default=[tagged.MODEL_DIR])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--articles", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    texts = [a.text for a in load_articles(args.data)[: args.articles]]
    docs = list(load_model().pipe(texts))
    models = {str(m): spacy.load(m) for m in args.models}
    best = dict.fromkeys(models, float("inf"))
    for _ in range(args.rounds):
        for name, model in models.items():
            t0 = time.perf_counter()
            tagged.tag_spans_batch(docs, model)
            best[name] = min(best[name], time.perf_counter() - t0)
    print(f"articles: {len(docs)} from {args.data}")
    for name, seconds in best.items():
        print(f"{seconds * 1000 / len(docs):6.1f} ms/article  {name}")


if __name__ == "__main__":
    main()
