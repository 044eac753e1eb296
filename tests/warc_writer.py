"""A tiny WARC/1.0 writer for tests: HTTP response records with HTML (or any) bodies."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Capture:
    """One archived HTTP response."""

    url: str
    body: bytes
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    record_id: str = ""


def article_html(title: str, paragraphs: list[str], *, site: str = "Test Gazette") -> bytes:
    """A small news page that trafilatura extracts: headline, site name, paragraphs."""
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f"<!DOCTYPE html><html><head><title>{title}</title>"
        f'<meta property="og:site_name" content="{site}">'
        f'<meta property="article:published_time" content="2024-09-13T09:00:00Z">'
        f"</head><body><article><h1>{title}</h1>{body}</article></body></html>"
    ).encode()


def record_bytes(capture: Capture) -> bytes:
    """One WARC response record."""
    record_id = capture.record_id or f"<urn:uuid:{uuid.uuid4()}>"
    http = (
        f"HTTP/1.1 {capture.status} OK\r\nContent-Type: {capture.content_type}\r\n"
        f"Content-Length: {len(capture.body)}\r\n\r\n"
    ).encode() + capture.body
    head = (
        "WARC/1.0\r\nWARC-Type: response\r\n"
        f"WARC-Record-ID: {record_id}\r\nWARC-Date: 2024-09-13T10:00:00Z\r\n"
        f"WARC-Target-URI: {capture.url}\r\n"
        "Content-Type: application/http; msgtype=response\r\n"
        f"Content-Length: {len(http)}\r\n\r\n"
    ).encode()
    return head + http + b"\r\n\r\n"


def write_warc(path: Path, captures: list[Capture]) -> Path:
    """Write the captures as an uncompressed WARC file."""
    with path.open("wb") as handle:
        for capture in captures:
            handle.write(record_bytes(capture))
    return path


def news_captures(count: int, *, host: str = "https://news.example.org") -> list[Capture]:
    """`count` distinct HTML articles, each at its own URL with its own record id."""
    words = ["budget", "missiles", "hospitals", "railways", "schools", "housing", "energy"]
    captures = []
    for n in range(count):
        topic = words[n % len(words)]
        paragraphs = [
            f"Story number {n} is about {topic} and was written for test {n * 7919 % 10007}.",
            f"The minister for {topic} said plan {n} would cost {n + 3} million pounds in total.",
            f"Critics of plan {n} said the sum of {n * 13 + 1} was far too small for the task.",
        ]
        captures.append(
            Capture(
                url=f"{host}/politics/story-{n}",
                body=article_html(f"Story {n} on {topic}", paragraphs),
                record_id=f"<urn:uuid:{uuid.UUID(int=n + 1)}>",
            )
        )
    return captures


_WORDS = (
    "minister council budget railway hospital school prison farming housing energy pension "
    "tariff election ballot treaty harbour bridge tunnel airport library museum garden forest "
    "river coast island mountain valley village market factory mine bakery theatre stadium "
    "orchestra festival parade inquiry tribunal verdict appeal petition protest strike union "
    "salary bonus loan grant subsidy levy duty licence permit quota ration reserve surplus"
)
VOCABULARY = tuple(_WORDS.split())


def distinct_paragraphs(seed: int, count: int = 2) -> list[str]:
    """Paragraphs of words drawn by seed; different seeds share too little to look like copies."""
    import random

    rng = random.Random(seed)
    return [
        " ".join(rng.sample(VOCABULARY, 14)).capitalize() + f" ({seed * 31 + i})."
        for i in range(count)
    ]
