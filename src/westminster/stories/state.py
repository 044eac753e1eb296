"""The story engine's state as bytes, so the next ingest run continues the same stories.

Three parts, saved apart so that a checkpoint writes only what changed since the last one:
the header (article count, clock and the next story serial), one entry per active story
(centroid, size, days, serial, indexed features, its first members' vectors) and the document
frequencies (plain (feature, count) rows the store keeps as such). Header and entries are a
4-byte prefix (magic and format version) and a zlib-compressed JSON body; JSON writes floats in
their shortest round-tripping form, so a restored engine scores exactly as the one that was
saved.
"""

from __future__ import annotations

import json
import zlib
from dataclasses import dataclass
from typing import Any

from westminster.errors import DataError

HEADER_MAGIC = b"WSH"
STORY_MAGIC = b"WSS"
# Bump when features.py or vectors.py change what an article is reduced to: a saved state of
# another version is refused and the engine starts afresh (stories already stored stay).
# 2: analysis entity keys added as e: beside the text's names (features.py); 3: each story's
# first members' vectors, for the split check (split.py).
FORMAT_VERSION = 3
# zlib level 1: most of the gain of higher levels on JSON at a fraction of the time.
COMPRESSION_LEVEL = 1


@dataclass(frozen=True)
class EngineHeader:
    """The engine's scalar state: articles counted, latest day seen, next story serial."""

    docs: int
    clock: float | None
    serial: int


@dataclass(frozen=True)
class StoryMemberVector:
    """One of a story's first members: its article id, unit vector and day."""

    article_id: str
    vector: dict[str, float]
    day: float | None


@dataclass(frozen=True)
class StoryEntry:
    """One active story as the engine keeps it."""

    story_id: str
    centroid: dict[str, float]
    size: int
    last_day: float | None
    first_day: float | None
    serial: int
    indexed: tuple[str, ...]
    members: tuple[StoryMemberVector, ...] = ()


def _pack(magic: bytes, doc: dict[str, Any]) -> bytes:
    body = json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return magic + bytes([FORMAT_VERSION]) + zlib.compress(body, COMPRESSION_LEVEL)


def _unpack(data: bytes, magic: bytes, what: str, subject: str) -> dict[str, Any]:
    if data[:3] != magic:
        raise DataError(f"is not a story-engine {what}", subject=subject)
    if data[3:4] != bytes([FORMAT_VERSION]):
        raise DataError(
            f"story-engine {what} has format {data[3:4].hex() or 'none'}, not {FORMAT_VERSION}",
            subject=subject,
            fix="the engine starts afresh; stored stories are kept",
        )
    try:
        doc = json.loads(zlib.decompress(data[4:]).decode("utf-8"))
    except (zlib.error, UnicodeDecodeError, ValueError) as exc:
        raise DataError(f"damaged story-engine {what}: {exc}", subject=subject) from None
    if not isinstance(doc, dict):
        raise DataError(f"damaged story-engine {what}: not an object", subject=subject)
    return doc


def _day(value: Any) -> float | None:
    return None if value is None else float(value)


def encode_header(header: EngineHeader) -> bytes:
    """The header as bytes."""
    return _pack(
        HEADER_MAGIC, {"docs": header.docs, "clock": header.clock, "serial": header.serial}
    )


def decode_header(data: bytes) -> EngineHeader:
    """The header in `data`; DataError when it cannot be read."""
    doc = _unpack(data, HEADER_MAGIC, "header", "story engine")
    try:
        return EngineHeader(int(doc["docs"]), _day(doc["clock"]), int(doc["serial"]))
    except (KeyError, TypeError, ValueError) as exc:
        raise DataError(f"damaged story-engine header: {exc}", subject="story engine") from None


def encode_story(entry: StoryEntry) -> bytes:
    """One active story as bytes."""
    return _pack(
        STORY_MAGIC,
        {
            "id": entry.story_id,
            "centroid": sorted(entry.centroid.items()),
            "size": entry.size,
            "last_day": entry.last_day,
            "first_day": entry.first_day,
            "serial": entry.serial,
            "indexed": list(entry.indexed),
            "members": [[m.article_id, sorted(m.vector.items()), m.day] for m in entry.members],
        },
    )


def decode_story(data: bytes, *, subject: str) -> StoryEntry:
    """The story in `data`; DataError naming `subject` when it cannot be read."""
    doc = _unpack(data, STORY_MAGIC, "story", subject)
    try:
        return StoryEntry(
            story_id=str(doc["id"]),
            centroid={str(f): float(w) for f, w in doc["centroid"]},
            size=int(doc["size"]),
            last_day=_day(doc["last_day"]),
            first_day=_day(doc["first_day"]),
            serial=int(doc["serial"]),
            indexed=tuple(str(f) for f in doc["indexed"]),
            members=tuple(
                StoryMemberVector(str(a), {str(f): float(w) for f, w in v}, _day(d))
                for a, v, d in doc["members"]
            ),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise DataError(f"damaged story-engine story: {exc}", subject=subject) from None
