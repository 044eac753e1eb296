"""What every `westminster eval ...` command shares: the progress bar and the error exit."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from westminster.errors import WestminsterError

stderr = Console(stderr=True, highlight=False, soft_wrap=True)  # errors stay on one line

# A dataset that is missing or malformed is a setup problem (exit 2, like a usage error);
# commands exit 1 only when the measured quality is below what they promise.
DATASET_ERROR_EXIT = 2


def eval_progress() -> Progress:
    """A transient progress bar on stderr, so stdout carries only the report."""
    return Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=stderr,
        transient=True,
    )


@contextmanager
def dataset_errors() -> Iterator[None]:
    """Turn a WestminsterError into one error line on stderr and exit code 2."""
    try:
        yield
    except WestminsterError as exc:
        stderr.print(f"error: {exc.render()}", markup=False)
        raise typer.Exit(code=DATASET_ERROR_EXIT) from None
