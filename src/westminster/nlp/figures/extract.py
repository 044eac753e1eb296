"""Run every recogniser, drop what only looks like a figure, keep the best non-overlapping set."""

from __future__ import annotations

import datetime as dt
import re

from westminster.models import Figure
from westminster.nlp.figures.counts import find_counts, find_ordinals, find_proportions
from westminster.nlp.figures.dates import find_dates
from westminster.nlp.figures.money import find_money
from westminster.nlp.figures.quantities import find_percentages, find_quantities

# When two candidates cover the same characters the longer wins; on equal length the kind
# listed first wins ("5 million pounds" is money before it is a count of pounds).
PRIORITY: dict[str, int] = {
    "money": 0,
    "percent": 1,
    "date": 2,
    "quantity": 3,
    "proportion": 4,
    "count": 5,
    "ordinal": 6,
    "number": 7,
}

# A count's noun run can reach past a money or date figure ("$ 800 rebates"): kinds with a
# unit or a date win over these generic readings whatever their length.
_GENERIC_KINDS = frozenset({"count", "number", "ordinal"})

# Digits that are names or labels, not figures: times, phone numbers, street addresses,
# "No 10", "Article 50". Candidates that overlap these are dropped.
_NOT_FIGURES = re.compile(
    r"\b\d{1,2}:\d{2}(?::\d{2})?(?:\s*(?:am|pm|a\.m\.|p\.m\.))?"
    r"|\b\d{1,2}(?:\.\d{2})?\s*(?:am|pm|a\.m\.|p\.m\.)(?![\w])"
    r"|\b\d{1,2}\s*o['’]clock\b"
    r"|(?:\+\d{1,3}[\s-]?|\b0)\d{1,4}[\s)-]{1,2}\d{3,4}[\s-]?\d{3,4}\b"
    r"|\b\d{1,4}[A-Za-z]?\s+(?:[A-Z][a-z]+\s+){1,3}(?:Street|Road|Avenue|Lane|Square|Place|"
    r"Terrace|Way|Drive|Close|Gardens|Crescent|Row|Court|Hill|Walk|Mews)\b"
    r"|\b(?:No|Nos|Number)\.?\s?\d+\b"
    r"|\b(?:Article|Section|Clause|Tier|Level|Grade|Chapter|Room|Flight|Platform|Route|"
    r"Junction|Category|Stage|Phase|Schedule|Rule|Page|Vol|Volume|Band|Option|Question|"
    r"Gate|Channel|Radio|Block|Unit|Apollo|Boeing|Airbus|Windows|iPhone|Series|Version|"
    r"Class|Division|League|Formula|Act|Regulation|Paragraph)\.?\s+\d+(?:\.\d+)*\b"
)
# Words that may hang a year or number on a hyphen: "mid-2024", "post-1945".
_HYPHEN_PREFIXES = frozenset({"mid", "pre", "post", "early", "late", "non", "over", "under"})


def extract_figures(text: str, published: dt.date | None = None) -> list[Figure]:
    """Figures in `text`, sorted by start, non-overlapping, with offsets into `text`."""
    candidates = [
        *find_money(text),
        *find_percentages(text),
        *find_dates(text, published),
        *find_quantities(text),
        *find_proportions(text),
        *find_counts(text),
        *find_ordinals(text),
    ]
    blocked = [m.span() for m in _NOT_FIGURES.finditer(text)]
    candidates = [f for f in candidates if _plausible(text, f, blocked)]
    candidates.sort(key=_rank)
    taken: list[Figure] = []
    used = bytearray(len(text) + 1)
    for figure in candidates:
        if any(used[figure.start : figure.end]):
            continue
        used[figure.start : figure.end] = b"\x01" * (figure.end - figure.start)
        taken.append(figure)
    return sorted(taken, key=lambda f: f.start)


def _rank(figure: Figure) -> tuple[int, int, int, int]:
    """Specific kinds first, then longer spans, then PRIORITY, then earlier."""
    tier = 1 if figure.kind in _GENERIC_KINDS else 0
    return (tier, figure.start - figure.end, PRIORITY.get(figure.kind, 9), figure.start)


def _plausible(text: str, figure: Figure, blocked: list[tuple[int, int]]) -> bool:
    """False for digits glued to a name ("G7", "Covid-19", "F-35") or inside a label span."""
    if figure.start >= figure.end:
        return False
    for start, end in blocked:
        if start < figure.end and figure.start < end:
            return False
    before = text[figure.start - 1] if figure.start else ""
    if before and (before.isalnum() or before in "_."):
        return False
    if before == "-" and figure.start >= 2 and text[figure.start - 2].isalpha():
        word = re.search(r"[A-Za-z]+$", text[: figure.start - 1])
        if word is None or word.group(0).lower() not in _HYPHEN_PREFIXES:
            return False
    after = text[figure.end] if figure.end < len(text) else ""
    if (
        figure.kind in ("number", "count", "ordinal")
        and after == "-"
        and figure.end + 1 < len(text)
    ):
        # "F-35" is caught above; "7-Eleven" or "19-year-old" here: left to other kinds.
        return not text[figure.end + 1].isalpha() or figure.kind == "ordinal"
    return True
