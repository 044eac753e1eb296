"""The versioned office table: data quality over the whole table, lookups, merging, the CLI."""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date
from importlib import resources
from pathlib import Path

import pytest
from typer.testing import CliRunner

from westminster.cli.app import app
from westminster.errors import DataError
from westminster.knowledge.offices import (
    REFRESHED_HOLDERS_FILE,
    Holding,
    Office,
    OfficeTable,
    load_office_table,
    merge_holdings,
    normalise_role,
    person_key,
    read_holdings,
    write_holdings,
)

runner = CliRunner()
TABLE = load_office_table()

# Offices the brief requires, all of them since 1997-05-02 where the office existed then.
UK_CABINET = [
    "uk-prime-minister", "uk-deputy-prime-minister", "uk-first-secretary-of-state",
    "uk-chancellor", "uk-foreign-secretary", "uk-home-secretary", "uk-defence-secretary",
    "uk-justice-secretary", "uk-health-secretary", "uk-education-secretary",
    "uk-work-pensions-secretary", "uk-business-secretary", "uk-energy-secretary",
    "uk-environment-secretary", "uk-transport-secretary", "uk-housing-secretary",
    "uk-culture-secretary", "uk-science-secretary", "uk-scotland-secretary",
    "uk-wales-secretary", "uk-northern-ireland-secretary",
    "uk-international-development-secretary", "uk-chief-secretary-treasury",
    "uk-chancellor-duchy-lancaster", "uk-leader-commons", "uk-leader-lords",
    "uk-attorney-general", "uk-chief-whip", "uk-minister-cabinet-office", "uk-leader-opposition",
]  # fmt: skip
HELD_SINCE_1997 = [
    "uk-prime-minister", "uk-chancellor", "uk-foreign-secretary", "uk-home-secretary",
    "uk-defence-secretary", "uk-justice-secretary", "uk-health-secretary",
    "uk-education-secretary", "uk-work-pensions-secretary", "uk-business-secretary",
    "uk-transport-secretary", "uk-culture-secretary", "uk-scotland-secretary",
    "uk-wales-secretary", "uk-northern-ireland-secretary",
    "uk-international-development-secretary", "uk-chief-secretary-treasury",
    "uk-chancellor-duchy-lancaster", "uk-leader-commons", "uk-leader-lords",
    "uk-attorney-general", "uk-chief-whip", "uk-leader-opposition",
    "us-president", "us-secretary-of-state", "ru-president", "ua-president", "fr-president",
    "fr-prime-minister", "de-chancellor", "de-president", "il-prime-minister", "il-president",
    "cn-president", "cn-premier", "eu-commission-president",
]  # fmt: skip
FOREIGN_AND_EU = [
    "us-president", "us-secretary-of-state", "ru-president", "ru-prime-minister",
    "ua-president", "ua-prime-minister", "fr-president", "fr-prime-minister", "de-chancellor",
    "de-president", "il-prime-minister", "il-president", "cn-president", "cn-premier",
    "eu-commission-president", "eu-council-president", "eu-high-representative",
    "eu-parliament-president",
]  # fmt: skip


def names(office_id: str, on: str) -> list[str]:
    return [h.person for h in TABLE.holders_on(office_id, date.fromisoformat(on))]


# --- the bundled data ---------------------------------------------------------------------


def test_table_loads_with_its_version() -> None:
    bundled = resources.files("westminster.knowledge") / "data" / "offices.version"
    assert TABLE.version == bundled.read_text(encoding="utf-8").strip()
    assert set(UK_CABINET + FOREIGN_AND_EU) <= set(TABLE.offices)
    assert all(TABLE.holdings_of(office_id) for office_id in TABLE.offices)


def test_no_overlapping_holdings_in_any_office() -> None:
    assert TABLE.overlaps() == []


def test_every_holding_starts_before_it_ends() -> None:
    bad = [h for h in TABLE.holdings if h.end is not None and not h.start < h.end]
    assert bad == []


