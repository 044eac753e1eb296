"""Quantities with units ("155 miles", "2.5-mile", "16,000 metric tons") and percentages.

Units are normalised to a singular British name ("kilometres", "km" -> "kilometre"; "metric
tons" -> "tonne"; weight "pounds"/"lbs" -> "lb"), or a symbol where that is how news writes it
("MW", "mph", "%"). Durations ("three days", "a two-year freeze") are quantities with unit
"year", "day", ... A percentage is kind "percent" with unit "%"; "percentage points" keeps unit
"percentage point" so a change in a rate is not mistaken for the rate.
"""

from __future__ import annotations

import re

from westminster.models import Figure
from westminster.nlp.figures.context import build_figure, rate_after, weight_context
from westminster.nlp.figures.numbers import DIGITS, NUMBER, SCALES, parse_number

_MET = r"met(?:re|er)s?"
# (surface pattern, unit). Order matters only for readability: the regex takes the longest.
UNIT_FORMS: tuple[tuple[str, str], ...] = (
    (r"miles?\s+(?:per|an|a)\s+hour|mph", "mph"),
    (rf"kilo{_MET}\s+(?:per|an|a)\s+hour|km/h(?:r)?|kmph|kph", "km/h"),
    (r"knots?", "knot"),
    (r"square\s+miles?|sq\.?\s?mi(?:les?)?", "square mile"),
    (rf"square\s+kilo{_MET}|sq\.?\s?km|km2|km²|km\^2", "square kilometre"),
    (rf"square\s+{_MET}|sq\.?\s?m|m2|m²", "square metre"),
    (r"square\s+f(?:ee|oo)t|sq\.?\s?ft", "square foot"),
    (r"cubic\s+f(?:ee|oo)t|cu\.?\s?ft", "cubic foot"),
    (rf"cubic\s+kilo{_MET}|km3|km\^3|km³|km\s+cubed", "cubic kilometre"),
    (rf"cubic\s+{_MET}|m3|m³", "cubic metre"),
    (r"miles?|mi", "mile"),
    (rf"kilo{_MET}|km|kms", "kilometre"),
    (rf"centi{_MET}|cm", "centimetre"),
    (rf"milli{_MET}|mm", "millimetre"),
    (rf"nano{_MET}|nm", "nanometre"),
    (rf"pico{_MET}", "picometre"),
    (
        rf"{_MET}|m(?=$|[\s.,;:)!?]\s*(?:$|[^\w\s]|tall|high|long|wide|deep|away|above|below|x\b))",
        "metre",
    ),
    (r"feet|foot|ft", "foot"),
    (r"inch(?:es)?|in(?=\s*(?:$|[.,;)]|thick|long|wide|tall|deep))|\"", "inch"),
    (r"yards?|yds?", "yard"),
    (r"acres?", "acre"),
    (r"hectares?|ha", "hectare"),
    (r"metric\s+tons?|tonnes?|t(?=$|[\s.,;)])", "tonne"),
    (r"tons?", "ton"),
    (r"kilo(?:gram(?:me)?)?s?|kgs?", "kilogram"),
    (r"milligram(?:me)?s?|mg", "milligram"),
    (r"microgram(?:me)?s?|μg|mcg", "microgram"),
    (r"gram(?:me)?s?", "gram"),
    (r"lbs?", "lb"),
    (r"pounds?", "lb"),  # weight only: see find_quantities
    (r"ounces?|oz", "ounce"),
    (r"stones?", "stone"),
    (r"millilit(?:re|er)s?|ml", "millilitre"),
    (r"centilit(?:re|er)s?|cl", "centilitre"),
    (r"lit(?:re|er)s?|l(?=$|[\s.,;)])", "litre"),
    (r"gallons?", "gallon"),
    (r"barrels?|bbl", "barrel"),
    (r"pints?", "pint"),
    (r"cups?", "cup"),
    (r"tablespoons?|tbsp", "tablespoon"),
    (r"teaspoons?|tsp", "teaspoon"),
    (r"degrees?\s+(?:celsius|centigrade|c\b)|°\s?c\b", "degree Celsius"),
    (r"degrees?\s+fahrenheit|°\s?f\b", "degree Fahrenheit"),
    (r"degrees?|°", "degree"),
    (r"gigawatt[\s-]?hours?|gwh", "GWh"),
    (r"terawatt[\s-]?hours?|twh", "TWh"),
    (r"megawatt[\s-]?hours?|mwh", "MWh"),
    (r"kilowatt[\s-]?hours?|kwh", "kWh"),
    (r"watt[\s-]?hours?|wh", "Wh"),
    (r"gigawatts?|gw", "GW"),
    (r"megawatts?|mw", "MW"),
    (r"kilowatts?|kw", "kW"),
    (r"watts?", "W"),
    (r"gigahertz|ghz", "GHz"),
    (r"megahertz|mhz", "MHz"),
    (r"terabytes?|tb", "terabyte"),
    (r"gigabytes?|gb", "gigabyte"),
    (r"megabytes?|mb", "megabyte"),
    (r"exabytes?", "exabyte"),
    (r"bytes?", "byte"),
    (r"bits?", "bit"),
    (r"electron\s?volts?|ev", "electronvolt"),
    (r"years?|yrs?", "year"),
    (r"months?", "month"),
    (r"weeks?", "week"),
    (r"days?", "day"),
    (r"hours?|hrs?", "hour"),
    (r"minutes?|mins?", "minute"),
    (r"seconds?|secs?", "second"),
)
# Short forms that must touch a digit figure or be lower-case to be units ("5 MW", "10km").
_UNITS_RE = "|".join(f"(?:{form})" for form, _ in UNIT_FORMS)
_QUANTITY_RE = re.compile(
    rf"(?P<num>{NUMBER})(?:\s*[-–]\s*|\s*\(|\s*\[|\s*\{{|\s*<|\s+|(?<=\d))"
    rf"(?P<unit>{_UNITS_RE})(?:\s*[)\]}}>])?(?![\w°])",
    re.IGNORECASE,
)
_UNIT_LOOKUP: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(form + r"$", re.IGNORECASE), unit) for form, unit in UNIT_FORMS
)

