"""Name rules: titles and honorifics, possessives, keys; on strings and hand-built Docs."""

from __future__ import annotations

import pytest
import spacy
from spacy.tokens import Doc

from westminster.models.keys import entity_key, slugify
from westminster.nlp.entities.names import (
    has_honorific,
    is_title_word,
    name_parts,
    normalise_name,
    strip_possessive,
    strip_title_tokens,
    title_start,
    trim_span,
)

NLP = spacy.blank("en")


def tokens(text: str) -> Doc:
    return NLP.make_doc(text)


def index(doc: Doc, word: str) -> int:
    return next(t.i for t in doc if t.text == word)


@pytest.mark.parametrize(
    ("surface", "name"),
    [
        ("Sir Keir Starmer", "Keir Starmer"),
        ("Sir Keir", "Keir"),
        ("Sir Keir’s", "Keir"),
        ("Keir's", "Keir"),
        ("Mr Starmer", "Starmer"),
        ("Mr. Lammy", "Lammy"),
        ("Ms. Harris", "Harris"),
        ("Dame Priti Patel", "Priti Patel"),
        ("Baroness Chapman", "Chapman"),
        ("President Putin", "Putin"),
        ("Prime Minister Keir Starmer", "Keir Starmer"),
        ("Foreign Secretary David Lammy", "David Lammy"),
        ("Secretary of State Antony Blinken", "Antony Blinken"),
        ("King Charles", "Charles"),
        ("Mr Major", "Major"),
        ("Keir  Starmer", "Keir Starmer"),
    ],
)
def test_normalise_name(surface: str, name: str) -> None:
    assert normalise_name(surface) == name


def test_title_words_need_a_capital() -> None:
    assert is_title_word("President") and is_title_word("Mr.") and is_title_word("Sir")
    assert not is_title_word("president")
    assert not is_title_word("Keir")


def test_possessive_and_parts_and_keys() -> None:
    assert strip_possessive("Jones'") == "Jones"
    assert strip_possessive("'s") == "'s"
    assert name_parts("Keir Starmer") == ("Keir", "Starmer")
    assert name_parts("Putin") == ("Putin", "Putin")
    assert slugify("Keir  Starmer") == "keir-starmer"
    assert slugify("Sinéad O’Brien") == "sinead-obrien"
    assert entity_key("person", "José Manuel Barroso") == "person:jose-manuel-barroso"


def test_trim_span_drops_determiner_and_possessive() -> None:
    doc = tokens("This is Sir Keir’s second visit to the White House's lawn.")
    # "Sir Keir’s": the tokenizer splits ’s off; the span ends before it.
    keir = index(doc, "Keir")
    trimmed = trim_span(doc, keir, keir + 2)
    assert trimmed is not None
    ts, te, cs, ce = trimmed
    assert doc.text[cs:ce] == "Keir" and (ts, te) == (keir, keir + 1)
    the = index(doc, "the")
    trimmed = trim_span(doc, the, the + 4)
    assert trimmed is not None and doc.text[trimmed[2] : trimmed[3]] == "White House"
    assert trim_span(doc, the, the + 1) is None


def test_trim_span_cuts_a_possessive_kept_inside_a_token() -> None:
    doc = Doc(NLP.vocab, words=["Keir’s", "visit"], spaces=[True, False])
    trimmed = trim_span(doc, 0, 1)
    assert trimmed is not None and doc.text[trimmed[2] : trimmed[3]] == "Keir"


def test_title_start_walks_back_over_titles_only() -> None:
    doc = tokens("He met US Secretary of State Antony Blinken and Foreign Secretary David Lammy.")
    antony = index(doc, "Antony")
    assert doc[title_start(doc, antony) : antony].text == "Secretary of State"
    david = index(doc, "David")
    assert doc[title_start(doc, david) : david].text == "Foreign Secretary"
    he = 0
    assert title_start(doc, he) == he


def test_title_start_and_honorifics() -> None:
    doc = tokens("Then Mr. Putin spoke to the president Biden.")
    putin = index(doc, "Putin")
    assert doc[title_start(doc, putin)].text == "Mr."
    assert has_honorific(doc, putin)
    biden = index(doc, "Biden")
    # a lower-case role noun is not a title: the mention is the name alone
    assert title_start(doc, biden) == biden
    assert not has_honorific(doc, biden)


def test_strip_title_tokens_keeps_the_last_word() -> None:
    doc = tokens("President Biden and President")
    assert strip_title_tokens(doc, 0, 2) == 1
    assert strip_title_tokens(doc, 3, 4) == 3