@pytest.mark.parametrize("office_id", HELD_SINCE_1997)
def test_coverage_since_1997(office_id: str) -> None:
    assert TABLE.holders_on(office_id, date(1997, 5, 2)), f"{office_id} has no holder in May 1997"


def test_uk_offices_have_a_holder_on_election_day_2024_plus_one() -> None:
    abolished = {"uk-international-development-secretary", "uk-first-secretary-of-state"}
    for office_id in set(UK_CABINET) - abolished:
        assert TABLE.holders_on(office_id, date(2024, 7, 6)), office_id


def test_each_person_is_spelt_one_way() -> None:
    spellings: dict[str, set[str]] = defaultdict(set)
    for person in TABLE.people():
        spellings[person_key(person)].add(person)
    assert [s for s in spellings.values() if len(s) > 1] == []


def test_people_carry_no_honorifics() -> None:
    titled = [p for p in TABLE.people() if re.match(r"(Sir|Dame|Mr|Mrs|Ms|Dr|Rt Hon)\b", p)]
    assert titled == []


def test_role_phrases_are_already_normalised() -> None:
    for office in TABLE.offices.values():
        for phrase in office.role_phrases:
            assert normalise_role(phrase) == phrase, (office.id, phrase)


@pytest.mark.parametrize(
    ("office_id", "on", "holder"),
    [
        ("uk-prime-minister", "2024-09-13", "Keir Starmer"),
        ("uk-prime-minister", "2022-10-22", "Liz Truss"),
        ("uk-prime-minister", "2022-10-25", "Rishi Sunak"),
        ("uk-prime-minister", "2007-06-26", "Tony Blair"),
        ("uk-chancellor", "2010-05-12", "George Osborne"),
        ("uk-chancellor", "2022-10-01", "Kwasi Kwarteng"),
        ("uk-foreign-secretary", "2024-09-13", "David Lammy"),
        ("uk-home-secretary", "2022-10-20", "Grant Shapps"),
        ("uk-leader-opposition", "2019-12-13", "Jeremy Corbyn"),
        ("uk-leader-opposition", "2024-09-13", "Rishi Sunak"),
        ("us-president", "2024-09-13", "Joe Biden"),
        ("us-president", "2025-01-20", "Donald Trump"),
        ("us-president", "2019-01-01", "Donald Trump"),
        ("us-secretary-of-state", "2024-09-13", "Antony Blinken"),
        ("ru-president", "2024-09-13", "Vladimir Putin"),
        ("ua-president", "2024-09-13", "Volodymyr Zelensky"),
        ("de-chancellor", "2024-09-13", "Olaf Scholz"),
        ("fr-president", "2024-09-13", "Emmanuel Macron"),
        ("il-prime-minister", "2024-09-13", "Benjamin Netanyahu"),
        ("cn-president", "2024-09-13", "Xi Jinping"),
        ("eu-commission-president", "2024-09-13", "Ursula von der Leyen"),
    ],
)
def test_holder_on_a_day(office_id: str, on: str, holder: str) -> None:
    assert names(office_id, on) == [holder]


def test_biden_and_blinken_left_on_inauguration_day() -> None:
    assert names("us-president", "2025-01-19") == ["Joe Biden"]
    assert names("us-secretary-of-state", "2025-01-20") == []


def test_ambiguous_phrases_name_several_offices() -> None:
    presidents = {o.id for o in TABLE.offices_for_role("the President")}
    assert {"us-president", "ru-president", "ua-president", "fr-president"} <= presidents
    chancellors = {o.id for o in TABLE.offices_for_role("chancellor")}
    assert {"uk-chancellor", "de-chancellor"} <= chancellors
    prime_ministers = {o.id for o in TABLE.offices_for_role("prime minister")}
    assert {"uk-prime-minister", "il-prime-minister", "fr-prime-minister"} <= prime_ministers


