"""WARC archives via FastWARC (and legacy ARC via .arc): HTML captures become RawPages.

Each capture carries a stable `record_id` (the WARC-Record-ID), so a resumed run passes the ids
it has stored as `skip` and picks up where it stopped. Non-HTML captures and archived errors
are Rejections with a reason; a malformed record or file ends that file with a Rejection and the
run goes on with the next source.
"""

from __future__ import annotations

from collections.abc import Container, Iterator
from datetime import UTC, datetime
from pathlib import Path

from fastwarc.warc import ArchiveIterator, WarcRecord, WarcRecordType

from westminster.errors import InputError
from westminster.ingest.sources.arc import ArcFormatError, is_arc, iter_arc, split_http
from westminster.models import RawPage, Rejection

STAGE = "read"
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
# Only captures hold pages; warcinfo, request, metadata and revisit records (a revisit has no
# payload: it points at an earlier identical capture) are passed over without a rejection.
CAPTURE_TYPES = WarcRecordType.response | WarcRecordType.resource


def record_key(path: str, record_id: str) -> str:
    """How a record is named in a Rejection: the archive path and the record id."""
    return f"{path}#{record_id}"


class WarcSource:
    """The HTML captures of one WARC or ARC file, in file order."""

    def __init__(
        self, path: str | Path, *, max_bytes: int, skip: Container[str] = frozenset()
    ) -> None:
        self.path = Path(path)
        self.name = str(path)
        self.max_bytes = max_bytes
        self.skip = skip  # record ids already stored by an earlier (interrupted) run

    def fetch(self) -> Iterator[RawPage | Rejection]:
        """One RawPage per HTML capture not in `skip`; everything else as a Rejection."""
        if not self.path.is_file():
            yield Rejection(STAGE, InputError.code, "no such file", self.name)
            return
        if is_arc(self.path):
            yield from self._arc()
        else:
            yield from self._warc()

    def _warc(self) -> Iterator[RawPage | Rejection]:
        seen = 0
        try:
            records = ArchiveIterator(
                str(self.path),
                record_types=CAPTURE_TYPES,
                parse_http=True,
                auto_decode="all",  # undo chunked transfer and gzip content encoding
                fsspec_args=False,
            )
            for record in records:
                seen += 1
                item = self._capture(record)
                if item is not None:
                    yield item
        except OSError as exc:
            where = f" after {seen} capture{'s' if seen != 1 else ''}" if seen else ""
            detail = f"is not a readable WARC file{where} ({exc}); the rest is skipped"
            yield Rejection(STAGE, InputError.code, detail, self.name)

    def _capture(self, record: WarcRecord) -> RawPage | Rejection | None:
        record_id = record.record_id or f"<offset:{record.stream_pos}>"
        if record_id in self.skip:
            return None
        key = record_key(self.name, record_id)
        if record.is_http:
            status = record.http_headers.status_code
            content_type = (record.http_content_type or "").lower()
            charset = record.http_charset
        else:
            status = None
            declared = record.headers.get("Content-Type") or ""
            content_type = declared.split(";")[0].strip().lower()
            charset = _charset_of(declared)
        if status is not None and status != 200:
            return Rejection(STAGE, InputError.code, f"archived HTTP {status} response", key)
        if content_type not in HTML_TYPES:
            detail = f"is {content_type or 'of no declared type'}, not HTML; skipped"
            return Rejection(STAGE, InputError.code, detail, key)
        body = record.reader.read(self.max_bytes + 1)
        if len(body) > self.max_bytes:
            detail = f"is over the {self.max_bytes:,}-byte limit for one page"
            return Rejection(STAGE, InputError.code, detail, key)
        if not body.strip():
            return Rejection(STAGE, InputError.code, "has an empty body", key)
        target = (record.headers.get("WARC-Target-URI") or "").strip().strip("<>")
        return RawPage(
            content=body,
            source=self.name,
            content_type=content_type,
            url=target or None,
            encoding=charset,
            fetched_at=_aware(record.record_date),
            status=status,
            record_id=record_id,
        )

    def _arc(self) -> Iterator[RawPage | Rejection]:
        try:
            for record in iter_arc(self.path, max_bytes=self.max_bytes):
                if record.record_id in self.skip:
                    continue
                key = record_key(self.name, record.record_id)
                if record.block is None:
                    detail = f"is over the {self.max_bytes:,}-byte limit for one page"
                    yield Rejection(STAGE, InputError.code, detail, key)
                    continue
                payload = split_http(record.block, record.content_type)
                if payload.status is not None and payload.status != 200:
                    detail = f"archived HTTP {payload.status} response"
                    yield Rejection(STAGE, InputError.code, detail, key)
                elif payload.content_type not in HTML_TYPES:
                    detail = f"is {payload.content_type}, not HTML; skipped"
                    yield Rejection(STAGE, InputError.code, detail, key)
                else:
                    yield RawPage(
                        content=payload.body,
                        source=self.name,
                        content_type=payload.content_type,
                        url=record.url,
                        encoding=payload.charset,
                        fetched_at=_arc_date(record.date),
                        status=payload.status,
                        record_id=record.record_id,
                    )
        except (ArcFormatError, OSError, EOFError) as exc:
            detail = f"is not a readable ARC file ({exc}); the rest is skipped"
            yield Rejection(STAGE, InputError.code, detail, self.name)


def _charset_of(content_type: str) -> str | None:
    for part in content_type.split(";")[1:]:
        key, _, value = part.partition("=")
        if key.strip().lower() == "charset" and value.strip():
            return value.strip().strip("\"'")
    return None


def _aware(when: datetime | None) -> datetime | None:
    if when is None:
        return None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def _arc_date(text: str) -> datetime | None:
    try:
        return datetime.strptime(text[:14], "%Y%m%d%H%M%S").replace(tzinfo=UTC)
    except ValueError:
        return None
