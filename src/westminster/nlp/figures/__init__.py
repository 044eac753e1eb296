"""Figures that carry news, found and normalised without a parser (regex and tables only).

`extract_figures(text, published)` returns money, quantities, percentages, proportions,
counts, dates, ordinals and bare numbers as `westminster.models.Figure`, sorted by start,
non-overlapping, with character offsets into `text`.
"""

from __future__ import annotations

from westminster.nlp.figures.extract import extract_figures
from westminster.nlp.figures.numbers import parse_number

__all__ = ["extract_figures", "parse_number"]
