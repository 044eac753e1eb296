"""The dashboard's pages and their JSON twins, on a real SQLite store ingested from examples/."""

from __future__ import annotations

import sqlite3
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.web_support import active_markup, example_db, page_text, web_config
from westminster.models import StoryMerge
from westminster.store import Store, open_store
from westminster.store.story_rows import StoryBatch
from westminster.web import create_app

NOW = datetime(2024, 9, 14, 9, 0, tzinfo=UTC)
ATOM = "{http://www.w3.org/2005/Atom}"
ERROR_KEYS = {"ok", "status", "title", "error", "code", "subject", "fix", "details"}


@pytest.fixture(scope="module")
def web(
    analyzer: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[TestClient, Store]]:
    """A client of the app over a copy of the example store, its clock on 14 September 2024."""
    db = example_db(analyzer, tmp_path_factory.mktemp("pages"))
    store = open_store(db)
    app = create_app(web_config(db), store=store, clock=lambda: NOW)
    with TestClient(app) as client:
        yield client, store
    store.close()


@pytest.fixture(scope="module")
def client(web: tuple[TestClient, Store]) -> TestClient:
    """The test client."""
    return web[0]


@pytest.fixture(scope="module")
def storm_shadow(web: tuple[TestClient, Store]) -> str:
    """The id of the Storm Shadow story (three outlets in the examples)."""
    store = web[1]
    found = [s for s in store.stories(limit=100) if "Storm Shadow decision" in s.headline]
    assert len(found) == 1, [s.headline for s in store.stories(limit=100)]
    return found[0].id


def html(client: TestClient, path: str, status: int = 200, **params: Any) -> str:
    """A page's HTML, checked for status, type and inert scraped text."""
    response = client.get(path, params=params)
    assert response.status_code == status, response.text[:500]
    assert response.headers["content-type"].startswith("text/html")
    assert active_markup(response.text) == []
    return response.text


def data(client: TestClient, path: str, status: int = 200, **params: Any) -> Any:
    """A page's JSON twin."""
    response = client.get(path, params=params)
    assert response.status_code == status, response.text[:500]
    assert response.headers["content-type"] == "application/json"
    return response.json()


def test_today_ranks_the_days_stories_with_outlet_counts_and_a_chart(
    client: TestClient, storm_shadow: str
) -> None:
    page = data(client, "/today.json", day="2024-09-13")
    assert page["day"] == "2024-09-13"
    first = page["items"][0]
    assert first["story_id"] == storm_shadow
    assert first["outlets"] == 2  # Example Ledger and Northern Courier published that day
    assert first["total_outlets"] == 3
    assert first["summary"] and all(s["source"] >= 1 for s in first["summary"])
    assert any(day["articles"] for day in first["coverage"])
    text = html(client, "/", day="2024-09-13")
    assert "Starmer and Biden end White House talks without Storm Shadow decision" in text
    assert "2 independent outlets this day, 3 in all" in page_text(text)
    assert '<rect class="bar"' in text  # the inline SVG coverage chart


def test_today_without_stories_shows_the_latest_day_with_coverage(client: TestClient) -> None:
    page = data(client, "/today.json", day="2024-10-20")
    assert page["asked"] == "2024-10-20"
    assert page["day"] == "2024-09-14"
    assert page["note"] and page["items"]


def test_the_home_page_answers_json_to_an_accept_header(client: TestClient) -> None:
    response = client.get("/", headers={"Accept": "application/json"})
    assert response.headers["content-type"] == "application/json"
    assert response.json()["day"] == "2024-09-14"  # the app's clock
    browser = client.get("/", headers={"Accept": "text/html,application/json;q=0.9"})
    assert browser.headers["content-type"].startswith("text/html")
    assert browser.headers["vary"] == "Accept"


def test_story_page_has_cited_summary_timeline_sources_quotes_and_figures(
    client: TestClient, storm_shadow: str
) -> None:
    story = data(client, f"/stories/{storm_shadow}.json")
    assert set(story["outlets"]) == {"Example Ledger", "Northern Courier", "Capital Wire"}
    sources = story["sources"]
    for sentence in story["summary"]:
        assert sources[sentence["source"] - 1]["article_id"] == sentence["article_id"]
    assert [d["published"] for d in story["timeline"]][:3] == sorted(
        d["published"] for d in story["timeline"][:3]
    )
    speakers = {q["speaker"] for q in story["quotes"]}
    assert {"Keir Starmer", "Vladimir Putin"} <= speakers
    assert any(f["text"] == "155 miles" for f in story["figures"])
    text = html(client, f"/stories/{storm_shadow}")
    assert 'href="/people/keir-starmer"' in text
    assert 'href="#source-1"' in text or 'href="#source-2"' in text
    assert "Timeline" in text and "Sources" in text


def test_unknown_story_is_a_404_in_the_one_error_shape(client: TestClient) -> None:
    body = data(client, "/stories/s-nope.json", 404)
    assert set(body) == ERROR_KEYS
    assert body["ok"] is False and body["subject"] == "s-nope" and body["code"] == "W710"
    text = html(client, "/stories/s-nope", 404)
    assert "no such story" in text and "W710" in text


