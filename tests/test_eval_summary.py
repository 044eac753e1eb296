"""Tests for westminster.evaluation.summary and `westminster eval summary`."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy
from typer.testing import CliRunner

from westminster.cli.app import app
from westminster.errors import DatasetError
from westminster.evaluation.summary import (
    evaluate,
    load_examples,
    matched_length,
    read_text,
)
from westminster.nlp.model import load_model

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "data"
BBC = DATA / "bbc-politics"

BODY = (
    "The council approved the budget for schools and roads on Monday. "
    "Residents had campaigned against cuts to schools and roads for months. "
    "The weather was warm. "
    "Critics said the budget for schools and roads was too small."
)


def write_dataset(root: Path, articles: dict[str, tuple[str, str]]) -> Path:
    """A tiny dataset in the BBC layout: name -> (article text, reference summary)."""
    (root / "articles").mkdir(parents=True)
    (root / "summaries").mkdir()
    for name, (article, summary) in articles.items():
        (root / "articles" / f"{name}.txt").write_text(article, encoding="utf-8")
        (root / "summaries" / f"{name}.txt").write_text(summary, encoding="utf-8")
    return root


def sentencizer() -> spacy.language.Language:
    """A model-free pipeline with sentence boundaries, for evaluation plumbing tests."""
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


def test_read_text_handles_bom_and_cp1252(tmp_path: Path) -> None:
    bom = tmp_path / "bom.txt"
    bom.write_bytes(b"\xef\xbb\xbfHeadline\r\nBody \xc2\xa35m")
    assert read_text(bom) == "Headline\nBody £5m"
    legacy = tmp_path / "legacy.txt"
    legacy.write_bytes(b"Cost \xa35m \x93quoted\x94")
    assert read_text(legacy) == "Cost £5m “quoted”"


def test_missing_folders_and_files_are_dataset_errors(tmp_path: Path) -> None:
    with pytest.raises(DatasetError, match="folder missing"):
        load_examples(tmp_path)
    root = write_dataset(tmp_path / "d", {"001": ("Headline\n\n" + BODY, "ref")})
    (root / "summaries" / "001.txt").unlink()
    with pytest.raises(DatasetError, match="no reference summary"):
        load_examples(root)
    (root / "summaries" / "001.txt").write_text("", encoding="utf-8")
    with pytest.raises(DatasetError, match="empty"):
        load_examples(root)
    (root / "articles" / "001.txt").write_text("Only a headline\n", encoding="utf-8")
    with pytest.raises(DatasetError, match="headline line and then a body"):
        load_examples(root)


def test_load_examples_orders_and_limits(tmp_path: Path) -> None:
    root = write_dataset(
        tmp_path, {n: (f"Headline {n}\n\n{BODY}", "A reference.") for n in ("003", "001", "002")}
    )
    examples = load_examples(root, limit=2)
    assert [e.name for e in examples] == ["001", "002"]
    assert examples[0].title == "Headline 001" and examples[0].body == BODY
    with pytest.raises(DatasetError, match="at least 1"):
        load_examples(root, limit=0)


def test_matched_length_follows_reference_words() -> None:
    sentences = ["one two three four five"] * 10
    assert matched_length("a b c d e f g h i j", sentences) == 2
    assert matched_length("a", sentences) == 1
    assert matched_length("a b", []) == 1


def test_evaluate_scores_a_perfect_lead(tmp_path: Path) -> None:
    first_two = BODY.split(". ")[:2]
    reference = ". ".join(first_two) + "."
    root = write_dataset(tmp_path, {"001": ("Council budget\n\n" + BODY, reference)})
    seen: list[int] = []
    report = evaluate(load_examples(root), sentencizer(), on_article=lambda: seen.append(1))
    assert seen == [1] and report.articles == 1
    assert report.mean_matched_sentences == 2
    assert report.row("lead", "matched").f1("rouge2") == pytest.approx(1.0)
    assert {s.metric for s in report.row("ours", "default").scores} == {
        "rouge1",
        "rouge2",
        "rougeL",
    }


def test_cli_reports_and_fails_cleanly(tmp_path: Path) -> None:
    root = write_dataset(tmp_path / "d", {"001": ("Council budget\n\n" + BODY, BODY)})
    runner = CliRunner()
    result = runner.invoke(app, ["eval", "summary", str(root)])
    assert result.exit_code == 0, result.output
    assert "LEAD-3" in result.output and "LEAD-k" in result.output and "ROUGE-2" in result.output
    missing = runner.invoke(app, ["eval", "summary", str(tmp_path / "nowhere")])
    assert missing.exit_code == 2
    assert "W400" in missing.output and "Traceback" not in missing.output


@pytest.mark.shared
@pytest.mark.skipif(not BBC.exists(), reason="needs ../shared/data/bbc-politics (absent)")
def test_bbc_subset_floors() -> None:
    # Measured on the first 30 articles: ours (3) R1/R2/RL F1 0.554/0.510/0.376 vs LEAD-3
    # 0.413/0.309/0.309; matched length ours 0.807/0.726/0.462 vs LEAD-k 0.649/0.500/0.386.
    report = evaluate(load_examples(BBC, limit=30), load_model(), dataset=str(BBC))
    ours, lead = report.row("ours", "matched"), report.row("lead", "matched")
    assert ours.f1("rouge1") >= 0.78
    assert ours.f1("rouge2") >= 0.70
    assert ours.f1("rougeL") >= 0.44
    assert report.row("ours", "default").f1("rouge1") >= 0.53
    for metric in ("rouge1", "rouge2", "rougeL"):
        assert ours.f1(metric) >= lead.f1(metric)
        assert report.row("ours", "default").f1(metric) >= report.row("lead", "default").f1(metric)
