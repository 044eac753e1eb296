"""A reader for the legacy ARC format (Internet Archive, version 1), which FastWARC cannot read.

Layout: a `filedesc://` version block, then records, each a one-line header
`URL IP-address Archive-date Content-type Archive-length`, `Archive-length` bytes (usually an
HTTP response with its headers) and a newline. `.arc.gz` files are one gzip member per record,
which Python's gzip reads as one stream.
"""

from __future__ import annotations

import gzip
import io
from collections.abc import Iterator
from dataclasses import dataclass
from email.parser import BytesHeaderParser
from pathlib import Path

GZIP_MAGIC = b"\x1f\x8b"
# An ARC header line is a URL and four short fields; a longer "line" means this is not ARC.
MAX_HEADER_LINE = 16 * 1024
HEADER_FIELDS = 5


class ArcFormatError(ValueError):
    """The file is not well-formed ARC from this point on."""


@dataclass(frozen=True)
class ArcRecord:
    """One archived capture: its ARC header fields and, when small enough, its bytes."""

    url: str
    ip: str
    date: str  # YYYYMMDDhhmmss as written
    content_type: str
    length: int
    offset: int  # position of the header line in the (uncompressed) stream
    block: bytes | None  # None when over the caller's size limit (skipped unread)

    @property
    def record_id(self) -> str:
        """A stable id: ARC has no record ids, so the capture time and URL stand in."""
        return f"<arc:{self.date}:{self.url}>"


@dataclass(frozen=True)
class HttpPayload:
    """An archived HTTP response split into status, headers and body."""

    status: int | None
    content_type: str
    charset: str | None
    body: bytes


def is_arc(path: Path) -> bool:
    """Whether a file starts like an ARC file (plain or gzipped)."""
    try:
        with _open(path) as handle:
            return handle.read(11) == b"filedesc://"
    except (OSError, EOFError):
        return False


def _open(path: Path) -> io.BufferedIOBase:
    with path.open("rb") as probe:
        magic = probe.read(2)
    if magic == GZIP_MAGIC:
        return gzip.open(path, "rb")
    return path.open("rb")


def iter_arc(path: Path, *, max_bytes: int) -> Iterator[ArcRecord]:
    """The capture records of an ARC file; ArcFormatError where the file stops making sense."""
    with _open(path) as handle:
        offset = 0
        first = True
        while True:
            line = handle.readline(MAX_HEADER_LINE)
            if not line:
                return
            start = offset
            offset += len(line)
            if not line.strip():
                continue
            if not line.endswith(b"\n"):
                raise ArcFormatError(f"record header at byte {start} is not a line")
            fields = line.decode("latin-1").rstrip("\r\n").rsplit(" ", HEADER_FIELDS - 1)
            if len(fields) != HEADER_FIELDS or not fields[4].isdigit():
                raise ArcFormatError(f"bad record header at byte {start}: {line[:120]!r}")
            url, ip, date, content_type, length_text = fields
            length = int(length_text)
            if first and not url.startswith("filedesc://"):
                raise ArcFormatError("does not start with a filedesc:// version block")
            keep = not first and length <= max_bytes
            block = handle.read(length) if keep else None
            if block is None:
                _skip(handle, length)
            elif len(block) < length:
                raise ArcFormatError(f"record at byte {start} is truncated")
            offset += length
            if not first:
                yield ArcRecord(url, ip, date, content_type, length, start, block)
            first = False


def _skip(handle: io.BufferedIOBase, length: int) -> None:
    remaining = length
    while remaining > 0:
        chunk = handle.read(min(remaining, 1 << 20))
        if not chunk:
            raise ArcFormatError("record is truncated")
        remaining -= len(chunk)


def split_http(block: bytes, fallback_type: str) -> HttpPayload:
    """Status, content type, charset and body of an archived HTTP response (or a bare body)."""
    if not block.startswith(b"HTTP/"):
        return HttpPayload(None, fallback_type.lower(), None, block)
    cut = [i for i in (block.find(b"\r\n\r\n"), block.find(b"\n\n")) if i >= 0]
    if not cut:
        return HttpPayload(None, fallback_type.lower(), None, b"")
    end = min(cut)
    head, body = block[:end], block[end:].lstrip(b"\r\n")
    status_line, _, header_text = head.partition(b"\n")
    parts = status_line.split()
    status = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None
    headers = BytesHeaderParser().parsebytes(header_text)
    content_type = headers.get_content_type() if headers.get("content-type") else fallback_type
    charset = headers.get_content_charset()
    return HttpPayload(status, content_type.lower(), charset, body)
