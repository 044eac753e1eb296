"""News sitemaps and sitemap indexes: each <loc> is fetched as a page, with the news metadata."""

from __future__ import annotations

import gzip
import io
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from westminster.errors import InputError
from westminster.ingest.fetcher import Fetcher
from westminster.ingest.sources.feeds import is_url
from westminster.ingest.sources.protocol import Hints, fetch_listed
from westminster.ingest.sources.sniff import GZIP_MAGIC
from westminster.models import RawPage, Rejection

STAGE = "sitemap"
# Indexes point at sitemaps, which could point back: three levels cover every real site
# (Google itself does not nest indexes at all).
MAX_DEPTH = 3


@dataclass(frozen=True)
class SitemapEntry:
    """One <url>: its location and what the sitemap says about it."""

    loc: str
    lastmod: datetime | None = None
    published: datetime | None = None  # <news:publication_date>
    title: str | None = None  # <news:title>
    publication: str | None = None  # <news:publication><news:name>


@dataclass(frozen=True)
class ParsedSitemap:
    """A <urlset> (entries) or a <sitemapindex> (children: further sitemap URLs)."""

    entries: tuple[SitemapEntry, ...] = ()
    children: tuple[str, ...] = ()


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1].lower()


def _child_text(element: ET.Element, *path: str) -> str | None:
    node: ET.Element | None = element
    for name in path:
        node = next((c for c in node if _local(c.tag) == name), None) if node is not None else None
    text = node.text.strip() if node is not None and node.text else ""
    return text or None


def parse_date(text: str | None) -> datetime | None:
    """A W3C date or date-time (sitemaps' format) as an aware datetime; None when unreadable."""
    if not text:
        return None
    try:
        when = datetime.fromisoformat(text.strip())
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def _unzip(content: bytes, limit: int) -> bytes:
    if not content.startswith(GZIP_MAGIC):
        return content
    with gzip.GzipFile(fileobj=io.BytesIO(content)) as zipped:
        data = zipped.read(limit + 1)
    if len(data) > limit:
        raise ValueError(f"unzips to over the {limit:,}-byte limit")
    return data


def parse_sitemap(content: bytes, source: str, *, max_bytes: int) -> ParsedSitemap | Rejection:
    """Parse a (possibly gzipped) sitemap or sitemap index; a Rejection when it is neither."""
    try:
        # expat (2.4+) refuses entity-expansion bombs; sitemaps never need a DTD anyway.
        root = ET.fromstring(_unzip(content, max_bytes))
    except (ET.ParseError, ValueError, OSError, EOFError) as exc:
        return Rejection(STAGE, InputError.code, f"not a readable sitemap ({exc})", source)
    kind = _local(root.tag)
    if kind == "sitemapindex":
        children = [_child_text(s, "loc") for s in root if _local(s.tag) == "sitemap"]
        return ParsedSitemap(children=tuple(c for c in children if c))
    if kind != "urlset":
        return Rejection(STAGE, InputError.code, f"not a sitemap (root element <{kind}>)", source)
    entries = []
    for url in root:
        loc = _child_text(url, "loc") if _local(url.tag) == "url" else None
        if not loc:
            continue
        entries.append(
            SitemapEntry(
                loc=loc,
                lastmod=parse_date(_child_text(url, "lastmod")),
                published=parse_date(_child_text(url, "news", "publication_date")),
                title=_child_text(url, "news", "title"),
                publication=_child_text(url, "news", "publication", "name"),
            )
        )
    return ParsedSitemap(entries=tuple(entries))


class SitemapSource:
    """A sitemap or index (URL or file): the pages it lists, newest metadata attached."""

    def __init__(
        self,
        spec: str,
        *,
        fetcher: Fetcher,
        max_bytes: int,
        since: datetime | None = None,
        prefetched: RawPage | None = None,
    ):
        self.name = spec
        self.fetcher = fetcher
        self.max_bytes = max_bytes
        self.since = since  # skip entries published (or modified) before this
        self.prefetched = prefetched
        self._read: list[str] = []  # the sitemaps read (not 304) by this poll

    def _load(self, spec: str) -> bytes | Rejection | None:
        if self.prefetched is not None and spec == self.name:
            return self.prefetched.content
        if is_url(spec):
            page = self.fetcher.fetch(spec)
            if isinstance(page, Rejection):
                return page
            return None if page.status == 304 else page.content
        try:
            return Path(spec).read_bytes()
        except OSError as exc:
            return Rejection(STAGE, InputError.code, f"cannot be read: {exc.strerror}", spec)

    def entries(self) -> Iterator[SitemapEntry | Rejection]:
        """Every <url> entry reachable from this sitemap, indexes followed to MAX_DEPTH."""
        seen: set[str] = set()
        self._read = []
        pending = [(self.name, 0)]
        while pending:
            spec, depth = pending.pop(0)
            if spec in seen:
                continue
            seen.add(spec)
            content = self._load(spec)
            if content is None:
                continue  # unchanged since the last poll
            if isinstance(content, Rejection):
                yield content
                continue
            self._read.append(spec)
            parsed = parse_sitemap(content, spec, max_bytes=self.max_bytes)
            if isinstance(parsed, Rejection):
                yield parsed
                continue
            if parsed.children and is_url(spec):
                # An index is read whole every poll: a 304 for it would hide its children,
                # the news sitemaps that change (each fetched conditionally itself).
                self.fetcher.read_whole_next_time(spec)
            if parsed.children and depth + 1 > MAX_DEPTH:
                detail = f"sitemap indexes nest deeper than {MAX_DEPTH} levels"
                yield Rejection(STAGE, InputError.code, detail, spec)
                continue
            pending.extend((child, depth + 1) for child in parsed.children)
            yield from (e for e in parsed.entries if self._recent(e))

    def _recent(self, entry: SitemapEntry) -> bool:
        when = entry.published or entry.lastmod
        return self.since is None or when is None or when >= self.since

    def fetch(self) -> Iterator[RawPage | Rejection]:
        """Each listed page, fetched politely, with news title, date and publication as hints."""
        entries: list[SitemapEntry] = []
        for found in self.entries():
            if isinstance(found, Rejection):
                yield found
            else:
                entries.append(found)
        listed = [
            (e.loc, Hints(title=e.title, published=e.published, outlet=e.publication))
            for e in entries
        ]
        later = False
        for item in fetch_listed(self.fetcher, listed):
            later = later or (isinstance(item, Rejection) and item.transient)
            yield item
        if later:
            # Pages left for later (429, 5xx, timeouts) are tried again only if the next poll
            # lists them, which a 304 for their sitemap would not.
            for spec in self._read:
                if is_url(spec):
                    self.fetcher.read_whole_next_time(spec)
