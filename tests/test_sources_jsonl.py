"""JSON Lines articles: good lines become pages with hints; bad lines are Rejections."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from westminster.ingest.sources.jsonl import JsonlSource, parse_published
from westminster.models import RawPage, Rejection

GOOD = {
    "id": "bbc-001",
    "title": "Starmer and Biden discuss Storm Shadow",
    "text": "Sir Keir Starmer met Joe Biden.\nThey discussed missiles.",
    "published": "2024-09-13",
    "outlet": "BBC",
    "url": "https://www.bbc.co.uk/news/x",
}


def test_lines_become_pages_and_bad_lines_rejections(tmp_path: Path) -> None:
    path = tmp_path / "articles.jsonl"
    lines = [
        json.dumps(GOOD),
        "",
        "{not json",
        json.dumps({"id": "2", "title": "No text"}),
        json.dumps(["a", "list"]),
        json.dumps({**GOOD, "id": 7, "published": "2024-09-13T10:30:00+01:00", "outlet": None}),
        json.dumps({**GOOD, "id": "3", "published": "yesterday"}),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    items = list(JsonlSource(path, max_bytes=10_000).fetch())
    pages = [i for i in items if isinstance(i, RawPage)]
    rejections = {i.input.rsplit(":", 1)[1]: i.detail for i in items if isinstance(i, Rejection)}
    assert [p.record_id for p in pages] == ["bbc-001", "7"]
    first = pages[0]
    assert first.content.decode() == GOOD["text"] and first.content_type == "text/plain"
    assert first.title_hint == GOOD["title"] and first.outlet_hint == "BBC"
    assert first.url == GOOD["url"] and first.published_hint == datetime(2024, 9, 13, tzinfo=UTC)
    assert first.source == f"{path}:1"
    assert pages[1].published_hint == datetime(
        2024, 9, 13, 10, 30, tzinfo=timezone(timedelta(hours=1))
    )
    assert set(rejections) == {"3", "4", "5", "7"}
    assert "not JSON" in rejections["3"] and "'text'" in rejections["4"]
    assert "JSON object" in rejections["5"] and "Invalid isoformat" in rejections["7"]


def test_missing_file_and_oversized_line(tmp_path: Path) -> None:
    (missing,) = JsonlSource(tmp_path / "absent.jsonl", max_bytes=100).fetch()
    assert isinstance(missing, Rejection) and "cannot be read" in missing.detail
    path = tmp_path / "big.jsonl"
    path.write_text(json.dumps({**GOOD, "text": "x" * 500}) + "\n")
    (big,) = JsonlSource(path, max_bytes=100).fetch()
    assert isinstance(big, Rejection) and "limit" in big.detail


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        ("2024-09-13", datetime(2024, 9, 13, tzinfo=UTC)),
        ("2024-09-13T08:00:00Z", datetime(2024, 9, 13, 8, tzinfo=UTC)),
    ],
)
def test_published_formats(value: str | None, expected: datetime | None) -> None:
    assert parse_published(value) == expected


def test_records_stored_before_are_skipped(tmp_path: Path) -> None:
    path = tmp_path / "articles.jsonl"
    lines = [json.dumps({**GOOD, "id": n}) for n in (1, 2, 3)] + ["{not json"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    items = list(JsonlSource(path, max_bytes=10_000, skip={"1", "3"}).fetch())
    # Skipped records are neither read again nor rejected; a bad line still is a rejection.
    assert [i.record_id for i in items if isinstance(i, RawPage)] == ["2"]
    assert [i.input for i in items if isinstance(i, Rejection)] == [f"{path}:4"]
    everything = list(JsonlSource(path, max_bytes=10_000).fetch())
    assert [i.record_id for i in everything if isinstance(i, RawPage)] == ["1", "2", "3"]
