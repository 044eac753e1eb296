"""Normalised quote text and fingerprints for cross-outlet matching."""

from __future__ import annotations

from westminster.nlp.quotes import normalise_quote, quote_fingerprint


def test_marks_case_spacing_and_spelling_fold_away() -> None:
    a = "“Let me be clear — it was Russia that initiated this,” he emphasised."
    b = '"let me be clear - it was Russia that initiated  this", he emphasized'
    assert normalise_quote(a) == normalise_quote(b)
    assert quote_fingerprint(a) == quote_fingerprint(b)


def test_different_words_differ() -> None:
    assert quote_fingerprint("We will win.") != quote_fingerprint("We will lose.")
    assert normalise_quote("We’ll WIN!") == "well win"
    assert len(quote_fingerprint("x")) == 16
