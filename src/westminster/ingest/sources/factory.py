"""Pick the Source for a spec: by URL, file extension, and when those say nothing, content."""

from __future__ import annotations

from collections.abc import Container
from pathlib import Path
from urllib.parse import urlsplit

from westminster.errors import InputError
from westminster.ingest.fetcher import Fetcher
from westminster.ingest.sources.directory import PAGE_SUFFIXES, DirectorySource
from westminster.ingest.sources.feeds import FeedSource, is_url
from westminster.ingest.sources.jsonl import JsonlSource
from westminster.ingest.sources.opml import OpmlSource
from westminster.ingest.sources.protocol import Source
from westminster.ingest.sources.sitemaps import SitemapSource
from westminster.ingest.sources.sniff import head_bytes, kind_of, read_head
from westminster.ingest.sources.urls import UrlSource
from westminster.ingest.sources.warc import WarcSource
from westminster.models import RawPage, Rejection

ARCHIVE_SUFFIXES = (".warc", ".warc.gz", ".arc", ".arc.gz")
JSONL_SUFFIXES = (".jsonl", ".ndjson")
FEED_SUFFIXES = (".rss", ".atom")
SITEMAP_SUFFIXES = (".xml", ".xml.gz")
# Path segments that mark a feed URL on news sites ("/politics/rss", "/feed/", "/atom.xml").
FEED_SEGMENTS = frozenset({"rss", "feed", "feeds", "atom", "rss.xml", "atom.xml", "feed.xml"})


def source_for(
    spec: str,
    *,
    fetcher: Fetcher,
    max_bytes: int | None = None,
    skip: Container[str] = frozenset(),
) -> Source:
    """The Source for a path or URL; InputError when it is missing or of no known kind."""
    limit = max_bytes if max_bytes is not None else fetcher.settings.max_bytes
    if is_url(spec):
        return _url_source(spec, fetcher, limit)
    path = Path(spec)
    if path.is_dir():
        return DirectorySource(path, max_bytes=limit)
    if not path.is_file():
        raise InputError("no such file or directory", subject=spec, fix="check the path")
    name = path.name.lower()
    if name.endswith(ARCHIVE_SUFFIXES):
        return WarcSource(path, max_bytes=limit, skip=skip)
    if name.endswith(JSONL_SUFFIXES):
        return JsonlSource(path, max_bytes=limit, skip=skip)
    if name.endswith(".opml"):
        return OpmlSource(spec, fetcher=fetcher, max_bytes=limit)
    if name.endswith(FEED_SUFFIXES):
        return FeedSource(spec, fetcher=fetcher, max_bytes=limit)
    kind = kind_of(read_head(spec))
    if kind in ("warc", "arc"):
        return WarcSource(path, max_bytes=limit, skip=skip)
    if kind == "feed":
        return FeedSource(spec, fetcher=fetcher, max_bytes=limit)
    if kind == "sitemap":
        return SitemapSource(spec, fetcher=fetcher, max_bytes=limit)
    if kind == "opml":
        return OpmlSource(spec, fetcher=fetcher, max_bytes=limit)
    if path.suffix.lower() in PAGE_SUFFIXES:
        return DirectorySource(path, max_bytes=limit)
    raise InputError(
        "is not a source this tool reads",
        subject=spec,
        fix="give a folder, .jsonl, .warc(.gz), .arc(.gz), .opml, an RSS/Atom feed or a sitemap",
    )


def _url_source(url: str, fetcher: Fetcher, limit: int) -> Source:
    path = urlsplit(url).path.lower()
    segments = [s for s in path.split("/") if s]
    last = segments[-1] if segments else ""
    if last.endswith(".opml"):
        return OpmlSource(url, fetcher=fetcher, max_bytes=limit)
    if "sitemap" in last and last.endswith(SITEMAP_SUFFIXES):
        return SitemapSource(url, fetcher=fetcher, max_bytes=limit)
    if last.endswith(FEED_SUFFIXES) or FEED_SEGMENTS.intersection(segments):
        return FeedSource(url, fetcher=fetcher, max_bytes=limit)
    # Nothing in the URL says what it is: fetch it once and let the content decide, handing
    # the bytes on so the page is not fetched twice (a second GET would be a 304).
    page = fetcher.fetch(url)
    if isinstance(page, Rejection):
        return UrlSource(url, fetcher=fetcher, prefetched=page)
    return _by_content(url, page, fetcher, limit)


def _by_content(url: str, page: RawPage, fetcher: Fetcher, limit: int) -> Source:
    kind = kind_of(head_bytes(page.content))
    if kind == "feed" or page.content_type in ("application/rss+xml", "application/atom+xml"):
        return FeedSource(url, fetcher=fetcher, max_bytes=limit, prefetched=page)
    if kind == "sitemap":
        return SitemapSource(url, fetcher=fetcher, max_bytes=limit, prefetched=page)
    if kind == "opml":
        return OpmlSource(url, fetcher=fetcher, max_bytes=limit, prefetched=page)
    return UrlSource(url, fetcher=fetcher, prefetched=page)
