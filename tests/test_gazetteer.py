"""The gazetteer: bundled data, lookups, and clear errors for malformed rows."""

from __future__ import annotations

import pytest

from westminster.errors import DataError
from westminster.knowledge.gazetteer import KINDS, load_gazetteer, normalise_surface, read_gazetteer
from westminster.knowledge.offices import load_office_table

HEADER = "key,name,kind,aliases,country,office_of\n"


def test_load_is_cached_and_nonempty() -> None:
    assert load_gazetteer() is load_gazetteer()
    assert len(load_gazetteer()) > 50


@pytest.mark.parametrize(
    ("surface", "name", "kind"),
    [
        ("Kyiv", "Kyiv", "place"),
        ("Kiev", "Kyiv", "place"),
        ("NATO", "NATO", "organisation"),
        ("Nato", "NATO", "organisation"),
        ("the Israel Defense Forces", "Israel Defense Forces", "organisation"),
        ("IDF", "Israel Defense Forces", "organisation"),
        ("Downing Street", "Downing Street", "organisation"),
        ("No 10", "Downing Street", "organisation"),
        ("Whitehall", "Whitehall", "organisation"),
        ("the Treasury", "HM Treasury", "organisation"),
        ("the Home Office", "Home Office", "organisation"),
        ("the Kremlin’s", "Kremlin", "organisation"),
        ("the White House", "White House", "organisation"),
        ("Westminster", "Westminster", "place"),
        ("Gaza", "Gaza", "place"),
        ("Washington DC", "Washington DC", "place"),
        ("Washington, D.C.", "Washington DC", "place"),
        ("US", "United States", "place"),
        ("Ukrainian", "Ukrainian", "group"),
    ],
)
def test_lookup(surface: str, name: str, kind: str) -> None:
    entry = load_gazetteer().lookup(surface)
    assert entry is not None, surface
    assert (entry.name, entry.kind) == (name, kind)
    assert entry.key.startswith(kind + ":")


def test_lower_case_pronoun_is_not_the_united_states() -> None:
    assert load_gazetteer().lookup("us") is None
    assert load_gazetteer().lookup("Nowhere-on-Sea") is None


def test_institutions_name_offices_the_table_knows() -> None:
    gaz = load_gazetteer()
    table = load_office_table()
    downing = gaz.lookup("Downing Street")
    assert downing is not None and downing.office_of == "uk-prime-minister"
    white_house = gaz.lookup("White House")
    assert white_house is not None and white_house.office_of == "us-president"
    for entry in gaz.institutions():
        assert entry.office_of in table.offices, entry.key


@pytest.mark.parametrize(
    ("surface", "name", "office_id"),
    [
        ("No 10", "Downing Street", "uk-prime-minister"),
        ("No 11", "11 Downing Street", "uk-chancellor"),
        ("HM Treasury", "HM Treasury", "uk-chancellor"),
        ("MoD", "Ministry of Defence", "uk-defence-secretary"),
        ("FCDO", "Foreign, Commonwealth and Development Office", "uk-foreign-secretary"),
        ("the Foreign Office", "Foreign, Commonwealth and Development Office",
         "uk-foreign-secretary"),
        ("DWP", "Department for Work and Pensions", "uk-work-pensions-secretary"),
        ("Defra", "Department for Environment, Food and Rural Affairs", "uk-environment-secretary"),
        ("the Pentagon", "Pentagon", "us-defense-secretary"),
        ("the Elysee", "Élysée Palace", "fr-president"),
        ("Bankova", "Office of the President of Ukraine", "ua-president"),
        ("the German Chancellery", "German Chancellery", "de-chancellor"),
    ],
)  # fmt: skip
def test_institutions_speak_for_their_office(surface: str, name: str, office_id: str) -> None:
    entry = load_gazetteer().lookup(surface)
    assert entry is not None, surface
    assert (entry.name, entry.kind, entry.office_of) == (name, "organisation", office_id)


def test_a_legislature_speaks_for_no_office() -> None:
    entry = load_gazetteer().lookup("European Parliament")
    assert entry is not None and entry.kind == "organisation" and entry.office_of == ""


def test_every_entry_is_well_formed() -> None:
    for entry in load_gazetteer():
        assert entry.kind in KINDS
        assert entry.key.startswith(entry.kind + ":")


def test_normalise_surface() -> None:
    assert normalise_surface("  the  Kremlin’s ") == "Kremlin"
    assert normalise_surface("Jones'") == "Jones"


@pytest.mark.parametrize(
    ("body", "needle"),
    [
        ("place:x,X,planet,,,\n", "unknown kind"),
        ("org:x,X,organisation,,,\n", "must start with"),
        ("place:x,,place,,,\n", "required"),
        ("place:x,X,place,,\n", "columns"),
        ("place:a,A,place,Same,,\nplace:b,B,place,Same,,\n", "names both"),
        ("place:a,A,place,,,\nplace:a,B,place,,,\n", "duplicate key"),
    ],
)
def test_bad_rows_raise_data_error(body: str, needle: str) -> None:
    with pytest.raises(DataError, match=needle):
        read_gazetteer(HEADER + body, "test.csv")


def test_bad_header_names_the_file() -> None:
    with pytest.raises(DataError, match=r"test\.csv.*header"):
        read_gazetteer("key,name\nplace:x,X\n", "test.csv")


def test_comment_lines_and_aliases() -> None:
    gaz = read_gazetteer("# note\n" + HEADER + "place:kyiv,Kyiv,place,Kiev| Kyyiv ,UA,\n")
    entry = gaz.lookup("Kyyiv")
    assert entry is not None and entry.aliases == ("Kiev", "Kyyiv") and entry.country == "UA"
    assert gaz.by_key("place:kyiv") is entry
