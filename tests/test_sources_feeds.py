"""RSS/Atom feeds: the real rss-parser corpus parses to its expected item counts; pages fetched."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.conftest import SHARED_DATA, needs_shared_data
from tests.local_http import LocalServer, Route, serve
from westminster.ingest.fetcher import Fetcher, FetchSettings
from westminster.ingest.sources.feeds import FeedSource, ParsedFeed, parse_feed
from westminster.models import RawPage, Rejection

FEEDS = SHARED_DATA / "feeds" / "rss-parser" / "test"
# rss-parser's own tests expect these two to fail: an HTML "Document Moved" page, and a feed
# without an expected output (kept to show a recoverable XML error still yields its items).
NOT_A_FEED = "unrecognized.rss"
RECOVERED = "itunes-missing-image.rss"
LOCAL = FetchSettings(allow_loopback=True, host_interval_s=0.0, respect_robots=False)
HTML = b"<html><head><title>Story</title></head><body><p>Body.</p></body></html>"


def expected_count(feed: Path) -> int:
    output = FEEDS / "output" / (feed.stem + ".json")
    data = json.loads(output.read_bytes().decode("utf-8", errors="replace"))
    return len(data["feed"]["items"])


def feeds_with_expectations() -> list[Path]:
    if not FEEDS.exists():
        return []
    inputs = sorted((FEEDS / "input").iterdir())
    return [f for f in inputs if (FEEDS / "output" / (f.stem + ".json")).exists()]


@needs_shared_data
@pytest.mark.parametrize("feed", feeds_with_expectations(), ids=lambda p: p.name)
def test_real_feed_parses_to_the_expected_item_count(feed: Path) -> None:
    parsed = parse_feed(feed.read_bytes(), str(feed))
    assert isinstance(parsed, ParsedFeed), parsed
    assert len(parsed.entries) == expected_count(feed)


@needs_shared_data
def test_every_feed_in_the_corpus_is_covered() -> None:
    assert len(list((FEEDS / "input").iterdir())) == 31
    assert len(feeds_with_expectations()) == 29


@needs_shared_data
def test_html_page_is_rejected_with_the_reason() -> None:
    path = FEEDS / "input" / NOT_A_FEED
    result = parse_feed(path.read_bytes(), str(path))
    assert isinstance(result, Rejection) and result.stage == "feed"
    assert "not a readable RSS or Atom feed" in result.detail and result.input == str(path)


@needs_shared_data
def test_recoverable_xml_error_keeps_items_and_notes_it() -> None:
    path = FEEDS / "input" / RECOVERED
    parsed = parse_feed(path.read_bytes(), str(path))
    assert isinstance(parsed, ParsedFeed) and parsed.entries
    assert parsed.warning and "XML or text declaration" in parsed.warning


@needs_shared_data
def test_feed_metadata_is_kept() -> None:
    path = FEEDS / "input" / "guardian.rss"
    parsed = parse_feed(path.read_bytes(), str(path))
    assert isinstance(parsed, ParsedFeed)
    first = parsed.entries[0]
    assert first.title and first.title.startswith("Trump State of the Union")
    assert first.published == datetime(2018, 1, 31, 7, 26, 5, tzinfo=UTC)
    assert first.author == "David Smith in Washington"
    assert first.link and first.link.startswith("https://www.theguardian.com/")


def rss(base: str) -> bytes:
    items = "".join(
        f"<item><title>{title}</title>{link}<pubDate>Fri, 13 Sep 2024 10:00:00 GMT</pubDate>"
        "<author>desk@example.org (Politics Desk)</author></item>"
        for title, link in [
            ("Good story", f"<link>{base}/good</link>"),
            ("Missing story", f"<link>{base}/missing</link>"),
            ("No link", ""),
            ("A PDF", f"<link>{base}/report.pdf</link>"),
            ("Second story", f"<link>{base}/second</link>"),
        ]
    )
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Example Politics</title>'
        f"<link>{base}/</link>{items}</channel></rss>"
    ).encode()


@pytest.fixture()
def server() -> Iterator[LocalServer]:
    with serve() as running:
        running.route("/feed.rss", 200, rss(running.base), Content_Type="application/rss+xml")
        running.route("/good", 200, HTML, Content_Type="text/html; charset=utf-8")
        running.route("/second", 200, HTML, Content_Type="text/html")
        running.route("/report.pdf", 200, b"%PDF-1.4", Content_Type="application/pdf")
        running.route("/broken.rss", 200, b"<html><body>Moved</body></html>junk<")
        yield running


def test_feed_entries_become_pages_with_hints_and_failures_become_rejections(
    server: LocalServer,
) -> None:
    with Fetcher(LOCAL, sleep=lambda _s: None) as fetcher:
        items = list(
            FeedSource(server.base + "/feed.rss", fetcher=fetcher, max_bytes=10**6).fetch()
        )
    pages = [i for i in items if isinstance(i, RawPage)]
    rejections = [i for i in items if isinstance(i, Rejection)]
    assert [p.url for p in pages] == [server.base + "/good", server.base + "/second"]
    good = pages[0]
    assert good.title_hint == "Good story" and good.outlet_hint == "Example Politics"
    assert good.published_hint == datetime(2024, 9, 13, 10, 0, tzinfo=UTC)
    assert good.author_hint and "desk@example.org" in good.author_hint
    reasons = sorted(r.detail for r in rejections)
    assert any("HTTP 404" in r for r in reasons)
    assert any("has no link" in r for r in reasons)
    assert any("application/pdf" in r for r in reasons)


def test_broken_feed_is_a_rejection_and_the_run_goes_on(server: LocalServer) -> None:
    with Fetcher(LOCAL, sleep=lambda _s: None) as fetcher:
        broken = list(
            FeedSource(server.base + "/broken.rss", fetcher=fetcher, max_bytes=10**6).fetch()
        )
        after = list(
            FeedSource(server.base + "/feed.rss", fetcher=fetcher, max_bytes=10**6).fetch()
        )
    assert len(broken) == 1 and isinstance(broken[0], Rejection)
    assert any(isinstance(i, RawPage) for i in after)


def test_unchanged_feed_yields_nothing_on_the_next_poll(server: LocalServer) -> None:
    body = rss(server.base)
    server.routes["/feed.rss"] = lambda request: (
        (304, {}, b"")
        if request.headers.get("if-none-match") == '"f1"'
        else (200, {"ETag": '"f1"'}, body)
    )
    with Fetcher(LOCAL, sleep=lambda _s: None) as fetcher:
        source = FeedSource(server.base + "/feed.rss", fetcher=fetcher, max_bytes=10**6)
        first = list(source.fetch())
        second = list(source.fetch())
    assert first and second == []


def test_feed_file_on_disk(tmp_path: Path) -> None:
    path = tmp_path / "local.rss"
    path.write_bytes(rss("http://10.0.0.1"))  # links to a private address: refused, recorded
    with Fetcher(FetchSettings(respect_robots=False), sleep=lambda _s: None) as fetcher:
        items = list(FeedSource(str(path), fetcher=fetcher, max_bytes=10**6).fetch())
    assert items and all(isinstance(i, Rejection) for i in items)
    assert any("private" in i.detail for i in items if isinstance(i, Rejection))


def conditional(body: bytes, etag: str) -> Route:
    """Answer 304 when the client holds the ETag, else the body with it."""
    return lambda request: (
        (304, {"ETag": etag}, b"")
        if request.headers.get("if-none-match") == etag
        else (200, {"ETag": etag, "Content-Type": "application/rss+xml"}, body)
    )


def test_entries_left_for_later_are_fetched_on_the_next_poll(server: LocalServer) -> None:
    answers = iter([(503, {}, b"busy"), (200, {"Content-Type": "text/html"}, HTML)])
    server.routes["/missing"] = lambda _request: next(answers)  # down first, then back
    server.routes["/feed.rss"] = conditional(rss(server.base), '"f1"')
    once = FetchSettings(
        allow_loopback=True, host_interval_s=0.0, respect_robots=False, max_attempts=1
    )
    with Fetcher(once, sleep=lambda _s: None) as fetcher:
        source = FeedSource(server.base + "/feed.rss", fetcher=fetcher, max_bytes=10**6)
        first = list(source.fetch())
        second = list(source.fetch())
        third = list(source.fetch())
    (later,) = [i for i in first if isinstance(i, Rejection) and i.transient]
    assert later.input == server.base + "/missing" and "503" in later.detail
    # The feed was read whole again (not a 304), so the page left for later was fetched.
    assert server.base + "/missing" in [i.url for i in second if isinstance(i, RawPage)]
    assert third == []  # nothing left for later: the unchanged feed lists nothing
    polls = [r.headers.get("if-none-match") for r in server.requests if r.path == "/feed.rss"]
    assert polls == [None, None, '"f1"']


ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Example Atom Politics</title>
<entry><title>Atom story</title><link href="/good"/><id>urn:1</id>
<updated>2024-09-13T10:00:00Z</updated><author><name>Political Editor</name></author></entry>
</feed>"""


def test_atom_feed_entries_become_pages_with_hints(server: LocalServer) -> None:
    server.route("/feed.atom", 200, ATOM, Content_Type="application/atom+xml")
    with Fetcher(LOCAL, sleep=lambda _s: None) as fetcher:
        items = list(
            FeedSource(server.base + "/feed.atom", fetcher=fetcher, max_bytes=10**6).fetch()
        )
    (page,) = items
    assert isinstance(page, RawPage) and page.url == server.base + "/good"  # relative link
    assert page.title_hint == "Atom story" and page.outlet_hint == "Example Atom Politics"
    assert page.published_hint == datetime(2024, 9, 13, 10, 0, tzinfo=UTC)
    assert page.author_hint == "Political Editor"
