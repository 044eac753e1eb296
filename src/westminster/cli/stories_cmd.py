"""`westminster stories`: stories in the store and what is new in them, or one timeline."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Any

import typer

from westminster.cli.ingest_cmd import Db, load_config, open_configured_store, setup_errors, stderr
from westminster.cli.output import write_json
from westminster.errors import InputError, WestminsterError
from westminster.models.story import Development, Story
from westminster.store import Store

DEFAULT_LIMIT = 20
# What one line of the list shows at most: the rest is in `stories show ID` or --json.
LINE_PEOPLE = 5
LINE_NEW = 4
QUOTE_CHARS = 90
BAD_VALUE_EXIT = 2
_DURATION = re.compile(r"^(\d+)\s*([mhdw])$", re.IGNORECASE)
_UNIT = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}

app = typer.Typer(rich_markup_mode="markdown", add_completion=False)


def parse_since(value: str, *, now: datetime | None = None) -> datetime:
    """A date (YYYY-MM-DD), an ISO time, or a duration back from now (30m, 12h, 2d, 1w)."""
    text = value.strip()
    match = _DURATION.match(text)
    if match:
        amount, unit = int(match.group(1)), _UNIT[match.group(2).lower()]
        return (now or datetime.now(UTC)) - timedelta(**{unit: amount})
    try:
        if len(text) == 10:
            return datetime.combine(date.fromisoformat(text), datetime.min.time(), tzinfo=UTC)
        when = datetime.fromisoformat(text)
    except ValueError:
        raise InputError(
            "is not a date (YYYY-MM-DD), a time (ISO 8601) or a duration (30m, 12h, 2d, 1w)",
            subject=f"--since {value!r}",
        ) from None
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


def _fail(exc: WestminsterError) -> typer.Exit:
    stderr.print(f"error: {exc.render()}", markup=False)
    return typer.Exit(code=BAD_VALUE_EXIT)


# -- JSON ---------------------------------------------------------------------------------------


def _iso(value: datetime | date | None) -> str | None:
    return None if value is None else value.isoformat()


def development_to_dict(item: Development) -> dict[str, Any]:
    """One development as a JSON object."""
    return {
        "article_id": item.article_id,
        "title": item.title,
        "outlet": item.outlet,
        "url": item.url,
        "published": _iso(item.published),
        "added_at": _iso(item.added_at),
        "score": item.score,
        "independent": item.independent,
        "copy_of": item.copy_of,
        "new_people": list(item.new_people),
        "new_figures": list(item.new_figures),
        "new_quotes": list(item.new_quotes),
        "reason": item.reason,
    }


def story_to_dict(story: Story) -> dict[str, Any]:
    """One story as a JSON object (its timeline oldest first)."""
    return {
        "id": story.id,
        "headline": story.headline,
        "first_seen": _iso(story.first_seen),
        "last_updated": _iso(story.last_updated),
        "independent_outlets": len(story.outlets),
        "outlets": list(story.outlets),
        "articles": len(story.articles),
        "independent_articles": story.independent_articles,
        "people": [
            {"key": p.key, "name": p.name, "kind": p.kind, "articles": p.articles}
            for p in story.people
        ],
        "figures": [
            {
                "text": f.text,
                "kind": f.kind,
                "value": f.value,
                "unit": f.unit,
                "article_id": f.article_id,
            }
            for f in story.figures
        ],
        "quotes": [
            {
                "text": q.text,
                "kind": q.kind,
                "speaker": q.speaker,
                "speaker_key": q.speaker_key,
                "article_id": q.article_id,
            }
            for q in story.quotes
        ],
        "topics": list(story.topics),
        "merged_from": list(story.merged_from),
        "timeline": [development_to_dict(item) for item in story.articles],
    }


# -- readable output ----------------------------------------------------------------------------


def _when(value: datetime) -> str:
    value = value.astimezone(UTC)
    if value.time() == datetime.min.time():
        return value.date().isoformat()  # a publication day, not a time
    return value.strftime("%Y-%m-%d %H:%M")


def _short(text: str, limit: int = QUOTE_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _listed(items: Iterable[str], limit: int) -> str:
    items = list(items)
    shown = ", ".join(items[:limit])
    return shown + (f" (+{len(items) - limit} more)" if len(items) > limit else "")


def whats_new(story: Story, since: datetime | None) -> list[str]:
    """What the developments after `since` (else the latest one) added, as short phrases."""
    recent = list(story.developments_since(since)) if since else list(story.articles[-1:])
    figures = [f for d in recent for f in d.new_figures]
    quotes = [f"“{_short(q, 60)}”" for d in recent for q in d.new_quotes]
    people = [p for d in recent for p in d.new_people]
    parts = []
    if figures:
        parts.append("figures " + _listed(figures, LINE_NEW))
    if quotes:
        parts.append("quotes " + _listed(quotes, 2))
    if people:
        parts.append("people " + _listed(people, LINE_NEW))
    return parts


def story_lines(story: Story, since: datetime | None = None) -> list[str]:
    """A story as a few readable lines for the list."""
    outlets = len(story.outlets)
    counted = f"{outlets} independent outlet{'s' if outlets != 1 else ''}"
    if story.outlets:
        counted += f" ({_listed(story.outlets, 4)})"
    articles = len(story.articles)
    lines = [
        f"{story.headline or '(no headline)'}  [{story.id}]",
        f"  {counted} · {articles} article{'s' if articles != 1 else ''}"
        f" · first seen {_when(story.first_seen)} · updated {_when(story.last_updated)}",
    ]
    if story.people:
        people = [f"{p.name} ({p.articles})" for p in story.people]
        lines.append("  people: " + _listed(people, LINE_PEOPLE))
    new = whats_new(story, since)
    if new:
        lines.append("  new: " + "; ".join(new))
    return lines


def _development_lines(item: Development) -> list[str]:
    day = item.published.isoformat() if item.published else _when(item.added_at)
    copy = f"  [copy of {item.copy_of}]" if not item.independent and item.copy_of else ""
    copy = copy or ("  [not independent]" if not item.independent else "")
    copy += f"  [{item.reason}: a story of its own]" if item.reason else ""
    lines = [f"  {day}  {item.outlet or '-'}: {item.title or '(no headline)'}{copy}"]
    if item.new_people:
        lines.append("      + people: " + ", ".join(item.new_people))
    if item.new_figures:
        lines.append("      + figures: " + ", ".join(item.new_figures))
    for quote in item.new_quotes:
        lines.append(f"      + quote: “{_short(quote)}”")
    return lines


def timeline_lines(story: Story) -> list[str]:
    """One story in full: header, people, topics, then its timeline oldest first."""
    lines = story_lines(story)[:2]
    if story.merged_from:
        lines.append("  merged from: " + ", ".join(story.merged_from))
    if story.topics:
        lines.append("  topics: " + ", ".join(story.topics))
    if story.people:
        lines.append("  people: " + ", ".join(f"{p.name} ({p.articles})" for p in story.people))
    lines.append("timeline (oldest first):")
    for item in story.articles:
        lines.extend(_development_lines(item))
    return lines


# -- commands -----------------------------------------------------------------------------------


Json = Annotated[bool, typer.Option("--json", help="An indented JSON array (or object).")]
Jsonl = Annotated[bool, typer.Option("--jsonl", help="One JSON object per line.")]


def _open(db: str | None) -> Store:
    return open_configured_store(load_config(), db)


@app.callback(invoke_without_command=True)
def stories(
    ctx: typer.Context,
    since: Annotated[
        str | None,
        typer.Option(
            "--since",
            metavar="DATE|DURATION",
            help="Only stories with a development added after this: YYYY-MM-DD, an ISO time, "
            "or a duration back from now (30m, 12h, 2d, 1w).",
        ),
    ] = None,
    person: Annotated[
        str | None,
        typer.Option("--person", help="Mentioning this person: a name or an entity key."),
    ] = None,
    topic: Annotated[str | None, typer.Option("--topic", help="With this topic.")] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, help="Most stories to show.")] = (
        DEFAULT_LIMIT
    ),
    json_: Json = False,
    jsonl: Jsonl = False,
    db: Db = None,
) -> None:
    """List stories, most recently updated first, or show one (`stories show ID`).

    Each story: headline, independent outlets (duplicates and rewrites excluded), first seen
    and last updated, key people, and what is new (since --since, else in its latest article).

    Examples:

    `westminster stories` (the 20 most recently updated)

    `westminster stories --since 1d` (a development added in the last day)

    `westminster stories --since 2024-09-13 --person "Keir Starmer" --topic defence`

    `westminster stories --person person:keir-starmer --jsonl`

    `westminster stories show s-52e904c87a35` (one story's timeline)
    """
    if ctx.invoked_subcommand is not None:
        return
    try:
        after = parse_since(since) if since is not None else None
    except InputError as exc:
        raise _fail(exc) from None
    store = _open(db)
    try:
        with setup_errors():
            found = store.stories(since=after, person=person, topic=topic, limit=limit)
    finally:
        store.close()
    if json_ or jsonl:
        rows = [story_to_dict(s) for s in found]
        if jsonl:
            for row in rows:
                write_json(row, lines=True)
        else:
            write_json(rows, lines=False)
        return
    if not found:
        typer.echo("no stories" + (" with a development since then" if after else ""))
        return
    for n, story in enumerate(found):
        if n:
            typer.echo("")
        typer.echo("\n".join(story_lines(story, after)))


@app.command("show")
def show(
    story_id: Annotated[str, typer.Argument(metavar="ID", help="A story id (s-...).")],
    json_: Json = False,
    db: Db = None,
) -> None:
    """One story's timeline: each article, oldest first, with what it added.

    A merged story's id shows the story it was merged into.

    Example: westminster stories show s-52e904c87a35
    """
    store = _open(db)
    try:
        try:
            story = store.get_story(story_id)
        except WestminsterError as exc:
            raise _fail(exc) from None
    finally:
        store.close()
    if json_:
        write_json(story_to_dict(story), lines=False)
        return
    typer.echo("\n".join(timeline_lines(story)))
