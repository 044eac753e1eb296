"""Numbers as written in news: digits with separators, number words, fractions and scales.

The regex fragments here are embedded by the money, quantity, percent and count recognisers,
so every recogniser reads "£3bn", "three", "a dozen" and "2 1/2" the same way.
"""

from __future__ import annotations

import re

UNITS: dict[str, int] = {
    "zero": 0,
    "nought": 0,
    "naught": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
TENS: dict[str, int] = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
# Multipliers that close a group ("two hundred", "three million"); "dozen" multiplies like
# "hundred" ("three dozen" = 36). Lakh and crore appear in South Asian reporting.
SCALES: dict[str, float] = {
    "dozen": 12,
    "hundred": 100,
    "thousand": 1e3,
    "lakh": 1e5,
    "million": 1e6,
    "crore": 1e7,
    "billion": 1e9,
    "trillion": 1e12,
}
# Abbreviated scales written against a figure: "£3bn", "€50m", "10k", "$2.174T".
SCALE_ABBREVIATIONS: dict[str, float] = {
    "k": 1e3,
    "m": 1e6,
    "mn": 1e6,
    "mln": 1e6,
    "b": 1e9,
    "bn": 1e9,
    "t": 1e12,
    "tn": 1e12,
    "trn": 1e12,
}
# Denominators of spoken fractions ("two thirds", "a quarter").
DENOMINATORS: dict[str, int] = {
    "half": 2,
    "halves": 2,
    "third": 3,
    "thirds": 3,
    "quarter": 4,
    "quarters": 4,
    "fourth": 4,
    "fourths": 4,
    "fifth": 5,
    "fifths": 5,
    "sixth": 6,
    "sixths": 6,
    "seventh": 7,
    "sevenths": 7,
    "eighth": 8,
    "eighths": 8,
    "ninth": 9,
    "ninths": 9,
    "tenth": 10,
    "tenths": 10,
}
ORDINAL_WORDS: dict[str, int] = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
    "eleventh": 11,
    "twelfth": 12,
    "thirteenth": 13,
    "fourteenth": 14,
    "fifteenth": 15,
    "sixteenth": 16,
    "seventeenth": 17,
    "eighteenth": 18,
    "nineteenth": 19,
    "twentieth": 20,
    "thirtieth": 30,
    "fortieth": 40,
    "fiftieth": 50,
    "sixtieth": 60,
    "seventieth": 70,
    "eightieth": 80,
    "ninetieth": 90,
    "hundredth": 100,
}
UNICODE_FRACTIONS: dict[str, float] = {
    "½": 0.5,
    "⅓": 1 / 3,
    "⅔": 2 / 3,
    "¼": 0.25,
    "¾": 0.75,
    "⅕": 0.2,
    "⅛": 0.125,
}


def _alternation(words: list[str]) -> str:
    """Longest-first alternation so "seventeen" wins over "seven"."""
    return "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))


_WORD = _alternation([*UNITS, *TENS, *SCALES, *(s + "s" for s in SCALES)])
_SCALE_WORD = _alternation([*SCALES, *(s + "s" for s in SCALES)])
_FRACTION_CHARS = "".join(UNICODE_FRACTIONS)

# Digits: "1/4", "1,250", "1,234,567.89", "12.5", ".08", "2 1/2", "1/4", "½", "10½", "-3".
DIGITS = (
    rf"\d{{1,3}}/\d{{1,3}}(?![\d/])|"
    rf"(?:(?<![\w.,/-])[-−](?=\d))?"
    rf"(?:\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)"
    rf"(?:(?:\s+|-)\d+/\d+(?!\d)|[{_FRACTION_CHARS}])?"
    rf"|[{_FRACTION_CHARS}]"
)
# Number words joined by spaces, hyphens or "and": "twenty-five", "one hundred and six",
# "a dozen", "half a dozen", "a million". A leading "a" only counts before a scale word.
WORDS = (
    rf"(?:(?:half\s+)?\ban?\s+(?=(?:{_SCALE_WORD})\b))?"
    rf"\b(?:{_WORD})\b(?:(?:\s*-\s*|\s+and\s+|\s+)(?:{_WORD})\b)*"
)
# A digit figure followed by a scale word: "2.5 million", "3 dozen", "322 hundred".
SCALED_DIGITS = rf"(?:{DIGITS})(?:\s*(?:{_SCALE_WORD})\b)*"
# "two and a half", "5 and a quarter": a whole number and a spoken fraction.
AND_A_FRACTION = r"\s+and\s+an?\s+(?:half|quarter|third)\b"
NUMBER = rf"(?:(?:{SCALED_DIGITS}|{WORDS})(?:{AND_A_FRACTION})?)"
_AND_A_FRACTION_RE = re.compile(AND_A_FRACTION + "$", re.IGNORECASE)
_FRACTION_PARTS = {"half": 0.5, "quarter": 0.25, "third": 1 / 3}

