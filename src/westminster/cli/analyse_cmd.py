"""`westminster analyse` and `westminster extract`."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer
from rich.console import Console

from westminster.cli.briefing import print_briefing
from westminster.cli.output import print_closing_count, print_rejection, write_json
from westminster.config import Config
from westminster.errors import WestminsterError
from westminster.models import Rejection
from westminster.models.jsonio import analysis_to_dict, article_to_dict
from westminster.pipeline.articles import ArticleOptions
from westminster.pipeline.parallel import analyse_articles
from westminster.pipeline.run import RunReport, clean_inputs, read_inputs, split_items

Inputs = Annotated[
    list[str],
    typer.Argument(
        help="Files (.txt/.md: first line is the headline; .html), http(s) URLs, or - for stdin.",
        show_default=False,
    ),
]
JsonLines = Annotated[bool, typer.Option("--jsonl", help="One JSON object per line (JSON Lines).")]
Json = Annotated[bool, typer.Option("--json", help="Indented JSON (an array for several inputs).")]


def _parse_date(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date in YYYY-MM-DD form") from None


def _finish(report: RunReport, total: int) -> None:
    print_closing_count(total, report.failed)
    if report.failed:
        raise typer.Exit(code=1)


def analyse(
    inputs: Inputs,
    jsonl: JsonLines = False,
    json_: Json = False,
    raw: Annotated[
        bool,
        typer.Option(
            "--raw",
            help="Analyse text exactly as given: no headline split, no "
            "boilerplate removal; offsets refer to the input file.",
        ),
    ] = False,
    published: Annotated[
        str | None,
        typer.Option(
            "--published",
            metavar="YYYY-MM-DD",
            help="Publication date; resolves 'the prime minister' etc. Default: the "
            "page's date, else today.",
        ),
    ] = None,
    outlet: Annotated[str | None, typer.Option("--outlet", help="Outlet name to record.")] = None,
    processes: Annotated[
        int, typer.Option("--processes", "-p", min=1, help="Worker processes for many inputs.")
    ] = 1,
) -> None:
    """Analyse articles: people and offices, who said what, figures, topics, summary.

    Prints a readable briefing, or JSON with --json / --jsonl (offsets into "text").

    Bad inputs get one error line each on stderr; the others are still processed and the
    exit code is 1.

    Example: westminster analyse examples/starmer-biden-storm-shadow.txt --published 2024-09-13
    """
    config = Config.from_env()
    options = ArticleOptions(raw=raw, published=_parse_date(published), outlet=outlet)
    report = RunReport()
    articles = split_items(
        clean_inputs(read_inputs(inputs, config), options), report, print_rejection
    )
    console = Console()
    collected: list[object] = []
    try:
        for result in analyse_articles(articles, processes=processes, model=config.spacy_model):
            if isinstance(result, Rejection):
                report.rejections.append(result)
                print_rejection(result)
                continue
            report.processed += 1
            if jsonl:
                write_json(analysis_to_dict(result), lines=True)
            elif json_:
                collected.append(analysis_to_dict(result))
            else:
                print_briefing(result, console)
    except WestminsterError as exc:  # e.g. the model cannot load: nothing can be analysed
        print_rejection(Rejection("analyse", exc.code, exc.message, exc.subject or "-"))
        raise typer.Exit(code=2) from None
    if json_:
        write_json(collected[0] if len(inputs) == 1 and collected else collected, lines=False)
    _finish(report, len(inputs))


def extract(
    inputs: Inputs,
    jsonl: JsonLines = False,
    raw: Annotated[bool, typer.Option("--raw", help="Plain text kept exactly as given.")] = False,
) -> None:
    """Extract the article from pages: title, text, author, date, outlet, removed lines (no NLP).

    Prints indented JSON (an array for several inputs), or JSON Lines with --jsonl.
    """
    config = Config.from_env()
    report = RunReport()
    articles = split_items(
        clean_inputs(read_inputs(inputs, config), ArticleOptions(raw=raw, fill_published=False)),
        report,
        print_rejection,
    )
    collected = []
    for article in articles:
        report.processed += 1
        if jsonl:
            write_json(article_to_dict(article), lines=True)
        else:
            collected.append(article_to_dict(article))
    if not jsonl and collected:
        write_json(collected[0] if len(inputs) == 1 else collected, lines=False)
    _finish(report, len(inputs))
