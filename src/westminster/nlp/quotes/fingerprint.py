"""Normalised form and fingerprint of quote text, so one quote can be matched across outlets."""

from __future__ import annotations

import hashlib
import re
import unicodedata

# Outlets differ in quote marks, dashes, ellipses and case; none of that changes what was said.
_FOLD = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2026": "...",
    }
)
_NON_WORD = re.compile(r"[^\w\s]+")
_SPACE = re.compile(r"\s+")
# British and American spellings of the same word must fingerprint alike (emphasised/emphasized).
_ISE = re.compile(r"(?<=\w\w)is(e|es|ed|ing|ation|ations)\b")
FINGERPRINT_HEX_CHARS = 16  # 64 bits: collisions are negligible at news-archive scale


def normalise_quote(text: str) -> str:
    """Lower-cased quote text with marks, punctuation and spacing folded away."""
    folded = unicodedata.normalize("NFKC", text).translate(_FOLD).casefold()
    words = _NON_WORD.sub(" ", folded.replace("'", ""))
    return _SPACE.sub(" ", _ISE.sub(r"iz\1", words)).strip()


def quote_fingerprint(text: str) -> str:
    """A short stable hash of the normalised quote; equal for the same words in any outlet."""
    return fingerprint_of_normalised(normalise_quote(text))


def fingerprint_of_normalised(normalised: str) -> str:
    """quote_fingerprint for text already passed through normalise_quote."""
    digest = hashlib.blake2b(normalised.encode("utf-8"), digest_size=8)
    return digest.hexdigest()[:FINGERPRINT_HEX_CHARS]
