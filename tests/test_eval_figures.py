"""The figures evaluation: loaders, matching, errors, and floors on the shared gold data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import SHARED_DATA, needs_shared_data
from westminster.cli.app import app
from westminster.errors import DatasetError
from westminster.evaluation.figures import (
    evaluate_figures,
    load_quantulum,
    load_recognizers,
    matches,
)
from westminster.models import Figure

DATA = SHARED_DATA / "figures"
# Measured with `westminster eval figures` (accuracy): Currency 0.874, Dimension 0.780,
# Percent 0.733, Number 0.475, NumberRange 0.969, quantulum3 0.635. Floors sit a little below.
FLOORS = {
    "CurrencyModel.json": 0.85,
    "DimensionModel.json": 0.75,
    "PercentModel.json": 0.70,
    "NumberModel.json": 0.45,
    "NumberRangeModel.json": 0.94,
    "quantulum3/quantities.json": 0.60,
}


def test_recognizers_loader_and_match(tmp_path: Path) -> None:
    path = tmp_path / "CurrencyModel.json"
    case = {
        "Input": "it cost $ 75 million .",
        "Results": [
            {
                "Text": "$ 75 million",
                "Start": 8,
                "End": 19,
                "TypeName": "currency",
                "Resolution": {"value": "75000000", "unit": "Dollar"},
            }
        ],
    }
    path.write_text(json.dumps([case]))
    (loaded,) = load_recognizers(path)
    (gold,) = loaded.gold
    assert (gold.start, gold.end, gold.unit) == (8, 20, "USD")
    right = Figure(8, 20, "$ 75 million", kind="money", value=75_000_000, unit="USD")
    wrong_unit = Figure(8, 20, "$ 75 million", kind="money", value=75_000_000, unit="GBP")
    elsewhere = Figure(0, 2, "it", kind="money", value=75_000_000, unit="USD")
    assert matches(gold, right)
    assert not matches(gold, wrong_unit)
    assert not matches(gold, elsewhere)


def test_quantulum_loader_finds_surfaces(tmp_path: Path) -> None:
    path = tmp_path / "quantities.json"
    path.write_text(
        json.dumps(
            [{"req": "walk 3 miles", "res": [{"value": 3, "unit": "mile", "surface": "3 miles"}]}]
        )
    )
    (case,) = load_quantulum(path)
    assert (case.gold[0].start, case.gold[0].end, case.gold[0].unit) == (5, 12, "mile")


def test_malformed_and_missing_data(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    with pytest.raises(DatasetError, match="cannot read JSON"):
        load_recognizers(bad)
    wrong = tmp_path / "wrong.json"
    wrong.write_text(json.dumps([{"Input": "x"}]))
    with pytest.raises(DatasetError, match="case 0"):
        load_recognizers(wrong)
    with pytest.raises(DatasetError, match="not found"):
        evaluate_figures(tmp_path / "absent")


def test_cli_reports_missing_data(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["eval", "figures", str(tmp_path / "absent")])
    assert result.exit_code == 2
    assert "W400" in result.output


@needs_shared_data
def test_accuracy_floors() -> None:
    report = evaluate_figures(DATA)
    scores = {f.name: f.accuracy for f in report.files}
    assert set(scores) == set(FLOORS)
    for name, floor in FLOORS.items():
        assert scores[name] >= floor, f"{name}: {scores[name]:.3f} < floor {floor}"
