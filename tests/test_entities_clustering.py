"""Clustering mentions into one entity per referent, on hand-built Docs."""

from __future__ import annotations

from datetime import date

import spacy
from spacy.tokens import Doc

from westminster.knowledge.gazetteer import load_gazetteer
from westminster.knowledge.offices import load_office_table
from westminster.models.analysis import Unresolved
from westminster.nlp.entities.clustering import Cluster, cluster_candidates
from westminster.nlp.entities.corrections import correct_entities
from westminster.nlp.entities.people import people_index

NLP = spacy.blank("en")
DAY = date(2024, 9, 13)


def person_doc(text: str, names: list[str], label: str = "PERSON") -> Doc:
    """A Doc whose entities are the given surfaces, in order, all with one label."""
    doc = NLP.make_doc(text)
    spans, cursor = [], 0
    for surface in names:
        start = text.index(surface, cursor)
        span = doc.char_span(start, start + len(surface), label=label)
        assert span is not None, surface
        spans.append(span)
        cursor = start + len(surface)
    doc.ents = spans
    return doc


def cluster(
    doc: Doc, on: date = DAY
) -> tuple[list[Cluster], list[Unresolved], list[tuple[int, str]]]:
    gaz = load_gazetteer()
    people = people_index(load_office_table(), gaz)
    return cluster_candidates(doc, correct_entities(doc, gaz, people, on), people, on)


def people_of(clusters: list[Cluster]) -> dict[str, list[str]]:
    return {c.name: [m.text for m in c.mentions] for c in clusters if c.kind == "person"}


def test_every_form_of_one_name_is_one_person() -> None:
    text = (
        "Sir Keir Starmer flew out. Sir Keir said so. Keir Starmer spoke. Mr Starmer left. "
        "Starmer's plan and Sir Keir’s trip and Keir's team."
    )
    doc = person_doc(
        text, ["Keir Starmer", "Keir", "Keir Starmer", "Starmer", "Starmer", "Keir", "Keir"]
    )
    clusters, unresolved, named = cluster(doc)
    forms = ["Sir Keir Starmer", "Sir Keir", "Keir Starmer", "Mr Starmer", "Starmer", "Sir Keir"]
    assert people_of(clusters) == {"Keir Starmer": [*forms, "Keir"]}
    assert unresolved == []
    assert len(named) == 7 and {n for _, n in named} == {"Keir Starmer"}
    rules = [m.evidence.rule if m.evidence else None for m in clusters[0].mentions]
    assert rules[:4] == [None, "first-name-match", None, "surname-match"]


def test_shared_surname_is_not_merged() -> None:
    text = "Boris Johnson and Jo Johnson disagreed. Mr Johnson said no."
    clusters, unresolved, _ = cluster(person_doc(text, ["Boris Johnson", "Jo Johnson", "Johnson"]))
    assert people_of(clusters) == {"Boris Johnson": ["Boris Johnson"], "Jo Johnson": ["Jo Johnson"]}
    (left,) = unresolved
    assert left.text == "Mr Johnson"
    assert left.candidates == ("Boris Johnson", "Jo Johnson")
    assert "more than one person" in left.reason


def test_lone_surname_expands_to_the_office_holder_on_the_date() -> None:
    clusters, _, _ = cluster(person_doc("Mr Starmer said so.", ["Starmer"]))
    (person,) = clusters
    assert person.name == "Keir Starmer" and person.key == "person:keir-starmer"
    evidence = person.mentions[0].evidence
    assert evidence is not None and evidence.rule == "office-holder-surname"
    assert "uk-prime-minister" in evidence.detail and "2024-09-13" in evidence.detail


def test_lone_unknown_name_stays_as_written() -> None:
    clusters, unresolved, _ = cluster(person_doc("Mr Zyxwv said. Zyxwv left.", ["Zyxwv", "Zyxwv"]))
    assert people_of(clusters) == {"Zyxwv": ["Mr Zyxwv", "Zyxwv"]}
    assert unresolved == []


def test_first_name_links_to_the_one_full_name() -> None:
    text = "Kamala Harris campaigned. Later Kamala spoke."
    clusters, _, _ = cluster(person_doc(text, ["Kamala Harris", "Kamala"]))
    (person,) = clusters
    assert person.mentions[1].evidence is not None
    assert person.mentions[1].evidence.rule == "first-name-match"


def test_places_cluster_on_their_gazetteer_key() -> None:
    doc = person_doc("Kyiv, once Kiev, and Kyiv again.", ["Kyiv", "Kiev", "Kyiv"], label="GPE")
    clusters, _, _ = cluster(doc)
    (kyiv,) = clusters
    assert (kyiv.name, kyiv.kind, kyiv.key) == ("Kyiv", "place", "place:kyiv")
    assert [m.text for m in kyiv.mentions] == ["Kyiv", "Kiev", "Kyiv"]


def test_gazetteer_spelling_variant_is_one_person() -> None:
    text = "Volodymyr Zelensky spoke. Zelenskyy left."
    doc = person_doc(text, ["Volodymyr Zelensky", "Zelenskyy"])
    clusters, _, _ = cluster(doc)
    assert people_of(clusters) == {"Volodymyr Zelensky": ["Volodymyr Zelensky", "Zelenskyy"]}


def test_sir_and_a_first_name_expand_to_the_office_holder() -> None:
    clusters, _, _ = cluster(person_doc("Sir Keir’s second visit.", ["Keir"]))
    (person,) = clusters
    assert person.name == "Keir Starmer"
    assert [m.text for m in person.mentions] == ["Sir Keir"]
    evidence = person.mentions[0].evidence
    assert evidence is not None and evidence.rule == "office-holder-first-name"
    # without Sir, a lone first name is not expanded
    clusters, _, _ = cluster(person_doc("Keir said so.", ["Keir"]))
    assert [c.name for c in clusters] == ["Keir"]
