"""The `westminster` command line: thin adapters over the pipeline and evaluations."""

from __future__ import annotations

import typer

from westminster.cli import (
    analyse_cmd,
    brief_cmd,
    cluster_cmd,
    eval_attribution,
    eval_clustering,
    eval_duplicates,
    eval_extraction,
    eval_figures,
    eval_summary,
    ingest_cmd,
    offices_cmd,
    search_cmd,
    send_cmd,
    serve_cmd,
    stories_cmd,
    subscribers_cmd,
)

app = typer.Typer(
    name="westminster",
    help="Turn political news into an attributable record: who said what, which figures, "
    "which people and offices, which topics.",
    no_args_is_help=True,
    add_completion=False,
    # Markdown: docstring paragraphs reflow to the terminal instead of keeping source line breaks.
    rich_markup_mode="markdown",
)

app.command("analyse")(analyse_cmd.analyse)
app.command("extract")(analyse_cmd.extract)
app.command("cluster")(cluster_cmd.command)
app.command("ingest")(ingest_cmd.ingest)
app.command("search")(search_cmd.search)
app.command("brief")(brief_cmd.brief)
app.command("serve")(serve_cmd.serve)
app.command("watch")(ingest_cmd.watch)
app.command("send")(send_cmd.send)
app.add_typer(subscribers_cmd.app, name="subscribers")

eval_app = typer.Typer(
    help="Measure quality on real public datasets (see ../shared/data/README.md).",
    no_args_is_help=True,
)
eval_app.command("attribution")(eval_attribution.command)
eval_app.command("clustering")(eval_clustering.command)
eval_app.command("duplicates")(eval_duplicates.command)
eval_app.command("extraction")(eval_extraction.command)
eval_app.command("figures")(eval_figures.command)
eval_app.command("summary")(eval_summary.command)
app.add_typer(eval_app, name="eval")
app.add_typer(offices_cmd.app, name="offices")
app.add_typer(stories_cmd.app, name="stories")


def main() -> None:
    """Console-script entry point."""
    app()
