"""Run the NLP stages over articles: one spaCy pass per article, batched with nlp.pipe."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from datetime import date
from itertools import islice
from typing import Any

from westminster.errors import AnalysisError
from westminster.knowledge.gazetteer import Gazetteer, load_gazetteer
from westminster.knowledge.offices import OfficeTable, load_office_table
from westminster.models import Analysis, Article, Quote, Rejection
from westminster.nlp.entities import resolve_entities
from westminster.nlp.figures import extract_figures
from westminster.nlp.keyphrases import extract_keyphrases
from westminster.nlp.model import load_model
from westminster.nlp.quotes import (
    TaggedSpans,
    extract_quotes,
    fingerprint_of_normalised,
    normalise_quote,
    tag_spans_batch,
    use_tagger,
)
from westminster.nlp.summary import summarise
from westminster.nlp.topics import classify_topics

# nlp.pipe batch size: spaCy's default (1000 texts) holds too many long articles in memory at
# once; see benchmarks/analyse_speed.py for the throughput at this size.
PIPE_BATCH_SIZE = 64
SUMMARY_SENTENCES = 3
# Headlines longer than this are extraction debris, not headlines: not parsed for quotes.
MAX_HEADLINE_CHARS = 1000

logger = logging.getLogger(__name__)


class Analyzer:
    """Holds the model and reference tables once; analyses articles in batches."""

    def __init__(
        self,
        model: str = "",
        offices: OfficeTable | None = None,
        gazetteer: Gazetteer | None = None,
        *,
        attribution: bool = True,
    ) -> None:
        self.nlp: Any = load_model(model)
        # Who said what; off gives entities, figures, topics and summary alone (faster).
        self.attribution = attribution
        self.offices = offices if offices is not None else load_office_table()
        self.gazetteer = gazetteer if gazetteer is not None else load_gazetteer()

    def analyse(self, article: Article, today: date | None = None) -> Analysis:
        """Analyse one article; raises AnalysisError when it cannot be analysed."""
        (result,) = self.analyse_batch([article], today=today)
        if isinstance(result, Rejection):
            raise AnalysisError(result.detail, subject=result.input)
        return result

    def analyse_many(
        self, articles: Iterable[Article], today: date | None = None
    ) -> Iterator[Analysis | Rejection]:
        """Analyse articles in order, in batches; a failing article becomes a Rejection."""
        it = iter(articles)
        while chunk := list(islice(it, PIPE_BATCH_SIZE)):
            yield from self.analyse_batch(chunk, today=today)

    def analyse_batch(
        self, articles: Sequence[Article], today: date | None = None
    ) -> list[Analysis | Rejection]:
        """Analyse a batch with one nlp.pipe pass; results in input order."""
        fallback = today or date.today()
        results: list[Analysis | Rejection | None] = [None] * len(articles)
        todo: list[tuple[str, int]] = []
        for i, article in enumerate(articles):
            if len(article.text) > self.nlp.max_length:
                results[i] = _rejection(
                    article,
                    f"article text is {len(article.text):,} characters, over the model's "
                    f"{self.nlp.max_length:,}-character limit",
                )
            else:
                todo.append((article.text, i))
        parsed = list(self.nlp.pipe(todo, as_tuples=True, batch_size=PIPE_BATCH_SIZE))
        tagged = self._tag([doc for doc, _ in parsed])
        titles = self._titles([articles[i].title for _, i in parsed])
        for (doc, i), spans, title in zip(parsed, tagged, titles, strict=True):
            article = articles[i]
            try:
                on = article.published or fallback
                results[i] = self._analyse_doc(doc, article, on, spans, title)
            except Exception as exc:  # a bug on one article must not sink the batch
                logger.exception("analysis failed for %s", _source(article))
                results[i] = _rejection(article, f"internal error during analysis: {exc!r}")
        return [r for r in results if r is not None]

    def _tag(self, docs: list[Any]) -> list[TaggedSpans | None]:
        """The attribution tagger's spans for a whole batch at once (None: not used)."""
        if not (self.attribution and use_tagger() and docs):
            return [None] * len(docs)
        return list(tag_spans_batch(docs))

    def _titles(self, titles: list[str]) -> list[Any]:
        """Headlines parsed in one pass, for quotes in them ("" where there is none to parse)."""
        if not self.attribution:
            return [""] * len(titles)
        todo = [(t, n) for n, t in enumerate(titles) if t.strip() and len(t) <= MAX_HEADLINE_CHARS]
        out: list[Any] = [""] * len(titles)
        for doc, n in self.nlp.pipe(todo, as_tuples=True, batch_size=PIPE_BATCH_SIZE):
            out[n] = doc
        return out

    def _analyse_doc(
        self, doc: Any, article: Article, on: date, tagged: TaggedSpans | None, title: Any = ""
    ) -> Analysis:
        entities, unresolved = resolve_entities(doc, on, self.offices, self.gazetteer)
        quotes: tuple[Quote, ...] = ()
        if self.attribution:
            found = extract_quotes(doc, entities, title, tagged=tagged, offices=self.offices)
            quotes = _fingerprinted(found)
        return Analysis(
            article=article,
            entities=entities,
            quotes=quotes,
            figures=tuple(extract_figures(doc.text, on)),
            topics=classify_topics(doc, article.title),
            keyphrases=extract_keyphrases(doc, article.title),
            summary=summarise(doc, article.title, sentences=SUMMARY_SENTENCES),
            unresolved=unresolved,
        )


def _fingerprinted(quotes: Iterable[Quote]) -> tuple[Quote, ...]:
    """Attach the normalised form and fingerprint used to match quotes across outlets."""
    out = []
    for q in quotes:
        normalised = normalise_quote(q.text)
        fingerprint = fingerprint_of_normalised(normalised)
        out.append(replace(q, normalised=normalised, fingerprint=fingerprint))
    return tuple(out)


def _source(article: Article) -> str:
    return article.url or article.path or "-"


def _rejection(article: Article, detail: str) -> Rejection:
    return Rejection(
        stage="analyse", code=AnalysisError.code, detail=detail, input=_source(article)
    )
