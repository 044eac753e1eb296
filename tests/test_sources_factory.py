"""source_for picks the right Source by URL, extension and content."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from tests.conftest import SHARED_DATA, needs_shared_data
from tests.local_http import serve
from westminster.errors import InputError
from westminster.ingest.fetcher import Fetcher, FetchSettings
from westminster.ingest.sources.directory import DirectorySource
from westminster.ingest.sources.factory import source_for
from westminster.ingest.sources.feeds import FeedSource
from westminster.ingest.sources.jsonl import JsonlSource
from westminster.ingest.sources.opml import OpmlSource
from westminster.ingest.sources.sitemaps import SitemapSource
from westminster.ingest.sources.urls import UrlSource
from westminster.ingest.sources.warc import WarcSource
from westminster.models import RawPage

LOCAL = FetchSettings(allow_loopback=True, host_interval_s=0.0, respect_robots=False)
RSS = b'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title></channel></rss>'
URLSET = b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"></urlset>'
OPML = b'<?xml version="1.0"?><!-- list --><opml version="2.0"><body/></opml>'


@pytest.fixture()
def fetcher() -> Fetcher:
    return Fetcher(LOCAL, sleep=lambda _s: None)


def test_local_files_by_extension_and_content(tmp_path: Path, fetcher: Fetcher) -> None:
    files = {
        "a.jsonl": (b"{}", JsonlSource),
        "a.warc.gz": (b"", WarcSource),
        "a.arc": (b"", WarcSource),
        "list.opml": (OPML, OpmlSource),
        "feed.atom": (b"", FeedSource),
        "feed.xml": (RSS, FeedSource),
        "map.xml.gz": (gzip.compress(URLSET), SitemapSource),
        "subs.xml": (OPML, OpmlSource),
        "crawl.dat": (b"WARC/1.0\r\n", WarcSource),
        "story.html": (b"<html></html>", DirectorySource),
    }
    for name, (content, kind) in files.items():
        (tmp_path / name).write_bytes(content)
        assert isinstance(source_for(str(tmp_path / name), fetcher=fetcher), kind), name
    assert isinstance(source_for(str(tmp_path), fetcher=fetcher), DirectorySource)


def test_unknown_and_missing_inputs_are_clear_errors(tmp_path: Path, fetcher: Fetcher) -> None:
    with pytest.raises(InputError, match="no such file"):
        source_for(str(tmp_path / "absent.rss"), fetcher=fetcher)
    (tmp_path / "data.bin").write_bytes(b"\x00\x01")
    with pytest.raises(InputError, match="not a source"):
        source_for(str(tmp_path / "data.bin"), fetcher=fetcher)


def test_urls_by_shape_then_by_content(fetcher: Fetcher) -> None:
    with serve() as server:
        server.route("/mystery", 200, RSS, Content_Type="text/xml")
        server.route("/map", 200, URLSET, Content_Type="application/xml")
        server.route("/page", 200, b"<!doctype html><html></html>", Content_Type="text/html")
        base = server.base
        assert isinstance(source_for(base + "/politics/rss", fetcher=fetcher), FeedSource)
        assert isinstance(source_for(base + "/news-sitemap.xml", fetcher=fetcher), SitemapSource)
        assert isinstance(source_for(base + "/feeds.opml", fetcher=fetcher), OpmlSource)
        assert server.requests == []  # decided by the URL alone
        mystery = source_for(base + "/mystery", fetcher=fetcher)
        assert isinstance(mystery, FeedSource)
        assert isinstance(source_for(base + "/map", fetcher=fetcher), SitemapSource)
        page = source_for(base + "/page", fetcher=fetcher)
        assert isinstance(page, UrlSource)
        assert list(mystery.fetch()) == []  # an empty feed, read from the bytes already fetched
        assert isinstance(next(iter(page.fetch())), RawPage)
        assert server.hits("/mystery") == 1 and server.hits("/page") == 1


@needs_shared_data
def test_real_samples(fetcher: Fetcher) -> None:
    feed = SHARED_DATA / "feeds" / "rss-parser" / "test" / "input" / "heise.atom"
    warc = SHARED_DATA / "warc-samples" / "test" / "data" / "example.warc.gz"
    assert isinstance(source_for(str(feed), fetcher=fetcher), FeedSource)
    assert isinstance(source_for(str(warc), fetcher=fetcher), WarcSource)
