"""`westminster eval attribution`: who-said-what quality on PolNeAR, ours beside a baseline."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from westminster.cli.eval_common import dataset_errors, eval_progress
from westminster.evaluation.attribution import AttributionReport, evaluate_attribution, load_polnear

stdout = Console(highlight=False)


def _table(report: AttributionReport) -> Table:
    table = Table(title=f"Attribution on PolNeAR ({report.docs} docs): ours vs quote marks only")
    for name in ("system", "match", "precision", "recall", "F1", "cue F1", "speaker acc."):
        table.add_column(name, justify="left" if name in ("system", "match") else "right")
    for label, s in (("ours", report.ours), ("quote marks only", report.baseline)):
        for match, (p, r, f) in (("exact", s.exact), ("overlap", s.overlap)):
            table.add_row(
                label, match, f"{p:.3f}", f"{r:.3f}", f"{f:.3f}",
                f"{s.cue_f1:.3f}", f"{s.speaker_accuracy:.3f}",
            )  # fmt: skip
    return table


def command(
    directory: Annotated[
        Path,
        typer.Argument(
            help="A PolNeAR split folder with text/ and attributions/, "
            "e.g. ../shared/data/polnear/dev.",
            show_default=False,
        ),
    ],
    limit: Annotated[
        int | None,
        typer.Option("--limit", min=1, help="Evaluate only the first N documents."),
    ] = None,
) -> None:
    """Score content spans (exact and overlap P/R/F1), cues and speakers on PolNeAR.

    Exact: equal once surrounding quote marks, spaces and punctuation are ignored. Overlap: the
    shared characters cover at least half the longer span. Cue F1 counts overlapping cues;
    speaker accuracy is the share of overlap-matched contents whose predicted speaker overlaps
    the gold source. The baseline takes every quoted span as a content, with no cue or speaker.
    """
    with dataset_errors():
        docs = load_polnear(directory, limit)
        with eval_progress() as progress:
            task = progress.add_task("attributing", total=len(docs))
            report = evaluate_attribution(docs, advance=lambda: progress.advance(task))
    stdout.print(_table(report))
    share = report.attribution_seconds / report.parse_seconds if report.parse_seconds else 0.0
    stdout.print(
        f"gold attributions: {report.ours.gold}; predicted: ours {report.ours.predicted}, "
        f"baseline {report.baseline.predicted}. "
        f"Attribution took {report.attribution_seconds:.2f} s "
        f"beside {report.parse_seconds:.1f} s of spaCy parsing ({share:.1%}).",
        markup=False,
    )
