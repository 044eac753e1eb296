"""`westminster brief`: the daily update and Insights from the command line, and its errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.briefings_support import ingest_corpus
from westminster.cli.app import app
from westminster.store import open_store


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory, analyzer: object) -> dict[str, str]:
    """A SQLite store holding the fixture corpus, named by $WESTMINSTER_DB."""
    db = tmp_path_factory.mktemp("brief") / "store.db"
    store = open_store(db)
    ingest_corpus(store, analyzer)
    store.close()
    return {"WESTMINSTER_DB": str(db), "WESTMINSTER_CONFIG": "", "COLUMNS": "100"}


def brief(args: list[str], env: dict[str, str]) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["brief", *args], env=env)
    return result.exit_code, result.stdout, result.stderr


def test_the_daily_update_as_text_markdown_and_html(env: dict[str, str], tmp_path: Path) -> None:
    code, out, err = brief(["--date", "2024-09-13"], env)
    assert code == 0, err
    assert out.startswith("WESTMINSTER UPDATE — FRIDAY 13 SEPTEMBER 2024")
    assert "1. Starmer and Biden discuss Storm Shadow missiles for Ukraine" in out
    assert "Sources:" in out and "https://westminstercourier.example/ss-a" in out
    code, out, _ = brief(["--date", "2024-09-13", "--format", "md"], env)
    assert code == 0 and out.startswith("# Westminster Update") and "\\[1\\]" in out
    page = tmp_path / "update.html"
    code, out, err = brief(["--date", "2024-09-13", "-o", str(page)], env)
    assert code == 0 and out == "" and f"wrote {page} (3 stories)" in err
    html = page.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and "Storm Shadow" in html
    assert page.stat().st_mode & 0o777 != 0o600  # an ordinary file, not a private temp file


def test_an_empty_day_is_a_briefing_not_an_error(env: dict[str, str]) -> None:
    code, out, err = brief(["--date", "2024-08-01", "--format", "html"], env)
    assert code == 0 and err == ""
    assert "Nothing to report: no stories were published on 1 August 2024." in out


def test_insights_on_a_person_and_a_topic(env: dict[str, str]) -> None:
    args = ["--person", "Keir Starmer", "--since", "2024-09-10", "--date", "2024-09-13"]
    code, out, err = brief([*args, "--no-record"], env)
    assert code == 0, err
    assert out.startswith("INSIGHTS: KEIR STARMER, 10–13 SEPTEMBER 2024")
    assert "WHAT KEIR STARMER SAID" in out and "Westminster Courier, 13 September 2024" in out
    assert "First briefing on Keir Starmer" in out
    code, out, _ = brief(args, env)  # recorded this time
    assert "First briefing on Keir Starmer" in out
    code, out, _ = brief(args, env)
    assert "Nothing new since the last briefing" in out
    code, out, err = brief(["--topic", "health", "--date", "2024-09-13", "--format", "md"], env)
    assert code == 0, err
    assert out.startswith("# Insights: health, 7–13 September 2024") and "Wes Streeting" in out


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (
            ["--date", "2024-13-01"],
            2,
            "error: --date: '2024-13-01' is not a date in YYYY-MM-DD form",
        ),
        (["--person", "Nobody Atall"], 1, "Nobody Atall: no person, organisation or topic"),
        (["--topic", "astrology"], 1, "astrology: no such topic"),
        (["--person", "x", "--topic", "y"], 2, "give one subject, not both"),
        (["--format", "pdf"], 2, "--format: 'pdf' is not one of html, md, txt"),
        (["--person", "Keir Starmer", "--since", "2024-09-20", "--date", "2024-09-13"], 2, "after"),
    ],
)
def test_bad_input_is_one_line_naming_it(
    env: dict[str, str], args: list[str], code: int, message: str
) -> None:
    exit_code, out, err = brief(args, env)
    assert exit_code == code and out == ""
    assert len(err.strip().splitlines()) == 1 and message in err and "Traceback" not in err


def test_help_has_examples(env: dict[str, str]) -> None:
    code, out, _ = brief(["--help"], env)
    assert code == 0
    assert "westminster brief --date 2024-09-13" in out and "--person" in out and "--topic" in out
