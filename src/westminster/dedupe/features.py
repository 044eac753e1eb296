"""What the index keeps of one article: its hash, shingles, rare keys and sentence words."""

from __future__ import annotations

from dataclasses import dataclass

from westminster.dedupe.text import (
    exact_key,
    name_tokens,
    number_tokens,
    sentences,
    shingles,
    words,
)
from westminster.models import Analysis, Article, Figure

# Word 3-grams: short enough that a changed word (a spelling, a copy-edit) spoils only three
# shingles, long enough that two different articles on one topic share few of them. The usual
# range for near-duplicate news is 3-5 (Broder 1997 used 4+; 3 kept recall on the light
# copy-edits of docs/duplicates-eval.md without false links among BBC politics articles).
SHINGLE_WORDS = 3
# Sentences shorter than this many words (datelines, bylines, "Read more") carry no story.
MIN_SENTENCE_WORDS = 4

# Key prefixes: text-only names and numbers are always present, so an article analysed by the
# NLP stage can still be matched with one that was not; entity and figure keys come from the
# analysis and are preferred when both sides have them.
NAME = "n:"
NUMBER = "t:"
ENTITY = "e:"
FIGURE = "f:"


@dataclass(frozen=True)
class Features:
    """One article reduced to what duplicate and rewrite detection compare."""

    exact: str
    shingles: frozenset[str]
    keys: frozenset[str]
    sentences: tuple[tuple[str, ...], ...]
    analysed: bool

    def keys_with(self, prefix: str) -> frozenset[str]:
        """The keys of one kind (NAME, NUMBER, ENTITY or FIGURE)."""
        return frozenset(k for k in self.keys if k.startswith(prefix))


def _figure_key(figure: Figure) -> str | None:
    if figure.value is None or figure.kind == "date":
        return None  # dates recur across unrelated stories; they do not identify one
    value = f"{figure.value:g}" if isinstance(figure.value, float | int) else str(figure.value)
    return f"{FIGURE}{figure.kind}:{value}:{figure.unit or ''}"


def build_features(article: Article, analysis: Analysis | None = None) -> Features:
    """Features of `article`, with entity and figure keys from `analysis` when given."""
    body = f"{article.title}\n{article.text}" if article.title else article.text
    tokens = words(body)
    keys = {NAME + n for n in name_tokens(body)} | {NUMBER + n for n in number_tokens(body)}
    if analysis is not None:
        keys |= {ENTITY + e.key for e in analysis.entities if e.key}
        keys |= {k for k in map(_figure_key, analysis.figures) if k}
    sentence_words = tuple(
        tuple(ws)
        for ws in (words(s) for s in sentences(article.text))
        if len(ws) >= MIN_SENTENCE_WORDS
    )
    return Features(
        exact=exact_key(article.title, article.text),
        shingles=frozenset(shingles(tokens, SHINGLE_WORDS)),
        keys=frozenset(keys),
        sentences=sentence_words,
        analysed=analysis is not None,
    )
