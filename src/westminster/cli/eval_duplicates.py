"""`westminster eval duplicates`: duplicate and rewrite detection beside two baselines."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from westminster.cli.eval_common import dataset_errors, eval_progress
from westminster.evaluation.duplicates import (
    DuplicatesReport,
    StreamSize,
    build_stream,
    evaluate_duplicates,
)

stdout = Console(highlight=False)
DEFAULT_DATA = Path("../shared/data")


def _table(report: DuplicatesReport) -> Table:
    table = Table(title=f"Duplicates and rewrites, {report.items} articles (P precision, R recall)")
    table.add_column("class", no_wrap=True)
    table.add_column("gold", justify="right")
    for system in ("ours", "tfidf", "hash"):
        table.add_column(f"{system} P", justify="right")
        table.add_column(f"{system} R", justify="right")
    for ours, base, exact in zip(report.ours, report.baseline, report.exact_only, strict=True):
        table.add_row(
            ours.name, str(ours.gold),
            f"{ours.precision:.3f}", f"{ours.recall:.3f}",
            f"{base.precision:.3f}", f"{base.recall:.3f}",
            f"{exact.precision:.3f}", f"{exact.recall:.3f}",
        )  # fmt: skip
    return table


def command(
    data: Annotated[
        Path,
        typer.Argument(help="The shared evaluation data folder (bbc-politics/, ecbplus/)."),
    ] = DEFAULT_DATA,
    bbc: Annotated[
        int | None, typer.Option("--bbc", min=1, help="Use only the first N BBC articles.")
    ] = None,
    topics: Annotated[
        int | None, typer.Option("--topics", min=1, help="Use only the first N ECB+ topics.")
    ] = None,
) -> None:
    """Precision and recall of exact, near-duplicate and rewrite links on a labelled stream.

    The stream (docs/duplicates-eval.md) mixes real BBC politics and ECB+ articles with
    deterministic copies of BBC articles. A link is right when it points into the same gold
    story; a class is right when the kind matches too. "any link" ignores the kind.
    """
    with dataset_errors():
        items = build_stream(data, StreamSize(bbc=bbc, ecb_topics=topics))
        with eval_progress() as progress:
            task = progress.add_task("deduplicating", total=len(items))
            report = evaluate_duplicates(items, advance=lambda: progress.advance(task))
    stdout.print(_table(report))
    sources = ", ".join(f"{name} {count}" for name, count in sorted(report.sources.items()))
    stdout.print(
        f"articles by source: {sources}. Ours took {report.seconds_per_article * 1000:.1f} ms "
        "per article (text only, no NLP analysis).",
        markup=False,
    )
