"""Single URLs: one page each, fetched politely."""

from __future__ import annotations

from collections.abc import Iterator

from westminster.ingest.fetcher import Fetcher
from westminster.ingest.sources.protocol import page_or_rejection
from westminster.models import RawPage, Rejection


class UrlSource:
    """One web page (already fetched when the factory had to look at it to decide)."""

    def __init__(
        self, url: str, *, fetcher: Fetcher, prefetched: RawPage | Rejection | None = None
    ):
        self.name = url
        self.fetcher = fetcher
        self.prefetched = prefetched

    def fetch(self) -> Iterator[RawPage | Rejection]:
        """The page, or a Rejection saying why it could not be had."""
        page = self.prefetched if self.prefetched is not None else self.fetcher.fetch(self.name)
        yield page_or_rejection(page, "fetch")
