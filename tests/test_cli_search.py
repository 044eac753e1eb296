"""`westminster search`: a table or JSON Lines of hits, with filters."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from westminster.cli.app import app
from westminster.cli.search_cmd import highlighted
from westminster.models import Article
from westminster.store import open_store


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """A store with three articles from two outlets, named by $WESTMINSTER_DB."""
    db = tmp_path / "store.db"
    store = open_store(db)
    for title, text, outlet, day in [
        ("Storm Shadow decision", "Ministers weigh Storm Shadow missiles for Ukraine.", "BBC", 13),
        ("Budget leaks", "The chancellor's budget was leaked before the statement.", "BBC", 20),
        ("Missiles for Kyiv", "Britain presses Washington on Storm Shadow range.", "Times", 14),
    ]:
        store.put_article(
            Article(
                title,
                text,
                published=date(2024, 9, day),
                outlet=outlet,
                url=f"https://x.test/{day}",
            )
        )
    store.close()
    return {"WESTMINSTER_DB": str(db), "WESTMINSTER_CONFIG": ""}


def search(args: list[str], env: dict[str, str]) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["search", *args], env=env)
    return result.exit_code, result.stdout, result.stderr


def test_json_lines_with_filters(env: dict[str, str]) -> None:
    code, out, _ = search(["storm shadow", "--json"], env)
    hits = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and {h["title"] for h in hits} == {
        "Storm Shadow decision",
        "Missiles for Kyiv",
    }
    assert hits[0]["title"] == "Storm Shadow decision"  # the headline match ranks first
    assert set(hits[0]) == {"id", "title", "outlet", "published", "snippet", "rank"}
    _, out, _ = search(["storm shadow", "--json", "--outlet", "times"], env)
    assert [json.loads(line)["title"] for line in out.splitlines()] == ["Missiles for Kyiv"]
    _, out, _ = search(["storm", "--json", "--since", "2024-09-14", "--until", "2024-09-30"], env)
    assert [json.loads(line)["published"] for line in out.splitlines()] == ["2024-09-14"]
    _, out, _ = search(["storm", "--json", "--limit", "1"], env)
    assert len(out.splitlines()) == 1
    _, out, _ = search(["storm", "--json", "--person", "Keir Starmer"], env)
    assert out == ""  # no analysis stored, so nobody is mentioned


def test_table_and_no_hits(env: dict[str, str]) -> None:
    code, out, _ = search(["budget"], env)
    assert code == 0 and "Budget leaks" in out and "BBC" in out and "2024-09-20" in out
    code, out, _ = search(["zebra"], env)
    assert code == 0 and "no matching articles" in out


def test_bad_queries_and_dates_are_clear_errors(env: dict[str, str]) -> None:
    code, _, err = search(["storm", "--since", "last week"], env)
    assert code == 2 and "YYYY-MM-DD" in err
    code, _, err = search(["!!!"], env)
    assert code == 2 and "no words" in err and "Traceback" not in err


def test_highlighted_snippet_marks() -> None:
    text = highlighted("weigh [Storm] [Shadow] missiles")
    assert text.plain == "weigh Storm Shadow missiles"
    assert [text.plain[s.start : s.end] for s in text.spans] == ["Storm", "Shadow"]
