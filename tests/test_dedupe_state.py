"""The duplicate-index state codec: a lossless round trip and clear errors for bad bytes."""

from __future__ import annotations

import zlib
from dataclasses import replace
from datetime import date

import numpy as np
import pytest

from westminster.dedupe.state import FORMAT_VERSION, MAGIC, EntryState, decode_state, encode_state
from westminster.errors import DataError

STATE = EntryState(
    exact="a" * 40,
    keys=("e:person:keir-starmer", "n:biden", "t:155"),
    analysed=True,
    published=date(2024, 9, 13),
    match=(
        "rewrite",
        "bbc-1",
        0.4123456789012345,
        "sentence similarity 0.52, \u00a3 \u201cok\u201d",
    ),
    copy=False,
    hashvalues=np.array([0, 1, 2**32 - 1], dtype=np.uint32),
    words=("starmer", "met", "biden", "in", "washington"),
    indptr=np.array([0, 3, 5]),
    word_ids=np.array([0, 1, 2, 3, 4]),
)


def _same(a: EntryState, b: EntryState) -> bool:
    arrays = ("hashvalues", "indptr", "word_ids")
    plain = all(getattr(a, f) == getattr(b, f) for f in a.__dataclass_fields__ if f not in arrays)
    return plain and all(np.array_equal(getattr(a, f), getattr(b, f)) for f in arrays)


def test_round_trip_keeps_every_field_exactly() -> None:
    data = encode_state(STATE)
    assert data.startswith(MAGIC + bytes([FORMAT_VERSION]))
    assert _same(decode_state(data, subject="x"), STATE)
    bare = replace(STATE, published=None, match=None, copy=True, hashvalues=np.empty(0))
    assert _same(decode_state(encode_state(bare), subject="x"), bare)


def test_bad_bytes_are_data_errors_naming_the_article() -> None:
    data = encode_state(STATE)
    with pytest.raises(DataError, match="art-1: is not a duplicate-index state"):
        decode_state(b"not a state", subject="art-1")
    with pytest.raises(DataError, match="art-1: duplicate-index state has format 63"):
        decode_state(MAGIC + bytes([0x63]) + data[4:], subject="art-1")
    with pytest.raises(DataError, match="art-1: damaged duplicate-index state"):
        decode_state(data[:-5], subject="art-1")
    body = bytearray(zlib.decompress(data[4:]))
    body[-4:] = (99).to_bytes(4, "little")  # the last word id points past the word list
    with pytest.raises(DataError, match="word id points past"):
        decode_state(data[:4] + zlib.compress(bytes(body)), subject="art-1")
