"""Extraction quality on trafilatura's eval set and Mozilla's readability test pages.

Ours (`extract_html`: trafilatura without comments, then in-body boilerplate removal) is scored
beside bare `trafilatura.extract` with default settings, on the same decoded pages in one run.
Ours is scored on `Article.text`, the body the pipeline passes on; a headline repeated at the top
of the body lives in `Article.title` and is not scored (it costs 3 "with" segments of 2,951 on
trafilatura-eval, where a few pages list the headline as a must-have segment).

- trafilatura-eval: each page lists segments that must ("with") and must not ("without") appear.
  Counted as trafilatura's own tests/eval_common.py does: whitespace-normalised substring match;
  a "with" segment found is a true positive (else a false negative), a "without" segment found
  is a false positive (else a true negative); counts are summed over pages (micro average).
- readability-testpages: the expected article HTML is flattened to text; precision, recall and
  F1 of 4-word shingles (as multisets, lower-cased word tokens) of our text against it. Micro:
  shingle counts summed over pages (primary figure); macro: mean of per-page F1.
"""

from __future__ import annotations

import gzip
import json
import re
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from westminster.clean import bare_trafilatura, decode_text, extract_html, fragment_text
from westminster.errors import DatasetError, WestminsterError

SEGMENT_SET = "trafilatura-eval"
SHINGLE_SET = "readability-testpages"

# Shingle length for the readability comparison: 4 words, as in the article-extraction
# benchmarks that score against reference text (long enough that stray navigation words do not
# match by chance, short enough that one changed word costs little).
SHINGLE_WORDS = 4

_SPACES = re.compile(r"\s+")
_WORD = re.compile(r"\w+")

Advance = Callable[[], None]


def _no_progress() -> None:
    return None


@dataclass(frozen=True)
class SegmentScores:
    """Summed must/must-not segment counts for one system on trafilatura-eval."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    def __add__(self, other: SegmentScores) -> SegmentScores:
        return SegmentScores(
            self.tp + other.tp, self.fp + other.fp, self.fn + other.fn, self.tn + other.tn
        )

    @property
    def precision(self) -> float:
        """Share of found segments that should be there."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        """Share of must-have segments found."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def accuracy(self) -> float:
        """Share of all segments judged right."""
        total = self.tp + self.fp + self.fn + self.tn
        return (self.tp + self.tn) / total if total else 0.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        denominator = 2 * self.tp + self.fp + self.fn
        return 2 * self.tp / denominator if denominator else 0.0


@dataclass(frozen=True)
class ShingleScores:
    """Shingle overlap for one system on the readability pages (micro sums, macro F1 list)."""

    overlap: int = 0
    predicted: int = 0
    expected: int = 0
    page_f1: tuple[float, ...] = ()

    def __add__(self, other: ShingleScores) -> ShingleScores:
        return ShingleScores(
            self.overlap + other.overlap,
            self.predicted + other.predicted,
            self.expected + other.expected,
            self.page_f1 + other.page_f1,
        )

    @property
    def precision(self) -> float:
        """Micro-averaged shingle precision."""
        return self.overlap / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        """Micro-averaged shingle recall."""
        return self.overlap / self.expected if self.expected else 0.0

    @property
    def f1(self) -> float:
        """Micro-averaged shingle F1 (the primary figure)."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def macro_f1(self) -> float:
        """Mean of per-page F1."""
        return sum(self.page_f1) / len(self.page_f1) if self.page_f1 else 0.0


@dataclass(frozen=True)
class SegmentCase:
    """One trafilatura-eval page: its file and the segments that must / must not appear."""

    url: str
    path: Path
    with_: tuple[str, ...]
    without: tuple[str, ...]


@dataclass(frozen=True)
class ShingleCase:
    """One readability test page: the source page and the expected article HTML."""

    name: str
    source: Path
    expected: Path


@dataclass(frozen=True)
class SegmentResult:
    """Both systems on trafilatura-eval."""

    pages: int
    ours: SegmentScores
    bare: SegmentScores
    failures: int  # pages where ours found no article text (scored as empty output)


@dataclass(frozen=True)
class ShingleResult:
    """Both systems on readability-testpages."""

    pages: int
    ours: ShingleScores
    bare: ShingleScores
    failures: int


@dataclass(frozen=True)
class ExtractionReport:
    """The whole evaluation: per-set results (None where the set was not given) and run time."""

    segments: SegmentResult | None
    shingles: ShingleResult | None
    seconds: float

    def ours_at_least_as_good(self) -> dict[str, bool]:
        """Per evaluated set: is our F1 at least bare trafilatura's?"""
        verdict: dict[str, bool] = {}
        if self.segments is not None:
            verdict[SEGMENT_SET] = self.segments.ours.f1 >= self.segments.bare.f1
        if self.shingles is not None:
            verdict[SHINGLE_SET] = self.shingles.ours.f1 >= self.shingles.bare.f1
        return verdict