def test_country_qualified_phrases_name_one_office() -> None:
    assert [o.id for o in TABLE.offices_for_role("German chancellor")] == ["de-chancellor"]
    assert [o.id for o in TABLE.offices_for_role("the Ukrainian president")] == ["ua-president"]
    assert [o.id for o in TABLE.offices_for_role("US Secretary of State")] == [
        "us-secretary-of-state"
    ]
    assert [o.id for o in TABLE.offices_for_role("Kremlin leader")] == ["ru-president"]


def test_institutions_are_not_role_phrases() -> None:
    # "Downing Street" and "No 10" are the gazetteer's institutions (organisations), not roles.
    for phrase in ("Downing Street", "No 10", "Number 10", "the Treasury", "White House"):
        assert TABLE.offices_for_role(phrase) == [], phrase


def test_offices_of_a_person() -> None:
    held = {h.office_id for h in TABLE.offices_of("David Lammy", date(2024, 9, 13))}
    assert held == {"uk-foreign-secretary"}


# --- reading, writing, overlaying ------------------------------------------------------------


def test_bad_rows_raise_data_errors_naming_the_row() -> None:
    header = "office_id,person,start,end,parliament_id,source\n"
    with pytest.raises(DataError, match="bad date") as info:
        read_holdings(header + "uk-chancellor,Rachel Reeves,5 July 2024,,,x\n", "f.csv")
    assert "Rachel Reeves" in str(info.value)
    with pytest.raises(DataError, match="not a number"):
        read_holdings(header + "uk-chancellor,Rachel Reeves,2024-07-05,,abc,x\n")
    with pytest.raises(DataError, match="missing column"):
        read_holdings("office_id,person\nuk-chancellor,Rachel Reeves\n")


def test_written_holdings_read_back_and_overlay_the_bundled_table(tmp_path: Path) -> None:
    rows = [
        Holding("uk-chancellor", "Rachel Reeves", date(2024, 7, 5), date(2026, 1, 1), None, "t"),
        Holding("uk-chancellor", "Test Person", date(2026, 1, 1), None, 123, "t"),
    ]
    write_holdings(tmp_path / REFRESHED_HOLDERS_FILE, rows, comment="test\nrows")
    assert read_holdings((tmp_path / REFRESHED_HOLDERS_FILE).read_text(encoding="utf-8")) == rows
    table = load_office_table(tmp_path)
    assert table.version == f"{TABLE.version}+refreshed"
    assert [h.person for h in table.holdings_of("uk-chancellor")] == [
        "Rachel Reeves",
        "Test Person",
    ]
    assert table.holdings_of("uk-prime-minister") == TABLE.holdings_of("uk-prime-minister")


# --- merging fetched holdings ------------------------------------------------------------------


def small_table() -> OfficeTable:
    offices = [Office("uk-chancellor", "Chancellor", "GB", "minister", ("chancellor",))]
    return OfficeTable(
        offices,
        [
            Holding("uk-chancellor", "Jeremy Hunt", date(2022, 10, 14), date(2024, 7, 5)),
            Holding("uk-chancellor", "Rachel Reeves", date(2024, 7, 5)),
        ],
        "test",
    )


def test_a_new_holder_ends_the_previous_one() -> None:
    new = Holding("uk-chancellor", "Dr Ann Other", date(2026, 1, 1), None, 77, "members-api")
    merged = merge_holdings(small_table(), [new])
    kinds = sorted((c.kind, c.holding.person) for c in merged.changes)
    assert kinds == [("added", "Dr Ann Other"), ("ended", "Rachel Reeves")]
    updated = small_table().with_holdings_replaced(set(merged.office_ids), merged.holdings)
    assert [h.person for h in updated.holders_on("uk-chancellor", date(2026, 1, 1))] == [
        "Dr Ann Other"
    ]
    assert updated.overlaps() == []


def test_a_known_holder_is_updated_not_duplicated_and_merging_is_idempotent() -> None:
    fetched = [Holding("uk-chancellor", "Rt Hon Rachel Reeves", date(2024, 7, 5), None, 4031)]
    merged = merge_holdings(small_table(), fetched)
    assert [(c.kind, c.holding.person, c.holding.parliament_id) for c in merged.changes] == [
        ("updated", "Rachel Reeves", 4031)
    ]
    again = small_table().with_holdings_replaced(set(merged.office_ids), merged.holdings)
    assert merge_holdings(again, fetched).changes == ()


