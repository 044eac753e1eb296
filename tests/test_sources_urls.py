"""Single URLs: the page, or a Rejection (non-HTML content included)."""

from __future__ import annotations

from tests.local_http import serve
from westminster.ingest.fetcher import Fetcher, FetchSettings
from westminster.ingest.sources.urls import UrlSource
from westminster.models import RawPage, Rejection

LOCAL = FetchSettings(allow_loopback=True, host_interval_s=0.0, respect_robots=False)


def test_page_and_non_html() -> None:
    with serve() as server, Fetcher(LOCAL, sleep=lambda _s: None) as fetcher:
        server.route("/story", 200, b"<html><p>Hi</p></html>", Content_Type="text/html")
        server.route("/photo.jpg", 200, b"\xff\xd8\xff", Content_Type="image/jpeg")
        (page,) = UrlSource(server.base + "/story", fetcher=fetcher).fetch()
        (image,) = UrlSource(server.base + "/photo.jpg", fetcher=fetcher).fetch()
    assert isinstance(page, RawPage) and page.content.startswith(b"<html>")
    assert isinstance(image, Rejection) and "image/jpeg" in image.detail
