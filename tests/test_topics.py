"""Tests for westminster.nlp.topics: taxonomy loading, matching, scoring, the seed article."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import spacy
from spacy.tokens import Doc

from westminster.errors import DataError
from westminster.nlp.model import load_model
from westminster.nlp.topics import MAX_TOPICS, classify_topics, load_taxonomy

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "examples" / "starmer-biden-storm-shadow.txt"
VOCAB = spacy.blank("en").vocab
FILLER = "The committee met on Tuesday afternoon and discussed the agenda at length. "


def make_doc(text: str, lemmas: dict[str, str] | None = None, ents: list[str] | None = None) -> Doc:
    """A hand-built Doc: words split on spaces and punctuation, optional lemmas and entities."""
    words = re.findall(r"\w+|[^\w\s]", text)
    table = lemmas or {}
    lemma_list = [table.get(w, w.lower()) for w in words] if lemmas is not None else None
    return Doc(VOCAB, words=words, lemmas=lemma_list, ents=ents)


@pytest.fixture(scope="module")
def seed() -> tuple[str, Any]:
    """The seed article's headline and its body parsed by the real model."""
    title, _, body = SEED.read_text(encoding="utf-8").partition("\n")
    # The cleaning stage drops the promotional lines; the topic classifier sees clean text.
    clean = "\n".join(line for line in body.splitlines() if "Subscribe" not in line)
    return title, load_model()(clean)


def test_seed_defence_and_foreign_affairs_lead(seed: tuple[str, Any]) -> None:
    title, doc = seed
    topics = classify_topics(doc, title)
    names = [t.name for t in topics]
    assert set(names[:2]) == {"defence", "foreign affairs"}
    assert "health" not in names and "education" not in names
    assert len(topics) <= MAX_TOPICS
    assert [t.score for t in topics] == sorted((t.score for t in topics), reverse=True)
    defence = next(t for t in topics if t.name == "defence")
    assert "storm shadow" in defence.evidence and "missile" in defence.evidence


def test_bundled_taxonomy_covers_the_required_areas() -> None:
    names = {t.name for t in load_taxonomy()}
    required = {
        "defence", "foreign affairs", "economy and public finances", "health", "immigration",
        "justice and policing", "education", "energy and environment", "elections and parties",
        "parliament and legislation", "housing", "welfare and pensions", "transport", "trade",
        "technology and media", "local government", "devolution and constitution",
        "culture and sport",
    }  # fmt: skip
    assert required <= names


def test_lemmas_match_inflected_words() -> None:
    doc = make_doc(
        "Hospitals and nurses warned that patients wait too long for surgeries.",
        lemmas={"Hospitals": "hospital", "nurses": "nurse", "patients": "patient"},
    )
    topics = classify_topics(doc)
    assert topics and topics[0].name == "health"
    assert {"hospital", "nurse", "patient"} <= set(topics[0].evidence)


def test_phrase_wins_over_the_words_inside_it() -> None:
    doc = make_doc("The European Union said in Brussels the European Union would meet. " * 2)
    names = [t.name for t in classify_topics(doc)]
    assert "brexit and europe" in names
    assert "employment and unions" not in names  # "union" inside "European Union"


def test_plural_of_a_phrase_matches() -> None:
    doc = make_doc(
        "Ministers halted arms export licences for missiles and more arms export licences."
    )
    topics = classify_topics(doc)
    assert "arms export licence" in next(t for t in topics if t.name == "defence").evidence


def test_headline_hits_raise_the_score() -> None:
    doc = make_doc("The school inspectors praised the pupils. " + FILLER * 6)
    body_only = {t.name: t.score for t in classify_topics(doc)}
    with_title = {t.name: t.score for t in classify_topics(doc, "Schools and teachers win")}
    assert with_title["education"] > body_only.get("education", 0.0)


def test_scores_are_normalised_by_length() -> None:
    text = "Police arrested the burglar and the court sent him to prison. "
    short = classify_topics(make_doc(text + FILLER * 8))
    long = classify_topics(make_doc(text + FILLER * 20))
    assert short and short[0].name == "justice and policing"
    assert not long or long[0].score < short[0].score


def test_one_word_is_not_enough_evidence() -> None:
    doc = make_doc("The court was busy. The court was quiet. The court was full.")
    assert all(t.name != "justice and policing" for t in classify_topics(doc))


def test_words_inside_a_person_name_are_ignored() -> None:
    text = "Bill Green met Bill Green ."
    ents = ["B-PERSON", "I-PERSON", "O", "B-PERSON", "I-PERSON", "O"]
    assert classify_topics(make_doc(text, ents=ents)) == ()


def test_empty_doc_has_no_topics() -> None:
    assert classify_topics(make_doc("")) == ()


def test_malformed_taxonomy_is_a_data_error(tmp_path: Path) -> None:
    bad = tmp_path / "topics.toml"
    bad.write_text('[[topic]]\nname = "x"\nterms = "not a list"\n', encoding="utf-8")
    with pytest.raises(DataError, match="terms must be a list"):
        load_taxonomy(bad)
    bad.write_text("this is = = not toml", encoding="utf-8")
    with pytest.raises(DataError, match="cannot read"):
        load_taxonomy(bad)


def test_custom_taxonomy_is_used(tmp_path: Path) -> None:
    path = tmp_path / "topics.toml"
    path.write_text(
        '[[topic]]\nname = "fish"\nterms = ["cod", "haddock"]\nphrases = ["fish supper"]\n',
        encoding="utf-8",
    )
    doc = make_doc("A fish supper of cod and haddock, then more cod.")
    topics = classify_topics(doc, taxonomy=load_taxonomy(path))
    assert [t.name for t in topics] == ["fish"]
    assert set(topics[0].evidence) == {"fish supper", "cod", "haddock"}
