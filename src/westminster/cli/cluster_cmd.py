"""`westminster cluster ARTICLES.jsonl`: put articles into stories with the incremental engine."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer

from westminster.cli.output import print_closing_count, print_rejection, write_json
from westminster.models import Article, Rejection
from westminster.stories import StoryEngine

REQUIRED = ("id", "title", "text")


@dataclass(frozen=True)
class _Line:
    number: int
    article_id: str
    article: Article


def _parse(number: int, raw: str, source: str) -> _Line | Rejection:
    def reject(detail: str) -> Rejection:
        return Rejection("read", "W100", detail, f"{source} line {number}")

    try:
        obj: Any = json.loads(raw)
    except json.JSONDecodeError as exc:
        return reject(f"not valid JSON ({exc.msg})")
    if not isinstance(obj, dict):
        return reject("not a JSON object")
    for name in REQUIRED:
        if not isinstance(obj.get(name), str):
            return reject(f'missing or non-string "{name}"')
    published: date | None = None
    value = obj.get("published")
    if value not in (None, ""):
        try:
            published = date.fromisoformat(str(value)[:10])
        except ValueError:
            return reject(f'"published" is not an ISO date: {value!r}')
    outlet = obj.get("outlet") if isinstance(obj.get("outlet"), str) else None
    url = obj.get("url") if isinstance(obj.get("url"), str) else None
    article = Article(obj["title"], obj["text"], published=published, outlet=outlet, url=url)
    return _Line(number, obj["id"], article)


def command(
    articles: Annotated[
        Path, typer.Argument(help="JSON Lines: {id, title, text, published, outlet?, url?}.")
    ],
    jsonl: Annotated[bool, typer.Option("--jsonl", help="One JSON object per line.")] = False,
) -> None:
    """Assign each article to a story, in publication order, as live ingestion does.

    Undated articles (no or empty "published") come after all dated ones, in input order, and
    are placed at the latest publication date seen, standing in for their fetch time. A bad line
    gives one error line naming its number; the rest go on, and the exit code is then 1.
    """
    try:
        lines = articles.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        print_rejection(Rejection("read", "W100", f"cannot read the file ({exc})", str(articles)))
        raise typer.Exit(code=2) from None
    parsed: list[_Line] = []
    failed = 0
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        result = _parse(number, raw, str(articles))
        if isinstance(result, Rejection):
            print_rejection(result)
            failed += 1
        else:
            parsed.append(result)
    # Dated first by date (input order within a day), then undated in input order.
    ordered = sorted(
        parsed,
        key=lambda line: (line.article.published is None, line.article.published or date.min),
    )
    engine = StoryEngine()
    rows: list[dict[str, str]] = []
    for line in ordered:
        assignment = engine.add(line.article_id, line.article)
        row: dict[str, str] = {"id": line.article_id, "story": assignment.story_id}
        if assignment.reason:
            row["reason"] = assignment.reason
        rows.append(row)
    for row in rows:
        # Printed once all are assigned: an article a later split moved, or in a story merged
        # into another later in the run, is reported in its final story, as ingestion records it.
        row["story"] = engine.resolve(engine.assigned.get(row["id"], row["story"]))
        if jsonl:
            write_json(row, lines=True)
        else:
            typer.echo("\t".join(row.values()))
    print_closing_count(len(parsed) + failed, failed)
    if failed:
        raise typer.Exit(code=1)
