"""Summary evaluation: our extractive summaries and LEAD-k against BBC reference summaries.

Two summarisers are scored: the single-article one (`nlp.summary`, the "summary" field of
`westminster analyse`) and the story one (`nlp.multidoc`, the summaries of `westminster brief`).
The BBC set has one reference per article, so stories are built from it: each article as a
one-article story (parsed by the model, and by the light pipeline `brief` uses), and each
article with two synthetic copies of it (a near copy and a paraphrase, as made for
`eval duplicates`), once linked as copies and once left unlinked as if dedupe had missed them.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rouge_score import rouge_scorer

from westminster.errors import DatasetError
from westminster.evaluation.duplicates import near_copy, paraphrase
from westminster.models import Article
from westminster.nlp.multidoc import (
    StoryDocument,
    StorySentence,
    light_pipeline,
    parse_documents,
    summarise_story,
)
from westminster.nlp.summary import body_sentences, lead, summarise

DEFAULT_DATA = Path("../shared/data/bbc-politics")
# The length `westminster analyse` uses for its "summary" field.
DEFAULT_SENTENCES = 3
ROUGE_METRICS: tuple[str, ...] = ("rouge1", "rouge2", "rougeL")
_BATCH_SIZE = 32
_WORD = re.compile(r"\w+")
# The story summariser's rows (beside "ours" and "lead"), in report order.
STORY_SYSTEMS: tuple[str, ...] = ("story", "story-light", "story-copies", "story-unlinked")
# Seed of the synthetic copies (the same one `eval duplicates` uses for its stream).
COPIES_SEED = 20240913


@dataclass(frozen=True)
class SummaryExample:
    """One dataset article: its name, headline, body and reference summary."""

    name: str
    title: str
    body: str
    reference: str


@dataclass(frozen=True)
class MetricScore:
    """Mean ROUGE precision, recall and F1 for one metric."""

    metric: str
    precision: float
    recall: float
    f1: float


@dataclass(frozen=True)
class SystemScore:
    """One row of the report: a system at one summary length."""

    system: str
    length: str
    mean_words: float
    scores: tuple[MetricScore, ...]

    def f1(self, metric: str) -> float:
        """The mean F1 of one metric ("rouge1", "rouge2", "rougeL")."""
        return next(s.f1 for s in self.scores if s.metric == metric)


@dataclass(frozen=True)
class SummaryReport:
    """Everything `westminster eval summary` prints."""

    dataset: str
    articles: int
    mean_reference_words: float
    mean_matched_sentences: float
    rows: tuple[SystemScore, ...]
    # Story rows with unlinked copies: share of chosen sentences taken from the original.
    unlinked_original_share: float | None = None

    def row(self, system: str, length: str) -> SystemScore:
        """The row for a system ("ours", "lead") at a length ("default", "matched")."""
        return next(r for r in self.rows if r.system == system and r.length == length)


def read_text(path: Path) -> str:
    """Read a dataset file whatever its encoding: UTF-8 (with or without BOM), else cp1252."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DatasetError(f"cannot read: {exc.strerror}", subject=str(path)) from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Older BBC dumps are Windows-1252 (£ as 0xA3); latin-1 never fails as a last resort.
        try:
            text = raw.decode("cp1252")
        except UnicodeDecodeError:
            text = raw.decode("latin-1")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def load_examples(data: Path, limit: int | None = None) -> tuple[SummaryExample, ...]:
    """Read articles/NNN.txt (headline, then body) and summaries/NNN.txt, in name order."""
    articles, summaries = data / "articles", data / "summaries"
    for folder in (articles, summaries):
        if not folder.is_dir():
            raise DatasetError(
                "not a BBC summary dataset: folder missing",
                subject=str(folder),
                fix="point DATA at a folder holding articles/ and summaries/ "
                "(../shared/data/bbc-politics)",
            )
    paths = sorted(articles.glob("*.txt"))
    if not paths:
        raise DatasetError("no articles (*.txt) found", subject=str(articles))
    if limit is not None:
        if limit < 1:
            raise DatasetError(f"--limit must be at least 1, got {limit}", subject=str(data))
        paths = paths[:limit]
    examples: list[SummaryExample] = []
    for path in paths:
        title, _, body = read_text(path).strip().partition("\n")
        if not title.strip() or not body.strip():
            raise DatasetError("expected a headline line and then a body", subject=str(path))
        summary_path = summaries / path.name
        if not summary_path.is_file():
            raise DatasetError("article has no reference summary", subject=str(summary_path))
        reference = read_text(summary_path).strip()
        if not reference:
            raise DatasetError("reference summary is empty", subject=str(summary_path))
        examples.append(SummaryExample(path.stem, title.strip(), body.strip(), reference))
    return tuple(examples)


def words(text: str) -> int:
    """Word count as ROUGE's tokenizer sees it (runs of letters and digits)."""
    return len(_WORD.findall(text))


