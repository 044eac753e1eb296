"""`westminster eval summary`: ROUGE of our summaries and LEAD-k against BBC references."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from westminster.cli.eval_common import dataset_errors, eval_progress
from westminster.evaluation.summary import (
    DEFAULT_DATA,
    DEFAULT_SENTENCES,
    ROUGE_METRICS,
    STORY_SYSTEMS,
    SummaryReport,
    evaluate,
    load_examples,
)
from westminster.nlp.model import load_model

_METRIC_NAMES = {"rouge1": "ROUGE-1", "rouge2": "ROUGE-2", "rougeL": "ROUGE-L"}
# Rows in reading order: each system next to the baseline at the same length.
_ROW_ORDER = (("ours", "default"), ("lead", "default"), ("ours", "matched"), ("lead", "matched"))


# The story summariser's rows: what each story holds (see evaluation/summary.py).
_STORY_LABELS = {
    "story": "story: 1 article",
    "story-light": "story: 1 article, light",
    "story-copies": "story: +2 linked copies",
    "story-unlinked": "story: +2 unlinked copies",
}


def _label(system: str, length: str) -> str:
    """Row label: the system and, for ours, the length it ran at (the baselines say theirs)."""
    if system == "lead":
        return f"LEAD-{DEFAULT_SENTENCES}" if length == "default" else "LEAD-k"
    name = _STORY_LABELS.get(system, "ours")
    return f"{name} ({DEFAULT_SENTENCES})" if length == "default" else f"{name} (k)"


def _cells(report: SummaryReport, system: str, length: str) -> list[str]:
    row = report.row(system, length)
    cells = [_label(system, length), f"{row.mean_words:.0f}"]
    return cells + [f"{s.precision:.3f}/{s.recall:.3f}/{s.f1:.3f}" for s in row.scores]


def _story_table(report: SummaryReport) -> Table:
    """The story summariser (westminster brief's summaries) beside LEAD, at both lengths."""
    share = report.unlinked_original_share
    table = Table(
        title=f"Story summaries (nlp.multidoc), {report.dataset} ({report.articles} stories)",
        caption=(
            "Each BBC article as a story: alone, parsed by the model (as eval runs it) and by "
            "the light tokenizer-and-sentencizer pipeline `westminster brief` uses; then with "
            "two synthetic copies of it (a near copy and a paraphrase, as in `eval "
            "duplicates`), linked as copies (they must not change the summary) and unlinked "
            "(as if dedupe missed them: redundancy removal must keep the summary from "
            "repeating itself). Copies use the light pipeline. Same references and lengths "
            "as above; F1, macro-averaged."
            + (
                f" Unlinked copies: {share:.0%} of chosen sentences come from the original."
                if share is not None
                else ""
            )
        ),
    )
    table.add_column("system", no_wrap=True)
    table.add_column("words", justify="right")
    for metric in ROUGE_METRICS:
        table.add_column(f"{_METRIC_NAMES[metric]} F1", justify="right", no_wrap=True)
    for length in ("default", "matched"):
        for system in ("lead", *STORY_SYSTEMS):
            row = report.row(system, length)
            cells = [_label(system, length), f"{row.mean_words:.0f}"]
            table.add_row(*cells, *(f"{s.f1:.3f}" for s in row.scores))
    return table


def _table(report: SummaryReport) -> Table:
    """One Rich table: a row per system and length, P/R/F1 per ROUGE metric."""
    table = Table(
        title=f"Summary ROUGE, {report.dataset} ({report.articles} articles)",
        caption=(
            f"P/R/F1, macro-averaged. ({DEFAULT_SENTENCES}) and LEAD-{DEFAULT_SENTENCES}: the "
            f"default {DEFAULT_SENTENCES} sentences. (k) and LEAD-k: matched length, k = the "
            f"reference's length in article sentences (mean k "
            f"{report.mean_matched_sentences:.1f}; references average "
            f"{report.mean_reference_words:.0f} words)."
        ),
    )
    table.add_column("system", no_wrap=True)
    table.add_column("words", justify="right")
    for metric in ROUGE_METRICS:
        table.add_column(f"{_METRIC_NAMES[metric]} P/R/F1", justify="right", no_wrap=True)
    for system, length in _ROW_ORDER:
        table.add_row(*_cells(report, system, length))
    return table


def command(
    data: Annotated[
        Path,
        typer.Argument(help="Folder with articles/NNN.txt and summaries/NNN.txt."),
    ] = DEFAULT_DATA,
    limit: Annotated[
        int | None,
        typer.Option("--limit", min=1, help="Evaluate only the first N articles (name order)."),
    ] = None,
) -> None:
    """Score our extractive summaries and LEAD-k against the BBC reference summaries.

    The first table is the single-article summariser (`analyse`'s summary); the second the
    story summariser (`brief`'s summaries) on stories built from the same articles.
    """
    console = Console()
    with dataset_errors():
        examples = load_examples(data, limit)
        nlp = load_model()
        with eval_progress() as progress:
            task = progress.add_task("summarising", total=len(examples))
            report = evaluate(
                examples,
                nlp,
                dataset=str(data),
                on_article=lambda: progress.advance(task),
            )
    console.print(_table(report))
    console.print(_story_table(report))
