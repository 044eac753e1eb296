"""Counts, proportions, ordinals and bare numbers.

- proportion: "30 out of 350 arms export licenses" -> value 30, total 350, unit "licence";
  "one in five voters" -> 1 of 5; "two-thirds of MPs" -> 2 of 3; "half of" -> 1 of 2.
  A proportion keeps numerator and denominator (value / total is the share).
- count: a number with the noun it counts, "2,000 jobs" -> 2000 "job"; the span runs to the
  noun, the unit is the noun singular with British spelling ("licenses" -> "licence").
- ordinal: "75th", "second" -> kind "ordinal", value 75 / 2, no unit.
- number: any other number ("42", "a dozen"); a lone "one" is left out (it is mostly a
  pronoun: "one of them", "one after another").
No part-of-speech tagger is used: the counted noun is the last plural-looking word of a short
run of content words after the number, which is fast and right for news prose.
"""

from __future__ import annotations

import re

from westminster.models import Figure
from westminster.nlp.figures.context import build_figure
from westminster.nlp.figures.numbers import (
    DENOMINATORS,
    NUMBER,
    ORDINAL_WORDS,
    parse_number,
    scale_of,
)
from westminster.nlp.inflection import IRREGULAR, singular_noun

# Words that end a noun run after a number.
STOPWORDS: frozenset[str] = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "in",
        "on",
        "at",
        "to",
        "for",
        "from",
        "by",
        "with",
        "and",
        "or",
        "but",
        "as",
        "than",
        "that",
        "this",
        "these",
        "those",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "has",
        "have",
        "had",
        "do",
        "does",
        "did",
        "will",
        "would",
        "shall",
        "should",
        "can",
        "could",
        "may",
        "might",
        "must",
        "not",
        "no",
        "it",
        "its",
        "their",
        "his",
        "her",
        "our",
        "your",
        "my",
        "which",
        "who",
        "whom",
        "whose",
        "what",
        "when",
        "where",
        "why",
        "how",
        "into",
        "onto",
        "over",
        "under",
        "about",
        "after",
        "before",
        "since",
        "until",
        "while",
        "per",
        "each",
        "every",
        "all",
        "some",
        "any",
        "more",
        "most",
        "less",
        "least",
        "other",
        "such",
        "only",
        "also",
        "just",
        "very",
        "so",
        "too",
        "then",
        "there",
        "here",
        "out",
        "up",
        "down",
        "off",
        "said",
        "says",
        "say",
        "told",
        "according",
        "if",
        "because",
        "both",
        "either",
        "neither",
        "nor",
        "yet",
        "still",
        "even",
        "ago",
    ]
)
# American spellings normalised to British for units ("licenses" -> "licence").
BRITISH: dict[str, str] = {
    "license": "licence",
    "defense": "defence",
    "offense": "offence",
    "program": "programme",
    "center": "centre",
    "theater": "theatre",
    "neighbor": "neighbour",
    "labor": "labour",
    "vapor": "vapour",
    "color": "colour",
}
# Plural nouns that also act as modifiers ("arms export licences", "sales figures"): a later
# plural in the same run is the head.
PLURAL_MODIFIERS: frozenset[str] = frozenset(
    {"arms", "sales", "sports", "savings", "customs", "goods", "arts", "services", "earnings"}
)
# How many content words may sit between a number and its noun ("350 arms export licenses").
NOUN_RUN = 4

_WORD_RE = re.compile(r"\s*([A-Za-z][A-Za-z'’]*(?:-[A-Za-z]+)*)")
_PROPORTION_RE = re.compile(
    rf"(?P<num>{NUMBER})\s+(?P<joint>out\s+of|in(?:\s+every)?)\s+(?P<den>{NUMBER})(?![\w.,]\d)",
    re.IGNORECASE,
)
_FRACTION_WORDS = "|".join(sorted(DENOMINATORS, key=len, reverse=True))
_FRACTION_RE = re.compile(
    rf"\b(?P<num>(?:{NUMBER})|an?|one)[\s-]+(?P<den>{_FRACTION_WORDS})\b(?P<of>\s+of\b)?"
    rf"|\b(?P<half>half)\s+(?:of\b|the\b|a\b)",
    re.IGNORECASE,
)
_ORDINAL_RE = re.compile(
    r"\b(?P<digits>\d{1,4})(?:st|nd|rd|th)\b|\b(?P<word>"
    + "|".join(sorted(ORDINAL_WORDS, key=len, reverse=True))
    + r")\b",
    re.IGNORECASE,
)
_NUMBER_RE = re.compile(
    rf"(?<![\w$£€¥.,])(?P<num>{NUMBER})(?:(?<=\d)\s?(?P<abbr>k|m|mn|bn)\b)?(?![\w])",
    re.IGNORECASE,
)
_YEAR_LIKE = re.compile(r"^(1[89]|20)\d\d$")


