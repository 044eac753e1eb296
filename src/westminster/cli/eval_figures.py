"""`westminster eval figures [DATA]`: value-and-unit accuracy of figure extraction."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from westminster.cli.eval_common import dataset_errors, eval_progress
from westminster.evaluation.figures import FileReport, evaluate_figures

DEFAULT_DATA = Path("../shared/data/figures")


def command(
    data: Annotated[
        Path,
        typer.Argument(help="Folder with recognizers-text/ and quantulum3/ gold files."),
    ] = DEFAULT_DATA,
) -> None:
    """Print per-file accuracy (value and unit) and precision of figure extraction."""
    console = Console()
    with dataset_errors(), eval_progress() as progress:
        task = progress.add_task("figures", total=6)

        def step(name: str) -> None:
            progress.update(task, advance=1, description=name)

        report = evaluate_figures(data, progress=step)
    table = Table(title=f"Figures: value-and-unit accuracy ({data})")
    for column in ("file", "gold", "correct", "accuracy", "predicted", "precision"):
        table.add_column(column, justify="left" if column == "file" else "right")
    for row in (*report.files, report.total):
        table.add_row(*_cells(row), end_section=row is report.files[-1])
    console.print(table)


def _cells(row: FileReport) -> tuple[str, ...]:
    return (
        row.name,
        str(row.gold),
        str(row.correct),
        f"{row.accuracy:.3f}",
        str(row.predicted),
        f"{row.precision:.3f}",
    )
