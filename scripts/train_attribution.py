"""Train the attribution span tagger on the PolNeAR train split (CPU: ~2 min parse, ~10 train).

Usage (from the repository root):
    .venv/bin/python scripts/train_attribution.py ../shared/data/polnear/train \
        --config configs/attribution.cfg --output src/westminster/nlp/data/attribution

Every tenth train document (sorted by name) is held out for early stopping; the dev split is
never read. Parsed documents are cached as .spacy files in a temporary folder (--work), never in
the repository. Gold spans: each attribution's content, cue and source, with overlapping spans
resolved as PolNeAR's outer attribution wins (spacy.util.filter_spans keeps the longest), and
cut at sentence starts (a spaCy entity cannot cross one; the tagger's pieces are joined again).
Ends by scoring rules alone and rules + tagger on the held-out documents.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import spacy
from parse_cache import cached_parses
from spacy.about import __version__ as spacy_version
from spacy.tokens import Doc, Span
from spacy.training import Example
from spacy.util import filter_spans, load_config, load_model_from_config
from thinc.api import fix_random_seed

from westminster.evaluation.attribution import GoldDoc, Scores, from_quotes, load_polnear, score
from westminster.nlp.quotes import tagged
from westminster.nlp.quotes.tagged import CONTENT, CUE, SOURCE, feature_doc


def _per_sentence(parsed: Any, first: int, last: int, label: str) -> list[Any]:
    """The span cut at sentence starts and trimmed of spaces: entities cannot cross either."""
    cuts = [i for i in range(first + 1, last) if parsed[i].is_sent_start]
    pieces = []
    for a, b in zip([first, *cuts], [*cuts, last], strict=True):
        while a < b and parsed[a].is_space:
            a += 1
        while b > a and parsed[b - 1].is_space:
            b -= 1
        if b > a:
            pieces.append(
                parsed.char_span(parsed[a].idx, parsed[b - 1].idx + len(parsed[b - 1]), label=label)
            )
    return [p for p in pieces if p is not None]


def _gold_spans(parsed: Any, gold: GoldDoc) -> list[Any]:
    spans = []
    for a in gold.attributions:
        for label, segments in ((CONTENT, a.content), (CUE, a.cue), (SOURCE, a.source)):
            for start, end in segments:
                span = parsed.char_span(start, end, label=label, alignment_mode="expand")
                if span is None:
                    continue
                spans += _per_sentence(parsed, span.start, span.end, label)
    return filter_spans(spans)


def _example(parsed: Any, gold: GoldDoc, vocab: Any) -> Example:
    predicted = feature_doc(parsed, vocab)
    reference = Doc(
        vocab, words=[t.text for t in parsed], spaces=[bool(t.whitespace_) for t in parsed]
    )
    reference.ents = [
        Span(reference, s.start, s.end, label=s.label_) for s in _gold_spans(parsed, gold)
    ]
    return Example(predicted, reference)


def _line(name: str, s: Scores) -> str:
    return (
        f"{name:<28} exact P/R/F1 {s.exact[0]:.3f}/{s.exact[1]:.3f}/{s.exact[2]:.3f}  "
        f"overlap P/R/F1 {s.overlap[0]:.3f}/{s.overlap[1]:.3f}/{s.overlap[2]:.3f}  "
        f"cue F1 {s.cue_f1:.3f}  speaker {s.speaker_accuracy:.3f}"
    )


def compare(docs: list[GoldDoc], parsed: list[Any], model: Path) -> None:
    """Rules alone beside rules + tagger (with and without rule-only attributions) on DOCS."""
    import westminster.nlp.quotes.extract as extract

    tagger = spacy.load(model)
    tagged.load_tagger.cache_clear()
    tagged.MODEL_DIR = model  # score the freshly trained weights, not the shipped ones
    print(
        _line(
            "rules", score(docs, [from_quotes(extract.extract_with(p, (), False)) for p in parsed])
        )
    )
    for keep, edges in ((True, True), (True, False), (False, True)):
        extract.KEEP_RULE_ONLY, extract.RULE_EDGES_FOR_DIRECT = keep, edges
        t0 = time.perf_counter()
        preds = [from_quotes(extract.extract_with(p, (), True)) for p in parsed]
        per_doc = (time.perf_counter() - t0) / len(parsed)
        print(
            _line(f"tagger (keep={keep:d} edges={edges:d})", score(docs, preds))
            + f"  {per_doc * 1000:.0f} ms/doc"
        )
    del tagger


def main(argv: list[str] | None = None) -> int:
    """Convert, train with early stopping on the held-out train documents, save the best model."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("train", type=Path, help="PolNeAR train split folder")
    parser.add_argument("--config", type=Path, default=Path("configs/attribution.cfg"))
    parser.add_argument("--output", type=Path, default=Path("src/westminster/nlp/data/attribution"))
    parser.add_argument(
        "--work", type=Path, default=Path(tempfile.gettempdir()) / "westminster-attribution"
    )
    parser.add_argument("--compare-only", action="store_true", help="skip training; score --output")
    args = parser.parse_args(argv)

    config = load_config(args.config)
    settings = config["attribution_training"]
    fix_random_seed(config["system"]["seed"])
    args.work.mkdir(parents=True, exist_ok=True)
    docs = load_polnear(args.train)
    parsed = cached_parses([d.text for d in docs], args.work / "train-parsed.spacy")

    every = settings["heldout_every"]
    held_docs = [d for n, d in enumerate(docs) if n % every == 0]
    held_parsed = [p for n, p in enumerate(parsed) if n % every == 0]
    if args.compare_only:
        compare(held_docs, held_parsed, args.output)
        return 0
    nlp = load_model_from_config(config, auto_fill=True, validate=True)
    examples = [_example(p, g, nlp.vocab) for p, g in zip(parsed, docs, strict=True)]
    train = [e for n, e in enumerate(examples) if n % every != 0]
    heldout = [
        (p, e.reference)
        for n, (p, e) in enumerate(zip(parsed, examples, strict=True))
        if n % every == 0
    ]
    print(
        f"train {len(train)} docs, held-out {len(heldout)} docs (spaCy {spacy_version})",
        flush=True,
    )

    optimizer = nlp.initialize(lambda: train)
    optimizer.learn_rate = settings["learn_rate"]
    best, best_epoch, started = -1.0, 0, time.perf_counter()
    for epoch in range(1, settings["max_epochs"] + 1):
        random.shuffle(train)
        losses: dict[str, float] = {}
        size = settings["batch_docs"]
        for batch in (train[i : i + size] for i in range(0, len(train), size)):
            nlp.update(batch, drop=settings["dropout"], sgd=optimizer, losses=losses)
        with nlp.use_params(optimizer.averages):
            # fresh inputs each time: a doc that already has entities would constrain the tagger
            scores = nlp.evaluate([Example(feature_doc(p, nlp.vocab), r) for p, r in heldout])
        per_type = scores.get("ents_per_type") or {}
        content_f = per_type.get(CONTENT, {}).get("f", 0.0)
        print(
            f"epoch {epoch}: loss {losses.get('attribution', 0.0):.0f} "
            f"ents F {scores['ents_f']:.3f} "
            f"content F {content_f:.3f} cue F {per_type.get(CUE, {}).get('f', 0.0):.3f} "
            f"source F {per_type.get(SOURCE, {}).get('f', 0.0):.3f} "
            f"({time.perf_counter() - started:.0f} s)",
            flush=True,
        )
        if scores["ents_f"] > best:
            best, best_epoch = scores["ents_f"], epoch
            with nlp.use_params(optimizer.averages):
                nlp.to_disk(args.output)
            # the features are hashed: only the labels need their strings (keeps the
            # training articles' words out of the shipped files)
            tagger: Any = nlp.get_pipe("attribution")
            labels = sorted(tagger.labels)
            (args.output / "vocab" / "strings.json").write_text(json.dumps(labels))
        elif epoch - best_epoch >= settings["patience"]:
            break
    print(
        f"best held-out ents F {best:.3f} at epoch {best_epoch}; saved to {args.output}", flush=True
    )
    print(f"training took {time.perf_counter() - started:.0f} s", flush=True)
    compare(held_docs, held_parsed, args.output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
