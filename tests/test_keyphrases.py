"""Tests for westminster.nlp.keyphrases: candidates, deduplication, ranking, the seed article."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import spacy
from spacy.tokens import Doc

from westminster.nlp.keyphrases import extract_keyphrases
from westminster.nlp.model import load_model

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "examples" / "starmer-biden-storm-shadow.txt"
VOCAB = spacy.blank("en").vocab
PRONOUNS = {"he", "she", "it", "they", "we", "i", "you", "them", "him", "her", "us", "me"}


def make_doc(tagged: str) -> Doc:
    """A hand-built Doc from "word/POS/lemma" items (lemma optional, defaults to the word)."""
    words, pos, lemmas = [], [], []
    for item in tagged.split():
        word, tag, *lemma = item.split("/")
        words.append(word)
        pos.append(tag)
        lemmas.append(lemma[0] if lemma else word.lower())
    return Doc(VOCAB, words=words, pos=pos, lemmas=lemmas)


@pytest.fixture(scope="module")
def seed() -> tuple[str, Any]:
    """The seed article's headline and its (cleaned) body parsed by the real model."""
    title, _, body = SEED.read_text(encoding="utf-8").partition("\n")
    clean = "\n".join(line for line in body.splitlines() if "Subscribe" not in line)
    return title, load_model()(clean)


def test_seed_keyphrases(seed: tuple[str, Any]) -> None:
    title, doc = seed
    phrases = extract_keyphrases(doc, title)
    assert len(phrases) == 10
    assert "Storm Shadow missiles" in phrases
    assert "Ukraine" in phrases[:3]
    lowered = [p.lower() for p in phrases]
    assert len(set(lowered)) == len(lowered)
    assert not PRONOUNS & set(lowered)
    # nested duplicates are merged: no phrase is a whole-word part of another
    for a in lowered:
        assert not any(a != b and f" {a} " in f" {b} " for b in lowered)
    # people belong to the entity linker, not here
    assert not any("Starmer" in p or "Putin" in p for p in phrases)


def test_seed_limit_is_respected(seed: tuple[str, Any]) -> None:
    title, doc = seed
    assert extract_keyphrases(doc, title, limit=3) == extract_keyphrases(doc, title)[:3]
    assert extract_keyphrases(doc, title, limit=0) == ()


def test_plural_and_case_variants_are_one_phrase() -> None:
    doc = make_doc(
        "Ministers/NOUN/minister halted/VERB arms/NOUN/arm export/NOUN "
        "licences/NOUN/licence ./PUNCT "
        "The/DET Arms/NOUN/arm Export/NOUN Licence/NOUN/licence covers/VERB ceasefire/NOUN "
        "talks/NOUN/talk ./PUNCT He/PRON said/VERB it/PRON ./PUNCT"
    )
    phrases = extract_keyphrases(doc)
    lowered = [p.lower() for p in phrases]
    assert lowered.count("arms export licences") + lowered.count("arms export licence") == 1
    assert not {"he", "it"} & {p.lower() for p in phrases}


def test_nested_phrase_yields_to_the_longer_one_that_holds_it() -> None:
    doc = make_doc(
        "Storm/PROPN Shadow/PROPN missiles/NOUN/missile were/AUX sent/VERB ./PUNCT "
        "More/ADJ Storm/PROPN Shadow/PROPN missiles/NOUN/missile followed/VERB ./PUNCT "
        "The/DET missiles/NOUN/missile flew/VERB ./PUNCT"
    )
    phrases = extract_keyphrases(doc)
    assert phrases[0] == "Storm Shadow missiles"
    assert "missiles" not in phrases and "Storm Shadow" not in phrases


def test_generic_words_and_numbers_are_not_keyphrases() -> None:
    doc = make_doc(
        "The/DET prime/ADJ minister/NOUN held/VERB a/DET meeting/NOUN this/DET week/NOUN "
        "about/ADP the/DET ceasefire/NOUN ./PUNCT The/DET ceasefire/NOUN holds/VERB ./PUNCT"
    )
    phrases = extract_keyphrases(doc)
    assert phrases[0] == "ceasefire"
    assert "prime minister" not in phrases and "week" not in phrases


def test_headline_words_lift_a_phrase() -> None:
    text = (
        "Farmers/NOUN/farmer met/VERB ./PUNCT Fishermen/NOUN/fisherman met/VERB ./PUNCT "
        "Farmers/NOUN/farmer and/CCONJ fishermen/NOUN/fisherman left/VERB ./PUNCT"
    )
    assert extract_keyphrases(make_doc(text), "Fishermen protest")[0].lower() == "fishermen"
    assert extract_keyphrases(make_doc(text), "Farmers protest")[0].lower() == "farmers"


def test_dash_between_clauses_splits_phrases() -> None:
    doc = make_doc("breasts/NOUN/breast -/PUNCT imaginary/ADJ breasts/NOUN/breast ./PUNCT")
    assert all(" - " not in p for p in extract_keyphrases(doc))


def test_empty_doc() -> None:
    assert extract_keyphrases(Doc(VOCAB, words=[])) == ()
