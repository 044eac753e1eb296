"""Multi-document extractive summary: a story's most central sentences across its articles.

Each chosen sentence keeps the article it came from, so a briefing can cite it. Scoring reuses
the single-article scorer of `nlp.summary` (centrality, headline words, lead position) and adds
what several articles give: support (how much the other independent articles say the same)
and redundancy removal across articles by maximal marginal relevance (Carbonell & Goldstein,
SIGIR 1998). Copies (duplicates and rewrites of another article) are not independent evidence:
they neither vote for content nor supply sentences while an independent article is available.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from spacy.tokens import Doc

# The single-article scorer's sentence reader, similarity measures and filters: one definition
# of a sentence's content words and of "too short / a bare quote" for both summarisers.
from westminster.nlp.summary import (
    CENTRALITY_WEIGHT,
    HEADLINE_WEIGHT,
    MAX_OVERLAP,
    POSITION_SCALE,
    POSITION_WEIGHT,
    _cosine,
    _eligible,
    _headline_words,
    _overlap,
    _Sentence,
    _sentences,
)

# Weight of cross-article support (mean cosine of a sentence with each other independent
# article). Zero effect on a one-article story. 0.3 set by hand so that a claim carried by
# every outlet outranks an equally central one carried by a single outlet, while centrality
# still decides; no multi-document reference summaries exist in ../shared/data to fit it.
SUPPORT_WEIGHT = 0.3
# Maximal marginal relevance: score share against similarity to sentences already chosen
# (the hard MAX_OVERLAP filter applies as well). At 1.0 / 0.85 / 0.7, on the 86 ECB+ stories
# of 3+ articles (real outlets, one event) the chosen sentences' largest pairwise cosine was
# 0.501 / 0.474 / 0.433 (less repetition), and on one-article stories of the even half of
# ../shared/data/bbc-politics ROUGE-1 F1 at 3 sentences 0.520 / 0.515 / 0.512 (0.501 at 0.5).
# 0.7 removes most repetition for 0.008 ROUGE-1. (One-off runs, no script kept; `westminster eval
# summary` measures the chosen 0.7 on all 208 articles: ROUGE-1 0.514.)
MMR_LAMBDA = 0.7
# Sentences passed on as candidates (e.g. to an abstractive backend as numbered sources).
DEFAULT_CANDIDATES = 12
# Parsing long articles costs time and adds little: news puts the story first.
MAX_CHARS_PER_ARTICLE = 20_000


@dataclass(frozen=True)
class StoryDocument:
    """One article of a story as the summariser sees it."""

    article_id: str
    title: str
    text: str
    independent: bool = True  # False for duplicates and rewrites of another article
    weight: float = 1.0  # multiplies its sentences' scores (e.g. older context below 1)


@dataclass(frozen=True)
class StorySentence:
    """A sentence chosen for a story summary, with the article it came from."""

    article_id: str
    text: str
    index: int  # sentence number within its article (0 = the lead)
    score: float
    document: int  # position of its article in the documents given (timeline order)


@dataclass(frozen=True)
class _Candidate:
    document: int
    sentence: _Sentence
    score: float


@lru_cache(maxsize=1)
def light_pipeline() -> Any:
    """A model-free English pipeline (tokenizer, stop words, rule sentencizer); fast, offline."""
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


def parse_documents(documents: Sequence[StoryDocument], nlp: Any | None = None) -> list[Doc]:
    """Parse each article's text (the light pipeline unless a model is given)."""
    pipeline = nlp if nlp is not None else light_pipeline()
    texts = (d.text[:MAX_CHARS_PER_ARTICLE] for d in documents)
    return list(pipeline.pipe(texts))


def _usable(documents: Sequence[StoryDocument]) -> list[int]:
    """Indexes of the documents that may supply and vote: the independent ones, if any."""
    independent = [i for i, d in enumerate(documents) if d.independent]
    return independent or list(range(len(documents)))


