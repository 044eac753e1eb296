"""Known people: canonical spellings, surnames and offices held on a day."""

from __future__ import annotations

from datetime import date

from westminster.knowledge.gazetteer import load_gazetteer
from westminster.knowledge.offices import Holding, Office, OfficeTable
from westminster.nlp.entities.people import PeopleIndex, people_index

TABLE = OfficeTable(
    [
        Office(
            "uk-prime-minister", "Prime Minister", "GB", "head-of-government", ("prime minister",)
        ),
        Office("ua-president", "President of Ukraine", "UA", "head-of-state", ("president",)),
    ],
    [
        Holding("uk-prime-minister", "Boris Johnson", date(2019, 7, 24), date(2022, 9, 6)),
        Holding("uk-prime-minister", "Keir Starmer", date(2024, 7, 5)),
        Holding("ua-president", "Volodymyr Zelenskyy", date(2019, 5, 20)),
    ],
)


def test_gazetteer_spelling_is_canonical_and_offices_follow_it() -> None:
    people = PeopleIndex(TABLE, load_gazetteer())
    assert people.canonical("volodymyr zelenskyy") == "Volodymyr Zelensky"
    assert people.canonical_holder("Volodymyr Zelenskyy") == "Volodymyr Zelensky"
    assert people.offices_held("Volodymyr Zelensky", date(2024, 9, 13)) == ("ua-president",)
    assert people.is_known("Keir Starmer") and not people.is_known("Keir")


def test_surnames_and_first_names_by_date() -> None:
    people = PeopleIndex(TABLE, load_gazetteer())
    assert people.known_with_surname("johnson") == {"Boris Johnson"}
    assert people.holders_with_surname("Johnson", date(2020, 1, 1)) == {"Boris Johnson"}
    assert people.holders_with_surname("Johnson", date(2024, 9, 13)) == set()
    assert people.holders_with_first_name("Keir", date(2024, 9, 13)) == {"Keir Starmer"}
    assert people.holders_with_first_name("Keir", date(2020, 1, 1)) == set()


def test_index_is_built_once_per_table_and_gazetteer() -> None:
    gaz = load_gazetteer()
    assert people_index(TABLE, gaz) is people_index(TABLE, gaz)