@dataclass(frozen=True)
class EvalSets:
    """Where each evaluation set lives (None: not found under the given folder)."""

    segments: Path | None
    shingles: Path | None


def locate_sets(data: Path) -> EvalSets:
    """Find the sets in DATA (the shared data folder or one set's own folder)."""
    if not data.is_dir():
        raise DatasetError(
            "is not a folder" if data.exists() else "does not exist",
            subject=str(data),
            fix="give ../shared/data or one of its trafilatura-eval/readability-testpages folders",
        )
    segments = next(
        (d for d in (data, data / SEGMENT_SET) if (d / "evaldata.json").is_file()), None
    )
    shingles = next((d for d in (data, data / SHINGLE_SET) if (d / "pages").is_dir()), None)
    if segments is None and shingles is None:
        raise DatasetError(
            f"holds neither {SEGMENT_SET}/evaldata.json nor {SHINGLE_SET}/pages/",
            subject=str(data),
            fix="give ../shared/data or one of its trafilatura-eval/readability-testpages folders",
        )
    return EvalSets(segments, shingles)


def _segments(url: str, entry: Any, key: str) -> tuple[str, ...]:
    chunks = entry.get(key) if isinstance(entry, dict) else None
    if not isinstance(chunks, list) or not all(isinstance(c, str) for c in chunks):
        raise ValueError(f"entry {url!r}: {key!r} is not a list of strings")
    return tuple(chunks)


def load_segment_cases(folder: Path, limit: int | None = None) -> list[SegmentCase]:
    """Read evaldata.json (url -> {file, with, without}); DatasetError if malformed."""
    index = folder / "evaldata.json"
    try:
        raw = json.loads(index.read_text(encoding="utf-8"))
        if not isinstance(raw, dict):
            raise ValueError("top level is not an object of url -> entry")
        cases: list[SegmentCase] = []
        for url, entry in raw.items():
            if limit is not None and len(cases) >= limit:
                break
            file = entry.get("file") if isinstance(entry, dict) else None
            if not isinstance(file, str) or not file:
                raise ValueError(f"entry {url!r} has no 'file'")
            path = folder / "html" / f"{file}.gz"
            if not path.is_file():
                raise ValueError(f"entry {url!r}: {path} is missing")
            with_ = _segments(url, entry, "with")
            without = _segments(url, entry, "without")
            cases.append(SegmentCase(url, path, with_, without))
    except (OSError, ValueError) as exc:
        raise DatasetError(f"malformed {SEGMENT_SET} set: {exc}", subject=str(index)) from None
    return cases


def load_shingle_cases(folder: Path, limit: int | None = None) -> list[ShingleCase]:
    """List pages/<name>/{source,expected}.html.gz in name order; DatasetError if none."""
    pages = folder / "pages"
    cases = [
        ShingleCase(d.name, d / "source.html.gz", d / "expected.html.gz")
        for d in sorted(pages.iterdir())
        if (d / "source.html.gz").is_file() and (d / "expected.html.gz").is_file()
    ]
    if not cases:
        raise DatasetError(
            f"malformed {SHINGLE_SET} set: no <name>/source.html.gz with expected.html.gz",
            subject=str(pages),
        )
    return cases[:limit] if limit is not None else cases


