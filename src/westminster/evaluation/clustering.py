"""Story clustering measured on ECB+: our incremental engine beside single-pass TF-IDF cosine.

ECB+ splits each of its 43 topics into two real-world events (the ``ecb`` and ``ecbplus``
halves): same topic, different story, which is exactly the line the engine must draw. Gold
story = (topic, half). ECB+ has no dates, so our engine runs without time ("no time": decay off)
and as in production ("with time": decay on, every undated article placed at one fetch day, as
the engine places undated articles), over the articles in file-name order and in a seeded
shuffle. The baseline has no notion of time.

Every ``ecbplus`` file opens with its page's address as the first sentence; it is read as the
article's URL and the next sentence as the headline. Kept as the headline, the address's
"http www com" words are in every ``ecbplus`` article and in no ``ecb`` one: a marker of the
gold half, not of the story.
"""

from __future__ import annotations

import random
import re
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from westminster.errors import DatasetError
from westminster.models import Article
from westminster.stories import StoryEngine
from westminster.stories.features import TITLE_REPEAT, content_words
from westminster.stories.vectors import DocumentFrequencies, Vector, add_into, dot, weigh

SHUFFLE_SEED = 20240913  # the seed article's publication date: the same shuffle every run
# Baseline: join the most similar cluster centroid (scanning all of them) at this cosine or
# more. Tuned on the same ECB+ tuning topics and grid as the engine's JOIN_THRESHOLD, so the
# comparison is fair.
BASELINE_THRESHOLD = 0.25
# "with time": the fetch day every undated ECB+ article is placed at (any one day will do).
FETCH_DAY = date(2024, 9, 13)
TIME_MODES = ("no time", "with time")
_FILE = re.compile(r"^(\d+)_(\d+)(ecb|ecbplus)\.xml$")
# The address opening every ecbplus file, as its tokens join up: "http : / / www . bbc . co ..."
_ADDRESS = re.compile(r"^https?\s*:\s*/\s*/")


@dataclass(frozen=True)
class Doc:
    """One ECB+ article with its gold story."""

    doc_id: str
    article: Article
    topic: int
    story: str  # "<topic>/ecb" or "<topic>/ecbplus"


@dataclass(frozen=True)
class Scores:
    """B-cubed precision, recall, F1 and pairwise F1 of one clustering."""

    bcubed_p: float
    bcubed_r: float
    bcubed_f1: float
    pairwise_f1: float
    clusters: int


@dataclass(frozen=True)
class Run:
    """Ours and the baseline over one subset of topics in one order."""

    subset: str  # "all", "tuning", "held-out"
    order: str  # "file order", "shuffled"
    time: str  # "no time", "with time" (ours only; the baseline ignores time)
    docs: int
    gold_stories: int
    ours: Scores
    baseline: Scores


def _read(path: Path) -> str:
    try:
        root = ET.parse(path).getroot()
    except (ET.ParseError, OSError) as exc:
        raise DatasetError(f"not readable ECB+ XML: {exc}", subject=str(path)) from None
    lines: dict[str, list[str]] = defaultdict(list)
    for token in root.iter("token"):
        lines[token.get("sentence", "0")].append(token.text or "")
    return "\n".join(" ".join(words) for words in lines.values())


def load_ecbplus(directory: Path, topics: Sequence[int] | None = None) -> list[Doc]:
    """ECB+ articles in file-name order; the first sentence stands in for the missing headline."""
    if not directory.is_dir():
        raise DatasetError(
            "ECB+ folder not found",
            subject=str(directory),
            fix="pass the folder holding <topic>/<topic>_<n>ecb.xml, e.g. ../shared/data/ecbplus",
        )
    root = directory / "ECB+" if (directory / "ECB+").is_dir() else directory
    docs: list[Doc] = []
    for path in sorted(root.glob("*/*.xml"), key=lambda p: _sort_key(p.name)):
        match = _FILE.match(path.name)
        if match is None or (topics is not None and int(match.group(1)) not in topics):
            continue
        article = _article(_read(path), path)
        topic = int(match.group(1))
        docs.append(Doc(path.stem, article, topic, f"{topic}/{match.group(3)}"))
    if not docs:
        raise DatasetError("no <topic>_<n>ecb.xml or ecbplus.xml files", subject=str(root))
    return docs


def _article(text: str, path: Path) -> Article:
    """The first sentence is the headline, unless it is the page's address (ecbplus files)."""
    title, _, body = text.partition("\n")
    url = None
    if _ADDRESS.match(title):
        url = re.sub(r"\s+", "", title)
        title, _, body = body.partition("\n")
    return Article(title=title, text=body, path=str(path), url=url)


def _sort_key(name: str) -> tuple[int, int, str]:
    match = _FILE.match(name)
    return (int(match.group(1)), int(match.group(2)), match.group(3)) if match else (0, 0, name)


