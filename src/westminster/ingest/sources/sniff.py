"""Tell a feed, a sitemap, an OPML list and a web page apart by their first element."""

from __future__ import annotations

import gzip
import re
import zlib
from typing import Literal

Kind = Literal["feed", "sitemap", "opml", "page", "warc", "arc", "unknown"]

GZIP_MAGIC = b"\x1f\x8b"
SNIFF_BYTES = 4096
# Declarations, comments, DOCTYPEs and processing instructions come before the root element.
_PROLOGUE = re.compile(rb"<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>]*>", re.S | re.I)
_FIRST_TAG = re.compile(rb"<([A-Za-z][\w:.-]*)")
_ROOTS: dict[str, Kind] = {
    "rss": "feed",
    "feed": "feed",
    "rdf": "feed",  # RSS 1.0 is <rdf:RDF>
    "urlset": "sitemap",
    "sitemapindex": "sitemap",
    "opml": "opml",
    "html": "page",
}


def head_bytes(content: bytes, size: int = SNIFF_BYTES) -> bytes:
    """The first bytes of content, gunzipped when it is gzip."""
    if content.startswith(GZIP_MAGIC):
        try:
            return zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(content, size)
        except zlib.error:
            return b""
    return content[:size]


def read_head(path: str, size: int = SNIFF_BYTES) -> bytes:
    """The first bytes of a file, gunzipped when it is gzip ("" when unreadable)."""
    try:
        with open(path, "rb") as handle:
            magic = handle.read(2)
        if magic == GZIP_MAGIC:
            with gzip.open(path, "rb") as zipped:
                return zipped.read(size)
        with open(path, "rb") as handle:
            return handle.read(size)
    except (OSError, EOFError):
        return b""


def kind_of(head: bytes) -> Kind:
    """What the content is, judged from its first bytes."""
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text.startswith(b"WARC/"):
        return "warc"
    if text.startswith(b"filedesc://"):
        return "arc"
    match = _FIRST_TAG.search(_PROLOGUE.sub(b"", text))
    if match is None:
        return "unknown"
    local = match.group(1).decode("ascii", "replace").split(":")[-1].lower()
    return _ROOTS.get(local, "unknown")
