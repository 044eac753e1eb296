"""RSS and Atom feeds (feedparser): each entry's link is fetched as a page, with feed metadata."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import feedparser

from westminster.errors import InputError
from westminster.ingest.fetcher import Fetcher
from westminster.ingest.sources.protocol import Hints, fetch_listed
from westminster.models import RawPage, Rejection

STAGE = "feed"


@dataclass(frozen=True)
class FeedEntry:
    """One feed item: where the article is and what the feed says about it."""

    link: str | None
    title: str | None = None
    published: datetime | None = None
    author: str | None = None
    entry_id: str | None = None


@dataclass(frozen=True)
class ParsedFeed:
    """A parsed feed: its title, format and entries (a recovered error noted in `warning`)."""

    title: str | None
    version: str
    entries: tuple[FeedEntry, ...]
    warning: str | None = None


def is_url(spec: str) -> bool:
    """Whether a source spec is an http(s) URL rather than a path."""
    return spec.startswith(("http://", "https://"))


def _when(parsed: Any) -> datetime | None:
    if not isinstance(parsed, time.struct_time):
        return None
    try:
        return datetime(*parsed[:6], tzinfo=UTC)
    except ValueError:
        return None


def _text(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def parse_feed(
    content: bytes, source: str, *, base_url: str | None = None
) -> ParsedFeed | Rejection:
    """Parse RSS 0.9x/1.0/2.0 or Atom; a Rejection with the parser's reason when it is not one."""
    # Without a content type feedparser flags even a valid feed as suspect; the bytes decide.
    headers = {"content-type": "application/xml"}
    if base_url:
        headers["content-location"] = base_url  # resolves relative entry links
    parsed = feedparser.parse(content, response_headers=headers)
    problem = parsed.get("bozo_exception")
    if not parsed.entries and (parsed.bozo or not parsed.version):
        reason = f"not a readable RSS or Atom feed ({problem})" if problem else "not a feed"
        return Rejection(STAGE, InputError.code, reason, source)
    entries = tuple(
        FeedEntry(
            link=_text(entry.get("link")),
            title=_text(entry.get("title")),
            # dict.get skips feedparser's deprecated updated->published fallback mapping.
            published=_when(
                dict.get(entry, "published_parsed") or dict.get(entry, "updated_parsed")
            ),
            author=_text(entry.get("author")),
            entry_id=_text(entry.get("id")),
        )
        for entry in parsed.entries
    )
    warning = f"parsed despite: {problem}" if parsed.bozo and problem else None
    return ParsedFeed(_text(parsed.feed.get("title")), parsed.version or "", entries, warning)


class FeedSource:
    """A feed (URL or file) whose entries' pages are fetched and yielded with the feed's hints."""

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
        self.prefetched = prefetched  # the feed's own bytes, when the factory fetched them

    def read(self) -> ParsedFeed | Rejection | None:
        """The parsed feed, a Rejection, or None when the feed is unchanged since last time."""
        if self.prefetched is not None:
            return parse_feed(self.prefetched.content, self.name, base_url=self.prefetched.url)
        if is_url(self.name):
            page = self.fetcher.fetch(self.name)
            if isinstance(page, Rejection):
                return page
            if page.status == 304:
                return None
            return parse_feed(page.content, self.name, base_url=page.url)
        path = Path(self.name)
        try:
            if path.stat().st_size > self.max_bytes:
                detail = f"is over the {self.max_bytes:,}-byte limit"
                return Rejection(STAGE, InputError.code, detail, self.name)
            content = path.read_bytes()
        except OSError as exc:
            detail = f"cannot be read: {exc.strerror or exc}"
            return Rejection(STAGE, InputError.code, detail, self.name)
        return parse_feed(content, self.name)

    def fetch(self) -> Iterator[RawPage | Rejection]:
        """Each entry's page, in feed order, carrying title, published, author and outlet."""
        feed = self.read()
        if feed is None:
            return
        if isinstance(feed, Rejection):
            yield feed
            return
        linked = [entry for entry in feed.entries if entry.link]
        for entry in feed.entries:
            if not entry.link:
                detail = f"feed entry {entry.title or entry.entry_id or '?'!r} has no link"
                yield Rejection(STAGE, InputError.code, detail, self.name)
        listed = [
            (entry.link, Hints(entry.title, entry.published, entry.author, feed.title))
            for entry in linked
            if entry.link
        ]
        later = False
        for item in fetch_listed(self.fetcher, listed):
            later = later or (isinstance(item, Rejection) and item.transient)
            yield item
        if later and is_url(self.name):
            # Entries left for later (429, 5xx, timeouts) are tried again only if the next
            # poll lists them, which a 304 for the feed would not.
            self.fetcher.read_whole_next_time(self.name)
