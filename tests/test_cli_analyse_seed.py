"""`westminster analyse` on the seed article: the expectations of the foundation issue."""

from __future__ import annotations

import json
from typing import Any

import pytest
from typer.testing import CliRunner

from tests.conftest import SEED, SEED_PUBLISHED
from westminster.cli.app import app

runner = CliRunner()

SEED_PEOPLE = {
    "Keir Starmer",
    "Vladimir Putin",
    "Joe Biden",
    "David Lammy",
    "Antony Blinken",
    "Volodymyr Zelensky",
    "Kamala Harris",
    "Donald Trump",
}


@pytest.fixture(scope="module")
def seed() -> dict[str, Any]:
    result = runner.invoke(app, ["analyse", str(SEED), "--json", "--published", SEED_PUBLISHED])
    assert result.exit_code == 0, result.stderr
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def entities_named(seed: dict[str, Any], name: str) -> list[dict[str, Any]]:
    return [e for e in seed["entities"] if e["name"] == name]


def test_headline_and_promotional_lines(seed: dict[str, Any]) -> None:
    assert seed["title"].startswith("Starmer defies Putin")
    removed = [r["text"] for r in seed["removed"]]
    assert removed == [
        "Get Expert Analysis: Subscribe To Westminster Insights",
        "Subscribe To Our Free Westminster Update Email",
        "Subscribe For Our Free Westminster Update Email",
    ]
    assert all(r["reason"] for r in seed["removed"])
    paragraphs = [p for p in seed["text"].split("\n") if p.strip()]
    assert len(paragraphs) == 31
    assert "Subscribe" not in seed["text"]


def test_each_person_once_with_aliases(seed: dict[str, Any]) -> None:
    people = [e for e in seed["entities"] if e["kind"] == "person"]
    names = [e["name"] for e in people]
    for name in SEED_PEOPLE:
        assert names.count(name) == 1, (name, names)
    starmer = entities_named(seed, "Keir Starmer")[0]
    assert {"Sir Keir Starmer", "Sir Keir"} <= set(starmer["aliases"])


def test_prime_minister_resolves_to_starmer(seed: dict[str, Any]) -> None:
    starmer = entities_named(seed, "Keir Starmer")[0]
    role_mentions = [m for m in starmer["mentions"] if "prime minister" in m["text"].lower()]
    assert role_mentions, starmer["mentions"]
    for m in role_mentions:
        assert m["evidence"]["rule"]
        assert seed["text"][m["start"] : m["end"]] == m["text"]


def test_offsets_point_into_text(seed: dict[str, Any]) -> None:
    for entity in seed["entities"]:
        for m in entity["mentions"]:
            assert seed["text"][m["start"] : m["end"]] == m["text"]
    for f in seed["figures"]:
        assert seed["text"][f["start"] : f["end"]] == f["text"]


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("NATO", "organisation"),
        ("Israel Defense Forces", "organisation"),
        ("Downing Street", "organisation"),
        ("Kyiv", "place"),
        ("Washington DC", "place"),
        ("Gaza", "place"),
    ],
)
def test_organisations_and_places(seed: dict[str, Any], name: str, kind: str) -> None:
    matches = entities_named(seed, name)
    assert [e["kind"] for e in matches] == [kind], [
        (e["name"], e["kind"]) for e in seed["entities"]
    ]


def test_model_errors_corrected(seed: dict[str, Any]) -> None:
    wrong = {(e["name"], e["kind"]) for e in seed["entities"]}
    assert ("Kyiv", "person") not in wrong
    assert ("Trump", "organisation") not in wrong
    assert not any(e["name"] == "State" for e in seed["entities"])


def test_figures_normalised(seed: dict[str, Any]) -> None:
    by_text = {f["text"]: f for f in seed["figures"]}
    money = [f for f in seed["figures"] if f["kind"] == "money"]
    assert {(f["value"], f["unit"]) for f in money} >= {
        (600_000_000, "GBP"),
        (3_000_000_000, "GBP"),
    }
    annual = [f for f in money if f["value"] == 3_000_000_000]
    assert annual[0]["per"] == "year"
    miles = [f for f in seed["figures"] if f["kind"] == "quantity" and f["value"] == 155]
    assert miles and miles[0]["unit"] == "mile"
    proportion = [f for f in seed["figures"] if f["kind"] == "proportion"]
    assert [(f["value"], f["total"]) for f in proportion] == [(30, 350)]
    dates = {f["value"] for f in seed["figures"] if f["kind"] == "date"}
    assert "2024-07-05" in dates, by_text


def test_topics_and_summary(seed: dict[str, Any]) -> None:
    top_two = {t["name"] for t in seed["topics"][:2]}
    assert top_two == {"defence", "foreign affairs"}
    assert all(t["evidence"] for t in seed["topics"])
    assert seed["summary"] and len(seed["summary"]) < len(seed["text"]) / 2
    for sentence in seed["summary"].split("\n"):
        assert sentence.strip()[:40] in seed["text"]
    assert seed["keyphrases"]


def test_readable_briefing_without_format_flag() -> None:
    result = runner.invoke(app, ["analyse", str(SEED), "--published", SEED_PUBLISHED])
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    for heading in (
        "Summary",
        "People",
        "Who said what",
        "Figures",
        "Topics",
        "Removed as boilerplate",
    ):
        assert heading in out
    assert "Keir Starmer" in out and "£600 million" in out
    assert "Vladimir Putin (mixed)" in out


def test_raw_keeps_offsets_into_the_input_file() -> None:
    result = runner.invoke(
        app, ["analyse", str(SEED), "--jsonl", "--raw", "--published", SEED_PUBLISHED]
    )
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    original = SEED.read_text(encoding="utf-8")
    assert data["text"] == original and data["removed"] == []
    for entity in data["entities"]:
        for m in entity["mentions"]:
            assert original[m["start"] : m["end"]] == m["text"]


def test_same_input_twice_gives_the_same_output() -> None:
    args = ["analyse", str(SEED), "--jsonl", "--published", SEED_PUBLISHED]
    first = runner.invoke(app, args)
    second = runner.invoke(app, args)
    assert first.exit_code == second.exit_code == 0
    assert first.stdout == second.stdout


def quote_containing(seed: dict[str, Any], words: str) -> dict[str, Any]:
    (quote,) = [q for q in seed["quotes"] if words in q["text"]]
    return quote


def test_who_said_what_end_to_end(seed: dict[str, Any]) -> None:
    """The seed's attributions through the whole pipeline, speakers linked to entity ids."""
    ids = {e["name"]: e["id"] for e in seed["entities"]}
    putin = quote_containing(seed, "at war with NATO")
    assert putin["speaker"]["entity_id"] == ids["Vladimir Putin"]
    clear = quote_containing(seed, "Let me be clear")
    assert clear["kind"] == "direct" and clear["speaker"]["entity_id"] == ids["Keir Starmer"]
    carried = quote_containing(seed, "offering training and building skills")
    assert carried["kind"] == "continuation"
    assert carried["speaker"]["entity_id"] == ids["Keir Starmer"]
    lammy = quote_containing(seed, "£600 million")
    assert lammy["kind"] == "indirect" and lammy["speaker"]["entity_id"] == ids["David Lammy"]
    downing = quote_containing(seed, "center on strategy")
    assert downing["speaker"]["entity_id"] == ids["Downing Street"]
    for q in seed["quotes"]:
        assert seed["text"][q["start"] : q["end"]] == q["text"]
        assert q["fingerprint"] and q["normalised"]
