"""Label corrections on hand-built Docs: the gazetteer, known people, the article, junk."""

from __future__ import annotations

from datetime import date

import pytest
import spacy
from spacy.tokens import Doc

from westminster.knowledge.gazetteer import load_gazetteer
from westminster.knowledge.offices import load_office_table
from westminster.nlp.entities.corrections import Candidate, correct_entities
from westminster.nlp.entities.people import people_index

NLP = spacy.blank("en")
DAY = date(2024, 9, 13)


def make_doc(text: str, ents: list[tuple[str, str]], tags: dict[str, str] | None = None) -> Doc:
    """A Doc with the given (surface, label) entities, each at its first occurrence."""
    doc = NLP.make_doc(text)
    spans, cursor = [], 0
    for surface, label in ents:
        start = text.index(surface, cursor)
        span = doc.char_span(start, start + len(surface), label=label)
        assert span is not None, surface
        spans.append(span)
        cursor = start + len(surface)
    doc.ents = spans
    for token in doc:
        token.tag_ = (tags or {}).get(token.text, "NN")
    return doc


def correct(doc: Doc) -> list[Candidate]:
    gaz = load_gazetteer()
    return correct_entities(doc, gaz, people_index(load_office_table(), gaz), DAY)


def only(cands: list[Candidate], text: str) -> Candidate:
    found = [c for c in cands if c.text == text]
    assert len(found) == 1, (text, cands)
    return found[0]


def test_gazetteer_place_beats_person_label() -> None:
    cands = correct(make_doc("It helps Kyiv to fight.", [("Kyiv", "PERSON")]))
    kyiv = only(cands, "Kyiv")
    assert kyiv.kind == "place"
    assert kyiv.evidence is not None and kyiv.evidence.rule == "gazetteer"
    assert "PERSON" in kyiv.evidence.detail


def test_article_consistency_makes_a_surname_a_person() -> None:
    doc = make_doc(
        "Donald Trump may win. Trump's stance is unclear.",
        [("Donald Trump", "PERSON"), ("Trump", "ORG")],
    )
    cands = correct(doc)
    assert [c.kind for c in cands] == ["person", "person"]
    assert cands[1].text == "Trump" and cands[1].end == doc.text.index("'s")
    assert cands[1].evidence is not None and cands[1].evidence.rule == "article-consistency"


def test_office_holder_surname_is_a_person() -> None:
    cands = correct(make_doc("Starmer said so.", [("Starmer", "ORG")]))
    starmer = only(cands, "Starmer")
    assert starmer.kind == "person"
    assert starmer.evidence is not None and starmer.evidence.rule == "known-person-surname"


def test_unknown_org_keeps_its_label() -> None:
    cands = correct(make_doc("Acme Widgets said so.", [("Acme Widgets", "ORG")]))
    acme = only(cands, "Acme Widgets")
    assert (acme.kind, acme.evidence) == ("organisation", None)


@pytest.mark.parametrize(
    ("text", "ents"),
    [
        ("US Secretary of State Antony Blinken", [("State", "ORG"), ("Antony Blinken", "PERSON")]),
        ("missiles from the West today", [("West", "LOC")]),
        ("the Chancellor said", [("Chancellor", "PERSON")]),
        ("the Foreign Secretary said", [("Foreign Secretary", "ORG")]),
    ],
)
def test_junk_is_dropped(text: str, ents: list[tuple[str, str]]) -> None:
    cands = correct(make_doc(text, ents))
    junk = ents[0][0]
    assert all(junk not in c.text for c in cands), cands


def test_halves_of_a_hyphenated_adjective_are_dropped() -> None:
    doc = make_doc("stocks of Anglo-French missiles", [("Anglo", "NORP"), ("French", "NORP")])
    assert correct(doc) == []


def test_a_place_adjective_is_a_group() -> None:
    doc = make_doc("Peruvian officials met.", [("Peruvian", "GPE")], tags={"Peruvian": "JJ"})
    peru = only(correct(doc), "Peruvian")
    assert peru.kind == "group"
    assert peru.evidence is not None and peru.evidence.rule == "adjective-not-place"


def test_gazetteer_finds_what_the_model_missed() -> None:
    doc = make_doc("the IDF said No 10 agreed", [])
    cands = correct(doc)
    assert [(c.text, c.kind) for c in cands] == [("IDF", "organisation"), ("No 10", "organisation")]
    assert cands[0].entry is not None and cands[0].entry.name == "Israel Defense Forces"


def test_longer_model_span_wins_over_gazetteer_part() -> None:
    doc = make_doc("the Israel Defense Forces said", [("the Israel Defense Forces", "ORG")])
    (idf,) = correct(doc)
    assert idf.text == "Israel Defense Forces" and idf.kind == "organisation"


def test_person_span_drops_its_title_and_other_labels_are_ignored() -> None:
    doc = make_doc(
        "President Biden spent £600 million on July 5.",
        [("President Biden", "PERSON"), ("£600 million", "MONEY"), ("July 5", "DATE")],
    )
    (biden,) = correct(doc)
    assert (biden.text, biden.kind, biden.start) == ("Biden", "person", doc.text.index("Biden"))
