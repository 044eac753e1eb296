"""Atom 1.0 and RSS 2.0 documents from feed entries, built with ElementTree (always escaped).

Titles and summaries are scraped text: they go in as text nodes (Atom type="text"), never as
markup, so a reader shows `<script>` as the characters it is. Characters XML 1.0 forbids
(control characters a page may carry) are removed first.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime

ATOM_NS = "http://www.w3.org/2005/Atom"
ATOM_TYPE = "application/atom+xml"
RSS_TYPE = "application/rss+xml"

# XML 1.0 Char production: tab, newline, carriage return and U+0020 upwards, minus
# surrogates and U+FFFE/U+FFFF.
_NOT_XML_CHAR = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(value: str | None) -> str:
    """Text fit for an XML text node (forbidden characters removed; escaping is ElementTree's)."""
    return _NOT_XML_CHAR.sub("", value or "")


@dataclass(frozen=True)
class FeedEntry:
    """One item of a feed."""

    id: str  # a stable tag: URI
    title: str
    url: str  # absolute
    updated: datetime
    summary: str = ""
    author: str | None = None


@dataclass(frozen=True)
class Feed:
    """A feed: its title, its own URL, the page it describes and its entries, newest first."""

    id: str
    title: str
    self_url: str
    page_url: str
    updated: datetime
    entries: tuple[FeedEntry, ...]


def _aware(when: datetime) -> datetime:
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    node = ET.SubElement(parent, tag, {k: xml_text(v) for k, v in attrs.items()})
    if text is not None:
        node.text = xml_text(text)
    return node


def atom(feed: Feed) -> bytes:
    """The feed as an Atom 1.0 document."""
    root = ET.Element("feed", {"xmlns": ATOM_NS})
    _sub(root, "id", feed.id)
    _sub(root, "title", feed.title, type="text")
    _sub(root, "updated", _aware(feed.updated).isoformat())
    _sub(root, "link", rel="self", href=feed.self_url, type=ATOM_TYPE)
    _sub(root, "link", rel="alternate", href=feed.page_url, type="text/html")
    author = _sub(root, "author")
    _sub(author, "name", "Westminster Insights")
    _sub(root, "generator", "westminster")
    for entry in feed.entries:
        node = _sub(root, "entry")
        _sub(node, "id", entry.id)
        _sub(node, "title", entry.title, type="text")
        _sub(node, "updated", _aware(entry.updated).isoformat())
        _sub(node, "link", rel="alternate", href=entry.url, type="text/html")
        if entry.author:
            _sub(_sub(node, "author"), "name", entry.author)
        if entry.summary:
            _sub(node, "summary", entry.summary, type="text")
    return bytes(ET.tostring(root, encoding="utf-8", xml_declaration=True))


def rss(feed: Feed) -> bytes:
    """The feed as an RSS 2.0 document (descriptions are plain text, escaped)."""
    root = ET.Element("rss", {"version": "2.0", "xmlns:atom": ATOM_NS})
    channel = _sub(root, "channel")
    _sub(channel, "title", feed.title)
    _sub(channel, "link", feed.page_url)
    _sub(channel, "description", feed.title)
    _sub(channel, "lastBuildDate", format_datetime(_aware(feed.updated)))
    _sub(channel, "atom:link", href=feed.self_url, rel="self", type=RSS_TYPE)
    for entry in feed.entries:
        item = _sub(channel, "item")
        _sub(item, "title", entry.title)
        _sub(item, "link", entry.url)
        _sub(item, "guid", entry.id, isPermaLink="false")
        _sub(item, "pubDate", format_datetime(_aware(entry.updated)))
        if entry.summary:
            _sub(item, "description", entry.summary)
    return bytes(ET.tostring(root, encoding="utf-8", xml_declaration=True))
