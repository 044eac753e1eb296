"""Sources: feeds, sitemaps, OPML, URLs, directories, JSON Lines and WARC/ARC, one protocol."""

from westminster.ingest.sources.factory import source_for
from westminster.ingest.sources.protocol import Source

__all__ = ["Source", "source_for"]