def test_stories_list_filters_by_person_and_topic(client: TestClient) -> None:
    everything = data(client, "/stories.json")["stories"]
    assert len(everything) >= 3
    starmer = data(client, "/stories.json", person="person:keir-starmer")["stories"]
    assert starmer and len(starmer) < len(everything)
    pensions = data(client, "/stories.json", topic="welfare and pensions")["stories"]
    assert any("winter fuel" in s["headline"].lower() for s in pensions)
    assert "Stories" in html(client, "/stories")


def test_article_page_shows_text_people_quotes_and_story(
    client: TestClient, storm_shadow: str
) -> None:
    hit = data(client, "/search.json", q="Putin warning Washington")["results"][0]
    article = data(client, f"/articles/{hit['id']}.json")
    assert article["outlet"] == "Northern Courier" and article["published"] == "2024-09-13"
    assert article["story_id"] == storm_shadow
    assert any(p["key"] == "person:keir-starmer" for p in article["people"])
    assert article["source_url"] is None  # a local file has no address to link to
    assert "Putin warning hangs over Starmer visit" in html(client, hit["url"])
    assert data(client, "/articles/nope.json", 404)["code"] == "W710"


def test_person_page_has_offices_quotes_company_and_coverage(client: TestClient) -> None:
    person = data(client, "/people/keir-starmer.json")
    assert person["name"] == "Keir Starmer"
    offices = {o["title"]: o for o in person["offices"]}
    assert offices["Prime Minister of the United Kingdom"]["start"] == "2024-07-05"
    assert any("conflict with Russia" in q["text"] for q in person["said"])
    assert "Joe Biden" in {p["name"] for p in person["appeared_with"]}
    assert sum(day["articles"] for day in person["coverage"]) >= 3
    text = html(client, "/people/keir-starmer")
    assert "Offices held" in text and "Appears with" in text and '<rect class="bar"' in text
    body = data(client, "/people/nobody-at-all.json", 404)
    assert body["subject"] == "person:nobody-at-all"


def test_organisation_page(client: TestClient) -> None:
    org = data(client, "/organisations/nato.json")
    assert org["kind"] == "organisation" and org["name"] == "NATO"
    assert org["stories"]


def test_topic_page_lists_its_stories(client: TestClient) -> None:
    topic = data(client, "/topics/defence.json")
    assert any("Storm Shadow" in s["headline"] for s in topic["stories"])
    assert "Topic: defence" in html(client, "/topics/defence")
    assert data(client, "/topics/knitting.json", 404)["subject"] == "knitting"


def test_quote_search_reads_a_question(client: TestClient) -> None:
    page = data(client, "/quotes.json", ask="What has Keir Starmer said about Russia?")
    assert page["person"] == "Keir Starmer" and page["q"] == "Russia"
    assert page["person_key"] == "person:keir-starmer"
    assert page["quotes"] and all("russia" in q["text"].lower() for q in page["quotes"])
    assert all(q["speaker_key"] == "person:keir-starmer" for q in page["quotes"])
    explicit = data(client, "/quotes.json", person="person:keir-starmer", q="Russia")
    assert [q["text"] for q in explicit["quotes"]] == [q["text"] for q in page["quotes"]]
    assert (
        data(client, "/quotes.json", ask="what has Keir Starmer said about zebras")["quotes"] == []
    )
    text = html(client, "/quotes", ask="What has Keir Starmer said about Russia?")
    assert "conflict with Russia" in text


def test_search_results_facets_and_filters(client: TestClient) -> None:
    page = data(client, "/search.json", q="pensioners")
    assert {r["outlet"] for r in page["results"]} == {"Example Ledger", "Northern Courier"}
    outlets = {f["value"]: f for f in page["facets"]["outlet"]}
    assert outlets["Example Ledger"]["count"] == 1
    narrowed = data(client, "/search.json", q="pensioners", outlet="Example Ledger")
    assert [r["outlet"] for r in narrowed["results"]] == ["Example Ledger"]
    month = page["facets"]["month"][0]
    assert month["value"] == "2024-09" and "since=2024-09-01" in month["url"]
    assert data(client, "/search.json", q="pensioners", until="2024-09-01")["results"] == []
    people = {f["value"] for f in page["facets"]["person"]}
    assert "person:rachel-reeves" in people
    reeves = data(client, "/search.json", q="pensioners", person="person:rachel-reeves")
    assert len(reeves["results"]) == 2
    topic = data(client, "/search.json", q="pensioners", topic="welfare and pensions")
    assert topic["results"]
    text = html(client, "/search", q="pensioners")
    assert "<mark>pensioners</mark>" in text.lower() or "<mark>" in text


def test_search_form_fields_left_empty_mean_no_filter(client: TestClient) -> None:
    page = data(client, "/search.json", q="pensioners", outlet="", since="", until="", person="")
    assert len(page["results"]) == 2
    assert data(client, "/search.json")["results"] == []  # the empty form


