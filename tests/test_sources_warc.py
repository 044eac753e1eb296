"""WARC/ARC archives: the warcio samples (some malformed) yield HTML pages or Rejections."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from tests.conftest import SHARED_DATA, needs_shared_data
from westminster.ingest.sources.warc import WarcSource
from westminster.models import RawPage, Rejection

SAMPLES = SHARED_DATA / "warc-samples" / "test" / "data"
EXAMPLE_ID = "<urn:uuid:a9c51e3e-0221-11e7-bf66-0242ac120005>"
# What each sample holds, read off the files: HTML captures and rejections (non-HTML captures,
# malformed files). The one example.com page is 1270 bytes in every sample that has it.
EXPECTED: dict[str, tuple[int, int]] = {
    "bad.arc": (0, 1),  # Archive-length -1: not ARC
    "example-bad-non-chunked.warc.gz": (1, 0),
    "example-bad.warc.gz.bad": (0, 1),  # not a WARC stream
    "example-digest.warc": (0, 0),  # request records only
    "example-iana.org-chunked.warc": (1, 0),
    "example-resource.warc.gz": (1, 0),
    "example-space-in-target-uri.warc.gz": (0, 1),  # an image/png resource
    "example-space-in-url.arc": (0, 1),  # declared length runs past the end of the file
    "example-trunc.warc": (1, 1),  # the page, then a truncated record
    "example-wget-bad-target-uri.warc.gz": (1, 2),  # two text/plain wget logs
    "example-wrong-chunks.warc.gz": (1, 0),
    "example.arc": (1, 0),
    "example.arc.gz": (1, 0),
    "example.warc": (1, 0),
    "example.warc.gz": (1, 0),
    "post-test.warc.gz": (0, 3),  # three application/json responses
}


def run(path: Path, **kwargs: object) -> tuple[list[RawPage], list[Rejection]]:
    items = list(WarcSource(path, max_bytes=1_000_000, **kwargs).fetch())  # type: ignore[arg-type]
    pages = [i for i in items if isinstance(i, RawPage)]
    rejections = [i for i in items if isinstance(i, Rejection)]
    assert len(pages) + len(rejections) == len(items)
    return pages, rejections


@needs_shared_data
def test_all_samples_are_covered() -> None:
    names = {p.name for p in SAMPLES.iterdir()}
    assert names == set(EXPECTED)


@needs_shared_data
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_sample_yields_pages_or_rejections(name: str) -> None:
    pages, rejections = run(SAMPLES / name)
    assert (len(pages), len(rejections)) == EXPECTED[name]
    for page in pages:
        assert page.content_type == "text/html" and page.record_id
        assert page.content.lstrip().lower().startswith(b"<!doctype html")
        assert page.url and page.url.startswith("http") and page.fetched_at is not None
    for rejection in rejections:
        assert rejection.detail and rejection.input.startswith(str(SAMPLES / name))


@needs_shared_data
def test_record_ids_and_metadata() -> None:
    (page,), _ = run(SAMPLES / "example.warc.gz")
    assert page.record_id == EXAMPLE_ID and page.url == "http://example.com/"
    assert len(page.content) == 1270
    (chunked,), _ = run(SAMPLES / "example-iana.org-chunked.warc")
    assert chunked.encoding == "utf-8" and b"</html>" in chunked.content  # chunking undone
    (wget,), _ = run(SAMPLES / "example-wget-bad-target-uri.warc.gz")
    assert wget.url == "http://example.com/"  # the <...> wget wraps round the URI is dropped


@needs_shared_data
def test_resume_skips_stored_records() -> None:
    pages, _ = run(SAMPLES / "example.warc.gz", skip={EXAMPLE_ID})
    assert pages == []
    arc_pages, _ = run(SAMPLES / "example.arc")
    assert arc_pages[0].record_id == "<arc:20140216050221:http://example.com/>"
    assert run(SAMPLES / "example.arc.gz", skip={arc_pages[0].record_id})[0] == []


@needs_shared_data
def test_oversized_capture_is_rejected() -> None:
    items = list(WarcSource(SAMPLES / "example.warc", max_bytes=100).fetch())
    assert [type(i) for i in items] == [Rejection]
    assert isinstance(items[0], Rejection) and "100-byte limit" in items[0].detail


def test_missing_and_garbage_files_are_rejections(tmp_path: Path) -> None:
    garbage = tmp_path / "junk.warc.gz"
    garbage.write_bytes(gzip.compress(b"this is not a warc file\r\n" * 50))
    for path in (tmp_path / "absent.warc", garbage):
        items = list(WarcSource(path, max_bytes=1000).fetch())
        assert len(items) == 1 and isinstance(items[0], Rejection)


def arc_record(header: str, block: bytes) -> bytes:
    """One ARC v1 record: its header line (length appended), the block and a newline."""
    return f"{header} {len(block)}\n".encode() + block + b"\n"


def test_arc_files_plain_and_gzipped(tmp_path: Path) -> None:
    # Built by hand (no shared data): the version block, then one capture per record.
    version = b"1 0 Westminster\nURL IP-address Archive-date Content-type Archive-length\n"
    page = b"<html><head><title>Budget</title></head><body><p>The budget.</p></body></html>"
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=iso-8859-1\r\n\r\n" + page
    records = [
        arc_record("filedesc://crawl.arc 0.0.0.0 20240913100000 text/plain", version),
        arc_record("http://news.example/budget 93.184.215.14 20240913100500 text/html", http),
    ]
    plain = tmp_path / "crawl.arc"
    plain.write_bytes(b"".join(records))
    zipped = tmp_path / "crawl.arc.gz"
    zipped.write_bytes(b"".join(gzip.compress(record) for record in records))
    for path in (plain, zipped):
        items = list(WarcSource(path, max_bytes=10_000).fetch())
        (found,) = items
        assert isinstance(found, RawPage), found
        assert found.url == "http://news.example/budget" and found.content == page
        assert found.encoding == "iso-8859-1"
        assert found.record_id == "<arc:20240913100500:http://news.example/budget>"
