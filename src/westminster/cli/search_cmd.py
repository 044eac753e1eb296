"""`westminster search`: full-text search of the store, as a table or JSON Lines."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from westminster.cli.ingest_cmd import Db, load_config, open_configured_store, setup_errors
from westminster.cli.output import write_json
from westminster.store import SearchHit
from westminster.store.fts import SNIPPET_END, SNIPPET_START

DEFAULT_LIMIT = 20
_MARKED = re.compile(
    re.escape(SNIPPET_START) + r"([^" + re.escape(SNIPPET_END) + r"]*)" + re.escape(SNIPPET_END)
)


def _date(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(
            f"{value!r} is not a date in YYYY-MM-DD form", param_hint=option
        ) from None


def highlighted(snippet: str) -> Text:
    """The snippet as Rich text, matched words (between the store's marks) in bold."""
    text = Text()
    at = 0
    for match in _MARKED.finditer(snippet):
        text.append(snippet[at : match.start()])
        text.append(match.group(1), style="bold yellow")
        at = match.end()
    text.append(snippet[at:])
    return text


def hit_to_dict(hit: SearchHit) -> dict[str, object]:
    """One hit as a JSON object."""
    return {
        "id": hit.id,
        "title": hit.title,
        "outlet": hit.outlet,
        "published": hit.published.isoformat() if hit.published else None,
        "snippet": hit.snippet,
        "rank": round(hit.rank, 6),
    }


def search(
    query: Annotated[str, typer.Argument(help='Words and "quoted phrases"; all must match.')],
    outlet: Annotated[str | None, typer.Option("--outlet", help="Only this outlet.")] = None,
    since: Annotated[
        str | None, typer.Option("--since", metavar="YYYY-MM-DD", help="Published on or after.")
    ] = None,
    until: Annotated[
        str | None, typer.Option("--until", metavar="YYYY-MM-DD", help="Published on or before.")
    ] = None,
    person: Annotated[
        str | None, typer.Option("--person", help="Mentions this person (name or entity key).")
    ] = None,
    topic: Annotated[str | None, typer.Option("--topic", help="Has this topic.")] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, help="Most hits to show.")] = (
        DEFAULT_LIMIT
    ),
    json_: Annotated[bool, typer.Option("--json", help="One JSON object per hit (JSON Lines).")] = (
        False
    ),
    db: Db = None,
) -> None:
    """Search stored articles by title, text and quotes, best match first.

    Example: westminster search "storm shadow" --person "Keir Starmer" --since 2024-09-01
    """
    since_date, until_date = _date(since, "--since"), _date(until, "--until")
    config = load_config()
    store = open_configured_store(config, db)
    try:
        with setup_errors():
            hits = store.search(
                query,
                outlet=outlet,
                since=since_date,
                until=until_date,
                person=person,
                topic=topic,
                limit=limit,
            )
    finally:
        store.close()
    if json_:
        for hit in hits:
            write_json(hit_to_dict(hit), lines=True)
        return
    console = Console()
    if not hits:
        console.print("no matching articles", markup=False)
        return
    table = Table(show_lines=True)
    table.add_column("Title", ratio=3)
    table.add_column("Outlet", ratio=1)
    table.add_column("Date", no_wrap=True)
    table.add_column("Snippet", ratio=5)
    for hit in hits:
        table.add_row(
            Text(hit.title),
            Text(hit.outlet or ""),
            hit.published.isoformat() if hit.published else "",
            highlighted(hit.snippet),
        )
    console.print(table)
