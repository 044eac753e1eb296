"""Duplicate and rewrite detection measured on a labelled stream built from real texts.

How the stream is built is described in docs/duplicates-eval.md: BBC politics articles as
originals, deterministic copies of them (exact, near-duplicate, synthetic paraphrase), and ECB+
articles, where articles of one topic and one half report one event from different outlets.
"""

from __future__ import annotations

import random
import re
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path

import numpy as np
from scipy import sparse

from westminster.dedupe import DuplicateIndex
from westminster.dedupe.text import exact_key, words
from westminster.errors import DatasetError
from westminster.models import Article

SEED = 20240913  # the seed article's publication date: fixed, so the stream is the same each run
GOLD_KINDS = ("duplicate", "near_duplicate", "rewrite")
_ROW_NAMES = {"duplicate": "exact", "near_duplicate": "near-dup", "rewrite": "rewrite"}
START = date(2020, 1, 1)  # stream position i is published on START + i days

# Baseline: whole-text TF-IDF cosine with the most similar earlier article, in bands. The bands
# are the usual ones for this baseline (0.95+ copy, 0.8+ near copy, 0.5+ same story); they were
# not tuned on this set.
BASELINE_DUPLICATE = 0.95
BASELINE_NEAR = 0.8
BASELINE_REWRITE = 0.5

# Syndication boilerplate added to near-duplicate copies (agency datelines and footers).
_DATELINE = "LONDON (PA) - "
_FOOTER = "Copyright 2005 Press Association. All rights reserved."
# British -> American spelling, the commonest edits between UK and US copies of agency text.
_AMERICAN = (
    (re.compile(r"(?<=\w)is(e|ed|es|ing|ation)\b"), r"iz\1"),
    (re.compile(r"(?<=\w)our\b"), "or"),
    (re.compile(r"\bprogramme"), "program"),
    (re.compile(r"\bcentre"), "center"),
    (re.compile(r"\bdefence\b"), "defense"),
)
# Synonym swaps for the synthetic paraphrases (news verbs and nouns a rewriter changes).
_SYNONYMS = {
    "said": "stated",
    "says": "claims",
    "told": "informed",
    "plans": "proposals",
    "government": "administration",
    "minister": "cabinet member",
    "ministers": "cabinet members",
    "people": "members of the public",
    "called": "urged",
    "added": "went on",
    "new": "fresh",
    "would": "will",
    "could": "might",
    "should": "ought to",
    "also": "additionally",
    "but": "however",
    "because": "as",
    "about": "regarding",
    "election": "poll",
    "party": "organisation",
    "leader": "head",
    "week": "seven days",
    "year": "twelve months",
    "wanted": "sought",
    "want": "seek",
    "help": "assist",
    "show": "demonstrate",
    "think": "believe",
    "big": "major",
    "many": "numerous",
}
_SYNONYM_WORD = re.compile(r"\b(" + "|".join(map(re.escape, _SYNONYMS)) + r")\b")
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"])")


@dataclass(frozen=True)
class Item:
    """One article of the stream with its gold label."""

    id: str
    article: Article
    kind: str  # "new" or one of GOLD_KINDS
    group: str  # the story it belongs to: equal groups are copies/rewrites of one another
    source: str  # "bbc", "ecb+" (real texts) or "synthetic" (a transformation of a real text)


@dataclass(frozen=True)
class Prediction:
    """A system's answer for one item: the kind and the id it points at."""

    kind: str
    of: str | None


@dataclass(frozen=True)
class ClassScore:
    """Precision and recall of one class (or of any link, for the overall row)."""

    name: str
    precision: float
    recall: float
    predicted: int
    gold: int


@dataclass(frozen=True)
class DuplicatesReport:
    """Ours and the baselines on one stream."""

    items: int
    sources: dict[str, int]
    ours: tuple[ClassScore, ...]
    baseline: tuple[ClassScore, ...]
    exact_only: tuple[ClassScore, ...]
    seconds_per_article: float


# --- reading the real texts -------------------------------------------------------------------


