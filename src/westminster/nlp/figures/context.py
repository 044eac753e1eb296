"""The words around a figure: qualifiers before it ("up to"), rates after it ("a year").

A qualifier is kept out of the figure's span (the span is "155 miles", the qualifier "up to")
so the text of a figure reads as the number itself; ranges are the exception (see
quantities.py), where "between 44 and 50 mg" is one figure.

`approximate` is True only for hedges that make the number itself inexact ("about", "nearly",
"some", "an estimated"). Bounds such as "up to", "more than" and "at least" state an exact limit,
so they set `qualifier` and leave `approximate` False.
"""

from __future__ import annotations

import re

from westminster.models import Figure

# Hedges that make the number inexact.
APPROXIMATE: tuple[str, ...] = (
    "approximately",
    "an estimated",
    "estimated",
    "roughly",
    "around",
    "almost",
    "nearly",
    "about",
    "close to",
    "just over",
    "just under",
    "some",
    "circa",
    "c.",
    "~",
)
# Bounds: exact statements of a limit.
BOUNDS: tuple[str, ...] = (
    "no more than",
    "no fewer than",
    "no less than",
    "greater than",
    "fewer than",
    "more than",
    "less than",
    "as many as",
    "as much as",
    "as little as",
    "as few as",
    "at least",
    "at most",
    "up to",
    "over",
    "under",
    "above",
    "below",
    "exceeding",
    "exceed",
    "surpass",
    "beyond",
    "upwards of",
    "in excess of",
    "a maximum of",
    "a minimum of",
)
_QUALIFIER_RE = re.compile(
    r"(?:^|(?<=[\s(]))("
    + "|".join(re.escape(q) for q in sorted(APPROXIMATE + BOUNDS, key=len, reverse=True))
    + r")\s*$",
    re.IGNORECASE,
)
# How far back a qualifier may sit: "more than" plus a space fits in 16 characters; the longest
# ("in excess of", "no fewer than") in 20.
QUALIFIER_WINDOW = 24

# Rate periods, normalised.
PERIODS: dict[str, str] = {
    "year": "year",
    "annum": "year",
    "month": "month",
    "week": "week",
    "day": "day",
    "hour": "hour",
    "head": "person",
    "person": "person",
    "capita": "person",
    "share": "share",
}
_ADVERB_PERIODS: dict[str, str] = {
    "annually": "year",
    "yearly": "year",
    "a year": "year",
    "per year": "year",
    "monthly": "month",
    "weekly": "week",
    "daily": "day",
    "a day": "day",
    "hourly": "hour",
}
# A rate written right after the figure: "£3 billion a year", "$98 a share", "$15.4/hour".
_ADJACENT_RATE_RE = re.compile(
    r"\s*(?:(?:-|\s)?(?:a|an|per|each|every)[\s-]+|/\s*)(year|annum|month|week|day|hour|head|"
    r"person|capita|share)\b",
    re.IGNORECASE,
)
# A rate later in the same clause: "£3 billion it will continue to give annually".
_LATER_RATE_RE = re.compile(
    r"\b(annually|yearly|monthly|weekly|daily|hourly|(?:a|per|each|every)\s+"
    r"(?:year|annum|month|week|day))\b",
    re.IGNORECASE,
)
# How far ahead a rate phrase may sit and still belong to the figure: "£3 billion it will
# continue to give annually" puts "annually" 34 characters after the figure; 60 keeps the
# clause and stops before the next one in the seed's sentences.
RATE_WINDOW = 60
_CLAUSE_END = re.compile(r"[.;:!?,()\[\]\"“”]|\s[-–—]\s|\n")


def qualifier_before(text: str, start: int) -> tuple[str | None, bool]:
    """The qualifier that ends right before `start`, and whether it makes the figure approximate."""
    window = text[max(0, start - QUALIFIER_WINDOW) : start]
    match = _QUALIFIER_RE.search(window)
    if not match:
        return None, False
    qualifier = match.group(1).lower()
    return qualifier, qualifier in APPROXIMATE


def rate_after(text: str, end: int, next_figure_start: int | None = None) -> tuple[str | None, int]:
    """The rate period after a figure, and the end of the rate phrase when adjacent (else `end`).

    Adjacent phrases ("a year", "per share", "/hour") become part of the figure's span; a later
    adverb in the same clause ("... to give annually") sets `per` but stays outside the span.
    """
    adjacent = _ADJACENT_RATE_RE.match(text, end)
    if adjacent:
        return PERIODS[adjacent.group(1).lower()], adjacent.end()
    stop = min(len(text), end + RATE_WINDOW)
    if next_figure_start is not None:
        stop = min(stop, next_figure_start)
    clause_end = _CLAUSE_END.search(text, end, stop)
    if clause_end:
        stop = clause_end.start()
    later = _LATER_RATE_RE.search(text, end, stop)
    if later:
        phrase = re.sub(r"\s+", " ", later.group(1).lower())
        period = _ADVERB_PERIODS.get(phrase) or PERIODS[phrase.split()[-1]]
        return period, end
    return None, end


def tidy(value: float) -> float:
    """Integral floats become ints so JSON shows 600000000, not 600000000.0."""
    if value != value or abs(value) >= 1e18:
        return value
    value = float(f"{value:.12g}")  # drop float noise: 16.4 * 1e6 -> 16400000
    return int(value) if value.is_integer() else value


def build_figure(
    text: str,
    start: int,
    end: int,
    kind: str,
    value: float | str | None,
    unit: str | None = None,
    *,
    per: str | None = None,
    total: float | None = None,
    upper: float | None = None,
    qualifier: str | None = None,
    approximate: bool | None = None,
) -> Figure:
    """A Figure over text[start:end], with the qualifier read from the words before it."""
    found, hedged = qualifier_before(text, start)
    if qualifier is None:
        qualifier = found
    if approximate is None:
        approximate = hedged if qualifier == found else qualifier in APPROXIMATE
    if isinstance(value, float | int) and not isinstance(value, bool):
        value = tidy(float(value))
    return Figure(
        start=start,
        end=end,
        text=text[start:end],
        kind=kind,
        value=value,
        unit=unit,
        per=per,
        total=None if total is None else tidy(total),
        upper=None if upper is None else tidy(upper),
        approximate=approximate,
        qualifier=qualifier,
    )


# Words just before "25 pounds" that make it a weight rather than money.
_WEIGHT_CUE = re.compile(
    r"\b(?:weigh\w*|heav\w*|light\w*|lbs?|baby|lose|lost|losing|drop|dropped|gain\w*|fish)\b"
    r"[^.!?]*$",
    re.IGNORECASE,
)
# "this baby is over two pounds": the cue sits within 40 characters of the figure.
WEIGHT_WINDOW = 40


def weight_context(text: str, start: int) -> bool:
    """True when weight words sit just before `start` ("weighs 25 pounds", "lost two pounds")."""
    return _WEIGHT_CUE.search(text[max(0, start - WEIGHT_WINDOW) : start]) is not None