def bcubed(gold: Sequence[str], predicted: Sequence[str]) -> tuple[float, float, float]:
    """B-cubed precision, recall and F1 of `predicted` cluster labels against `gold` labels."""
    pairs = Counter(zip(gold, predicted, strict=True))
    gold_sizes, pred_sizes = Counter(gold), Counter(predicted)
    n = len(gold)
    if not n:
        return 0.0, 0.0, 0.0
    # Each item of cell (g, p) has precision cell/|p| and recall cell/|g|; cells hold `cell` items.
    precision = sum(c * c / pred_sizes[p] for (_, p), c in pairs.items()) / n
    recall = sum(c * c / gold_sizes[g] for (g, _), c in pairs.items()) / n
    return precision, recall, _f1(precision, recall)


def pairwise_f1(gold: Sequence[str], predicted: Sequence[str]) -> float:
    """F1 over item pairs put together: by `predicted` against by `gold`."""

    def pair_count(sizes: Counter[str] | Counter[tuple[str, str]]) -> int:
        return sum(c * (c - 1) // 2 for c in sizes.values())

    together = pair_count(Counter(zip(gold, predicted, strict=True)))
    predicted_pairs, gold_pairs = pair_count(Counter(predicted)), pair_count(Counter(gold))
    precision = together / predicted_pairs if predicted_pairs else 1.0
    recall = together / gold_pairs if gold_pairs else 1.0
    return _f1(precision, recall)


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def scores(gold: Sequence[str], predicted: Sequence[str]) -> Scores:
    """All the clustering scores of one run."""
    p, r, f = bcubed(gold, predicted)
    return Scores(p, r, f, pairwise_f1(gold, predicted), len(set(predicted)))


def cluster_ours(
    docs: Sequence[Doc],
    threshold: float | None = None,
    advance: Callable[[], None] | None = None,
    *,
    time: bool = False,
) -> list[str]:
    """Story ids from the story engine at the end of the run (merged stories under survivors).

    `time` False runs without time decay (ECB+ has no dates); True runs as in production, with
    every (undated) article placed at FETCH_DAY.
    """
    engine = (
        StoryEngine(decay=time)
        if threshold is None
        else StoryEngine(join_threshold=threshold, decay=time)
    )
    fetched = FETCH_DAY if time else None
    for doc in docs:
        engine.add(doc.doc_id, doc.article, fetched=fetched)
        if advance is not None:
            advance()
    # Each article's final story: a split may have moved it after it joined, and a story merged
    # into another since has its articles in the survivor.
    return [engine.resolve(engine.assigned[doc.doc_id]) for doc in docs]


def cluster_baseline(docs: Sequence[Doc], threshold: float = BASELINE_THRESHOLD) -> list[str]:
    """Single-pass TF-IDF cosine: join the nearest centroid of all clusters so far, or start one."""
    frequencies = DocumentFrequencies()
    centroids: list[Vector] = []
    labels = []
    for doc in docs:
        counts = Counter(f"w:{w}" for w in content_words(doc.article.title) * TITLE_REPEAT)
        counts.update(f"w:{w}" for w in content_words(doc.article.text))
        frequencies.add(counts)
        vector = weigh(counts, frequencies)
        best, best_score = -1, 0.0
        for i, centroid in enumerate(centroids):  # the scan our engine's index avoids
            norm = sum(v * v for v in centroid.values()) ** 0.5
            score = dot(vector, centroid) / norm if norm else 0.0
            if score > best_score:
                best, best_score = i, score
        if best < 0 or best_score < threshold:
            centroids.append({})
            best = len(centroids) - 1
        add_into(centroids[best], vector)
        labels.append(f"c{best}")
    return labels


def split_topics(docs: Sequence[Doc]) -> tuple[set[int], set[int]]:
    """Tuning topics (odd positions in numeric order: 1st, 3rd, ...) and held-out topics."""
    ordered = sorted({d.topic for d in docs})
    return set(ordered[0::2]), set(ordered[1::2])


def evaluate_clustering(
    docs: Sequence[Doc], advance: Callable[[], None] | None = None
) -> list[Run]:
    """Ours (no time, with time) and the baseline on all, tuning and held-out topics, two orders."""
    shuffled = list(docs)
    random.Random(SHUFFLE_SEED).shuffle(shuffled)
    tuning, held_out = split_topics(docs)
    runs = []
    for order, sequence in (("file order", list(docs)), ("shuffled", shuffled)):
        for subset, keep in (("all", None), ("tuning", tuning), ("held-out", held_out)):
            part = [d for d in sequence if keep is None or d.topic in keep]
            gold = [d.story for d in part]
            baseline = scores(gold, cluster_baseline(part))
            for time in TIME_MODES:
                ours = cluster_ours(
                    part,
                    advance=advance if subset == "all" else None,
                    time=time == "with time",
                )
                runs.append(
                    Run(
                        subset,
                        order,
                        time,
                        len(part),
                        len(set(gold)),
                        scores(gold, ours),
                        baseline,
                    )
                )
    return runs
