"""Speakers: source spans, entity linking by mention overlap, pronouns, fallback entities."""

from __future__ import annotations

from typing import Any

import pytest

from westminster.models import Entity, Mention, QuoteSpeaker
from westminster.nlp.model import load_model
from westminster.nlp.quotes.speakers import entities_from_doc, link_entity, make_speaker


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
