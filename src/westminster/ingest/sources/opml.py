"""OPML lists of feeds: every outline with an xmlUrl becomes a FeedSource."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

from westminster.errors import InputError
from westminster.ingest.fetcher import Fetcher
from westminster.ingest.sources.feeds import FeedSource, is_url
from westminster.models import RawPage, Rejection

STAGE = "opml"


def parse_opml(content: bytes, source: str) -> list[str] | Rejection:
    """The feed URLs of an OPML document, in document order, without repeats."""
    try:
        root = ET.fromstring(content)
    except ET.ParseError as exc:
        return Rejection(STAGE, InputError.code, f"not readable OPML ({exc})", source)
    if root.tag.lower() != "opml":
        return Rejection(STAGE, InputError.code, f"not OPML (root element <{root.tag}>)", source)
    urls: list[str] = []
    for outline in root.iter("outline"):
        url = (outline.get("xmlUrl") or outline.get("xmlurl") or "").strip()
        if url and url not in urls:
            urls.append(url)
    return urls


class OpmlSource:
    """The pages of every feed an OPML file (or URL) lists; a bad feed does not stop the rest."""

    def __init__(
        self,
        spec: str,
        *,
        fetcher: Fetcher,
        max_bytes: int,
        prefetched: RawPage | None = None,
    ):
        self.name = spec
        self.fetcher = fetcher
        self.max_bytes = max_bytes
        self.prefetched = prefetched

    def feeds(self) -> list[str] | Rejection:
        """The feed URLs the list names."""
        if self.prefetched is not None:
            return parse_opml(self.prefetched.content, self.name)
        if is_url(self.name):
            page = self.fetcher.fetch(self.name, conditional=False)
            if isinstance(page, Rejection):
                return page
            return parse_opml(page.content, self.name)
        try:
            return parse_opml(Path(self.name).read_bytes(), self.name)
        except OSError as exc:
            return Rejection(STAGE, InputError.code, f"cannot be read: {exc.strerror}", self.name)

    def fetch(self) -> Iterator[RawPage | Rejection]:
        """Each listed feed's pages, feed by feed in list order."""
        feeds = self.feeds()
        if isinstance(feeds, Rejection):
            yield feeds
            return
        for url in feeds:
            yield from FeedSource(url, fetcher=self.fetcher, max_bytes=self.max_bytes).fetch()
