"""Tune and read the story engine on the ECB+ *tuning* topics: threshold sweep and confusions.

Usage (from the repository root):
    .venv/bin/python scripts/clustering_sweep.py ../shared/data/ecbplus [--shuffles 7]
        [--thresholds 0.2 0.225 0.25 0.275 0.3] [--confusions]

The sweep prints, per join threshold, the mean B-cubed F1 over file order and N seeded shuffles
of the tuning topics (odd positions in topic order, evaluation/clustering.py): averaging orders
makes a choice less a matter of which two articles of a topic happen to come first. The
constants in stories/engine.py and stories/scoring.py cite these figures. `--confusions` prints,
for each tuning topic in file order, the gold halves in each predicted story. Never tune on the
held-out topics: `westminster eval clustering` reports them apart.
"""

from __future__ import annotations

import argparse
import random
from collections import Counter, defaultdict
from pathlib import Path
from statistics import mean

from westminster.evaluation.clustering import (
    Doc,
    cluster_ours,
    load_ecbplus,
    scores,
    split_topics,
)

SHUFFLE_BASE_SEED = 1000  # seeds 1000, 1001, ...: not the eval's SHUFFLE_SEED


def orders(docs: list[Doc], shuffles: int) -> list[list[Doc]]:
    """File order, then `shuffles` seeded shuffles of `docs`."""
    out = [docs]
    for k in range(shuffles):
        shuffled = list(docs)
        random.Random(SHUFFLE_BASE_SEED + k).shuffle(shuffled)
        out.append(shuffled)
    return out


def confusions(docs: list[Doc]) -> None:
    """Print the gold halves in each predicted story, per topic, in file order."""
    labels = cluster_ours(docs)
    by_topic: dict[int, dict[str, Counter[str]]] = defaultdict(lambda: defaultdict(Counter))
    for doc, label in zip(docs, labels, strict=True):
        by_topic[doc.topic][label][doc.story.split("/")[1]] += 1
    for topic, stories in sorted(by_topic.items()):
        parts = sorted((dict(c) for c in stories.values()), key=lambda c: -sum(c.values()))
        mixed = any(len(c) > 1 for c in parts)
        print(f"{topic:>3} {'MERGED' if mixed else '      '} {parts}")


def main() -> None:
    """Sweep the join threshold over several orders of the tuning topics."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path)
    parser.add_argument("--shuffles", type=int, default=7)
    parser.add_argument(
        "--thresholds", type=float, nargs="+", default=[0.2, 0.225, 0.25, 0.275, 0.3]
    )
    parser.add_argument("--confusions", action="store_true")
    args = parser.parse_args()
    docs = load_ecbplus(args.data)
    tuning, _ = split_topics(docs)
    part = [d for d in docs if d.topic in tuning]
    if args.confusions:
        confusions(part)
        return
    sequences = orders(part, args.shuffles)
    for threshold in args.thresholds:
        f1 = [
            scores([d.story for d in seq], cluster_ours(seq, threshold)).bcubed_f1
            for seq in sequences
        ]
        print(f"join {threshold:.3f}: mean B-cubed F1 {mean(f1):.4f}  (file order {f1[0]:.3f})")


if __name__ == "__main__":
    main()
