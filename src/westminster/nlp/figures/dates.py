"""Dates, resolved against the publication date.

Values are ISO strings at the precision written: a day "2024-07-05", a month "2024-07", a year
"2024", an ISO week "2024-W37" ("this week"), a weekend as the date of its Saturday. A date
without a year ("July 5", "July", "on Monday") is the most recent one on or before publication
unless the words around it point ahead ("upcoming November election", "will meet on Monday"),
then the next one on or after. "next Tuesday" is the first Tuesday after publication, "last
Tuesday" the last one before it. Without a publication date only dates that carry their own
year get a value; the others keep value None.
"""

from __future__ import annotations

import datetime as dt
import re

from westminster.models import Figure
from westminster.nlp.figures.context import build_figure

MONTHS: dict[str, int] = {
    "January": 1,
    "February": 2,
    "March": 3,
    "April": 4,
    "May": 5,
    "June": 6,
    "July": 7,
    "August": 8,
    "September": 9,
    "October": 10,
    "November": 11,
    "December": 12,
}
MONTH_ABBREVIATIONS: dict[str, int] = {
    "Jan": 1,
    "Feb": 2,
    "Mar": 3,
    "Apr": 4,
    "Jun": 6,
    "Jul": 7,
    "Aug": 8,
    "Sep": 9,
    "Sept": 9,
    "Oct": 10,
    "Nov": 11,
    "Dec": 12,
}
WEEKDAYS: dict[str, int] = {
    "Monday": 0,
    "Tuesday": 1,
    "Wednesday": 2,
    "Thursday": 3,
    "Friday": 4,
    "Saturday": 5,
    "Sunday": 6,
}
# Words that point ahead or back; the one nearest the date wins.
FUTURE_WORDS: frozenset[str] = frozenset(
    [
        "will",
        "'ll",
        "’ll",
        "shall",
        "would",
        "going",
        "expected",
        "expects",
        "due",
        "set",
        "plans",
        "plan",
        "planned",
        "scheduled",
        "intends",
        "intend",
        "upcoming",
        "coming",
        "next",
        "forthcoming",
        "later",
        "ahead",
        "until",
    ]
)
PAST_WORDS: frozenset[str] = frozenset(
    [
        "was",
        "were",
        "had",
        "did",
        "said",
        "won",
        "took",
        "went",
        "came",
        "made",
        "met",
        "ago",
        "since",
        "earlier",
        "last",
        "back",
        "began",
        "saw",
        "held",
        "gave",
        "became",
    ]
)
# How far back to look for a tense cue: about a dozen words of the same sentence.
TENSE_WINDOW = 80

_MONTH = "|".join(MONTHS)
_MONTH_ANY = "|".join(sorted([*MONTHS, *MONTH_ABBREVIATIONS], key=len, reverse=True))
_WEEKDAY = "|".join(WEEKDAYS)
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:1[89]|20)\d\d)"

_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("iso", re.compile(r"\b(?P<year>\d{4})-(?P<month>[01]\d)-(?P<day>[0-3]\d)\b")),
    ("numeric", re.compile(r"\b(?P<day>[0-3]?\d)/(?P<month>[01]?\d)/(?P<year>\d{4})\b")),
    (
        "day_month",
        re.compile(
            rf"\b(?:(?:{_WEEKDAY}),?\s+)?{_DAY}\s+(?:of\s+)?(?P<month>{_MONTH_ANY})\b\.?"
            rf"(?:,?\s+{_YEAR}\b)?"
        ),
    ),
    (
        "month_day",
        re.compile(
            rf"\b(?:(?:{_WEEKDAY}),?\s+)?(?P<month>{_MONTH_ANY})\.?\s+{_DAY}\b(?![:.]?\d)"
            rf"(?:,?\s+{_YEAR}\b)?"
        ),
    ),
    ("month_year", re.compile(rf"\b(?P<month>{_MONTH_ANY})\.?\s+(?:of\s+)?{_YEAR}\b")),
    ("month", re.compile(rf"\b(?P<month>{_MONTH})\b")),
    ("year", re.compile(rf"(?<![\w$£€.,/-]){_YEAR}(?![\w%]|,\d|\.\d)")),
    ("day_word", re.compile(r"\b(?P<word>today|yesterday|tomorrow|tonight|last\s+night)\b", re.I)),
    (
        "period",
        re.compile(r"\b(?P<rel>this|last|next)\s+(?P<period>week|weekend|month|year)\b", re.I),
    ),
    ("weekday", re.compile(rf"\b(?:(?P<rel>this|last|next)\s+)?(?P<weekday>{_WEEKDAY})\b", re.I)),
)
# "May" and "March" are also a verb and a modal: as a lone month they need a preposition.
_AMBIGUOUS_MONTHS = frozenset({"May", "March"})
_MONTH_LEAD_RE = re.compile(
    r"\b(?:in|since|until|till|by|of|last|next|this|early|late|mid|during|before|after|from|"
    r"to|end|start|beginning)\W*$",
    re.IGNORECASE,
)


