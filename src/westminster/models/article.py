"""Raw pages, cleaned articles and rejections."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class RawPage:
    """Bytes or text as fetched from any source (file, URL, feed, WARC), before cleaning."""

    content: bytes
    source: str  # the path or URL the user gave; named in every error
    content_type: str = ""  # "text/html", "text/plain", ... ("" = guess from content)
    url: str | None = None
    path: str | None = None
    encoding: str | None = None  # declared charset, if any


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
