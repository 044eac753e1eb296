"""Tests for westminster.nlp.summary: sentence choice, filters, LEAD, the seed article."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import spacy
from spacy.tokens import Doc

from westminster.nlp.model import load_model
from westminster.nlp.summary import body_sentences, lead, summarise

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "examples" / "starmer-biden-storm-shadow.txt"
VOCAB = spacy.blank("en").vocab


def make_doc(*sentences: str) -> Doc:
    """A hand-built Doc with the given sentence boundaries (no model, no lemmas)."""
    words: list[str] = []
    starts: list[bool] = []
    for sentence in sentences:
        tokens = re.findall(r"\w+|[^\w\s]", sentence)
        words += tokens
        starts += [True] + [False] * (len(tokens) - 1)
    return Doc(VOCAB, words=words, sent_starts=starts)


ARTICLE = (
    "The council approved the new budget for schools and roads on Monday evening.",  # 0
    "Local residents had campaigned against cuts to schools and roads for many months.",  # 1
    "The weather in the region was unusually warm for the time of year.",  # 2
    "The budget gives schools more teachers and repairs the worst roads in the county.",  # 3
    "A spokesman for the bakery across the street declined to comment on the matter.",  # 4
    "Critics said the budget for schools and roads was still too small for the county.",  # 5
)


def test_picks_central_sentences_in_original_order() -> None:
    summary = summarise(make_doc(*ARTICLE), "Council budget for schools and roads", 3)
    chosen = [i for i, s in enumerate(ARTICLE) if s.replace(" ,", ",")[:30] in summary]
    assert len(chosen) == 3
    assert chosen == sorted(chosen)
    assert 2 not in chosen and 4 not in chosen  # the off-topic asides


def test_skips_bare_quotes_and_fragments() -> None:
    doc = make_doc(
        "The council approved the budget for schools and roads on Monday.",
        '" The budget for schools and roads is a disgrace and a scandal , " .',
        "He left .",
        "Critics said the budget for schools and roads was still far too small.",
        "The mayor defended the budget for schools and roads at a meeting.",
    )
    summary = summarise(doc, "", 2)
    assert "disgrace" not in summary and "He left" not in summary


def test_quote_with_its_speaker_is_kept() -> None:
    sentences = ['Mr Smith said : " The budget for schools and roads is fair and overdue . "']
    doc = make_doc(*sentences, "It rained.")
    assert "Mr Smith said" in summarise(doc, "", 1)


def test_near_duplicate_sentences_are_not_both_chosen() -> None:
    doc = make_doc(
        "The council approved the budget for schools and roads on Monday evening.",
        "On Monday evening the council approved the budget for schools and roads.",
        "Critics said the budget for schools and roads was still too small.",
    )
    summary = summarise(doc, "", 2)
    assert "Critics said" in summary


def test_short_article_and_zero_length() -> None:
    doc = make_doc("The council approved the budget for schools and roads on Monday.")
    assert summarise(doc, "", 3) == body_sentences(doc)[0]
    assert summarise(doc, "", 0) == ""


def test_lead_takes_the_first_sentences() -> None:
    doc = make_doc(*ARTICLE)
    assert lead(doc, 2) == f"{body_sentences(doc)[0]} {body_sentences(doc)[1]}"
    assert lead(doc, 0) == ""


@pytest.fixture(scope="module")
def seed() -> tuple[str, str, Any]:
    """The seed article's headline, cleaned body and its Doc from the real model."""
    title, _, body = SEED.read_text(encoding="utf-8").partition("\n")
    clean = "\n".join(line for line in body.splitlines() if "Subscribe" not in line)
    return title, clean, load_model()(clean)


def test_seed_summary_is_three_body_sentences_in_order(seed: tuple[str, str, Any]) -> None:
    title, body, doc = seed
    summary = summarise(doc, title)
    picked = [s for s in body_sentences(doc) if s in summary]
    assert len(picked) == 3
    offsets = [body.index(s) for s in picked]
    assert offsets == sorted(offsets)
    assert "Storm Shadow" in summary and "Putin" in summary
