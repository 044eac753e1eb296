"""Score attribution (content, cue, speaker) on PolNeAR, ours beside a quote-marks baseline."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from westminster.errors import DatasetError
from westminster.models import Quote
from westminster.nlp.model import load_model
from westminster.nlp.quotes import extract_quotes
from westminster.nlp.quotes.marks import find_quoted

Segments = tuple[tuple[int, int], ...]
# "Overlap" match: the shared characters cover at least this share of the longer span (issue).
OVERLAP_SHARE = 0.5
# Exact match ignores what PolNeAR annotators included or left out at span edges.
_EDGE = re.compile(r"^[\W_]+|[\W_]+$")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Attribution:
    """One attribution as character spans (content may be discontinuous: split quotes)."""

    content: Segments
    cue: Segments = ()
    source: Segments = ()


@dataclass(frozen=True)
class GoldDoc:
    """One PolNeAR article with its gold attributions."""

    name: str
    text: str
    attributions: tuple[Attribution, ...]


@dataclass(frozen=True)
class Scores:
    """Content P/R/F1 (exact and overlap), cue F1 and speaker accuracy for one system."""

    exact: tuple[float, float, float]
    overlap: tuple[float, float, float]
    cue_f1: float
    speaker_accuracy: float
    predicted: int
    gold: int


@dataclass(frozen=True)
class AttributionReport:
    """Ours and the baseline on the same documents, with timing."""

    docs: int
    ours: Scores
    baseline: Scores
    parse_seconds: float
    attribution_seconds: float


def _segments(field: str) -> Segments:
    try:
        return tuple(
            (int(a), int(b)) for a, b in (part.split() for part in field.split(";") if part)
        )
    except ValueError as exc:
        raise DatasetError(f"bad span {field!r}", subject="PolNeAR annotation") from exc


def parse_ann(text: str, subject: str = "annotation") -> tuple[Attribution, ...]:
    """Attributions from one brat-style PolNeAR .ann file's text."""
    spans: dict[str, Segments] = {}
    events: list[dict[str, str]] = []
    for line in text.splitlines():
        parts = line.split("\t")
        if line.startswith("T") and len(parts) >= 2 and " " in parts[1]:
            spans[parts[0]] = _segments(parts[1].split(" ", 1)[1])
        elif line.startswith("E") and len(parts) >= 2:
            events.append(dict(p.split(":", 1) for p in parts[1].split() if ":" in p))
    out = []
    for event in events:
        if "Content" not in event:
            continue
        try:
            out.append(
                Attribution(
                    content=spans[event["Content"]],
                    cue=spans[event["Cue"]] if "Cue" in event else (),
                    source=spans[event["Source"]] if "Source" in event else (),
                )
            )
        except KeyError as exc:
            raise DatasetError(f"event names a missing span {exc}", subject=subject) from None
    return tuple(out)


def load_polnear(directory: Path, limit: int | None = None) -> list[GoldDoc]:
    """PolNeAR documents from DIR/text and DIR/attributions (first annotator's file per text)."""
    texts, anns = directory / "text", directory / "attributions"
    if not texts.is_dir() or not anns.is_dir():
        raise DatasetError(
            "not a PolNeAR split: expected text/ and attributions/ folders",
            subject=str(directory),
            fix="point at ../shared/data/polnear/dev (or train)",
        )
    docs: list[GoldDoc] = []
    for path in sorted(texts.glob("*.txt")):
        candidates = sorted(anns.glob(f"{path.stem}_*.ann"))
        if not candidates:
            continue
        text = path.read_text(encoding="utf-8")
        gold = parse_ann(candidates[0].read_text(encoding="utf-8"), str(candidates[0]))
        docs.append(GoldDoc(path.stem, text, gold))
        if limit is not None and len(docs) >= limit:
            break
    if not docs:
        raise DatasetError("no text with an annotation file found", subject=str(directory))
    return docs


def from_quotes(quotes: Sequence[Quote]) -> tuple[Attribution, ...]:
    """Our quotes as attributions; the parts of a split quote (one cue) become one content."""
    merged: dict[tuple[int, int] | int, list[Quote]] = {}
    for n, quote in enumerate(quotes):
        key: tuple[int, int] | int = (quote.cue.start, quote.cue.end) if quote.cue else n
        merged.setdefault(key, []).append(quote)
    out = []
    for group in merged.values():
        first = group[0]
        speaker = first.speaker
        out.append(
            Attribution(
                content=tuple((q.start, q.end) for q in group),
                cue=((first.cue.start, first.cue.end),) if first.cue else (),
                source=((speaker.start, speaker.end),) if speaker else (),
            )
        )
    return tuple(out)


