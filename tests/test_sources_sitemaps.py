"""News sitemaps and indexes served by a real local server."""

from __future__ import annotations

import gzip
from collections.abc import Callable, Iterator
from datetime import UTC, datetime

import pytest

from tests.local_http import LocalServer, Route, serve
from westminster.ingest.fetcher import Fetcher, FetchSettings
from westminster.ingest.sources.sitemaps import ParsedSitemap, SitemapSource, parse_sitemap
from westminster.models import RawPage, Rejection

LOCAL = FetchSettings(allow_loopback=True, host_interval_s=0.0, respect_robots=False)
HTML = b"<html><body><p>Story.</p></body></html>"
NS = (
    'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
    'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"'
)


def news_urlset(base: str) -> bytes:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<urlset {NS}>
  <url><loc>{base}/politics/1</loc>
    <news:news><news:publication><news:name>Example Times</news:name>
      <news:language>en</news:language></news:publication>
      <news:publication_date>2024-09-13T08:00:00+01:00</news:publication_date>
      <news:title>PM meets President</news:title></news:news></url>
  <url><loc>{base}/politics/old</loc><lastmod>2020-01-01</lastmod></url>
</urlset>""".encode()


def index(base: str) -> bytes:
    return f"""<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>{base}/news.xml.gz</loc></sitemap><sitemap><loc>{base}/broken.xml</loc></sitemap>
</sitemapindex>""".encode()


@pytest.fixture()
def server() -> Iterator[LocalServer]:
    with serve() as running:
        running.route("/sitemap_index.xml", 200, index(running.base))
        running.route("/news.xml.gz", 200, gzip.compress(news_urlset(running.base)))
        running.route("/broken.xml", 200, b"<urlset><url><loc>oops")
        running.route("/politics/1", 200, HTML, Content_Type="text/html")
        running.route("/politics/old", 200, HTML, Content_Type="text/html")
        yield running


def test_news_metadata_is_parsed() -> None:
    parsed = parse_sitemap(news_urlset("https://x.example"), "s", max_bytes=10**6)
    assert isinstance(parsed, ParsedSitemap)
    first, second = parsed.entries
    assert first.title == "PM meets President" and first.publication == "Example Times"
    assert first.published == datetime(2024, 9, 13, 7, 0, tzinfo=UTC)
    assert second.lastmod == datetime(2020, 1, 1, tzinfo=UTC) and second.published is None


def test_index_is_followed_and_pages_carry_hints(server: LocalServer) -> None:
    with Fetcher(LOCAL, sleep=lambda _s: None) as fetcher:
        source = SitemapSource(server.base + "/sitemap_index.xml", fetcher=fetcher, max_bytes=10**6)
        items = list(source.fetch())
    pages = [i for i in items if isinstance(i, RawPage)]
    rejections = [i for i in items if isinstance(i, Rejection)]
    assert [p.url for p in pages] == [server.base + "/politics/1", server.base + "/politics/old"]
    assert pages[0].title_hint == "PM meets President" and pages[0].outlet_hint == "Example Times"
    assert pages[0].published_hint == datetime(2024, 9, 13, 7, 0, tzinfo=UTC)
    (broken,) = rejections
    assert broken.input == server.base + "/broken.xml" and "not a readable sitemap" in broken.detail


def test_since_skips_older_entries(server: LocalServer) -> None:
    since = datetime(2024, 1, 1, tzinfo=UTC)
    with Fetcher(LOCAL, sleep=lambda _s: None) as fetcher:
        source = SitemapSource(
            server.base + "/news.xml.gz", fetcher=fetcher, max_bytes=10**6, since=since
        )
        pages = [i for i in source.fetch() if isinstance(i, RawPage)]
    assert [p.url for p in pages] == [server.base + "/politics/1"]


def test_gzip_bomb_and_non_sitemaps_are_rejected() -> None:
    bomb = gzip.compress(b"<urlset>" + b" " * 5_000_000 + b"</urlset>")
    result = parse_sitemap(bomb, "bomb.xml.gz", max_bytes=1_000_000)
    assert isinstance(result, Rejection) and "limit" in result.detail
    html = parse_sitemap(b"<html><body/></html>", "page", max_bytes=1000)
    assert isinstance(html, Rejection) and "<html>" in html.detail


def test_entity_expansion_bomb_is_rejected() -> None:
    entities = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)
    ]
    lol = (
        '<?xml version="1.0"?><!DOCTYPE lolz [' + "".join(entities) + "]>"
        "<urlset><url><loc>&lol9;</loc></url></urlset>"
    ).encode()
    result = parse_sitemap(lol, "lol.xml", max_bytes=10**6)
    assert isinstance(result, Rejection) and "not a readable sitemap" in result.detail


def test_an_unchanged_index_still_leads_to_its_changed_news_sitemap(server: LocalServer) -> None:
    def conditional(etag: str, body: Callable[[], bytes]) -> Route:
        return lambda request: (
            (304, {"ETag": etag}, b"")
            if request.headers.get("if-none-match") == etag
            else (200, {"ETag": etag}, body())
        )

    listed = [news_urlset(server.base)]
    server.routes["/sitemap_index.xml"] = conditional('"i1"', lambda: index(server.base))
    server.routes["/news.xml.gz"] = lambda request: (
        (304, {}, b"")
        if request.headers.get("if-none-match") == f'"n{len(listed)}"'
        else (200, {"ETag": f'"n{len(listed)}"'}, gzip.compress(listed[-1]))
    )
    server.route("/politics/2", 200, HTML, Content_Type="text/html")
    with Fetcher(LOCAL, sleep=lambda _s: None) as fetcher:
        source = SitemapSource(server.base + "/sitemap_index.xml", fetcher=fetcher, max_bytes=10**6)
        first = [i.url for i in source.fetch() if isinstance(i, RawPage)]
        unchanged = [i.url for i in source.fetch() if isinstance(i, RawPage)]
        listed.append(listed[0].replace(b"/politics/old", b"/politics/2"))  # news moves on
        changed = [i.url for i in source.fetch() if isinstance(i, RawPage)]
    assert first == [server.base + "/politics/1", server.base + "/politics/old"]
    assert unchanged == []  # the news sitemap answered 304
    assert server.base + "/politics/2" in changed
    asked = [r.headers.get("if-none-match") for r in server.requests if r.path == "/news.xml.gz"]
    assert asked == [None, '"n1"', '"n1"']


def test_pages_left_for_later_are_fetched_on_the_next_poll(server: LocalServer) -> None:
    answers = iter([(429, {"Retry-After": "3600"}, b"slow down")])
    server.routes["/politics/1"] = lambda _request: next(
        answers, (200, {"Content-Type": "text/html"}, HTML)
    )
    server.routes["/news.xml.gz"] = lambda request: (
        (304, {}, b"")
        if request.headers.get("if-none-match") == '"n1"'
        else (200, {"ETag": '"n1"'}, gzip.compress(news_urlset(server.base)))
    )
    with Fetcher(LOCAL, sleep=lambda _s: None) as fetcher:
        source = SitemapSource(server.base + "/news.xml.gz", fetcher=fetcher, max_bytes=10**6)
        first = list(source.fetch())
        second = list(source.fetch())
        third = list(source.fetch())
    (later,) = [i for i in first if isinstance(i, Rejection)]
    assert later.transient and "429" in later.detail and "retry later" in later.detail
    assert server.base + "/politics/1" in [i.url for i in second if isinstance(i, RawPage)]
    assert third == []
