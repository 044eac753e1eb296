"""Placeholder: being written by a helper; replace wholesale."""

from __future__ import annotations

import typer

app = typer.Typer(help="Office holders by date.", no_args_is_help=True)


@app.command("refresh")
def refresh() -> None:
    """Not written yet."""
    raise NotImplementedError
