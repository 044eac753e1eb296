"""Quotes and speakers: who said what, directly, in reported speech, or carried on."""

from westminster.nlp.quotes.extract import extract_quotes, use_tagger
from westminster.nlp.quotes.fingerprint import (
    fingerprint_of_normalised,
    normalise_quote,
    quote_fingerprint,
)
from westminster.nlp.quotes.tagged import TaggedSpans, tag_spans_batch

__all__ = [
    "TaggedSpans",
    "extract_quotes",
    "fingerprint_of_normalised",
    "normalise_quote",
    "quote_fingerprint",
    "tag_spans_batch",
    "use_tagger",
]
