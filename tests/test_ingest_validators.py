"""Conditional GET across runs: validators kept in the store (pipeline/validators.py)."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from tests.local_http import Answer, LocalServer, Request, serve
from tests.warc_writer import article_html, distinct_paragraphs
from westminster.cli.app import app
from westminster.config import Config
from westminster.ingest.fetcher import Fetcher, Validators
from westminster.pipeline.ingest import Ingester, IngestOptions, fetch_settings
from westminster.pipeline.validators import StoreValidatorCache
from westminster.store import Store, open_store

ETAG = '"storm-shadow-v1"'
LAST_MODIFIED = "Fri, 13 Sep 2024 10:00:00 GMT"
QUICK = {"WESTMINSTER_HOST_INTERVAL": "0", "WESTMINSTER_FETCH_ATTEMPTS": "1"}


def conditional_route(server: LocalServer, path: str, body: bytes) -> None:
    """Serve a page with validators, answering 304 (no body) when the client's match it."""

    def answer(request: Request) -> Answer:
        if request.headers.get("if-none-match") == ETAG:
            return 304, {"ETag": ETAG}, b""
        headers = {"Content-Type": "text/html", "ETag": ETAG, "Last-Modified": LAST_MODIFIED}
        return 200, headers, body

    server.routes[path] = answer


def quick_fetcher() -> Fetcher:
    """A fetcher for the local server: loopback allowed, no pacing, one try."""
    config = Config(host_interval=0.0, fetch_attempts=1, fetch_timeout=2.0)
    return Fetcher(fetch_settings(config, allow_loopback=True))


def test_second_cli_run_asks_conditionally_and_counts_the_page_unchanged(tmp_path: Path) -> None:
    env = {**QUICK, "WESTMINSTER_DB": str(tmp_path / "store.db"), "WESTMINSTER_CONFIG": ""}
    page = article_html("Starmer and Biden discuss Storm Shadow", distinct_paragraphs(1))
    with serve() as server:
        conditional_route(server, "/story", page)
        args = ["ingest", server.base + "/story", "--no-analyse", "--allow-loopback"]
        first = CliRunner().invoke(app, args, env=env)
        assert first.exit_code == 0, first.stderr
        assert first.stderr.strip().splitlines()[-1].startswith("new 1,")
        # A new invocation builds a new fetcher: only the store can remember the validators.
        second = CliRunner().invoke(app, args, env=env)
        assert second.exit_code == 0, second.stderr
        assert second.stderr.strip().splitlines()[-1] == (
            "new 0, updated 0, unchanged 1, duplicate 0, rewrite 0, rejected 0"
        )
    story = [r for r in server.requests if r.path == "/story"]
    assert len(story) == 2
    assert "if-none-match" not in story[0].headers
    assert story[1].headers.get("if-none-match") == ETAG
    assert story[1].headers.get("if-modified-since") == LAST_MODIFIED
    store = open_store(env["WESTMINSTER_DB"])
    assert store.get_validators(server.base + "/story") == (ETAG, LAST_MODIFIED)
    assert len(list(store.iter_articles())) == 1
    store.close()


def test_validators_of_a_rejected_page_are_not_kept(store: Store) -> None:
    # The page is fetched (200 with validators) but has no article text: it is rejected, so a
    # later run must fetch it whole again rather than be told 304 and never store it.
    empty = b"<html><head><title>x</title></head><body></body></html>"
    with serve() as server:
        conditional_route(server, "/empty", empty)
        url = server.base + "/empty"
        for _ in range(2):
            with quick_fetcher() as fetcher:
                Ingester(store, fetcher, IngestOptions(analyse=False)).run([url])
    asked = [r.headers.get("if-none-match") for r in server.requests if r.path == "/empty"]
    assert asked == [None, None]
    assert store.get_validators(url) is None
    assert len(store.rejections()) == 2


def test_held_validators_reach_the_store_on_commit(store: Store) -> None:
    url = "https://example.org/news/storm-shadow"
    cache = StoreValidatorCache(store)
    cache.put(url, Validators(ETAG, LAST_MODIFIED))
    assert cache.get(url) == Validators(ETAG, LAST_MODIFIED)  # this run sees them at once
    assert store.get_validators(url) is None  # but nothing is stored before the commit
    assert StoreValidatorCache(store).get(url) is None
    cache.commit([url, "https://example.org/never-fetched"])
    assert store.get_validators(url) == (ETAG, LAST_MODIFIED)
    assert StoreValidatorCache(store).get(url) == Validators(ETAG, LAST_MODIFIED)
    cache.commit([url])  # committed once: nothing is held any more
    assert store.get_validators(url) == (ETAG, LAST_MODIFIED)


def test_forget_drops_held_and_stored_validators(store: Store) -> None:
    url = "https://example.org/feed.rss"
    cache = StoreValidatorCache(store)
    cache.put(url, Validators(ETAG, LAST_MODIFIED))
    cache.forget(url)
    assert cache.get(url) is None
    cache.put(url, Validators(ETAG, LAST_MODIFIED))
    cache.commit([url])
    cache.forget(url)
    assert cache.get(url) == Validators(None, None)  # nothing to send: the next GET is whole
    cache.forget("https://example.org/never-seen")  # nothing to forget is no error


def test_a_page_answering_503_is_stored_by_the_next_watch_pass(store: Store) -> None:
    page = article_html("Starmer and Biden discuss Storm Shadow", distinct_paragraphs(2))
    answers = iter([(503, {"Retry-After": "120"}, b"down")])
    with serve() as server:
        feed = (
            '<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>'
            f"<item><title>Storm Shadow</title><link>{server.base}/story</link></item>"
            "</channel></rss>"
        ).encode()
        conditional_route(server, "/feed.rss", feed)
        server.routes["/story"] = lambda _request: next(
            answers, (200, {"Content-Type": "text/html"}, page)
        )
        with quick_fetcher() as fetcher:
            ingester = Ingester(store, fetcher, IngestOptions(analyse=False))  # one watch
            ingester.run([server.base + "/feed.rss"])
            first = ingester.counts.as_dict()
            ingester.run([server.base + "/feed.rss"])
            second = ingester.counts.as_dict()
    assert first["rejected"] == 1 and first["new"] == 0
    (rejected,) = store.rejections()
    assert "503" in rejected.rejection.detail and "retry later" in rejected.rejection.detail
    assert second["new"] == 1 and second["rejected"] == 0
    assert [s.article.title for s in store.iter_articles()] == [
        "Starmer and Biden discuss Storm Shadow"
    ]