def find_dates(text: str, published: dt.date | None = None) -> list[Figure]:
    """Every date expression in `text`, resolved against `published` when given."""
    found: list[Figure] = []
    for name, pattern in _PATTERNS:
        for match in pattern.finditer(text):
            if (
                name == "month"
                and match.group("month") in _AMBIGUOUS_MONTHS
                and not _MONTH_LEAD_RE.search(text[max(0, match.start() - 12) : match.start()])
            ):
                continue
            if name == "weekday" and not match.group(0)[0].isupper() and not match.group("rel"):
                continue
            value = _resolve(name, match, text, published)
            if value is _INVALID:
                continue
            found.append(build_figure(text, match.start(), match.end(), "date", value))
    return found


_INVALID = "invalid"


def _month_number(name: str) -> int:
    return MONTHS.get(name) or MONTH_ABBREVIATIONS[name.rstrip(".")]


def _resolve(name: str, match: re.Match[str], text: str, published: dt.date | None) -> str | None:
    groups = match.groupdict()
    year = int(groups["year"]) if groups.get("year") else None
    if name in ("iso", "numeric", "day_month", "month_day"):
        month = int(groups["month"]) if name in ("iso", "numeric") else None
        month = month or _month_number(groups["month"])
        day = int(groups["day"])
        if year is None:
            if published is None:
                return None
            return _day_without_year(month, day, published, _future(text, match))
        try:
            return dt.date(year, month, day).isoformat()
        except ValueError:
            return _INVALID
    if name == "month_year":
        return f"{year:04d}-{_month_number(groups['month']):02d}"
    if name == "month":
        if published is None:
            return None
        month = MONTHS[groups["month"]]
        ahead = _future(text, match)
        shift = (1 if month < published.month else 0) if ahead else -(month > published.month)
        return f"{published.year + shift:04d}-{month:02d}"
    if name == "year":
        return f"{year:04d}"
    if published is None:
        return None
    if name == "day_word":
        offset = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1}
        word = re.sub(r"\s+", " ", groups["word"].lower())
        return (published + dt.timedelta(days=offset.get(word, -1))).isoformat()
    if name == "period":
        return _period(groups["rel"].lower(), groups["period"].lower(), published)
    return _weekday(groups, text, match, published)


def _day_without_year(month: int, day: int, published: dt.date, ahead: bool) -> str:
    try:
        candidate = dt.date(published.year, month, day)
    except ValueError:
        return _INVALID
    if ahead and candidate < published:
        candidate = candidate.replace(year=published.year + 1)
    elif not ahead and candidate > published:
        candidate = candidate.replace(year=published.year - 1)
    return candidate.isoformat()


def _period(rel: str, period: str, published: dt.date) -> str:
    step = {"this": 0, "last": -1, "next": 1}[rel]
    if period in ("week", "weekend"):
        day = published + dt.timedelta(weeks=step)
        if period == "weekend":
            return (day + dt.timedelta(days=5 - day.weekday())).isoformat()
        iso = day.isocalendar()
        return f"{iso.year:04d}-W{iso.week:02d}"
    if period == "month":
        index = published.year * 12 + published.month - 1 + step
        return f"{index // 12:04d}-{index % 12 + 1:02d}"
    return f"{published.year + step:04d}"


def _weekday(
    groups: dict[str, str | None], text: str, match: re.Match[str], published: dt.date
) -> str:
    target = WEEKDAYS[(groups["weekday"] or "").capitalize()]
    rel = (groups["rel"] or "").lower()
    today = published.weekday()
    if rel == "next":
        delta = (target - today) % 7 or 7
    elif rel == "last":
        delta = -((today - target) % 7 or 7)
    elif rel == "this":
        delta = target - today
    elif _future(text, match):
        delta = (target - today) % 7
    else:
        delta = -((today - target) % 7)
    return (published + dt.timedelta(days=delta)).isoformat()


def _future(text: str, match: re.Match[str]) -> bool:
    """True when the words nearest the date point ahead ("upcoming", "will"), else False."""
    left = text[max(0, match.start() - TENSE_WINDOW) : match.start()]
    left = re.split(r"[.!?;\n]", left)[-1]
    for word in reversed(re.findall(r"[\w'’]+", left.lower())):
        verdict = _tense(word)
        if verdict is not None:
            return verdict
    right = re.split(r"[.!?;\n]", text[match.end() : match.end() + TENSE_WINDOW // 2])[0]
    for word in re.findall(r"[\w'’]+", right.lower()):
        verdict = _tense(word)
        if verdict is not None:
            return verdict
    return False


def _tense(word: str) -> bool | None:
    if word in FUTURE_WORDS or word.endswith(("'ll", "’ll")):
        return True
    if word in PAST_WORDS or (word.endswith("ed") and len(word) > 4):
        return False
    return None