_PERCENT_RE = re.compile(
    rf"(?:(?P<minus>minus|negative)\s+)?(?P<num>{NUMBER})\s*"
    r"(?P<sign>%|per\s?cent(?:age)?s?|percent(?:age)?s?)"
    r"(?:\s+(?P<points>points?))?(?![\w])",
    re.IGNORECASE,
)
_PERCENT_ANCHOR = re.compile(r"%|per\s?cent|basis\s+point", re.IGNORECASE)
_POINTS_RE = re.compile(rf"(?P<num>{NUMBER})\s+basis\s+points?\b", re.IGNORECASE)
# A lower bound written before a figure: "between 44 and 50 mg", "8- to 16-metre", "5-10%".
_RANGE_LEAD_RE = re.compile(
    rf"(?:\b(?P<lead>between|from)\s+)?(?P<low>{NUMBER})\s*(?:[a-z]{{1,12}}\s*)?"
    r"(?P<joint>-\s*to\b|-|–|—|~|\bto\b|\band\b)\s*$",
    re.IGNORECASE,
)
# How far back a range's lower bound may start: "between one hundred and " fits.
RANGE_WINDOW = 40
# Verbs of change: "rose from 5% to 7%" reports two values, not a range.
_CHANGE_RE = re.compile(
    r"\b(?:rose|rise[sn]?|rising|fell|fall(?:s|en|ing)?|increas\w*|decreas\w*|cut|cuts|"
    r"reduc\w*|rais\w*|grew|grow\w*|dropp?\w*|climb\w*|jump\w*|went|go(?:es|ne)?|up|down|"
    r"chang\w*|mov\w*|slash\w*|doubl\w*|halv\w*)\s*$",
    re.IGNORECASE,
)


