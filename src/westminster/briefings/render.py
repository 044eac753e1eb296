"""Render a Briefing as a standalone HTML page, Markdown or plain text (Jinja2 templates).

Scraped text is untrusted: HTML output is autoescaped and links are kept only for http(s)
URLs; Markdown output escapes the characters that would make markup (or raw HTML) of it.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import Literal
from urllib.parse import urlsplit

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from westminster.briefings.subjects import BriefingError, Period
from westminster.models import (
    Briefing,
    BriefingFigure,
    BriefingItem,
    BriefingQuote,
    CitedSentence,
    SourceRef,
)

Format = Literal["html", "md", "txt"]
FORMATS: tuple[Format, ...] = ("html", "md", "txt")
# Plain text wraps here: readable in a terminal and in email clients that do not reflow.
TEXT_WIDTH = 78
# Coverage bars in plain text and HTML are scaled to this many cells at the busiest day.
BAR_CELLS = 30

_MARKS = "\"“”'‘’ "
_LEADING_THAT = re.compile(r"^that\s+", re.I)
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~])")
_MD_LIST_START = re.compile(r"^(\d+)([.)])(\s|$)")
_MD_BULLET_START = re.compile(r"^([-=])(\s|$)")


@dataclass(frozen=True)
class ItemView:
    """A briefing item with its sources numbered and each summary sentence's citation numbers."""

    item: BriefingItem
    number: int
    sources: tuple[SourceRef, ...]
    sentences: tuple[tuple[CitedSentence, tuple[int, ...]], ...]

    def cite(self, ref: SourceRef) -> int:
        """The number of a source in this item's list."""
        return next(i for i, s in enumerate(self.sources, 1) if s.article_id == ref.article_id)


def item_view(item: BriefingItem, number: int) -> ItemView:
    """Number an item's sources: its links, then any further article it cites or quotes."""
    sources = list(item.sources)
    ids = {s.article_id for s in sources}
    cited = [r for s in item.summary for r in (s.source, *s.also_from)]
    cited += [q.source for q in item.quotes] + [f.source for f in item.figures]
    for ref in cited:
        if ref.article_id not in ids:
            sources.append(ref)
            ids.add(ref.article_id)
    order = {s.article_id: i for i, s in enumerate(sources, 1)}
    sentences = tuple(
        (s, tuple(order[r.article_id] for r in (s.source, *s.also_from))) for s in item.summary
    )
    return ItemView(item, number, tuple(sources), sentences)


def safe_url(url: str | None) -> str | None:
    """The URL when it is http(s) (a scraped "javascript:" link is never made a link)."""
    if not url:
        return None
    try:
        scheme = urlsplit(url.strip()).scheme.lower()
    except ValueError:
        return None
    return url.strip() if scheme in ("http", "https") else None


def md_escape(text: object) -> str:
    """Text that Markdown shows as written (no emphasis, links, headings or raw HTML)."""
    escaped = _MD_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))
    escaped = _MD_LIST_START.sub(r"\1\\\2\3", escaped)  # "1. " would start a list
    return _MD_BULLET_START.sub(r"\\\1\2", escaped)


def long_date(value: date | datetime | None) -> str:
    """A date as "13 September 2024" ("" for none)."""
    if value is None:
        return ""
    return f"{value.day} {value.strftime('%B %Y')}"


def stamp(value: datetime | None) -> str:
    """A time as "13 September 2024, 07:00 UTC"."""
    if value is None:
        return ""
    return f"{long_date(value)}, {value.strftime('%H:%M')} UTC"


def source_line(ref: SourceRef) -> str:
    """A source as "Outlet, 13 September 2024" (whichever parts are known)."""
    return ", ".join(p for p in (ref.outlet or "", long_date(ref.published)) if p)


def figure_value(figure: BriefingFigure) -> str:
    """The normalised value and unit, e.g. "600,000,000 GBP" ("" when the text says it all)."""
    if figure.value is None:
        return ""
    value = figure.value
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.6g}"
    else:
        number = str(value)
    return f"{number} {figure.unit}".strip() if figure.unit else number


def quote_line(quote: BriefingQuote) -> str:
    """The quote for display: own words in curly quotation marks, reported speech without."""
    text = " ".join(quote.text.split()).strip(_MARKS).rstrip(",;: ").strip(_MARKS)
    if quote.kind == "indirect":
        return _LEADING_THAT.sub("", text)
    return f"“{text}”"


def quote_speaker(quote: BriefingQuote) -> str:
    """Who said it: "Keir Starmer", or "Keir Starmer (reported)" for reported speech."""
    return f"{quote.speaker} (reported)" if quote.kind == "indirect" else quote.speaker


def signal_text(item: BriefingItem) -> str:
    """The ranking components in words: "coverage 0.63, momentum 1.00, ..."."""
    shown = ("coverage", "momentum", "novelty", "political_weight")
    return ", ".join(
        f"{name.replace('_', ' ')} {value:.2f}" for name, value in item.signals if name in shown
    )


def wrap(text: str, indent: str = "", subsequent: str | None = None) -> str:
    """Plain text wrapped at TEXT_WIDTH."""
    return textwrap.fill(
        " ".join(text.split()),
        width=TEXT_WIDTH,
        initial_indent=indent,
        subsequent_indent=indent if subsequent is None else subsequent,
        break_long_words=False,
        break_on_hyphens=False,
    )


def bar(count: int, busiest: int) -> int:
    """Cells of a coverage bar."""
    return 0 if busiest <= 0 else max(1 if count else 0, round(BAR_CELLS * count / busiest))


@lru_cache(maxsize=1)
def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("westminster.briefings", "templates"),
        autoescape=select_autoescape(enabled_extensions=("html",), default=False),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        md=md_escape,
        long_date=long_date,
        stamp=stamp,
        source_line=source_line,
        safe_url=safe_url,
        figure_value=figure_value,
        quote_line=quote_line,
        quote_speaker=quote_speaker,
        signal_text=signal_text,
        wrap=wrap,
    )
    env.globals.update(bar=bar)
    return env


def render(briefing: Briefing, fmt: str = "txt") -> str:
    """The briefing as "html" (a standalone page), "md" or "txt"."""
    if fmt not in FORMATS:
        raise BriefingError(f"unknown format {fmt!r}", subject="format", fix="use html, md or txt")
    items = [item_view(item, n) for n, item in enumerate(briefing.items, 1)]
    busiest = max((p.articles for p in briefing.coverage), default=0)
    template = _environment().get_template(f"briefing.{fmt}")
    last_day = Period(briefing.period_start, briefing.period_end).last_day
    appeared = ", ".join(f"{name} ({n})" for name, n in briefing.appeared_with)
    first_day = briefing.period_start.date()
    span = (
        f"on {long_date(first_day)}"
        if first_day == last_day
        else f"from {long_date(first_day)} to {long_date(last_day)}"
    )
    return template.render(
        b=briefing,
        items=items,
        busiest=busiest,
        last_day=last_day,
        appeared=appeared,
        span=span,
    )