def baseline(text: str) -> tuple[Attribution, ...]:
    """The quote-marks-only baseline: every quoted span is a content, no cue, no source."""
    return tuple(Attribution(content=((q.start, q.end),)) for q in find_quoted(text))


def _normal(text: str, segments: Segments) -> str:
    parts = [_EDGE.sub("", text[a:b]) for a, b in segments]
    return _SPACE.sub(" ", " ".join(p for p in parts if p)).casefold()


def _length(segments: Segments) -> int:
    return sum(b - a for a, b in segments)


def _shared(x: Segments, y: Segments) -> int:
    return sum(max(0, min(b, d) - max(a, c)) for a, b in x for c, d in y)


def _match(
    text: str, gold: Sequence[Segments], pred: Sequence[Segments], exact: bool
) -> list[tuple[int, int]]:
    """One-to-one pairs (gold index, predicted index), best overlap first."""
    candidates = []
    for g, gs in enumerate(gold):
        for p, ps in enumerate(pred):
            shared = _shared(gs, ps)
            if not shared:
                continue
            if exact:
                ok = _normal(text, gs) == _normal(text, ps)
            else:
                ok = shared >= OVERLAP_SHARE * max(_length(gs), _length(ps))
            if ok:
                candidates.append((shared, g, p))
    pairs, used_g, used_p = [], set(), set()
    for _, g, p in sorted(candidates, reverse=True):
        if g not in used_g and p not in used_p:
            pairs.append((g, p))
            used_g.add(g)
            used_p.add(p)
    return pairs


def _prf(hits: int, predicted: int, gold: int) -> tuple[float, float, float]:
    p = hits / predicted if predicted else 0.0
    r = hits / gold if gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def score(docs: Sequence[GoldDoc], predictions: Sequence[Sequence[Attribution]]) -> Scores:
    """Micro-averaged scores of predictions against the gold documents."""
    exact = overlap = cue_hits = n_pred = n_gold = n_cue_pred = n_cue_gold = 0
    speaker_ok = speaker_total = 0
    for doc, pred in zip(docs, predictions, strict=True):
        gold = doc.attributions
        n_pred, n_gold = n_pred + len(pred), n_gold + len(gold)
        exact += len(_match(doc.text, [g.content for g in gold], [p.content for p in pred], True))
        pairs = _match(doc.text, [g.content for g in gold], [p.content for p in pred], False)
        overlap += len(pairs)
        for g, p in pairs:
            if gold[g].source:
                speaker_total += 1
                speaker_ok += bool(_shared(gold[g].source, pred[p].source))
        gold_cues = [g.cue for g in gold if g.cue]
        pred_cues = [p.cue for p in pred if p.cue]
        n_cue_gold, n_cue_pred = n_cue_gold + len(gold_cues), n_cue_pred + len(pred_cues)
        cue_hits += sum(
            1
            for g, p in _match(doc.text, gold_cues, pred_cues, False)
            if _shared(gold_cues[g], pred_cues[p])
        )
    return Scores(
        exact=_prf(exact, n_pred, n_gold),
        overlap=_prf(overlap, n_pred, n_gold),
        cue_f1=_prf(cue_hits, n_cue_pred, n_cue_gold)[2],
        speaker_accuracy=speaker_ok / speaker_total if speaker_total else 0.0,
        predicted=n_pred,
        gold=n_gold,
    )


def evaluate_attribution(
    docs: Sequence[GoldDoc], advance: Callable[[], None] = lambda: None
) -> AttributionReport:
    """Run the model and our attribution over the documents; score ours and the baseline."""
    nlp = load_model()
    ours: list[tuple[Attribution, ...]] = []
    parse_seconds = attribution_seconds = 0.0
    for doc in docs:
        t0 = time.perf_counter()
        parsed = nlp(doc.text)
        t1 = time.perf_counter()
        quotes = extract_quotes(parsed, ())
        attribution_seconds += time.perf_counter() - t1
        parse_seconds += t1 - t0
        ours.append(from_quotes(quotes))
        advance()
    return AttributionReport(
        docs=len(docs),
        ours=score(docs, ours),
        baseline=score(docs, [baseline(d.text) for d in docs]),
        parse_seconds=parse_seconds,
        attribution_seconds=attribution_seconds,
    )