_DIGITS_PARTS = re.compile(r"(?:(\d[\d,]*(?:\.\d+)?|\.\d+)(?:(?:\s+|-)(\d+)/(\d+))?|(\d+)/(\d+))")


def parse_digits(text: str) -> float | None:
    """Parse a digit string with separators, a mixed fraction or a unicode fraction."""
    text = text.strip().replace("−", "-")
    if not text:
        return None
    sign = -1.0 if text.startswith("-") else 1.0
    text = text.lstrip("-").strip()
    extra = 0.0
    if text and text[-1] in UNICODE_FRACTIONS:
        extra = UNICODE_FRACTIONS[text[-1]]
        text = text[:-1].strip()
        if not text:
            return sign * extra
    match = _DIGITS_PARTS.fullmatch(text)
    if match is None:
        return None
    whole, num, den, lone_num, lone_den = match.groups()
    if lone_num is not None:
        num, den = lone_num, lone_den
    value = float(whole.replace(",", "")) if whole else 0.0
    if num is not None:
        if float(den) == 0:
            return None
        value += float(num) / float(den)
    return sign * (value + extra)


def parse_words(text: str) -> float | None:
    """Parse number words: "twenty-five" -> 25, "a dozen" -> 12, "two hundred and six" -> 206."""
    tokens = [t for t in re.split(r"[\s-]+", text.lower()) if t and t != "and"]
    total = 0.0
    current = 0.0
    seen = False
    half = False
    for i, token in enumerate(tokens):
        if token in ("a", "an"):
            continue
        if token == "half" and i == 0:
            half = True
            continue
        base = token[:-1] if token.endswith("s") and token[:-1] in SCALES else token
        if base in UNITS:
            current += UNITS[base]
        elif base in TENS:
            current += TENS[base]
        elif base in ("hundred", "dozen"):
            current = (current or 1) * SCALES[base]
        elif base in SCALES:
            total += (current or 1) * SCALES[base]
            current = 0
        else:
            return None
        seen = True
    if not seen:
        return None
    value = total + current
    return value / 2 if half else value


def parse_number(text: str) -> float | None:
    """Parse any NUMBER match: digits, digits with scale words, or number words."""
    text = text.strip()
    if not text:
        return None
    tail = _AND_A_FRACTION_RE.search(text)
    if tail:
        whole = parse_number(text[: tail.start()])
        part = _FRACTION_PARTS[tail.group(0).split()[-1].lower()]
        return None if whole is None else whole + (part if whole >= 0 else -part)
    match = re.match(DIGITS, text)
    if match and match.group(0).strip():
        value = parse_digits(match.group(0))
        if value is None:
            return None
        rest = text[match.end() :].strip()
        for word in re.findall(r"[a-z]+", rest.lower()):
            base = word[:-1] if word.endswith("s") and word[:-1] in SCALES else word
            if base not in SCALES:
                return None
            value *= SCALES[base]
        return value
    return parse_words(text)


def scale_of(abbreviation: str) -> float:
    """Multiplier of an abbreviated or spelled scale ("bn" -> 1e9, "million" -> 1e6, "" -> 1)."""
    key = abbreviation.strip().lower().rstrip(".")
    if not key:
        return 1.0
    if key in SCALE_ABBREVIATIONS:
        return SCALE_ABBREVIATIONS[key]
    base = key[:-1] if key.endswith("s") and key[:-1] in SCALES else key
    return SCALES.get(base, 1.0)


def is_word_number(text: str) -> bool:
    """True when the figure is spelled out in words rather than digits."""
    return not any(ch.isdigit() or ch in UNICODE_FRACTIONS for ch in text)
