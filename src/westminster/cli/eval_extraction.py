"""`westminster eval extraction`: our extraction beside bare trafilatura on two public sets."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from westminster.cli.eval_common import dataset_errors, eval_progress
from westminster.evaluation.extraction import (
    SEGMENT_SET,
    SHINGLE_SET,
    ExtractionReport,
    load_segment_cases,
    load_shingle_cases,
    locate_sets,
)
from westminster.evaluation.extraction import evaluate_extraction as run_evaluation

stdout = Console(highlight=False)


def _table(title: str, pages: int, other: str) -> Table:
    table = Table(title=f"{title} ({pages} pages)")
    table.add_column("system")
    for name in ("precision", "recall", "F1", other):
        table.add_column(name, justify="right")
    return table


def _print_report(report: ExtractionReport) -> None:
    if report.segments is not None:
        seg = report.segments
        table = _table(SEGMENT_SET, seg.pages, "accuracy")
        for label, s in (("ours", seg.ours), ("bare trafilatura", seg.bare)):
            table.add_row(label, f"{s.precision:.3f}", f"{s.recall:.3f}", f"{s.f1:.3f}",
                          f"{s.accuracy:.3f}")  # fmt: skip
        stdout.print(table)
        stdout.print(
            f"must/must-not segments, counts summed over pages; "
            f"pages where ours found no text: {seg.failures}",
            markup=False,
        )
    if report.shingles is not None:
        sh = report.shingles
        table = _table(SHINGLE_SET, sh.pages, "macro F1")
        for label, t in (("ours", sh.ours), ("bare trafilatura", sh.bare)):
            table.add_row(label, f"{t.precision:.3f}", f"{t.recall:.3f}", f"{t.f1:.3f}",
                          f"{t.macro_f1:.3f}")  # fmt: skip
        stdout.print(table)
        stdout.print(
            f"4-word shingles vs the expected article; precision/recall/F1 micro-averaged, "
            f"macro F1 = mean per-page F1; pages where ours found no text: {sh.failures}",
            markup=False,
        )


def command(
    data: Annotated[
        Path,
        typer.Argument(
            help="../shared/data (both sets inside) or one set's folder "
            "(trafilatura-eval or readability-testpages).",
            show_default=False,
        ),
    ],
    limit: Annotated[
        int | None,
        typer.Option("--limit", min=1, help="Evaluate only the first N pages of each set."),
    ] = None,
) -> None:
    """Score our extraction and bare trafilatura on trafilatura-eval and readability pages.

    trafilatura-eval: must/must-not segments, counts summed over pages. readability-testpages:
    4-word-shingle precision/recall/F1 against the expected article, micro-averaged (macro F1
    beside it). Exits 1 when ours scores below bare trafilatura on a set.
    """
    with dataset_errors():
        sets = locate_sets(data)
        segment_cases = load_segment_cases(sets.segments, limit) if sets.segments else None
        shingle_cases = load_shingle_cases(sets.shingles, limit) if sets.shingles else None
        total = len(segment_cases or ()) + len(shingle_cases or ())
        with eval_progress() as progress:
            task = progress.add_task("extracting pages", total=total)
            report = run_evaluation(
                segment_cases, shingle_cases, advance=lambda: progress.advance(task)
            )
    _print_report(report)
    verdict = report.ours_at_least_as_good()
    parts = [f"{name}: {'yes' if ok else 'NO'}" for name, ok in verdict.items()]
    stdout.print(
        f"Ours at least as good as bare trafilatura (F1) — {'; '.join(parts)} "
        f"({report.seconds:.0f} s)",
        markup=False,
    )
    if not all(verdict.values()):
        raise typer.Exit(code=1)
