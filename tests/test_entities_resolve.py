"""resolve_entities on the seed article with the real model: the acceptance checks."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from westminster.errors import InputError
from westminster.knowledge.gazetteer import load_gazetteer
from westminster.knowledge.offices import load_office_table
from westminster.models.analysis import Entity, Unresolved
from westminster.nlp.entities import resolve_entities
from westminster.nlp.model import load_model

SEED = Path(__file__).resolve().parent.parent / "examples" / "starmer-biden-storm-shadow.txt"
PUBLISHED = date(2024, 9, 13)
PEOPLE = (
    "Keir Starmer", "Vladimir Putin", "Joe Biden", "David Lammy", "Antony Blinken",
    "Volodymyr Zelensky", "Kamala Harris", "Donald Trump",
)  # fmt: skip


@pytest.fixture(scope="module")
def seed() -> tuple[str, tuple[Entity, ...], tuple[Unresolved, ...]]:
    # Line 1 is the headline and lines 2-4 are promotional; the body starts at line 5.
    body = "\n".join(SEED.read_text(encoding="utf-8").split("\n")[4:])
    entities, unresolved = resolve_entities(
        load_model()(body), PUBLISHED, load_office_table(), load_gazetteer()
    )
    return body, entities, unresolved


def by_name(entities: tuple[Entity, ...], name: str) -> Entity:
    found = [e for e in entities if e.name == name]
    assert len(found) == 1, (name, [e.name for e in entities])
    return found[0]


def owner(entities: tuple[Entity, ...], start: int) -> Entity | None:
    for entity in entities:
        if any(m.start == start for m in entity.mentions):
            return entity
    return None


def test_each_person_once(seed: Any) -> None:
    _, entities, _ = seed
    persons = [e.name for e in entities if e.kind == "person"]
    for name in PEOPLE:
        assert persons.count(name) == 1, (name, persons)
    assert len(persons) == len(set(persons))


def test_starmer_aliases_and_roles(seed: Any) -> None:
    body, entities, _ = seed
    starmer = by_name(entities, "Keir Starmer")
    assert starmer.key == "person:keir-starmer"
    assert "uk-prime-minister" in starmer.offices
    for alias in (
        "Sir Keir Starmer",
        "Sir Keir",
        "the prime minister",
        "a resolute prime minister",
    ):
        assert alias in starmer.aliases
    for match in re.finditer(r"\b(the|a resolute) prime minister\b", body, re.IGNORECASE):
        entity = owner(entities, match.start())
        assert entity is starmer, match.group(0)
        mention = next(m for m in starmer.mentions if m.start == match.start())
        assert mention.evidence is not None and mention.evidence.rule == "office-holder-on-date"
        assert mention.evidence.detail.startswith(
            "Prime Minister of the United Kingdom on 2024-09-13: Keir Starmer"
        )


def test_the_president_is_biden_at_the_summit(seed: Any) -> None:
    # The first role mention is "the US president"; later bare "the president" mentions in
    # this UK-US summit story are the same office (rule: earlier-qualified-mention), even
    # where Putin or Zelensky is named in the sentence before.
    body, entities, _ = seed
    biden = by_name(entities, "Joe Biden")
    assert "us-president" in biden.offices
    matches = list(re.finditer(r"\bthe (US )?president\b", body, re.IGNORECASE))
    assert len(matches) == 5
    for match in matches:
        assert owner(entities, match.start()) is biden, match.group(0)
    details = [m.evidence.detail for m in biden.mentions if m.evidence and "president" in m.text]
    assert all(
        d.startswith("President of the United States on 2024-09-13: Joe Biden") for d in details
    )


def test_surname_and_titled_mentions_link(seed: Any) -> None:
    _, entities, _ = seed
    assert {"Mr. Lammy", "David Lammy"} <= set(by_name(entities, "David Lammy").aliases)
    assert "Mr. Blinken" in by_name(entities, "Antony Blinken").aliases
    assert {"President Putin", "Mr. Putin"} <= set(by_name(entities, "Vladimir Putin").aliases)
    assert {"President Biden", "Mr. Biden"} <= set(by_name(entities, "Joe Biden").aliases)
    assert "Ms. Harris" in by_name(entities, "Kamala Harris").aliases
    assert "Trump" in by_name(entities, "Donald Trump").aliases


def test_organisations_and_places(seed: Any) -> None:
    _, entities, _ = seed
    for name in ("NATO", "Israel Defense Forces", "Downing Street"):
        assert by_name(entities, name).kind == "organisation"
    assert "IDF" in by_name(entities, "Israel Defense Forces").aliases
    assert by_name(entities, "Downing Street").offices == ("uk-prime-minister",)
    for name in ("Kyiv", "Washington DC", "Gaza"):
        assert by_name(entities, name).kind == "place"


def test_model_errors_are_gone(seed: Any) -> None:
    _, entities, _ = seed
    names = {(e.name, e.kind) for e in entities}
    assert ("Kyiv", "person") not in names
    assert ("Trump", "organisation") not in names
    assert not {e.name for e in entities} & {"State", "West", "Anglo", "Trump"}


def test_offsets_ids_and_order(seed: Any) -> None:
    body, entities, unresolved = seed
    assert [e.id for e in entities] == [f"e{n}" for n in range(1, len(entities) + 1)]
    firsts = [e.mentions[0].start for e in entities]
    assert firsts == sorted(firsts)
    for entity in entities:
        first_forms: dict[str, str] = {}
        for m in entity.mentions:
            first_forms.setdefault(m.text.casefold(), m.text)
        assert entity.aliases == tuple(first_forms.values())  # case variants count once
        for m in entity.mentions:
            assert body[m.start : m.end] == m.text
            assert not m.text.endswith(("’s", "'s"))
    for left in unresolved:
        assert body[left.start : left.end] == left.text and left.reason


def test_bad_input_is_a_clear_error() -> None:
    doc = load_model()("Text.")
    with pytest.raises(InputError, match="published must be a date"):
        resolve_entities(doc, "2024-09-13", load_office_table(), load_gazetteer())  # type: ignore[arg-type]
    with pytest.raises(InputError, match="spaCy Doc"):
        resolve_entities("Text.", PUBLISHED, load_office_table(), load_gazetteer())  # type: ignore[arg-type]
