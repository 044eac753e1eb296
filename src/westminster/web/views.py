"""Small view objects shared by several pages: people, quotes, figures, sources, charts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from westminster.delivery.render import http_url
from westminster.models import Analysis, Figure, Quote
from westminster.web.links import article_url, entity_url


def safe_href(url: str | None) -> str | None:
    """A scraped URL fit for an href: http(s) only (javascript:, data: and the rest dropped)."""
    return http_url(url) or None


@dataclass(frozen=True)
class EntityRef:
    """A person or organisation, linked to its page when it has one."""

    key: str
    name: str
    kind: str
    url: str | None = None
    offices: tuple[str, ...] = ()
    articles: int = 0


@dataclass(frozen=True)
class QuoteView:
    """A quote with its speaker (linked when known) and where it was said."""

    text: str
    kind: str
    speaker: str
    speaker_key: str
    speaker_url: str | None
    article_id: str | None = None
    article_url: str | None = None
    title: str | None = None
    outlet: str | None = None
    published: date | None = None


@dataclass(frozen=True)
class FigureView:
    """A figure as written with its normalised value."""

    text: str
    kind: str
    value: float | str | None
    unit: str | None
    per: str | None = None
    article_id: str | None = None
    article_url: str | None = None


@dataclass(frozen=True)
class SourceView:
    """An article cited by a page: its own page here and the outlet's page."""

    article_id: str
    title: str
    outlet: str | None
    published: date | None
    url: str  # this dashboard's article page
    source_url: str | None = None  # the outlet's page (http(s) only)
    independent: bool = True


@dataclass(frozen=True)
class ChartBar:
    """One bar of a coverage chart, laid out in the SVG's coordinates."""

    day: date
    articles: int
    outlets: int
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class Chart:
    """A small bar chart of articles per day (inline SVG: no script, no external file)."""

    width: int
    height: int
    bars: tuple[ChartBar, ...]
    peak: int
    first: date | None
    last: date | None


# Chart size in SVG units; the stylesheet scales it to the column.
CHART_WIDTH = 320
CHART_HEIGHT = 64
CHART_GAP = 1.0
# Most days one chart shows (the latest ones): beyond a quarter, bars get thinner than a pixel.
CHART_MAX_DAYS = 90


def coverage_chart(points: list[tuple[date, int, int]]) -> Chart:
    """Bars for (day, articles, outlets) points, filling the days between with zeros.

    Only the last CHART_MAX_DAYS days up to the latest point are drawn.
    """
    if not points:
        return Chart(CHART_WIDTH, CHART_HEIGHT, (), 0, None, None)
    by_day = {day: (articles, outlets) for day, articles, outlets in points}
    last = max(by_day)
    first = max(min(by_day), date.fromordinal(last.toordinal() - CHART_MAX_DAYS + 1))
    days = [date.fromordinal(n) for n in range(first.toordinal(), last.toordinal() + 1)]
    peak = max(a for day, (a, _) in by_day.items() if day >= first) or 1
    slot = CHART_WIDTH / len(days)
    bars = []
    for i, day in enumerate(days):
        articles, outlets = by_day.get(day, (0, 0))
        height = (CHART_HEIGHT - 2) * articles / peak
        bars.append(
            ChartBar(
                day=day,
                articles=articles,
                outlets=outlets,
                x=round(i * slot, 2),
                y=round(CHART_HEIGHT - height, 2),
                width=round(max(slot - CHART_GAP, 0.5), 2),
                height=round(height, 2),
            )
        )
    return Chart(CHART_WIDTH, CHART_HEIGHT, tuple(bars), peak, first, last)


def speaker_keys(analysis: Analysis) -> dict[str, str]:
    """Entity id -> canonical key within one analysis."""
    return {entity.id: entity.key for entity in analysis.entities if entity.key}


def quote_view(quote: Quote, keys: dict[str, str], **where: object) -> QuoteView:
    """A stored quote as shown, its speaker linked through the analysis' entities."""
    speaker = quote.speaker
    name = speaker.name if speaker is not None else ""
    key = keys.get(speaker.entity_id or "", "") if speaker is not None else ""
    return QuoteView(
        text=quote.text,
        kind=quote.kind,
        speaker=name,
        speaker_key=key,
        speaker_url=entity_url(key),
        **where,  # type: ignore[arg-type]
    )


def figure_view(figure: Figure, article_id: str | None = None) -> FigureView:
    """A figure as shown."""
    return FigureView(
        text=figure.text,
        kind=figure.kind,
        value=figure.value,
        unit=figure.unit,
        per=figure.per,
        article_id=article_id,
        article_url=article_url(article_id) if article_id else None,
    )