def _score(
    documents: Sequence[StoryDocument], docs: Sequence[Doc], headline: str
) -> list[_Candidate]:
    """Every eligible sentence of the usable documents with its score, best first."""
    usable = _usable(documents)
    found = {i: _sentences(docs[i]) for i in usable}
    bags: dict[int, Counter[str]] = {}
    total: Counter[str] = Counter()
    for i, sentences in found.items():
        bag: Counter[str] = Counter()
        for sentence in sentences:
            bag.update(sentence.words)
        bags[i] = bag
        total.update(bag)
    headline_words: set[str] = set()
    for i in usable:
        title = headline or documents[i].title
        if title.strip():
            headline_words |= _headline_words(docs[i], title)
    result: list[_Candidate] = []
    for i, sentences in found.items():
        eligible = [s for s in sentences if _eligible(s) and s.words] or sentences
        others = [bags[j] for j in usable if j != i and bags[j]]
        for sentence in eligible:
            centrality = _cosine(sentence.words, total - sentence.words)
            named = (
                len(headline_words & sentence.words.keys()) / len(headline_words)
                if headline_words
                else 0.0
            )
            position = 1.0 / (1.0 + sentence.index / POSITION_SCALE)
            support = (
                sum(_cosine(sentence.words, bag) for bag in others) / len(others) if others else 0.0
            )
            score = (
                CENTRALITY_WEIGHT * centrality
                + HEADLINE_WEIGHT * named
                + POSITION_WEIGHT * position
                + SUPPORT_WEIGHT * support
            ) * documents[i].weight
            result.append(_Candidate(i, sentence, score))
    result.sort(key=lambda c: (-c.score, c.document, c.sentence.index))
    return result


def _select(candidates: list[_Candidate], count: int) -> list[_Candidate]:
    """Greedy maximal marginal relevance with the single-article summariser's overlap limit."""
    if not candidates or count <= 0:
        return []
    top = candidates[0].score or 1.0
    chosen: list[_Candidate] = []
    remaining = list(candidates)
    while remaining and len(chosen) < count:
        best: _Candidate | None = None
        best_value = float("-inf")
        for candidate in remaining:
            words = candidate.sentence.words
            if any(_overlap(words, c.sentence.words) > MAX_OVERLAP for c in chosen):
                continue
            similarity = max((_cosine(words, c.sentence.words) for c in chosen), default=0.0)
            value = MMR_LAMBDA * candidate.score / top - (1.0 - MMR_LAMBDA) * similarity
            if value > best_value:
                best, best_value = candidate, value
        if best is None:
            break
        chosen.append(best)
        remaining.remove(best)
    return chosen


def _as_story_sentence(documents: Sequence[StoryDocument], c: _Candidate) -> StorySentence:
    return StorySentence(
        article_id=documents[c.document].article_id,
        text=c.sentence.text,
        index=c.sentence.index,
        score=round(c.score, 6),
        document=c.document,
    )


def _docs_for(
    documents: Sequence[StoryDocument], nlp: Any | None, docs: Sequence[Doc] | None
) -> Sequence[Doc]:
    if docs is None:
        return parse_documents(documents, nlp)
    if len(docs) != len(documents):
        raise ValueError(f"{len(docs)} parsed docs for {len(documents)} documents")
    return docs


def summarise_story(
    documents: Sequence[StoryDocument],
    *,
    headline: str = "",
    sentences: int = 3,
    nlp: Any | None = None,
    docs: Sequence[Doc] | None = None,
) -> tuple[StorySentence, ...]:
    """The story's k best sentences across its articles, in timeline then article order.

    `docs` are the documents already parsed (one per document, same order); otherwise they
    are parsed with `nlp`, or with the light pipeline when no model is given.
    """
    if not documents or sentences <= 0:
        return ()
    parsed = _docs_for(documents, nlp, docs)
    chosen = _select(_score(documents, parsed, headline), sentences)
    ordered = sorted(chosen, key=lambda c: (c.document, c.sentence.index))
    return tuple(_as_story_sentence(documents, c) for c in ordered)


def candidate_sentences(
    documents: Sequence[StoryDocument],
    *,
    headline: str = "",
    limit: int = DEFAULT_CANDIDATES,
    nlp: Any | None = None,
    docs: Sequence[Doc] | None = None,
) -> tuple[StorySentence, ...]:
    """The best `limit` non-redundant sentences, best first (sources for an abstractive pass)."""
    if not documents or limit <= 0:
        return ()
    parsed = _docs_for(documents, nlp, docs)
    return tuple(
        _as_story_sentence(documents, c)
        for c in _select(_score(documents, parsed, headline), limit)
    )
