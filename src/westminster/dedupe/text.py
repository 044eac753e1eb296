"""Text-only features for duplicate detection: normalised hash, words, shingles, sentences."""

from __future__ import annotations

import hashlib
import re
import unicodedata

# Curly quotes, dashes and the like fold to one form so that typographic edits between
# syndicated copies do not change the exact hash or the shingles.
_FOLD = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u00a0": " ",
    }
)
_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"\w+(?:[.,]\d+)*", re.UNICODE)
# A sentence ends at . ! ? (optionally followed by a closing quote) before a space and an
# upper-case letter, digit or opening quote, or at a line break; good enough for news prose.
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]?\s+(?=[\"'(\[]?[A-Z0-9])|\n+")
# A capitalised word inside a sentence: the text-only stand-in for a named entity.
_NAME = re.compile(r"\b[A-Z][a-zA-Z'\-]+\b")
# Numbers with an optional scale word: the text-only stand-in for a figure.
_NUMBER = re.compile(
    r"(\d[\d,]*(?:\.\d+)?)\s*(million|billion|trillion|bn|m|k|thousand|per\s?cent|%)?\b",
    re.IGNORECASE,
)
_SCALE = {
    "thousand": 1e3,
    "k": 1e3,
    "million": 1e6,
    "m": 1e6,
    "billion": 1e9,
    "bn": 1e9,
    "trillion": 1e12,
}


def normalise(text: str) -> str:
    """Unicode-folded, case-folded text with quotes, dashes and white space made uniform."""
    folded = unicodedata.normalize("NFKC", text).translate(_FOLD).casefold()
    return _SPACE.sub(" ", folded).strip()


def exact_key(title: str, text: str) -> str:
    """SHA-1 of the normalised headline and body: equal for copies re-emitted unchanged."""
    return hashlib.sha1(normalise(f"{title}\n{text}").encode("utf-8")).hexdigest()


def words(text: str) -> list[str]:
    """Lower-cased word tokens of `text` (numbers keep their inner separators)."""
    return _WORD.findall(normalise(text))


def shingles(tokens: list[str], size: int) -> set[str]:
    """Word n-grams of `size` words (the whole token list when it is shorter)."""
    if len(tokens) <= size:
        return {" ".join(tokens)} if tokens else set()
    return {" ".join(tokens[i : i + size]) for i in range(len(tokens) - size + 1)}


def sentences(text: str) -> list[str]:
    """Sentences of `text`, split at sentence punctuation and line breaks."""
    return [s.strip() for s in _SENTENCE_END.split(text) if s and s.strip()]


def name_tokens(text: str) -> set[str]:
    """Capitalised words not at a sentence start, lower-cased: names without a parser."""
    found: set[str] = set()
    for sentence in sentences(text):
        for match in _NAME.finditer(sentence):
            # A sentence's first word is capitalised whatever it is; skip it.
            if match.start() > 0 and sentence[: match.start()].strip():
                found.add(match.group().casefold().strip("'-"))
    return found


def number_tokens(text: str) -> set[str]:
    """Numbers in `text` with scale words applied, as canonical strings ("600m" -> 600000000)."""
    found: set[str] = set()
    for match in _NUMBER.finditer(text):
        try:
            value = float(match.group(1).replace(",", ""))
        except ValueError:
            continue
        scale = (match.group(2) or "").casefold().replace(" ", "")
        value *= _SCALE.get(scale, 1.0)
        suffix = "%" if scale in ("%", "percent") else ""
        found.add(f"{value:g}{suffix}")
    return found