def test_bad_parameters_are_422_naming_the_field(client: TestClient) -> None:
    body = data(client, "/search.json", 422, q="x", since="13/09/2024")
    assert body["subject"] == "since" and "YYYY-MM-DD" in (body["fix"] or "")
    body = data(client, "/search.json", 422, q="!!!")
    assert body["subject"] == "q"
    body = data(client, "/stories.json", 422, page="zero")
    assert body["details"][0]["field"] == "query.page"
    assert "page" in html(client, "/stories", 422, page="-1")


def test_wrong_method_and_unknown_routes_share_the_error_shape(client: TestClient) -> None:
    body = client.post("/stories.json").json()
    assert set(body) == ERROR_KEYS and body["status"] == 405
    body = data(client, "/no/such/page.json", 404)
    assert body["subject"] == "/no/such/page.json"


def test_a_crash_is_a_500_without_internals(tmp_path: Path, analyzer: Any) -> None:
    db = example_db(analyzer, tmp_path)
    with sqlite3.connect(db) as conn:  # a store whose schema lost a table: reads of it fail
        conn.execute("ALTER TABLE stories RENAME TO stories_lost")
    store = open_store(db, migrate=False)
    app = create_app(web_config(db), store=store, clock=lambda: NOW)
    with TestClient(app, raise_server_exceptions=False) as broken:
        response = broken.get("/stories.json")
        assert response.status_code == 500
        body = response.json()
        assert set(body) == ERROR_KEYS and "sqlite" not in body["error"].lower()
        page = broken.get("/stories")
        assert page.status_code == 500 and "internal error" in page.text
        assert "content-security-policy" in page.headers
    store.close()


def test_feeds_are_valid_atom_and_rss(client: TestClient, storm_shadow: str) -> None:
    atom = ET.fromstring(client.get("/feeds/stories.atom").content)
    titles = [e.findtext(f"{ATOM}title") for e in atom.iter(f"{ATOM}entry")]
    assert "Starmer and Biden end White House talks without Storm Shadow decision" in titles
    links = [e.find(f"{ATOM}link").get("href") for e in atom.iter(f"{ATOM}entry")]  # type: ignore[union-attr]
    assert f"http://testserver/stories/{storm_shadow}" in links
    rss = ET.fromstring(client.get("/feeds/people/keir-starmer.rss").content)
    items = rss.findall("./channel/item")
    assert any("conflict with Russia" in (i.findtext("title") or "") for i in items)
    topic = client.get("/feeds/topics/defence.atom")
    assert topic.headers["content-type"] == "application/atom+xml"
    ET.fromstring(topic.content)
    assert client.get("/feeds/people/nobody-at-all.atom").status_code == 404
    assert client.get("/feeds/stories.txt").status_code == 422


def test_every_page_is_documented_in_openapi(client: TestClient) -> None:
    schema = data(client, "/openapi.json")
    paths = schema["paths"]
    for path in (
        "/today.json", "/stories.json", "/stories/{story_id}.json", "/articles/{article_id}.json",
        "/people/{slug}.json", "/organisations/{slug}.json", "/topics/{name}.json",
        "/search.json", "/quotes.json", "/subscribe.json", "/admin/runs.json",
    ):  # fmt: skip
        operations = paths[path]
        for operation in operations.values():
            ok = operation["responses"]["200"]["content"]["application/json"]["schema"]
            assert "$ref" in ok, path
            assert operation["responses"]["404"]["content"]["application/json"]["schema"]
    assert "ErrorBody" in schema["components"]["schemas"]
    api = html(client, "/api")
    assert "/stories/{story_id}.json" in api


def test_pages_load_nothing_from_other_hosts(client: TestClient, storm_shadow: str) -> None:
    for path in ("/", f"/stories/{storm_shadow}", "/people/keir-starmer", "/api", "/subscribe"):
        text = client.get(path).text
        assert "cdn." not in text and "<script" not in text
        assert 'src="http' not in text and 'href="//' not in text
    assert client.get("/static/style.css").headers["content-type"].startswith("text/css")


def test_a_merged_story_id_redirects_to_the_survivor(tmp_path: Path, analyzer: Any) -> None:
    db = example_db(analyzer, tmp_path)
    store = open_store(db)
    stories = {s.headline: s.id for s in store.stories(limit=100)}
    merged = next(i for h, i in stories.items() if "Badenoch" in h)
    survivor = next(i for h, i in stories.items() if "winter fuel" in h.lower())
    store.put_stories(StoryBatch(merges=(StoryMerge(merged, survivor, NOW, 0.7),)))
    with TestClient(create_app(web_config(db), store=store, clock=lambda: NOW)) as client:
        page = client.get(f"/stories/{merged}", follow_redirects=False)
        assert page.status_code == 301 and page.headers["location"] == f"/stories/{survivor}"
        api = client.get(f"/stories/{merged}.json", follow_redirects=False)
        assert api.headers["location"] == f"/stories/{survivor}.json"
        story = client.get(f"/stories/{merged}.json").json()
        assert story["id"] == survivor and merged in story["merged_from"]
    store.close()
