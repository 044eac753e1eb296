"""Stories in live ingestion: copies join their original's story, reruns change nothing, the CLI."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from tests.test_stories_engine import RULING, SUMMIT_A
from tests.warc_writer import Capture, news_captures, write_warc
from westminster.cli import stories_cmd
from westminster.config import Config
from westminster.ingest.fetcher import Fetcher
from westminster.pipeline.ingest import Ingester, IngestOptions, fetch_settings
from westminster.store import Store, open_store

GERMAN = (
    "Bundestag stimmt Haushalt zu",
    "Der Bundestag hat am Freitag den Haushalt für das kommende Jahr beschlossen. Die Koalition "
    "setzte sich gegen die Opposition durch, die scharfe Kritik an den geplanten Kürzungen bei "
    "Sozialleistungen und Bildung geübt hatte. Der Finanzminister sprach von einem Haushalt.",
)
FOLLOW_UP = (
    "Biden delays Storm Shadow decision after Starmer talks",
    "The White House said on Saturday that no decision had been taken on the Storm Shadow "
    "request, a day after the prime minister's visit. Volodymyr Zelensky urged allies to act "
    "quickly, saying Russian glide bombs had killed dozens in Kharkiv. Pentagon officials said "
    "the long-range missiles had cost £3 billion over two years and that Nato defence "
    "ministers would meet at Ramstein next week. Joe Biden and Keir Starmer are expected to "
    "discuss Storm Shadow again at the United Nations.",
)


def page(title: str, body: str, site: str, published: str) -> bytes:
    """A news page with its outlet and publication time in the metadata."""
    paragraphs = "".join(f"<p>{p}.</p>" for p in body.split(". ") if p)
    return (
        f"<!DOCTYPE html><html><head><title>{title}</title>"
        f'<meta property="og:site_name" content="{site}">'
        f'<meta property="article:published_time" content="{published}">'
        f"</head><body><article><h1>{title}</h1>{paragraphs}</article></body></html>"
    ).encode()


def crawl(root: Path) -> Path:
    """An original, an exact copy at another outlet, a follow-up, another event, German news."""
    original = page(*SUMMIT_A, "Westminster Insider", "2024-09-13T08:00:00Z")
    captures = [
        Capture("https://insider.example/storm-shadow", original, record_id="<urn:uuid:1>"),
        Capture(
            "https://copycat.example/storm-shadow",
            page(*SUMMIT_A, "Copycat News", "2024-09-13T09:00:00Z"),
            record_id="<urn:uuid:2>",
        ),
        Capture(
            "https://bbc.example/storm-shadow-talks",
            page(*FOLLOW_UP, "BBC", "2024-09-14T10:00:00Z"),
            record_id="<urn:uuid:3>",
        ),
        Capture(
            "https://times.example/rwanda",
            page(*RULING, "The Times", "2024-09-14T11:00:00Z"),
            record_id="<urn:uuid:4>",
        ),
        Capture(
            "https://zeit.example/haushalt",
            page(*GERMAN, "Die Zeit", "2024-09-14T12:00:00Z"),
            record_id="<urn:uuid:5>",
        ),
    ]
    return write_warc(root / "crawl.warc", captures)


def quick_fetcher() -> Fetcher:
    config = Config(host_interval=0.0, fetch_attempts=1, fetch_timeout=0.5)
    return Fetcher(fetch_settings(config, allow_loopback=True))


def ingest(store: Store, sources: list[str], analyzer: object | None) -> Ingester:
    options = IngestOptions(analyse=analyzer is not None)
    with quick_fetcher() as fetcher:
        ingester = Ingester(store, fetcher, options, analyzer=lambda: analyzer)  # type: ignore[arg-type, return-value]
        ingester.run(sources)
    return ingester


def story_rows(store: Store) -> list[tuple[object, ...]]:
    """Every story with its developments, as plain values (what a rerun must not change)."""
    return [
        (
            s.id,
            s.headline,
            s.outlets,
            [(d.article_id, d.added_at, d.new_figures) for d in s.articles],
        )
        for s in store.stories(limit=100)
    ]


def test_copies_join_their_original_and_reruns_change_nothing(
    store: Store, store_url: str, tmp_path: Path, analyzer: object
) -> None:
    warc = crawl(tmp_path)
    first = ingest(store, [str(warc)], analyzer)
    assert first.counts.duplicate == 1 and first.counts.rejected == 0
    by_url = {s.article.url: s for s in store.iter_articles()}
    original = by_url["https://insider.example/storm-shadow"]
    copy = by_url["https://copycat.example/storm-shadow"]
    follow_up = by_url["https://bbc.example/storm-shadow-talks"]
    assert copy.duplicate_of == original.id

    story_id = store.story_of(original.id)
    assert story_id is not None
    assert store.story_of(copy.id) == store.story_of(follow_up.id) == story_id
    story = store.get_story(story_id)
    assert story.outlets == ("Westminster Insider", "BBC")  # the copy does not add its outlet
    assert story.independent_articles == 2 and len(story.articles) == 3
    timeline = {d.article_id: d for d in story.articles}
    assert not timeline[copy.id].independent and timeline[copy.id].copy_of == original.id
    assert timeline[copy.id].new_people == () and timeline[copy.id].new_quotes == ()
    assert "£3 billion" in timeline[follow_up.id].new_figures  # what the follow-up added
    assert "Keir Starmer" in timeline[original.id].new_people
    assert "Keir Starmer" in {p.name for p in story.people}
    assert story.articles[0].article_id == original.id  # oldest first

    ruling = store.story_of(by_url["https://times.example/rwanda"].id)
    german = by_url["https://zeit.example/haushalt"].id
    assert ruling not in (None, story_id)
    german_story = store.story_of(german)
    assert german_story is not None and german_story not in (story_id, ruling)
    (member,) = store.story_members(german_story)
    assert member.reason == "not-english" and member.created
    assert store.get_story(german_story).articles[0].reason == "not-english"

    before = story_rows(store)
    state = store.load_story_engine()
    again = ingest(store, [str(warc), str(warc)], analyzer)
    assert again.counts.new == 0
    assert story_rows(store) == before  # same ids, no duplicate developments
    assert store.load_story_engine() == state

    # The CLI over the same store: a readable list and JSON.
    runner = CliRunner()
    env = {"WESTMINSTER_CONFIG": os.devnull}
    app = typer.Typer()
    app.add_typer(stories_cmd.app, name="stories")
    listed = runner.invoke(app, ["stories", "--db", store_url], env=env)
    assert listed.exit_code == 0, listed.output
    assert SUMMIT_A[0] in listed.stdout or FOLLOW_UP[0] in listed.stdout
    assert "2 independent outlets (Westminster Insider, BBC) · 3 articles" in listed.stdout
    as_json = runner.invoke(
        app, ["stories", "--db", store_url, "--jsonl", "--person", "Keir Starmer"], env=env
    )
    rows = [json.loads(line) for line in as_json.stdout.splitlines()]
    assert [r["id"] for r in rows] == [story_id]
    assert rows[0]["independent_outlets"] == 2 and rows[0]["timeline"][0]["independent"]
    shown = runner.invoke(app, ["stories", "show", story_id, "--db", store_url], env=env)
    assert shown.exit_code == 0 and f"[copy of {original.id}]" in shown.stdout
    assert "+ figures: " in shown.stdout and "£3 billion" in shown.stdout
    missing = runner.invoke(app, ["stories", "show", "s-unknown", "--db", store_url], env=env)
    assert missing.exit_code == 2 and "s-unknown" in missing.stderr
    bad = runner.invoke(app, ["stories", "--since", "last tuesday", "--db", store_url], env=env)
    assert bad.exit_code == 2 and "--since 'last tuesday'" in bad.stderr


def test_articles_placed_without_analysis_get_their_additions_when_analysed(
    tmp_path: Path, analyzer: object
) -> None:
    store = open_store(tmp_path / "store.db")
    warc = crawl(tmp_path)
    ingest(store, [str(warc)], None)
    ids = {s.article.url: s.id for s in store.iter_articles()}
    follow_up = ids["https://bbc.example/storm-shadow-talks"]
    story_id = store.story_of(follow_up)
    assert story_id is not None and store.story_article_ids() == set(ids.values())
    assert all(d.new_figures == () for d in store.get_story(story_id).articles)
    assert store.story_article_ids(analysed=False) == set(ids.values())
    before = [s.id for s in store.stories(limit=100)]
    # The archive's records are marked done; unmarked, the next run reads and analyses them.
    with sqlite3.connect(tmp_path / "store.db") as conn:
        conn.execute("DELETE FROM source_records")
    ingest(store, [str(warc)], analyzer)
    assert [s.id for s in store.stories(limit=100)] == before  # the same stories
    added = {d.article_id: d for d in store.get_story(story_id).articles}
    assert "£3 billion" in added[follow_up].new_figures
    assert store.story_article_ids(analysed=False) == set()
    store.close()


RECORDS = 200
START_TIMEOUT_S = 120.0


def _count(db: Path, sql: str) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as conn:
            return int(conn.execute(sql).fetchone()[0])
    except sqlite3.OperationalError:
        return 0


def _run(warc: Path, db: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "westminster", "ingest", str(warc), "--db", str(db), "--no-analyse"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, "WESTMINSTER_CONFIG": os.devnull},
    )


@pytest.mark.slow
def test_killed_mid_run_then_rerun_every_article_is_in_one_story_once(tmp_path: Path) -> None:
    warc = write_warc(tmp_path / "crawl.warc", news_captures(RECORDS))
    db = tmp_path / "store.db"
    first = _run(warc, db)
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline and first.poll() is None:
        if _count(db, "SELECT count(*) FROM story_articles") >= 64:
            break
        time.sleep(0.01)
    first.send_signal(signal.SIGKILL)
    first.wait()
    assert first.returncode == -signal.SIGKILL, "the first run finished before it was killed"
    placed = _count(db, "SELECT count(*) FROM story_articles")
    assert 0 < placed < RECORDS
    stories_before = _count(db, "SELECT count(DISTINCT story_id) FROM story_articles")

    second = _run(warc, db)
    _, err = second.communicate(timeout=START_TIMEOUT_S)
    assert second.returncode == 0, err.decode()
    articles = _count(db, "SELECT count(*) FROM articles")
    assert articles == RECORDS
    assert _count(db, "SELECT count(*) FROM story_articles") == articles  # none lost, none twice
    assert _count(db, "SELECT count(DISTINCT article_id) FROM story_articles") == articles
    assert _count(db, "SELECT count(DISTINCT story_id) FROM story_articles") >= stories_before
    orphans = "SELECT count(*) FROM story_articles m LEFT JOIN stories s ON s.id = m.story_id"
    assert _count(db, orphans + " WHERE s.id IS NULL OR s.merged_into IS NOT NULL") == 0
