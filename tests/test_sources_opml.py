"""OPML lists of feeds: each listed feed is read; a bad one is recorded and the rest go on."""

from __future__ import annotations

from pathlib import Path

from tests.local_http import serve
from westminster.ingest.fetcher import Fetcher, FetchSettings
from westminster.ingest.sources.opml import OpmlSource, parse_opml
from westminster.models import RawPage, Rejection

LOCAL = FetchSettings(allow_loopback=True, host_interval_s=0.0, respect_robots=False)
HTML = b"<html><body><p>Story.</p></body></html>"


def opml(*urls: str) -> bytes:
    outlines = "".join(f'<outline text="f" type="rss" xmlUrl="{u}"/>' for u in urls)
    return (
        '<?xml version="1.0"?><opml version="2.0"><head><title>Feeds</title></head><body>'
        f'<outline text="Politics">{outlines}</outline></body></opml>'
    ).encode()


def test_parse_nested_outlines_without_repeats() -> None:
    urls = parse_opml(opml("http://a/rss", "http://b/atom", "http://a/rss"), "list.opml")
    assert urls == ["http://a/rss", "http://b/atom"]
    bad = parse_opml(b"<html/>", "x.opml")
    assert isinstance(bad, Rejection) and "not OPML" in bad.detail


def test_every_feed_is_read(tmp_path: Path) -> None:
    with serve() as server:
        feed = (
            '<rss version="2.0"><channel><title>Desk</title>'
            f"<item><title>One</title><link>{server.base}/one</link></item></channel></rss>"
        ).encode()
        server.route("/good.rss", 200, feed)
        server.route("/one", 200, HTML, Content_Type="text/html")
        path = tmp_path / "feeds.opml"
        path.write_bytes(opml(server.base + "/missing.rss", server.base + "/good.rss"))
        with Fetcher(LOCAL, sleep=lambda _s: None) as fetcher:
            items = list(OpmlSource(str(path), fetcher=fetcher, max_bytes=10**6).fetch())
    first, second = items
    assert isinstance(first, Rejection) and "HTTP 404" in first.detail
    assert isinstance(second, RawPage) and second.title_hint == "One"
    assert second.outlet_hint == "Desk"
