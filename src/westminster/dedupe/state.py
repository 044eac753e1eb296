"""One indexed article's state as bytes, so the index is restored without re-reading texts.

The state holds what the index computed from the text (MinHash values, the normalised-text
hash, the keys, the sentences as word lists) and what it decided (the match it found, which
replayed in the same order rebuilds the same groups of copies). Layout: a 5-byte header (magic
and format version) and a zlib-compressed body: a little-endian length header, a JSON document
for the strings and three uint32 arrays (MinHash values, sentence offsets, local word ids).
"""

from __future__ import annotations

import json
import struct
import zlib
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal, cast, get_args

import numpy as np

from westminster.errors import DataError

Kind = Literal["new", "duplicate", "near_duplicate", "rewrite"]
# What an article matched when it was added: (kind, matched id, score, evidence).
Match = tuple[Kind, str, float, str]

MAGIC = b"WDS"
# Bump when features.py, text.py or the MinHash settings change what a text is reduced to:
# states of another version are refused and their articles added again from their text.
FORMAT_VERSION = 1
_HEADER = struct.Struct("<IIII")  # JSON bytes, MinHash values, sentence offsets, word ids
_ARRAY = np.dtype("<u4")
# zlib level 1: most of the gain of higher levels on JSON word lists at a fraction of the time.
COMPRESSION_LEVEL = 1


@dataclass(frozen=True)
class EntryState:
    """What the index keeps of one article, in a form free of index-specific word ids."""

    exact: str
    keys: tuple[str, ...]
    analysed: bool
    published: date | None
    match: Match | None
    copy: bool  # an exact copy: registered in no lookup structure, so no MinHash
    hashvalues: np.ndarray  # uint32 MinHash values (empty for an exact copy)
    words: tuple[str, ...]  # the article's distinct sentence words, in first-use order
    indptr: np.ndarray  # sentence i holds local word ids word_ids[indptr[i]:indptr[i + 1]]
    word_ids: np.ndarray  # indexes into `words`


def encode_state(state: EntryState) -> bytes:
    """The state as bytes (see the module docstring for the layout)."""
    meta = {
        "exact": state.exact,
        "keys": list(state.keys),
        "analysed": state.analysed,
        "published": state.published.isoformat() if state.published else None,
        "match": list(state.match) if state.match else None,
        "copy": state.copy,
        "words": list(state.words),
    }
    text = json.dumps(meta, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    arrays = [np.ascontiguousarray(a, dtype=_ARRAY) for a in (state.hashvalues, state.indptr)]
    arrays.append(np.ascontiguousarray(state.word_ids, dtype=_ARRAY))
    header = _HEADER.pack(len(text), *(len(a) for a in arrays))
    body = header + text + b"".join(a.tobytes() for a in arrays)
    return MAGIC + bytes([FORMAT_VERSION]) + zlib.compress(body, COMPRESSION_LEVEL)


def _match(value: Any) -> Match | None:
    if value is None:
        return None
    kind, matched, score, evidence = value
    if kind not in get_args(Kind) or not isinstance(matched, str):
        raise ValueError(f"bad match {value!r}")
    return cast(Kind, kind), matched, float(score), str(evidence)


def decode_state(data: bytes, *, subject: str) -> EntryState:
    """The state encoded in `data`; a DataError naming `subject` when it cannot be read."""
    if data[:3] != MAGIC:
        raise DataError("is not a duplicate-index state", subject=subject)
    if data[3:4] != bytes([FORMAT_VERSION]):
        raise DataError(
            f"duplicate-index state has format {data[3:4].hex() or 'none'}, not {FORMAT_VERSION}",
            subject=subject,
            fix="the article is indexed again from its text",
        )
    try:
        body = zlib.decompress(data[4:])
        text_len, *counts = _HEADER.unpack_from(body)
        start = _HEADER.size + text_len
        meta = json.loads(body[_HEADER.size : start].decode("utf-8"))
        arrays = []
        for count in counts:
            arrays.append(np.frombuffer(body, dtype=_ARRAY, count=count, offset=start))
            start += count * _ARRAY.itemsize
        if start != len(body):
            raise ValueError("trailing bytes")
        words, indptr, word_ids = tuple(meta["words"]), arrays[1], arrays[2]
        if len(indptr) < 1 or indptr[-1] != len(word_ids) or np.any(np.diff(indptr) > 2**31):
            raise ValueError("sentence offsets do not fit the word ids")
        if len(word_ids) and int(word_ids.max()) >= len(words):
            raise ValueError("a word id points past the word list")
        published = meta["published"]
        return EntryState(
            exact=str(meta["exact"]),
            keys=tuple(meta["keys"]),
            analysed=bool(meta["analysed"]),
            published=date.fromisoformat(published) if published else None,
            match=_match(meta["match"]),
            copy=bool(meta["copy"]),
            hashvalues=arrays[0],
            words=words,
            indptr=indptr.astype(np.int64),
            word_ids=word_ids.astype(np.int64),
        )
    except (zlib.error, struct.error, ValueError, KeyError, TypeError, IndexError) as exc:
        raise DataError(f"damaged duplicate-index state: {exc}", subject=subject) from None
