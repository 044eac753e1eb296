"""The dashboard over PostgreSQL, and the store reads the admin area adds, on both backends."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi.testclient import TestClient

from tests.pg_server import fresh_schema
from tests.web_support import active_markup, build_store, web_config
from westminster.store import Store, open_store
from westminster.web import create_app

NOW = datetime(2024, 9, 14, 9, 0, tzinfo=UTC)


def test_pages_from_a_postgresql_store(postgres_url: str, analyzer: Any) -> None:
    with fresh_schema(postgres_url) as url:
        store = open_store(url)
        try:
            build_store(store, analyzer)
            app = create_app(web_config(url), store=store, clock=lambda: NOW)
            with TestClient(app) as client:
                today = client.get("/today.json", params={"day": "2024-09-13"}).json()
                assert today["items"][0]["outlets"] == 2
                story_id = today["items"][0]["story_id"]
                story = client.get(f"/stories/{story_id}").text
                assert "Storm Shadow decision" in story and active_markup(story) == []
                hits = client.get("/search.json", params={"q": "pensioners"}).json()["results"]
                assert {h["outlet"] for h in hits} == {"Example Ledger", "Northern Courier"}
                person = client.get("/people/keir-starmer.json").json()
                assert any("conflict with Russia" in q["text"] for q in person["said"])
                quotes = client.get("/quotes.json", params={"ask": "Keir Starmer on Russia"})
                assert quotes.json()["quotes"]
                hostile = client.get("/search", params={"q": "zyxxss"}).text
                assert active_markup(hostile) == [] and "zyxxss" in hostile
                assert client.get("/feeds/stories.atom").status_code == 200
        finally:
            store.close()


def test_runs_are_listed_newest_first(store: Store) -> None:
    first = store.start_run("ingest")
    second = store.start_run("watch")
    store.finish_run(first, {"new": 3})
    runs = store.runs(limit=10)
    assert [r.id for r in runs] == [second, first]
    assert runs[1].counts == {"new": 3} and runs[0].finished_at is None
    assert [r.id for r in store.runs(limit=1)] == [second]
