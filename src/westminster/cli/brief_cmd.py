"""`westminster brief`: the daily Westminster Update, or Insights on a person or topic."""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Annotated

import typer

from westminster.briefings import BriefingError, render
from westminster.cli.ingest_cmd import Db, load_config, open_configured_store, setup_errors
from westminster.cli.output import stderr
from westminster.pipeline.briefs import INSIGHTS_DAYS, BriefOptions, build_daily, build_insights

# Bad options (a date that is not a date, both --person and --topic): usage errors, exit 2.
USAGE_EXIT = 2
# A subject the store does not know: the input was read but names nothing, exit 1.
UNKNOWN_EXIT = 1
_SUFFIX_FORMATS = {".html": "html", ".htm": "html", ".md": "md", ".markdown": "md", ".txt": "txt"}


def _fail(message: str, code: int) -> typer.Exit:
    stderr.print(f"error: {message}", markup=False)
    return typer.Exit(code=code)


def _day(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise _fail(f"{option}: {value!r} is not a date in YYYY-MM-DD form", USAGE_EXIT) from None


def _format(fmt: str | None, output: Path | None) -> str:
    if fmt is not None:
        chosen = fmt.strip().lower()
        if chosen not in ("html", "md", "txt"):
            raise _fail(f"--format: {fmt!r} is not one of html, md, txt", USAGE_EXIT)
        return chosen
    if output is not None:
        return _SUFFIX_FORMATS.get(output.suffix.lower(), "txt")
    return "txt"


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _write(text: str, output: Path | None) -> None:
    """To stdout, or to a file replaced in one step (a reader never sees half a briefing)."""
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    folder = output.parent if str(output.parent) else Path(".")
    try:
        with tempfile.NamedTemporaryFile(
            "w", encoding="utf-8", dir=folder, prefix=f".{output.name}.", delete=False
        ) as handle:
            handle.write(text)
        os.chmod(handle.name, 0o666 & ~_umask())  # as an ordinary new file, not 0600
        os.replace(handle.name, output)
    except OSError as exc:
        raise _fail(f"{output}: cannot write ({exc.strerror})", USAGE_EXIT) from None


def brief(
    day: Annotated[
        str | None,
        typer.Option(
            "--date",
            metavar="YYYY-MM-DD",
            help="The day of the daily briefing, or the last day of an Insights briefing "
            "(default: today, UTC).",
        ),
    ] = None,
    person: Annotated[
        str | None,
        typer.Option(
            "--person",
            help="Insights on a person or organisation: a name or entity key "
            "(person:keir-starmer).",
        ),
    ] = None,
    topic: Annotated[
        str | None, typer.Option("--topic", help="Insights on a topic, e.g. defence.")
    ] = None,
    since: Annotated[
        str | None,
        typer.Option(
            "--since",
            metavar="YYYY-MM-DD",
            help=f"Insights: the first day covered (default: {INSIGHTS_DAYS} days up to --date).",
        ),
    ] = None,
    fmt: Annotated[
        str | None,
        typer.Option("--format", help="html, md or txt (default: from -o's suffix, else txt)."),
    ] = None,
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Write to this file, not stdout.")
    ] = None,
    no_record: Annotated[
        bool,
        typer.Option(
            "--no-record",
            help="Insights: do not remember this briefing (the next one then still shows "
            "as new what this one showed).",
        ),
    ] = False,
    db: Db = None,
) -> None:
    """Make a briefing from the store: the daily "Westminster Update" or "Insights".

    The daily briefing ranks the day's stories by independent coverage, momentum, novelty
    and political weight; each has a cited summary, key quotes, figures and links. Insights
    on a person, organisation or topic give what they said (dates and outlets), figures, who
    they appeared with, coverage per day, their stories, and what is new since the last
    Insights on the same subject. A day with no stories gives a briefing that says so.

    Examples:

        westminster brief --date 2024-09-13

        westminster brief --date 2024-09-13 --format html -o update.html

        westminster brief --person "Keir Starmer" --since 2024-09-01 --date 2024-09-13

        westminster brief --topic defence --format md
    """
    if person is not None and topic is not None:
        raise _fail("--person and --topic: give one subject, not both", USAGE_EXIT)
    chosen = _format(fmt, output)
    when = _day(day, "--date") or datetime.now(UTC).date()
    first = _day(since, "--since")
    if first is not None and first > when:
        raise _fail(f"--since: {first} is after --date {when}", USAGE_EXIT)
    config = load_config()
    options = BriefOptions.from_config(config)
    store = open_configured_store(config, db)
    try:
        with setup_errors():
            subject = person if person is not None else topic
            try:
                if subject is None:
                    briefing = build_daily(store, when, options=options)
                else:
                    start = first or when - timedelta(days=INSIGHTS_DAYS - 1)
                    briefing = build_insights(
                        store,
                        subject,
                        since=start,
                        until=when,
                        hint="topic" if topic is not None else "entity",
                        record=not no_record,
                        options=options,
                    )
            except BriefingError as exc:
                raise _fail(exc.render(), UNKNOWN_EXIT) from None
    finally:
        store.close()
    _write(render(briefing, chosen), output)
    if output is not None:
        stderr.print(f"wrote {output} ({len(briefing.items)} stories)", markup=False)