def unit_of(surface: str) -> str | None:
    """Canonical unit for a unit surface form ("kilometres" -> "kilometre")."""
    cleaned = re.sub(r"\s+", " ", surface.strip())
    for pattern, unit in _UNIT_LOOKUP:
        if pattern.match(cleaned):
            return unit
    return None


def find_quantities(text: str) -> list[Figure]:
    """Numbers with units of measure, including durations."""
    found: list[Figure] = []
    for match in _QUANTITY_RE.finditer(text):
        value = parse_number(match.group("num"))
        surface = match.group("unit")
        unit = unit_of(surface)
        if value is None or unit is None:
            continue
        if surface[:1] == '"' and not match.group("num")[-1:].isdigit():
            continue
        pounds = unit == "lb" and surface.lower().startswith("pound")
        if pounds and not weight_context(text, match.start()):
            continue  # money: left to the money recogniser
        if unit in ("metre", "tonne", "litre") and len(surface) == 1 and not _digit_before(match):
            continue  # "two m" is not a length; "1.8m" and "48 m" are
        per, end = rate_after(text, match.end())
        found.append(_with_range(text, match.start(), end, "quantity", value, unit, per))
    return found


def find_percentages(text: str) -> list[Figure]:
    """Percentages and percentage points: "5%", "5 per cent", "five percent", "2 points"."""
    found: list[Figure] = []
    if not _PERCENT_ANCHOR.search(text):
        return found  # the full pattern is slow to try at every position; most texts skip it
    for match in _PERCENT_RE.finditer(text):
        value = parse_number(match.group("num"))
        if value is None:
            continue
        if match.group("minus"):
            value = -value
        unit = "percentage point" if match.group("points") else "%"
        found.append(_with_range(text, match.start(), match.end(), "percent", value, unit, None))
    for match in _POINTS_RE.finditer(text):
        value = parse_number(match.group("num"))
        if value is not None:
            found.append(
                build_figure(text, match.start(), match.end(), "percent", value, "basis point")
            )
    return found


def _digit_before(match: re.Match[str]) -> bool:
    return match.group("num")[-1:].isdigit()


def _with_range(
    text: str, start: int, end: int, kind: str, value: float, unit: str, per: str | None
) -> Figure:
    """A figure, widened to a range when a lower bound is written just before it."""
    window_start = max(0, start - RANGE_WINDOW)
    lead = _RANGE_LEAD_RE.search(text[window_start:start])
    if lead is None or not _is_range(text, window_start + lead.start(), lead):
        return build_figure(text, start, end, kind, value, unit, per=per)
    low = parse_number(lead.group("low"))
    if low is None:
        return build_figure(text, start, end, kind, value, unit, per=per)
    if not any(w in SCALES for w in re.findall(r"[a-z]+", lead.group("low").lower())):
        low *= _scale_factor(text[start:end], value)
    return build_figure(
        text,
        window_start + lead.start(),
        end,
        kind,
        low,
        unit,
        per=per,
        upper=value,
        qualifier=(lead.group("lead") or "between").lower(),
        approximate=False,
    )


def _is_range(text: str, start: int, lead: re.Match[str]) -> bool:
    """A written range, not a change ("rose from 5% to 7%") or a pair ("45 and 50 cases")."""
    joint = lead.group("joint").lower()
    word = (lead.group("lead") or "").lower()
    if joint == "and":
        return word == "between"
    if word == "from":
        return _CHANGE_RE.search(text[max(0, start - RANGE_WINDOW) : start]) is None
    return True


def _scale_factor(figure_text: str, value: float) -> float:
    """The scale a figure's words apply: "5 million miles" -> 1e6, so "3-5 million" starts at 3m."""
    lead = re.match(DIGITS, figure_text)
    base = parse_number(lead.group(0)) if lead and lead.group(0) else None
    if not base:
        return 1.0
    return value / base
