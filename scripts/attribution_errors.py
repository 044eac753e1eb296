"""Read attribution errors on PolNeAR *train* documents: false positives, misses, wrong speakers.

Usage (from the repository root):
    .venv/bin/python scripts/attribution_errors.py ../shared/data/polnear/train [--show fp]

By default it reads the held-out train documents (every tenth, sorted by name: the 84 the tagger
never trained on, see scripts/train_attribution.py), so the scores it prints are fair for tuning
rules. Never point it at dev: dev is for reading the final figure only. Parses are cached as a
.spacy file in a temporary folder (--work), never in the repository.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from parse_cache import cached_parses

from westminster.evaluation.attribution import (
    Attribution,
    GoldDoc,
    from_quotes,
    load_polnear,
    score,
)
from westminster.nlp.quotes import tagged
from westminster.nlp.quotes.extract import extract_with

HELDOUT_EVERY = 10  # the training script's configs/attribution.cfg heldout_every


def _shared(x: tuple[tuple[int, int], ...], y: tuple[tuple[int, int], ...]) -> int:
    return sum(max(0, min(b, d) - max(a, c)) for a, b in x for c, d in y)


def _show(text: str, a: Attribution) -> str:
    content = " | ".join(text[s:e] for s, e in a.content).replace("\n", " / ")
    cue = " ".join(text[s:e] for s, e in a.cue)
    source = " ".join(text[s:e] for s, e in a.source)
    return f"[{source}] <{cue}> {content[:160]}"


def _report(doc: GoldDoc, pred: tuple[Attribution, ...], show: str) -> None:
    gold = doc.attributions
    for p in pred:
        best = max(gold, key=lambda g: _shared(g.content, p.content), default=None)
        shared = _shared(best.content, p.content) if best else 0
        length = max(sum(b - a for a, b in p.content), 1)
        if show == "fp" and shared == 0:
            print(f"FP {doc.name[:40]}: {_show(doc.text, p)}")
        elif (
            show == "speaker"
            and best
            and shared * 2 >= length
            and best.source
            and not _shared(best.source, p.source)
        ):
            gold_src = " ".join(doc.text[s:e] for s, e in best.source)
            print(f"SPK {doc.name[:40]}: gold [{gold_src}] ours {_show(doc.text, p)}")
    if show == "fn":
        for g in gold:
            if not any(_shared(g.content, p.content) for p in pred):
                print(f"FN {doc.name[:40]}: {_show(doc.text, g)}")


def main(argv: list[str] | None = None) -> int:
    """Score the held-out train documents and print the errors asked for."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("train", type=Path, help="PolNeAR train split folder")
    parser.add_argument("--show", choices=("none", "fp", "fn", "speaker"), default="none")
    parser.add_argument("--all", action="store_true", help="every train doc, not the held-out")
    parser.add_argument("--rules", action="store_true", help="rules alone (no tagger)")
    parser.add_argument("--model", type=Path, help="tagger weights to use (default: shipped)")
    parser.add_argument(
        "--work", type=Path, default=Path(tempfile.gettempdir()) / "westminster-attribution"
    )
    args = parser.parse_args(argv)
    if "dev" in args.train.parts:
        print("refusing to read dev: tune on train only", file=sys.stderr)
        return 2
    args.work.mkdir(parents=True, exist_ok=True)
    if args.model is not None:
        tagged.MODEL_DIR = args.model
        tagged.load_tagger.cache_clear()
    docs = load_polnear(args.train)
    if not args.all:
        docs = [d for n, d in enumerate(docs) if n % HELDOUT_EVERY == 0]
    name = "all" if args.all else "heldout"
    parsed = cached_parses([d.text for d in docs], args.work / f"errors-{name}.spacy")
    t0 = time.perf_counter()
    preds = [from_quotes(extract_with(p, (), not args.rules)) for p in parsed]
    seconds = time.perf_counter() - t0
    if args.show != "none":
        for doc, pred in zip(docs, preds, strict=True):
            _report(doc, pred, args.show)
    s = score(docs, preds)
    print(
        f"{len(docs)} docs: exact P/R/F1 {s.exact[0]:.3f}/{s.exact[1]:.3f}/{s.exact[2]:.3f}  "
        f"overlap {s.overlap[0]:.3f}/{s.overlap[1]:.3f}/{s.overlap[2]:.3f}  "
        f"cue F1 {s.cue_f1:.3f}  speaker {s.speaker_accuracy:.3f}  "
        f"({s.predicted} predicted, {s.gold} gold, {seconds:.1f} s)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
