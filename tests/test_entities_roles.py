"""Role mentions resolved by date and context, with the real model and a hand-built table."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from westminster.knowledge.gazetteer import load_gazetteer
from westminster.knowledge.offices import Holding, Office, OfficeTable
from westminster.models.analysis import Entity, Unresolved
from westminster.nlp.entities import resolve_entities
from westminster.nlp.entities.roles import OFFICE_HOLDER_RULE
from westminster.nlp.model import load_model

DAY = date(2024, 9, 13)

OFFICES = [
    Office("uk-prime-minister", "Prime Minister of the United Kingdom", "GB", "head-of-government",
           ("prime minister", "pm", "premier", "no 10")),
    Office("il-prime-minister", "Prime Minister of Israel", "IL", "head-of-government",
           ("prime minister", "israeli prime minister")),
    Office("us-president", "President of the United States", "US", "head-of-state",
           ("president", "us president", "white house")),
    Office("ru-president", "President of Russia", "RU", "head-of-state",
           ("president", "russian president")),
    Office("ua-president", "President of Ukraine", "UA", "head-of-state",
           ("president", "ukrainian president")),
]  # fmt: skip
HOLDINGS = [
    Holding("uk-prime-minister", "Rishi Sunak", date(2022, 10, 25), date(2024, 7, 5)),
    Holding("uk-prime-minister", "Keir Starmer", date(2024, 7, 5)),
    Holding("il-prime-minister", "Benjamin Netanyahu", date(2022, 12, 29)),
    Holding("us-president", "Joe Biden", date(2021, 1, 20), date(2025, 1, 20)),
    Holding("ru-president", "Vladimir Putin", date(2012, 5, 7)),
    Holding("ua-president", "Volodymyr Zelenskyy", date(2019, 5, 20)),
]
TABLE = OfficeTable(OFFICES, HOLDINGS, "test")


@pytest.fixture(scope="module")
def nlp() -> Any:
    return load_model()


def resolve(
    nlp: Any, text: str, on: date = DAY, **kw: str
) -> tuple[tuple[Entity, ...], tuple[Unresolved, ...]]:
    return resolve_entities(nlp(text), on, TABLE, load_gazetteer(), **kw)


def holder_of(entities: tuple[Entity, ...], mention: str) -> tuple[str, str]:
    """(person name, evidence detail) of the entity holding the given mention text."""
    for entity in entities:
        for m in entity.mentions:
            if m.text == mention:
                assert m.evidence is not None and m.evidence.rule == OFFICE_HOLDER_RULE
                return entity.name, m.evidence.detail
    raise AssertionError(f"{mention!r} not linked: {entities}")


def test_named_holder_nearby_decides(nlp: Any) -> None:
    ents, unresolved = resolve(
        nlp, "Vladimir Putin spoke on Monday. The president said Russia would respond."
    )
    name, detail = holder_of(ents, "The president")
    assert name == "Vladimir Putin"
    assert detail.startswith("President of Russia on 2024-09-13: Vladimir Putin")
    assert "named-nearby" in detail
    assert unresolved == ()


def test_two_holders_nearby_leave_it_unresolved(nlp: Any) -> None:
    ents, unresolved = resolve(nlp, "Joe Biden called Vladimir Putin. The president said nothing.")
    (left,) = unresolved
    assert left.text == "The president"
    assert set(left.candidates) == {"us-president", "ru-president"}
    assert "Joe Biden" in left.reason and "Vladimir Putin" in left.reason
    assert not any(m.text == "The president" for e in ents for m in e.mentions)


def test_no_context_leaves_it_unresolved(nlp: Any) -> None:
    ents, unresolved = resolve(nlp, "The president spoke for an hour.")
    assert ents == ()
    (left,) = unresolved
    assert set(left.candidates) == {"us-president", "ru-president", "ua-president"}


def test_country_qualifier_creates_the_holder(nlp: Any) -> None:
    ents, _ = resolve(nlp, "Russia's president warned against it.")
    name, detail = holder_of(ents, "Russia's president")
    assert name == "Vladimir Putin" and 'qualifier "Russia\'s"' in detail
    putin = next(e for e in ents if e.name == "Vladimir Putin")
    assert putin.kind == "person" and putin.offices == ("ru-president",)
    assert putin.key == "person:vladimir-putin"


def test_earlier_qualified_mention_carries_over(nlp: Any) -> None:
    text = "The US president met Mr Zelensky and Mr Putin's envoy. Later the president left."
    ents, _ = resolve(nlp, text)
    assert holder_of(ents, "The US president")[0] == "Joe Biden"
    name, detail = holder_of(ents, "the president")
    assert name == "Joe Biden" and "earlier-qualified-mention" in detail


def test_outlet_country_default(nlp: Any) -> None:
    text = "A resolute prime minister spoke to reporters."
    ents, _ = resolve(nlp, text)
    name, detail = holder_of(ents, "A resolute prime minister")
    assert name == "Keir Starmer" and "outlet-country default GB" in detail
    ents, _ = resolve(nlp, text, outlet_country="IL")
    assert holder_of(ents, "A resolute prime minister")[0] == "Benjamin Netanyahu"


def test_holder_depends_on_the_date(nlp: Any) -> None:
    ents, _ = resolve(nlp, "The prime minister spoke.", on=date(2023, 5, 1))
    assert holder_of(ents, "The prime minister")[0] == "Rishi Sunak"
    ents, unresolved = resolve(nlp, "The prime minister spoke.", on=date(2000, 1, 1))
    assert ents == ()
    assert "0 holders" in unresolved[0].reason


def test_former_holder_is_not_the_current_one(nlp: Any) -> None:
    ents, unresolved = resolve(nlp, "The former prime minister criticised the plan.")
    assert ents == ()
    assert "former" in unresolved[0].reason.lower()


def test_title_before_a_name_is_a_name_mention(nlp: Any) -> None:
    ents, unresolved = resolve(nlp, "Prime Minister Keir Starmer and President Biden met.")
    starmer = next(e for e in ents if e.name == "Keir Starmer")
    assert [m.text for m in starmer.mentions] == ["Prime Minister Keir Starmer"]
    assert starmer.mentions[0].evidence is None
    assert starmer.offices == ("uk-prime-minister",)
    biden = next(e for e in ents if e.name == "Joe Biden")
    assert biden.aliases == ("President Biden",)
    assert unresolved == ()


def test_pm_and_a_time(nlp: Any) -> None:
    ents, _ = resolve(nlp, "The PM will speak at 5 pm in London.")
    (starmer,) = [e for e in ents if e.kind == "person"]
    assert [m.text for m in starmer.mentions] == ["The PM"]


def test_no_10_is_the_office_not_the_person(nlp: Any) -> None:
    ents, unresolved = resolve(nlp, "No 10 said the talks went well.")
    (downing,) = ents
    assert (downing.name, downing.kind, downing.offices) == (
        "Downing Street",
        "organisation",
        ("uk-prime-minister",),
    )
    evidence = downing.mentions[0].evidence
    assert evidence is not None and "Keir Starmer" in evidence.detail
    assert unresolved == ()


def test_table_spelling_maps_to_the_gazetteer_name(nlp: Any) -> None:
    ents, _ = resolve(
        nlp, "Volodymyr Zelensky thanked the Ukrainian people. The Ukrainian president was firm."
    )
    zelensky = next(e for e in ents if e.kind == "person")
    assert zelensky.name == "Volodymyr Zelensky" and zelensky.offices == ("ua-president",)
    assert "The Ukrainian president" in zelensky.aliases