def load_bbc(directory: Path, limit: int | None = None) -> list[tuple[str, Article]]:
    """BBC politics articles (first line the headline) as (id, Article), sorted by name."""
    files = sorted(directory.glob("*.txt"))
    if not files:
        raise DatasetError("no .txt articles found", subject=str(directory))
    out = []
    for path in files[:limit]:
        raw = path.read_bytes().decode("utf-8", errors="replace")
        title, _, body = raw.partition("\n")
        paragraphs = [p.strip() for p in body.split("\n") if p.strip()]
        out.append((f"bbc-{path.stem}", Article(title=title.strip(), text="\n".join(paragraphs))))
    return out


def _ecb_text(path: Path) -> str:
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as exc:
        raise DatasetError(f"not well-formed XML ({exc})", subject=str(path)) from exc
    sentences: dict[str, list[str]] = {}
    for token in root.iter("token"):
        sentences.setdefault(token.get("sentence", "0"), []).append(token.text or "")
    return "\n".join(" ".join(tokens) for tokens in sentences.values())


def load_ecb(directory: Path, topics: int | None = None) -> list[tuple[str, Article, str]]:
    """ECB+ articles as (id, Article, story), story = topic and half; first `topics` topics."""
    folders = sorted((p for p in directory.iterdir() if p.is_dir()), key=lambda p: int(p.name))
    if not folders:
        raise DatasetError("no topic folders found", subject=str(directory))
    out = []
    for folder in folders[:topics]:
        for path in sorted(folder.glob("*.xml")):
            half = "ecbplus" if path.stem.endswith("ecbplus") else "ecb"
            text = _ecb_text(path)
            title, _, body = text.partition("\n")  # ECB+ files have no headline: use sentence 1
            out.append(
                (
                    f"ecb-{path.stem}",
                    Article(title=title, text=body or title),
                    f"{folder.name}-{half}",
                )
            )
    return out


# --- deterministic transformations ------------------------------------------------------------


def _americanise(text: str) -> str:
    for pattern, replacement in _AMERICAN:
        text = pattern.sub(replacement, text)
    return text


def near_copy(article: Article, rng: random.Random) -> Article:
    """A syndication-like copy: two of headline, boilerplate, dropped paragraph, copy-edit."""
    paragraphs = article.paragraphs
    edits = rng.sample(["headline", "boilerplate", "drop", "spelling", "punctuation"], 2)
    title = article.title
    if "headline" in edits:
        title = f"UPDATE 1-{article.title}" if rng.random() < 0.5 else paragraphs[0][:70]
    if "boilerplate" in edits:
        paragraphs = [_DATELINE + paragraphs[0], *paragraphs[1:], _FOOTER]
    if "drop" in edits and len(paragraphs) >= 5:
        del paragraphs[rng.randrange(1, len(paragraphs) - 1)]
    text = "\n".join(paragraphs)
    if "spelling" in edits:
        text = _americanise(text)
    if "punctuation" in edits:
        text = text.replace(" - ", ", ").replace(";", ",").replace("!", ".")
    if exact_key(title, text) == exact_key(article.title, article.text):
        text = f"{text}\n{_FOOTER}"  # the edits found nothing to change: still make it a copy
    return replace(article, title=title, text=text)


def _swap_clauses(sentence: str) -> str:
    # "X, Y." -> "Y, X.": a rewriter's commonest restructuring; it breaks shingles at the seam.
    head, comma, tail = sentence.rstrip(".").partition(", ")
    if not comma or len(tail.split()) < 3:
        return sentence
    return f"{tail[0].upper()}{tail[1:]}, {head[0].lower()}{head[1:]}."


def paraphrase(article: Article, rng: random.Random) -> Article:
    """A synthetic rewrite: paragraphs and clauses reordered, every third sentence cut, synonyms."""
    paragraphs = article.paragraphs
    rng.shuffle(paragraphs)
    out = []
    for paragraph in paragraphs:
        sentences = [
            _swap_clauses(_SYNONYM_WORD.sub(lambda m: _SYNONYMS[m.group()], s))
            for i, s in enumerate(_SENTENCE.split(paragraph))
            if i % 3 != 2
        ]
        out.append(" ".join(sentences))
    return replace(article, title=f"{article.title}: what we know", text="\n".join(out))


# --- the labelled stream ----------------------------------------------------------------------