def _read_page(path: Path) -> str:
    """Decompress and decode one stored page; DatasetError if unreadable."""
    try:
        content = gzip.decompress(path.read_bytes())
        return decode_text(content, source=str(path))
    except (OSError, EOFError, WestminsterError) as exc:
        raise DatasetError(f"cannot read page: {exc}", subject=str(path)) from None


def _ours(html: str, source: str) -> str | None:
    """Our article text, or None where we find none (scored as empty output)."""
    try:
        return extract_html(html, source=source).text
    except WestminsterError:
        return None


def _norm(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def count_segments(case: SegmentCase, output: str) -> SegmentScores:
    """Score one output against one page's must / must-not segments."""
    text = _norm(output)
    tp = sum(1 for s in case.with_ if _norm(s) in text)
    fp = sum(1 for s in case.without if _norm(s) in text)
    return SegmentScores(tp=tp, fp=fp, fn=len(case.with_) - tp, tn=len(case.without) - fp)


def shingles(text: str, size: int = SHINGLE_WORDS) -> Counter[tuple[str, ...]]:
    """Multiset of `size`-word shingles over lower-cased word tokens (short texts: one shingle)."""
    words = _WORD.findall(text.lower())
    if len(words) < size:
        return Counter([tuple(words)]) if words else Counter()
    return Counter(tuple(words[i : i + size]) for i in range(len(words) - size + 1))


def score_shingles(output: str, expected: Counter[tuple[str, ...]]) -> ShingleScores:
    """Shingle overlap of one output with the expected text's shingles."""
    predicted = shingles(output)
    overlap = sum((predicted & expected).values())
    n_pred, n_exp = sum(predicted.values()), sum(expected.values())
    p = overlap / n_pred if n_pred else 0.0
    r = overlap / n_exp if n_exp else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return ShingleScores(overlap, n_pred, n_exp, (f1,))


def evaluate_segments(
    cases: Sequence[SegmentCase], advance: Advance = _no_progress
) -> SegmentResult:
    """Run both systems on each trafilatura-eval page and sum the counts."""
    ours, bare, failures = SegmentScores(), SegmentScores(), 0
    for case in cases:
        html = _read_page(case.path)
        text = _ours(html, case.url)
        failures += text is None
        ours += count_segments(case, text or "")
        bare += count_segments(case, bare_trafilatura(html))
        advance()
    return SegmentResult(len(cases), ours, bare, failures)


def evaluate_shingles(
    cases: Sequence[ShingleCase], advance: Advance = _no_progress
) -> ShingleResult:
    """Run both systems on each readability page and sum the shingle overlaps."""
    ours, bare, failures = ShingleScores(), ShingleScores(), 0
    for case in cases:
        html = _read_page(case.source)
        expected = shingles(fragment_text(_read_page(case.expected)))
        text = _ours(html, case.name)
        failures += text is None
        ours += score_shingles(text or "", expected)
        bare += score_shingles(bare_trafilatura(html), expected)
        advance()
    return ShingleResult(len(cases), ours, bare, failures)


def evaluate_extraction(
    segment_cases: Sequence[SegmentCase] | None,
    shingle_cases: Sequence[ShingleCase] | None,
    advance: Advance = _no_progress,
) -> ExtractionReport:
    """Evaluate the given sets (either may be None) and time the run."""
    start = time.perf_counter()
    segments = evaluate_segments(segment_cases, advance) if segment_cases is not None else None
    shingle = evaluate_shingles(shingle_cases, advance) if shingle_cases is not None else None
    return ExtractionReport(segments, shingle, time.perf_counter() - start)
