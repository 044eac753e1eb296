"""Raw pages, cleaned articles and rejections."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True)
class RawPage:
    """Bytes or text as fetched from any source (file, URL, feed, WARC), before cleaning."""

    content: bytes
    source: str  # the path or URL the user gave; named in every error
    content_type: str = ""  # "text/html", "text/plain", ... ("" = guess from content)
    url: str | None = None
    path: str | None = None
    encoding: str | None = None  # declared charset, if any
    # Ingestion metadata (all optional; sources fill what they know).
    fetched_at: datetime | None = None  # when the bytes were fetched (UTC)
    status: int | None = None  # HTTP status; 304 = not modified since the cached validators
    etag: str | None = None
    last_modified: str | None = None  # the Last-Modified header, verbatim
    record_id: str | None = None  # stable id within its source (WARC-Record-ID, JSONL id)
    title_hint: str | None = None  # headline from a feed, sitemap or JSONL record
    published_hint: datetime | None = None  # publication time from a feed, sitemap or record
    author_hint: str | None = None
    outlet_hint: str | None = None  # feed title, sitemap publication name or JSONL outlet


@dataclass(frozen=True)
class RemovedLine:
    """A line dropped as boilerplate, with the rule that dropped it."""

    text: str
    reason: str


@dataclass(frozen=True)
class Article:
    """A cleaned article: headline, body text and metadata. Offsets elsewhere point into `text`."""

    title: str
    text: str
    published: date | None = None
    outlet: str | None = None
    author: str | None = None
    path: str | None = None
    url: str | None = None
    removed: tuple[RemovedLine, ...] = ()
    published_source: str = ""  # where `published` came from: "page", "option", "today"

    @property
    def paragraphs(self) -> list[str]:
        """Body paragraphs (non-empty lines)."""
        return [line for line in self.text.split("\n") if line.strip()]


@dataclass(frozen=True)
class Rejection:
    """A recorded failure of one item at one stage; a batch records it and goes on."""

    stage: str  # "read", "fetch", "extract", "analyse"
    code: str  # error code, e.g. "W100"
    detail: str  # plain-language message
    input: str  # the path or URL
    transient: bool = False  # True when trying again later may succeed (timeouts, 429, 5xx)
