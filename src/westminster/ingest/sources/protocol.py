"""The one Source protocol (fundus' habit): every source yields RawPage or Rejection."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Protocol

from westminster.errors import InputError
from westminster.ingest.fetcher import Fetcher
from westminster.models import RawPage, Rejection

# Content types that can hold an article; anything else is recorded as a rejection. "" means
# "not declared": the cleaner sniffs it.
PAGE_TYPES = frozenset({"text/html", "application/xhtml+xml", "text/plain", ""})
# Listed pages (feed and sitemap entries) are fetched a few at a time; the fetcher still paces
# each host, so this only overlaps waits on different hosts.
LISTED_FETCH_WORKERS = 4


class Source(Protocol):
    """Something that yields raw pages (and a Rejection for each item it cannot read)."""

    name: str

    def fetch(self) -> Iterator[RawPage | Rejection]:
        """Every page of the source, in a stable order; failures as Rejections, never raised."""
        ...


@dataclass(frozen=True)
class Hints:
    """What a listing (feed entry, sitemap entry) says about a page before it is fetched."""

    title: str | None = None
    published: datetime | None = None
    author: str | None = None
    outlet: str | None = None


def fetch_listed(
    fetcher: Fetcher, listed: Sequence[tuple[str, Hints]], *, workers: int = LISTED_FETCH_WORKERS
) -> Iterator[RawPage | Rejection]:
    """Fetch each listed URL politely, in order, and attach the listing's hints to its page."""
    pages = fetcher.fetch_all((url for url, _ in listed), workers=workers)
    for (_, hints), page in zip(listed, pages, strict=True):
        item = page_or_rejection(page, "fetch")
        if isinstance(item, Rejection):
            yield item
            continue
        yield replace(
            item,
            title_hint=hints.title,
            published_hint=hints.published,
            author_hint=hints.author,
            outlet_hint=hints.outlet,
        )


def page_or_rejection(page: RawPage | Rejection, stage: str) -> RawPage | Rejection:
    """Pass a page on, or a Rejection when its content type cannot be an article."""
    if isinstance(page, Rejection) or page.status == 304 or page.content_type in PAGE_TYPES:
        return page
    detail = f"is {page.content_type}, not an HTML or text page; skipped"
    return Rejection(stage, InputError.code, detail, page.url or page.source)