def matched_length(reference: str, sentences: Sequence[str]) -> int:
    """Sentences needed to match the reference's length, at the article's mean sentence length."""
    if not sentences:
        return 1
    mean = sum(words(s) for s in sentences) / len(sentences)
    return max(1, round(words(reference) / mean)) if mean else 1


def _mean_scores(
    scorer: Any, references: Sequence[str], candidates: Sequence[str]
) -> tuple[MetricScore, ...]:
    """Macro-averaged ROUGE precision, recall and F1 over the articles."""
    totals = {m: [0.0, 0.0, 0.0] for m in ROUGE_METRICS}
    for reference, candidate in zip(references, candidates, strict=True):
        result = scorer.score(reference, candidate)
        for metric in ROUGE_METRICS:
            total = totals[metric]
            total[0] += result[metric].precision
            total[1] += result[metric].recall
            total[2] += result[metric].fmeasure
    n = max(len(references), 1)
    return tuple(MetricScore(m, t[0] / n, t[1] / n, t[2] / n) for m, t in totals.items())


def _joined(chosen: Sequence[StorySentence]) -> str:
    return " ".join(s.text for s in chosen)


def story_documents(example: SummaryExample, *, linked: bool) -> list[StoryDocument]:
    """The article and two synthetic copies (near copy, paraphrase) as one story."""
    article = Article(title=example.title, text=example.body)
    rng = random.Random(f"{COPIES_SEED}-{example.name}")
    copies = [("near", near_copy(article, rng)), ("paraphrase", paraphrase(article, rng))]
    original = StoryDocument(example.name, example.title, example.body)
    return [
        original,
        *(
            StoryDocument(f"{example.name}-{kind}", copy.title, copy.text, independent=not linked)
            for kind, copy in copies
        ),
    ]


def _story_outputs(
    example: SummaryExample,
    doc: Any,
    lengths: dict[str, int],
    outputs: dict[tuple[str, str], list[str]],
    from_original: list[int],
) -> None:
    """Summarise one article as the story variants at each length (appends to `outputs`)."""
    single = [StoryDocument(example.name, example.title, example.body)]
    light = parse_documents(single, light_pipeline())
    variants = {"story-copies": True, "story-unlinked": False}
    stories = {name: story_documents(example, linked=linked) for name, linked in variants.items()}
    parsed = {name: parse_documents(docs, light_pipeline()) for name, docs in stories.items()}
    for length, k in lengths.items():
        outputs["story", length].append(
            _joined(summarise_story(single, headline=example.title, sentences=k, docs=[doc]))
        )
        outputs["story-light", length].append(
            _joined(summarise_story(single, headline=example.title, sentences=k, docs=light))
        )
        for name in variants:
            chosen = summarise_story(
                stories[name], headline=example.title, sentences=k, docs=parsed[name]
            )
            outputs[name, length].append(_joined(chosen))
            if name == "story-unlinked" and length == "default":
                from_original[0] += sum(1 for s in chosen if s.article_id == example.name)
                from_original[1] += len(chosen)


def evaluate(
    examples: Sequence[SummaryExample],
    nlp: Any,
    *,
    dataset: str = "",
    sentences: int = DEFAULT_SENTENCES,
    on_article: Callable[[], None] | None = None,
    stories: bool = True,
) -> SummaryReport:
    """Summarise every article with ours, LEAD and the story variants at both lengths; score."""
    if not examples:
        raise DatasetError("no articles to evaluate", subject=dataset or "dataset")
    systems = ("ours", "lead", *(STORY_SYSTEMS if stories else ()))
    outputs: dict[tuple[str, str], list[str]] = {
        (system, length): [] for system in systems for length in ("default", "matched")
    }
    matched: list[int] = []
    from_original = [0, 0]
    docs: Iterable[Any] = nlp.pipe((e.body for e in examples), batch_size=_BATCH_SIZE)
    for example, doc in zip(examples, docs, strict=True):
        k = matched_length(example.reference, body_sentences(doc))
        matched.append(k)
        outputs["ours", "default"].append(summarise(doc, example.title, sentences))
        outputs["lead", "default"].append(lead(doc, sentences))
        outputs["ours", "matched"].append(summarise(doc, example.title, k))
        outputs["lead", "matched"].append(lead(doc, k))
        if stories:
            lengths = {"default": sentences, "matched": k}
            _story_outputs(example, doc, lengths, outputs, from_original)
        if on_article is not None:
            on_article()
    scorer = rouge_scorer.RougeScorer(list(ROUGE_METRICS), use_stemmer=True)
    references = [e.reference for e in examples]
    rows = tuple(
        SystemScore(
            system=system,
            length=length,
            mean_words=sum(words(t) for t in texts) / len(texts),
            scores=_mean_scores(scorer, references, texts),
        )
        for (system, length), texts in outputs.items()
    )
    return SummaryReport(
        dataset=dataset,
        articles=len(examples),
        mean_reference_words=sum(words(r) for r in references) / len(references),
        mean_matched_sentences=sum(matched) / len(matched),
        rows=rows,
        unlinked_original_share=(
            from_original[0] / from_original[1] if stories and from_original[1] else None
        ),
    )
