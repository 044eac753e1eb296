"""Quotes and speakers: who said what, directly, in reported speech, or carried on."""

from westminster.nlp.quotes.extract import extract_quotes
from westminster.nlp.quotes.fingerprint import normalise_quote, quote_fingerprint

__all__ = ["extract_quotes", "normalise_quote", "quote_fingerprint"]
