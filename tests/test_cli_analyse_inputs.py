"""`analyse` input forms: stdin, HTML over HTTP, several processes, a model setting."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from tests.conftest import SEED, SEED_PUBLISHED
from westminster.cli.app import app

runner = CliRunner()


def people(line: str) -> set[str]:
    return {e["name"] for e in json.loads(line)["entities"] if e["kind"] == "person"}


def test_stdin_is_analysed_like_a_file() -> None:
    args = ["--jsonl", "--published", SEED_PUBLISHED]
    from_file = runner.invoke(app, ["analyse", str(SEED), *args])
    from_stdin = runner.invoke(app, ["analyse", "-", *args], input=SEED.read_bytes())
    assert from_file.exit_code == from_stdin.exit_code == 0, from_stdin.stderr
    a, b = json.loads(from_file.stdout), json.loads(from_stdin.stdout)
    assert a["text"] == b["text"] and a["entities"] == b["entities"]
    assert b["path"] is None


def test_published_defaults_to_today_and_says_so(tmp_path: object) -> None:
    result = runner.invoke(app, ["analyse", str(SEED), "--jsonl"])
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["published_source"] == "today"


def test_bad_published_date_is_a_usage_error() -> None:
    result = runner.invoke(app, ["analyse", str(SEED), "--published", "13/09/2024"])
    assert result.exit_code == 2
    assert "YYYY-MM-DD" in result.output


@pytest.mark.slow
def test_processes_give_the_same_results_in_order() -> None:
    inputs = [str(SEED)] * 3
    args = ["--jsonl", "--published", SEED_PUBLISHED]
    one = runner.invoke(app, ["analyse", *inputs, *args])
    two = runner.invoke(app, ["analyse", *inputs, *args, "--processes", "2"])
    assert one.exit_code == two.exit_code == 0, two.stderr
    assert one.stdout == two.stdout
    assert len(one.stdout.splitlines()) == 3


def test_unknown_model_setting_is_one_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WESTMINSTER_SPACY_MODEL", "no_such_spacy_model_xyz")
    result = runner.invoke(app, ["analyse", str(SEED), "--jsonl"])
    assert result.exit_code == 2
    assert "no_such_spacy_model_xyz" in result.stderr
    assert "Traceback" not in result.stderr
