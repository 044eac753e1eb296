"""Speakers: source spans, entity linking by mention overlap, pronouns, fallback entities."""

from __future__ import annotations

from typing import Any

import pytest

from westminster.models import Entity, Mention, QuoteSpeaker
from westminster.nlp.model import load_model
from westminster.nlp.quotes.speakers import (
    entities_from_doc,
    is_relative,
    link_entity,
    make_speaker,
    source_span,
)


@pytest.fixture(scope="module")
def nlp() -> Any:
    return load_model()


def test_link_entity_prefers_the_largest_overlap() -> None:
    a = Entity("e1", "Keir Starmer", "person", mentions=(Mention(0, 10, "Keir Starm"),))
    b = Entity("e2", "Other", "person", mentions=(Mention(8, 30, "x"),))
    assert link_entity([a, b], 0, 12) is a
    assert link_entity([a, b], 40, 50) is None


def test_anonymous_source_is_kept_as_such(nlp: Any) -> None:
    doc = nlp("A senior Whitehall source said the plan was dead.")
    head = next(t.i for t in doc if t.text == "source")
    speaker = make_speaker(doc, doc.text, head, (), ())
    assert speaker.text == "A senior Whitehall source"
    assert speaker.entity_id is None


def test_pronoun_takes_the_earlier_compatible_speaker(nlp: Any) -> None:
    doc = nlp("Labour said the vote was close. He said it was lost.")
    labour = Entity("e1", "Labour", "organisation", mentions=(Mention(0, 6, "Labour"),))
    earlier = [QuoteSpeaker(0, 6, "Labour", "Labour", "e1")]
    he = next(t.i for t in doc if t.text == "He")
    speaker = make_speaker(doc, doc.text, he, [labour], earlier)
    assert speaker.text == "He"
    assert speaker.entity_id is None  # a person pronoun does not take an organisation


def test_fallback_entities_group_people_by_surname(nlp: Any) -> None:
    doc = nlp("Vladimir Putin spoke on Monday. Later Mr. Putin spoke again in Moscow.")
    people = [e for e in entities_from_doc(doc) if e.kind == "person"]
    assert len(people) == 1
    assert people[0].name == "Vladimir Putin"
    assert len(people[0].mentions) == 2


def _speaker_at(nlp: Any, text: str, word: str, earlier: list[QuoteSpeaker]) -> QuoteSpeaker:
    doc = nlp(text)
    head = max(t.i for t in doc if t.text == word)  # the last one: the source in these texts
    return make_speaker(doc, text, head, entities_from_doc(doc), earlier)


def _said_by(nlp: Any, text: str, word: str) -> QuoteSpeaker:
    """The speaker an earlier attribution gave `word` (its first occurrence) in text."""
    doc = nlp(text)
    head = next(t.i for t in doc if t.text == word)
    return make_speaker(doc, text, head, entities_from_doc(doc), ())


def test_he_never_takes_a_common_noun_speaker(nlp: Any) -> None:
    text = (
        "Keir Starmer flew to Washington on Friday. Legal guidance suggested that the sale "
        "was unlawful. Instead, he intends to meet business leaders."
    )
    guidance = _said_by(nlp, text, "guidance")
    assert guidance.entity_id is None
    speaker = _speaker_at(nlp, text, "he", [guidance])
    assert (speaker.text, speaker.name) == ("he", "Keir Starmer")


def test_he_prefers_the_previous_sentence_subject_to_an_older_speaker(nlp: Any) -> None:
    text = (
        "Joe Biden said the talks went well. Keir Starmer arrived in Washington on Friday. "
        "He said the visit mattered."
    )
    biden = _said_by(nlp, text, "Biden")
    speaker = _speaker_at(nlp, text, "He", [biden])
    assert speaker.name == "Keir Starmer"


def test_it_skips_a_person_for_an_organisation(nlp: Any) -> None:
    text = "Labour said the vote was close. Keir Starmer agreed. It said the seat was lost."
    labour = _said_by(nlp, text, "Labour")
    starmer = _said_by(nlp, text, "Starmer")
    assert labour.entity_id is not None and starmer.entity_id is not None
    speaker = _speaker_at(nlp, text, "It", [labour, starmer])
    assert speaker.entity_id == labour.entity_id


def test_they_takes_a_coordination_and_it_spans_both_names(nlp: Any) -> None:
    text = (
        "Sir Keir and Mr. Biden will talk about the casualties in Gaza. They will also "
        "emphasize the importance of preventing escalation."
    )
    pair = _said_by(nlp, text, "Keir")
    assert pair.text == "Sir Keir and Mr. Biden"
    assert pair.entity_id is None  # two people are no single entity
    assert "Keir" in pair.name and "Biden" in pair.name
    they = _speaker_at(nlp, text, "They", [pair])
    assert (they.text, they.name) == ("They", pair.name)


def test_they_does_not_take_a_single_person(nlp: Any) -> None:
    text = "Boris Johnson said the deal was dead. They said it was alive."
    johnson = _said_by(nlp, text, "Johnson")
    they = _speaker_at(nlp, text, "They", [johnson])
    assert they.name == "They" and they.entity_id is None


def test_relative_pronoun_source_names_its_antecedent(nlp: Any) -> None:
    text = "He praised Ted Cruz, who threatened to shut down the government."
    doc = nlp(text)
    who = next(t for t in doc if t.text == "who")
    assert is_relative(who)
    speaker = make_speaker(doc, text, who.i, entities_from_doc(doc), ())
    assert (speaker.text, speaker.name) == ("who", "Ted Cruz")
    assert speaker.entity_id is not None


def test_source_span_without_coordination(nlp: Any) -> None:
    doc = nlp("Mr. Lammy and Mr. Blinken met Ukrainian officials.")
    head = next(t.i for t in doc if t.text == "Lammy")
    assert doc.text[slice(*source_span(doc, head))] == "Mr. Lammy and Mr. Blinken"
    assert doc.text[slice(*source_span(doc, head, coordinated=False))] == "Lammy"