def test_a_contradicted_row_is_removed() -> None:
    # Our table says Reeves from 2024-07-05; the API says someone else since 2024-07-01.
    fetched = [Holding("uk-chancellor", "Other Person", date(2024, 7, 1), None, 5)]
    merged = merge_holdings(small_table(), fetched)
    kinds = sorted((c.kind, c.holding.person) for c in merged.changes)
    assert kinds == [
        ("added", "Other Person"),
        ("ended", "Jeremy Hunt"),
        ("removed", "Rachel Reeves"),
    ]


# --- the CLI -----------------------------------------------------------------------------------


def show(*args: str, data_dir: Path) -> tuple[int, str, str]:
    result = runner.invoke(app, ["offices", "show", *args, "--data-dir", str(data_dir)])
    return result.exit_code, result.stdout, result.stderr


def test_show_prime_minister_on_the_seed_day(tmp_path: Path) -> None:
    code, out, _ = show("prime minister", "--on", "2024-09-13", data_dir=tmp_path)
    assert code == 0
    (uk,) = [line for line in out.splitlines() if line.startswith("uk-prime-minister")]
    assert "Keir Starmer" in uk
    assert any(line.startswith("il-prime-minister") for line in out.splitlines())


def test_show_an_office_id_and_an_institution(tmp_path: Path) -> None:
    code, out, _ = show("uk-chancellor", "--on", "2010-05-12", data_dir=tmp_path)
    assert code == 0 and "George Osborne" in out
    code, out, _ = show("Downing Street", "--on", "2022-10-22", data_dir=tmp_path)
    assert code == 0 and "Liz Truss" in out and "institution" in out


@pytest.mark.parametrize(
    ("institution", "office_id", "holder"),
    [
        ("Downing Street", "uk-prime-minister", "Keir Starmer"),
        ("No 10", "uk-prime-minister", "Keir Starmer"),
        ("downing street", "uk-prime-minister", "Keir Starmer"),
        ("the Treasury", "uk-chancellor", "Rachel Reeves"),
        ("No 11", "uk-chancellor", "Rachel Reeves"),
        ("FCDO", "uk-foreign-secretary", "David Lammy"),
        ("the White House", "us-president", "Joe Biden"),
        ("Kremlin", "ru-president", "Vladimir Putin"),
    ],
)
def test_show_resolves_institutions_through_the_gazetteer(
    tmp_path: Path, institution: str, office_id: str, holder: str
) -> None:
    code, out, _ = show(institution, "--on", "2024-09-13", data_dir=tmp_path)
    assert code == 0
    (line,) = [ln for ln in out.splitlines() if not ln.startswith("(")]
    assert line.startswith(office_id) and holder in line
    assert "institution standing for the office" in out


def test_show_a_gazetteer_body_that_speaks_for_no_office_is_unknown(tmp_path: Path) -> None:
    code, _, err = show("European Parliament", data_dir=tmp_path)
    assert code == 1 and "no office, role phrase or institution" in err


def test_show_unknown_role_gives_one_line_with_suggestions(tmp_path: Path) -> None:
    code, _, err = show("prme minister", data_dir=tmp_path)
    assert code == 1
    (line,) = [ln for ln in err.splitlines() if ln.startswith("error: ")]
    assert "prme minister" in line and "'prime minister'" in line


def test_show_rejects_a_bad_date(tmp_path: Path) -> None:
    code, _, err = show("prime minister", "--on", "13/09/2024", data_dir=tmp_path)
    assert code == 2 and "YYYY-MM-DD" in err


def test_list_shows_offices_counts_and_version(tmp_path: Path) -> None:
    result = runner.invoke(app, ["offices", "list", "--data-dir", str(tmp_path)])
    assert result.exit_code == 0
    assert "uk-chancellor" in result.stdout
    assert f"table version {TABLE.version}" in result.stdout
