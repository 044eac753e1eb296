"""`westminster stories`: --since values, help with examples, and an empty store."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from westminster.cli import stories_cmd
from westminster.cli.stories_cmd import parse_since
from westminster.errors import InputError

NOW = datetime(2024, 9, 14, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("30m", NOW - timedelta(minutes=30)),
        ("12h", NOW - timedelta(hours=12)),
        ("2d", NOW - timedelta(days=2)),
        ("1W", NOW - timedelta(weeks=1)),
        ("2024-09-13", datetime(2024, 9, 13, tzinfo=UTC)),
        ("2024-09-13T08:30:00", datetime(2024, 9, 13, 8, 30, tzinfo=UTC)),
        ("2024-09-13T08:30:00+01:00", datetime(2024, 9, 13, 7, 30, tzinfo=UTC)),
    ],
)
def test_since_takes_dates_times_and_durations(value: str, expected: datetime) -> None:
    assert parse_since(value, now=NOW) == expected


@pytest.mark.parametrize("value", ["yesterday", "2024-13-01", "5y", ""])
def test_a_bad_since_names_the_value(value: str) -> None:
    with pytest.raises(InputError, match="duration") as caught:
        parse_since(value, now=NOW)
    assert repr(value) in str(caught.value)


def _app() -> typer.Typer:
    app = typer.Typer()
    app.add_typer(stories_cmd.app, name="stories")
    return app


def test_help_has_examples_and_an_empty_store_says_so(tmp_path: Path) -> None:
    runner = CliRunner()
    env = {"WESTMINSTER_CONFIG": os.devnull, "COLUMNS": "120"}
    shown = runner.invoke(_app(), ["stories", "--help"], env=env)
    assert shown.exit_code == 0
    assert "westminster stories --since 1d" in shown.stdout and "show" in shown.stdout
    db = str(tmp_path / "empty.db")
    empty = runner.invoke(_app(), ["stories", "--db", db], env=env)
    assert empty.exit_code == 0 and empty.stdout.strip() == "no stories"
    as_json = runner.invoke(_app(), ["stories", "--db", db, "--json"], env=env)
    assert as_json.exit_code == 0 and as_json.stdout.strip() == "[]"