@dataclass(frozen=True)
class StreamSize:
    """How much of each data set goes into the stream."""

    bbc: int | None = None  # BBC articles used as originals (None: all 208)
    ecb_topics: int | None = None  # ECB+ topics (None: all 43)
    exact: int = 30
    near: int = 60
    synthetic: int = 30


def build_stream(data: Path, size: StreamSize = StreamSize()) -> list[Item]:
    """The labelled stream, in publication order (originals always before their copies)."""
    bbc_dir, ecb_dir = data / "bbc-politics" / "articles", data / "ecbplus" / "ECB+"
    for needed in (bbc_dir, ecb_dir):
        if not needed.is_dir():
            raise DatasetError("folder is missing", subject=str(needed), fix="see data/README.md")
    rng = random.Random(SEED)
    items = [Item(i, a, "new", i, "bbc") for i, a in load_bbc(bbc_dir, size.bbc)]
    seen: set[str] = set()
    for doc_id, article, story in load_ecb(ecb_dir, size.ecb_topics):
        items.append(Item(doc_id, article, "rewrite" if story in seen else "new", story, "ecb+"))
        seen.add(story)
    # ECB+ documents of one story keep their file order, so the first stays the original.
    rng.shuffle(items)
    items = _restore_story_order(items)
    bbc = [item for item in items if item.source == "bbc"]
    derived: list[Item] = []
    plans: Sequence[tuple[str, int, Callable[[Article, random.Random], Article]]] = (
        ("duplicate", size.exact, lambda a, _: a),
        ("near_duplicate", size.near, near_copy),
        ("rewrite", size.synthetic, paraphrase),
    )
    for kind, count, make in plans:
        for n, original in enumerate(rng.sample(bbc, min(count, len(bbc)))):
            copy = make(original.article, rng)
            derived.append(
                Item(f"{kind}-{n}-{original.id}", copy, kind, original.group, "synthetic")
            )
    for item in derived:  # each copy goes somewhere after its original
        after = next(i for i, other in enumerate(items) if other.id == item.group) + 1
        items.insert(rng.randrange(after, len(items) + 1), item)
    return [
        replace(item, article=replace(item.article, published=START + timedelta(days=n)))
        for n, item in enumerate(items)
    ]


def _restore_story_order(items: list[Item]) -> list[Item]:
    # Shuffling mixed the sources; put each ECB+ story's documents back in file order (in the
    # slots the story occupies) so that the one labelled "new" comes first.
    by_story: dict[str, list[Item]] = {}
    for item in items:
        if item.source == "ecb+":
            by_story.setdefault(item.group, []).append(item)
    ordered = {
        story: iter(sorted(docs, key=lambda d: d.kind != "new")) for story, docs in by_story.items()
    }
    return [next(ordered[item.group]) if item.source == "ecb+" else item for item in items]


# --- systems ----------------------------------------------------------------------------------


def run_ours(items: Sequence[Item], advance: Callable[[], None] | None = None) -> list[Prediction]:
    """Our DuplicateIndex over the stream, text only (no NLP analysis)."""
    index = DuplicateIndex()
    out = []
    for item in items:
        verdict = index.add(item.id, item.article)
        out.append(Prediction(verdict.kind, verdict.of))
        if advance:
            advance()
    return out


def run_exact_only(items: Sequence[Item]) -> list[Prediction]:
    """Baseline: the normalised-text hash alone."""
    first: dict[str, str] = {}
    out = []
    for item in items:
        key = exact_key(item.article.title, item.article.text)
        out.append(Prediction("duplicate", first[key]) if key in first else Prediction("new", None))
        first.setdefault(key, item.id)
    return out


