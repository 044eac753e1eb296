"""Value-and-unit accuracy of figure extraction on Recognizers-Text and quantulum3 gold data.

For each gold item with a numeric value: correct when one of our figures overlaps the gold span
(quantulum3 has no offsets: its `surface` is located in the sentence) with an equal value
(relative tolerance 1e-6) and an equivalent unit (UNIT_MAP below; a gold item without a unit is
judged on its value alone). Precision: of our figures of the kinds a file annotates, the share
that matched a gold item. Gold items without a value ("dollar" alone) are not counted.

Conventions reconciled here rather than in the extractor:
- our proportions keep numerator and denominator; gold fractions are the quotient, so a
  proportion matches on value or on value / total;
- our ranges keep the lower bound only (Figure has no upper-bound field); a gold interval
  "(20,35]" is compared on its lower finite bound, or its upper one when open below;
- a year is a date with value "2024"; it matches a gold number 2024.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from westminster.errors import DatasetError
from westminster.models import Figure
from westminster.nlp.figures import extract_figures

# Recognizers-Text files, and the kinds of ours each one annotates (for precision).
RECOGNIZERS_FILES: dict[str, frozenset[str]] = {
    "CurrencyModel.json": frozenset({"money"}),
    "DimensionModel.json": frozenset({"quantity"}),
    "PercentModel.json": frozenset({"percent"}),
    "NumberModel.json": frozenset({"number", "count", "proportion"}),
    "NumberRangeModel.json": frozenset({"number", "count", "quantity", "percent", "money"}),
}
QUANTULUM_FILE = "quantities.json"
QUANTULUM_KINDS = frozenset({"money", "quantity", "percent", "count", "number", "proportion"})
RELATIVE_TOLERANCE = 1e-6

# Their unit names -> (our unit, factor to multiply their value by). Names not listed are
# compared after `_plain` (lower case, US "-er" spellings made British, plural "s" dropped).
UNIT_MAP: dict[str, tuple[str | None, float]] = {
    "dollar": ("USD", 1.0),
    "united states dollar": ("USD", 1.0),
    "pound": ("GBP", 1.0),  # Recognizers' currency file: "Pound" is sterling
    "british pound": ("GBP", 1.0),
    "pound sterling": ("GBP", 1.0),
    "pence": ("GBP", 0.01),
    "penny": ("GBP", 0.01),
    "cent": ("USD", 0.01),
    "euro": ("EUR", 1.0),
    "japanese yen": ("JPY", 1.0),
    "chinese yuan": ("CNY", 1.0),
    "canadian dollar": ("CAD", 1.0),
    "australian dollar": ("AUD", 1.0),
    "hong kong dollar": ("HKD", 1.0),
    "new zealand dollar": ("NZD", 1.0),
    "mexican peso": ("MXN", 1.0),
    "swiss franc": ("CHF", 1.0),
    "franc": ("CHF", 1.0),  # our generic "francs" is the Swiss franc
    "finnish markka": ("FIM", 1.0),
    "peseta": ("ESP", 1.0),
    "netherlands guilder": ("NLG", 1.0),
    "turkish lira": ("TRY", 1.0),
    "rupee": ("INR", 1.0),
    "sri lankan rupee": ("LKR", 1.0),
    "bitcoin": ("BTC", 1.0),
    "costa rican colón": ("CRC", 1.0),
    "georgian lari": ("GEL", 1.0),
    "lao kip": ("LAK", 1.0),
    "metric ton": ("tonne", 1.0),
    "mile per hour": ("mph", 1.0),
    "kilometer per hour": ("km/h", 1.0),
    "kilometre per hour": ("km/h", 1.0),
    "pound-mass": ("lb", 1.0),
    "cubic centimetre": ("millilitre", 1.0),
    "percentage": ("%", 1.0),
    "dimensionless": (None, 1.0),
    "megawatt hour": ("MWh", 1.0),
    "watt hour": ("Wh", 1.0),
    "gigahertz": ("GHz", 1.0),
}
# The dimension file's "Pound" is a weight, and its "mb" is a megabyte in news usage.
DIMENSION_UNIT_MAP: dict[str, tuple[str | None, float]] = {"pound": ("lb", 1.0)}
# Units that name the same thing in practice: gold "Ton" is used for tonnes and tons alike.
EQUIVALENT: tuple[frozenset[str], ...] = (frozenset({"ton", "tonne"}),)


@dataclass(frozen=True)
class GoldItem:
    """One gold figure: its span (None when the data gives none), value and unit."""

    text: str
    start: int | None
    end: int | None  # exclusive
    value: float
    unit: str | None
    factor: float = 1.0


@dataclass(frozen=True)
class Case:
    """A sentence and its gold figures."""

    text: str
    gold: tuple[GoldItem, ...]


@dataclass(frozen=True)
class FileReport:
    """Scores for one gold file."""

    name: str
    gold: int
    correct: int
    predicted: int
    predicted_correct: int

    @property
    def accuracy(self) -> float:
        """Share of gold items matched on span, value and unit."""
        return self.correct / self.gold if self.gold else 0.0

    @property
    def precision(self) -> float:
        """Share of our figures (of the file's kinds) that matched a gold item."""
        return self.predicted_correct / self.predicted if self.predicted else 0.0


@dataclass(frozen=True)
class FiguresReport:
    """Scores for every file and their total."""

    files: tuple[FileReport, ...]

    @property
    def total(self) -> FileReport:
        """All files pooled."""
        return FileReport(
            "total",
            sum(f.gold for f in self.files),
            sum(f.correct for f in self.files),
            sum(f.predicted for f in self.files),
            sum(f.predicted_correct for f in self.files),
        )


def _read_json(path: Path) -> list[Any]:
    if not path.is_file():
        raise DatasetError(
            "gold file is missing", subject=str(path), fix="check ../shared/data/figures"
        )
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DatasetError(f"cannot read JSON: {exc}", subject=str(path)) from exc
    if not isinstance(data, list):
        raise DatasetError("expected a JSON list of cases", subject=str(path))
    return data


def _gold_number(raw: object) -> float | None:
    """A gold value as a number: "75000000", "100%", "1E-12", "(20,35]" -> 20; else None."""
    if isinstance(raw, bool) or raw is None:
        return None
    if isinstance(raw, int | float):
        return float(raw)
    text = str(raw).strip()
    interval = re.fullmatch(r"[\[(]\s*([^,]*),\s*([^\])]*)[\])]", text)
    if interval:
        text = interval.group(1).strip() or interval.group(2).strip()
    try:
        return float(text.rstrip("%"))
    except ValueError:
        return None


def _unit(name: str | None) -> tuple[str | None, float]:
    """Our unit name and value factor for a gold unit name."""
    if not name:
        return None, 1.0
    key = name.strip().lower()
    if key in UNIT_MAP:
        return UNIT_MAP[key]
    return _plain(key), 1.0


def _plain(unit: str) -> str:
    unit = unit.lower().replace("meter", "metre").replace("liter", "litre")
    return unit[:-1] if unit.endswith("s") and not unit.endswith("ss") else unit


def load_recognizers(path: Path) -> list[Case]:
    """Cases from one Recognizers-Text spec file (End offsets there are inclusive)."""
    cases: list[Case] = []
    for index, item in enumerate(_read_json(path)):
        try:
            text = str(item["Input"])
            results = item["Results"]
            gold: list[GoldItem] = []
            for result in results:
                resolution = result.get("Resolution") or {}
                value = _gold_number(resolution.get("value"))
                if value is None:
                    continue
                raw_value = str(resolution.get("value", ""))
                unit_name = resolution.get("unit")
                unit, factor = _unit(unit_name)
                if result.get("TypeName") == "dimension" and unit_name:
                    unit, factor = DIMENSION_UNIT_MAP.get(str(unit_name).lower(), (unit, factor))
                if unit is None and raw_value.endswith("%"):
                    unit = "%"
                start, end = int(result["Start"]), int(result["End"]) + 1
                gold.append(GoldItem(str(result["Text"]), start, end, value, unit, factor))
        except (KeyError, TypeError, ValueError) as exc:
            raise DatasetError(
                f"case {index} is not {{Input, Results:[{{Text, Start, End, Resolution}}]}}: "
                f"{exc!r}",
                subject=str(path),
            ) from exc
        cases.append(Case(text, tuple(gold)))
    return cases


def load_quantulum(path: Path) -> list[Case]:
    """Cases from quantulum3's quantities.json; surfaces are located in the sentence."""
    cases: list[Case] = []
    for index, item in enumerate(_read_json(path)):
        try:
            text = str(item["req"])
            gold: list[GoldItem] = []
            cursor = 0
            for result in item["res"]:
                value = _gold_number(result["value"])
                if value is None:
                    continue
                surface = str(result["surface"])
                start = text.find(surface, cursor)
                if start < 0:
                    start = text.find(surface)
                span = (start, start + len(surface)) if start >= 0 else (None, None)
                cursor = span[1] or cursor
                unit, factor = _unit(result.get("unit"))
                gold.append(GoldItem(surface, span[0], span[1], value, unit, factor))
        except (KeyError, TypeError, ValueError) as exc:
            raise DatasetError(
                f"case {index} is not {{req, res:[{{value, unit, surface}}]}}: {exc!r}",
                subject=str(path),
            ) from exc
        cases.append(Case(text, tuple(gold)))
    return cases


def _values(figure: Figure) -> list[float]:
    value = figure.value
    if isinstance(value, str):
        return [float(value)] if value.isdigit() else []
    if value is None:
        return []
    values = [float(value)]
    if figure.total:
        values.append(float(value) / figure.total)
    return values


def _same_unit(ours: str | None, theirs: str | None) -> bool:
    if theirs is None:
        return True
    if ours is None:
        return False
    a, b = _plain(ours), _plain(theirs)
    if a == b or ours == theirs:
        return True
    return any(a in group and b in group for group in EQUIVALENT)


def matches(gold: GoldItem, figure: Figure) -> bool:
    """True when `figure` overlaps `gold` with an equal value and an equivalent unit."""
    if gold.start is None or gold.end is None:
        return False
    if not (figure.start < gold.end and gold.start < figure.end):
        return False
    if not _same_unit(figure.unit, gold.unit):
        return False
    target = gold.value * gold.factor
    return any(
        math.isclose(v, target, rel_tol=RELATIVE_TOLERANCE, abs_tol=1e-12) for v in _values(figure)
    )


def evaluate_cases(name: str, cases: Iterable[Case], kinds: frozenset[str]) -> FileReport:
    """Score our figures against the gold items of `cases`."""
    gold_total = correct = predicted = predicted_correct = 0
    for case in cases:
        figures = extract_figures(case.text)
        relevant = [f for f in figures if f.kind in kinds]
        if name == "NumberRangeModel.json":
            relevant = [f for f in relevant if f.qualifier]
        hit: set[int] = set()
        for gold in case.gold:
            gold_total += 1
            found = [i for i, f in enumerate(figures) if matches(gold, f)]
            if found:
                correct += 1
                hit.update(found)
        predicted += len(relevant)
        predicted_correct += sum(1 for i, f in enumerate(figures) if i in hit and f in relevant)
    return FileReport(name, gold_total, correct, predicted, predicted_correct)


def evaluate_figures(data: Path, progress: Callable[[str], None] | None = None) -> FiguresReport:
    """Evaluate every gold file under `data` (recognizers-text/ and quantulum3/)."""
    if not data.is_dir():
        raise DatasetError(
            "figures evaluation data not found",
            subject=str(data),
            fix="expected recognizers-text/ and quantulum3/ from ../shared/data/figures",
        )
    reports: list[FileReport] = []
    for file_name, kinds in RECOGNIZERS_FILES.items():
        if progress:
            progress(file_name)
        cases = load_recognizers(data / "recognizers-text" / file_name)
        reports.append(evaluate_cases(file_name, cases, kinds))
    if progress:
        progress(QUANTULUM_FILE)
    cases = load_quantulum(data / "quantulum3" / QUANTULUM_FILE)
    reports.append(evaluate_cases("quantulum3/" + QUANTULUM_FILE, cases, QUANTULUM_KINDS))
    return FiguresReport(tuple(reports))
