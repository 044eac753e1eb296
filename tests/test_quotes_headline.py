"""Quotes in headlines: offsets into the title, field "title", speakers linked to the article."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from westminster.knowledge.offices import OfficeTable, load_office_table
from westminster.models import Article, Entity, Mention, Quote
from westminster.models.jsonio import analysis_to_dict
from westminster.nlp.model import load_model
from westminster.nlp.quotes.extract import headline_quotes
from westminster.nlp.quotes.headline import title_entities
from westminster.store.codec import analysis_doc, analysis_from_doc

STARMER = Entity(
    "e1",
    "Keir Starmer",
    "person",
    aliases=("Sir Keir", "the prime minister"),
    mentions=(Mention(0, 8, "Sir Keir"),),
    offices=("uk-prime-minister",),
)
PUTIN = Entity(
    "e2", "Vladimir Putin", "person", aliases=("Putin",), mentions=(Mention(9, 14, "x"),)
)
NO10 = Entity("e3", "Downing Street", "organisation", mentions=(Mention(20, 34, "x"),))
BREXIT = Entity("e4", "Brexit", "event", mentions=(Mention(40, 46, "x"),))
ENTITIES = (STARMER, PUTIN, NO10, BREXIT)


@pytest.fixture(scope="module")
def nlp() -> Any:
    return load_model()


@pytest.fixture(scope="module")
def offices() -> OfficeTable:
    return load_office_table()


def _one(nlp: Any, offices: OfficeTable, title: str) -> Quote:
    (quote,) = headline_quotes(nlp(title), ENTITIES, offices)
    assert quote.field == "title"
    assert title[quote.start : quote.end] == quote.text
    assert quote.speaker is not None
    assert title[quote.speaker.start : quote.speaker.end] == quote.speaker.text
    return quote


@pytest.mark.parametrize(
    ("title", "words", "speaker", "kind"),
    [
        ('Starmer: "Russia started this war"', '"Russia started this war"', "Starmer", "direct"),
        ("Starmer: Russia started this war", "Russia started this war", "Starmer", "indirect"),
        ("'We will not back down', says PM", "'We will not back down'", "PM", "direct"),
        ("‘We will win’ – Starmer", "‘We will win’", "Starmer", "direct"),
        (
            '"Russia started this war", Starmer tells MPs',
            '"Russia started this war"',
            "Starmer",
            "direct",
        ),
        (
            "Starmer says UK will stand by Ukraine",
            "UK will stand by Ukraine",
            "Starmer",
            "indirect",
        ),
    ],
)
def test_headline_forms(
    nlp: Any, offices: OfficeTable, title: str, words: str, speaker: str, kind: str
) -> None:
    quote = _one(nlp, offices, title)
    assert (quote.text, quote.kind) == (words, kind)
    assert quote.speaker is not None
    assert (quote.speaker.text, quote.speaker.entity_id) == (speaker, "e1")


def test_institution_before_a_colon(nlp: Any, offices: OfficeTable) -> None:
    quote = _one(nlp, offices, "Downing Street: ‘No plans for a snap election’")
    assert quote.speaker is not None and quote.speaker.entity_id == "e3"


@pytest.mark.parametrize(
    "title",
    [
        "Brexit: what happens next for the fishing industry",  # a topic, not a speaker
        "Starmer defies Putin as he and Biden prepare to escalate Ukraine war with missiles",
        "Poll shows Labour lead narrowing",  # no one from the article speaks
        "",
        "   ",
        '"',
        "Starmer: live",
    ],
)
def test_headlines_without_attribution(nlp: Any, offices: OfficeTable, title: str) -> None:
    assert headline_quotes(nlp(title), ENTITIES, offices) == ()


def test_title_entities_match_names_surnames_and_roles(offices: OfficeTable) -> None:
    title = "PM and Putin clash as Sir Keir warns Starmer's critics"
    found = {e.id: [m.text for m in e.mentions] for e in title_entities(title, ENTITIES, offices)}
    assert found == {"e1": ["PM", "Sir Keir", "Starmer"], "e2": ["Putin"]}


def test_a_title_string_without_article_entities_is_parsed_and_left_unlinked() -> None:
    (quote,) = headline_quotes('Boris Johnson: "We will get Brexit done"')
    assert quote.speaker is not None
    assert (quote.speaker.text, quote.speaker.entity_id) == ("Boris Johnson", None)
    assert headline_quotes("") == ()


def test_analyzer_puts_headline_quotes_first_and_json_marks_them(analyzer: Any) -> None:
    article = Article(
        title='Starmer: "Russia started this war"',
        text=(
            "Sir Keir Starmer spoke in Washington on Friday.\n"
            '"Russia started this war and it will not win it," the prime minister told '
            "reporters on the plane."
        ),
        published=date(2024, 9, 13),
    )
    analysis = analyzer.analyse(article)
    starmer = next(e for e in analysis.entities if e.name == "Keir Starmer")
    head, *body = analysis.quotes
    assert head.field == "title" and article.title[head.start : head.end] == head.text
    assert head.speaker is not None and head.speaker.entity_id == starmer.id
    assert head.fingerprint and head.normalised == "russia started this war"
    assert body and all(q.field == "text" for q in body)
    assert all(article.text[q.start : q.end] == q.text for q in body)
    data = analysis_to_dict(analysis)
    assert data["quotes"][0]["field"] == "title"
    assert all("field" not in q for q in data["quotes"][1:])  # body quotes keep their old shape
    # the store keeps the whole analysis as this JSON: the field survives the round trip
    assert analysis_from_doc(analysis_doc(analysis), article).quotes == analysis.quotes