def run_tfidf(items: Sequence[Item]) -> list[Prediction]:
    """Baseline: whole-text TF-IDF cosine with every earlier article (a scan), in bands."""
    vocabulary: dict[str, int] = {}
    rows, cols, vals = [], [], []
    for row, item in enumerate(items):
        counts: dict[int, int] = {}
        for word in words(f"{item.article.title}\n{item.article.text}"):
            column = vocabulary.setdefault(word, len(vocabulary))
            counts[column] = counts.get(column, 0) + 1
        for column, count in counts.items():
            rows.append(row)
            cols.append(column)
            vals.append(1.0 + np.log(count))
    matrix = sparse.csr_matrix((vals, (rows, cols)), shape=(len(items), len(vocabulary)))
    df = np.bincount(matrix.indices, minlength=len(vocabulary))
    matrix = matrix @ sparse.diags(np.log((len(items) + 1) / (df + 1)) + 1.0)
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    matrix = sparse.diags(1.0 / np.where(norms > 0, norms, 1.0)) @ matrix
    cosine = (matrix @ matrix.T).toarray()
    out = [Prediction("new", None)]
    for row in range(1, len(items)):
        best = int(np.argmax(cosine[row, :row]))
        value = cosine[row, best]
        kind = (
            "duplicate" if value >= BASELINE_DUPLICATE
            else "near_duplicate" if value >= BASELINE_NEAR
            else "rewrite" if value >= BASELINE_REWRITE
            else "new"
        )  # fmt: skip
        out.append(Prediction(kind, items[best].id if kind != "new" else None))
    return out


# --- scoring ----------------------------------------------------------------------------------


def score(
    items: Sequence[Item], predictions: Sequence[Prediction], source: str | None = None
) -> tuple[ClassScore, ...]:
    """Precision and recall per class and for any link (kind ignored), on one source or all.

    A link is right when the article it points at belongs to the same gold story, or is the
    original that the system already gave the story's first article (an error is charged once,
    to the article that made it); a class is right when, in addition, the kind is gold's.
    """
    group = {item.id: item.group for item in items}
    first: dict[str, str] = {}
    root: dict[str, str] = {}
    for item, prediction in zip(items, predictions, strict=True):
        first.setdefault(item.group, item.id)
        root[item.id] = prediction.of or item.id
    pairs = [(i, p) for i, p in zip(items, predictions, strict=True) if source in (None, i.source)]

    def right(item: Item, prediction: Prediction) -> bool:
        if prediction.of is None:
            return False
        return group.get(prediction.of) == item.group or prediction.of == root[first[item.group]]

    out = []
    for kind in GOLD_KINDS:
        predicted = [(i, p) for i, p in pairs if p.kind == kind]
        gold = [(i, p) for i, p in pairs if i.kind == kind]
        hits = sum(1 for i, p in predicted if i.kind == kind and right(i, p))
        out.append(
            _class(
                _ROW_NAMES[kind],
                hits,
                len(predicted),
                sum(1 for i, p in gold if p.kind == kind and right(i, p)),
                len(gold),
            )
        )
    predicted = [(i, p) for i, p in pairs if p.kind != "new"]
    gold = [(i, p) for i, p in pairs if i.kind != "new"]
    hits = sum(1 for i, p in predicted if i.kind != "new" and right(i, p))
    recall_hits = sum(1 for i, p in gold if p.kind != "new" and right(i, p))
    out.append(_class("any link", hits, len(predicted), recall_hits, len(gold)))
    return tuple(out)


def _class(name: str, hits: int, predicted: int, recall_hits: int, gold: int) -> ClassScore:
    return ClassScore(
        name,
        hits / predicted if predicted else 0.0,
        recall_hits / gold if gold else 0.0,
        predicted,
        gold,
    )


def evaluate_duplicates(
    items: Sequence[Item], advance: Callable[[], None] | None = None
) -> DuplicatesReport:
    """Ours, the TF-IDF baseline and the exact-hash baseline on one labelled stream."""
    started = time.perf_counter()
    ours = run_ours(items, advance)
    per_article = (time.perf_counter() - started) / max(len(items), 1)
    sources: dict[str, int] = {}
    for item in items:
        sources[item.source] = sources.get(item.source, 0) + 1
    return DuplicatesReport(
        items=len(items),
        sources=sources,
        ours=_rows(items, ours),
        baseline=_rows(items, run_tfidf(items)),
        exact_only=_rows(items, run_exact_only(items)),
        seconds_per_article=per_article,
    )


def _rows(items: Sequence[Item], predictions: Sequence[Prediction]) -> tuple[ClassScore, ...]:
    # The overall rows, then the rewrite class split into real (ECB+) and synthetic positives.
    overall = score(items, predictions)
    real = replace(score(items, predictions, "ecb+")[2], name="rewrite ECB+")
    synthetic = replace(score(items, predictions, "synthetic")[2], name="rewrite synth.")
    return (*overall[:3], real, synthetic, overall[3])