def singular(word: str) -> str:
    """Singular, lower-case, British-spelt form of a counted noun."""
    lower = singular_noun(word.lower().replace("’", "'"))
    return BRITISH.get(lower, lower)


def _looks_plural(word: str) -> bool:
    lower = word.lower()
    if lower in IRREGULAR:
        return True
    return lower.endswith("s") and not lower.endswith(("ss", "us", "is", "'s", "’s"))


def counted_noun(text: str, end: int, value: float) -> tuple[str, int] | None:
    """The noun a number counts, and where it ends: "2,000 new jobs" -> ("job", end of jobs)."""
    pos = end
    head: tuple[str, int] | None = None
    modifier = False
    for _ in range(NOUN_RUN):
        match = _WORD_RE.match(text, pos)
        if not match:
            break
        word = match.group(1)
        lower = word.lower()
        if lower in STOPWORDS or (word[0].isupper() and head is not None):
            break
        if lower.endswith(("ed", "ing", "ly")) and not _looks_plural(word):
            break
        if _looks_plural(word) or (value == 1 and head is None and not word[0].isupper()):
            head = (singular(word), match.end())
        elif head is not None and not modifier:
            break
        modifier = lower in PLURAL_MODIFIERS
        pos = match.end()
    return head


def find_proportions(text: str) -> list[Figure]:
    """Proportions: "30 out of 350 licences", "one in five", "two-thirds of", "half of"."""
    found: list[Figure] = []
    for match in _PROPORTION_RE.finditer(text):
        num = parse_number(match.group("num"))
        den = parse_number(match.group("den"))
        if num is None or den is None or den == 0 or num > den:
            continue
        if _YEAR_LIKE.match(match.group("den").strip()):
            continue  # "3 in 2024" is a date
        noun = counted_noun(text, match.end(), num)
        unit, end = noun if noun else (None, match.end())
        found.append(build_figure(text, match.start(), end, "proportion", num, unit, total=den))
    for match in _FRACTION_RE.finditer(text):
        if match.group("half"):
            found.append(
                build_figure(text, match.start(), match.start() + 4, "proportion", 1, total=2)
            )
            continue
        num_text = match.group("num").lower()
        den_word = match.group("den").lower()
        plural_den = den_word.endswith("s")
        if num_text in ("a", "an", "one") and not (match.group("of") or den_word == "half"):
            continue  # "a third runway" is an ordinal
        num = 1.0 if num_text in ("a", "an") else parse_number(num_text)
        if num is None or (num > 1 and not plural_den):
            continue
        end = match.end("den")
        found.append(
            build_figure(text, match.start(), end, "proportion", num, total=DENOMINATORS[den_word])
        )
    return found


def find_ordinals(text: str) -> list[Figure]:
    """Ordinals: "75th anniversary", "second journey" -> kind "ordinal"."""
    found: list[Figure] = []
    for match in _ORDINAL_RE.finditer(text):
        if match.group("digits"):
            value = float(match.group("digits"))
        else:
            value = float(ORDINAL_WORDS[match.group("word").lower()])
        found.append(build_figure(text, match.start(), match.end(), "ordinal", value))
    return found


def find_counts(text: str) -> list[Figure]:
    """Numbers with the noun they count ("2,000 jobs"), or bare numbers ("42", "a dozen")."""
    found: list[Figure] = []
    for match in _NUMBER_RE.finditer(text):
        surface = match.group("num")
        value = parse_number(surface)
        if value is None or _YEAR_LIKE.match(surface):
            continue  # years are dates
        if match.group("abbr"):
            value *= scale_of(match.group("abbr"))  # "2.5m people", "10k"
        noun = counted_noun(text, match.end(), value)
        if noun is not None:
            unit, end = noun
            found.append(build_figure(text, match.start(), end, "count", value, unit))
        elif surface.lower() not in ("one", "an", "a"):
            found.append(build_figure(text, match.start(), match.end(), "number", value))
    return found
