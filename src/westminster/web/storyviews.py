"""Stories and briefing items as the pages show them: citations, timeline, coverage by day."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from westminster.models import (
    Briefing,
    BriefingFigure,
    BriefingQuote,
    CitedSentence,
    Development,
    SourceRef,
    Story,
)
from westminster.store import QuoteHit
from westminster.web.links import article_url, entity_url
from westminster.web.views import FigureView, QuoteView, SourceView, safe_href


@dataclass(frozen=True)
class Citation:
    """A summary sentence and the numbered source it came from."""

    text: str
    source: int  # 1-based position in the page's `sources`
    article_id: str
    article_url: str


@dataclass(frozen=True)
class CoverageDay:
    """Articles and independent outlets on one day."""

    day: date
    articles: int
    outlets: int


def development_day(development: Development) -> date:
    """The day an article belongs to: its publication date, else the day it joined."""
    if development.published is not None:
        return development.published
    added = development.added_at
    return (added.astimezone(UTC) if added.tzinfo else added).date()


def story_coverage(
    story: Story, *, last: date | None = None, days: int | None = None
) -> tuple[CoverageDay, ...]:
    """Articles and independent outlets per day; with `last` and `days`, that window only."""
    articles: dict[date, int] = defaultdict(int)
    outlets: dict[date, set[str]] = defaultdict(set)
    for item in story.articles:
        day = development_day(item)
        articles[day] += 1
        if item.independent:
            outlets[day].add(item.outlet or item.article_id)
    if last is not None and days is not None:
        window = [last - timedelta(days=n) for n in range(days - 1, -1, -1)]
        return tuple(CoverageDay(d, articles.get(d, 0), len(outlets.get(d, ()))) for d in window)
    return tuple(CoverageDay(d, articles[d], len(outlets[d])) for d in sorted(articles))


def trimmed_coverage(briefing: Briefing) -> tuple[CoverageDay, ...]:
    """An Insights briefing's coverage from its first to its last day with articles."""
    points = [CoverageDay(p.day, p.articles, p.outlets) for p in briefing.coverage]
    busy = [i for i, p in enumerate(points) if p.articles]
    return tuple(points[busy[0] : busy[-1] + 1]) if busy else ()


def source_of_ref(ref: SourceRef, independent: bool = True) -> SourceView:
    """A briefing's source reference as shown."""
    return SourceView(
        article_id=ref.article_id,
        title=ref.title,
        outlet=ref.outlet,
        published=ref.published,
        url=article_url(ref.article_id),
        source_url=safe_href(ref.url),
        independent=independent,
    )


def story_sources(story: Story) -> tuple[SourceView, ...]:
    """A story's articles as sources: independent ones first, oldest first, then copies."""
    ordered = sorted(story.articles, key=lambda d: (not d.independent, d.added_at, d.article_id))
    return tuple(
        SourceView(
            article_id=d.article_id,
            title=d.title,
            outlet=d.outlet,
            published=d.published,
            url=article_url(d.article_id),
            source_url=safe_href(d.url),
            independent=d.independent,
        )
        for d in ordered
    )


def citations(
    sentences: Iterable[CitedSentence], sources: list[SourceView]
) -> tuple[Citation, ...]:
    """Summary sentences numbered by their source (sources not yet listed are appended)."""
    out = []
    for sentence in sentences:
        ref = sentence.source
        index = next((i for i, s in enumerate(sources) if s.article_id == ref.article_id), None)
        if index is None:
            sources.append(source_of_ref(ref))
            index = len(sources) - 1
        out.append(Citation(sentence.text, index + 1, ref.article_id, article_url(ref.article_id)))
    return tuple(out)


def quote_hit_view(hit: QuoteHit) -> QuoteView:
    """A stored quote (from the store's quote search) as shown."""
    source = SourceRef(hit.article_id, hit.title, hit.outlet, None, hit.published)
    return briefing_quote(
        BriefingQuote(hit.text, hit.kind, hit.speaker_name, hit.speaker_key, source)
    )


def briefing_quote(quote: BriefingQuote) -> QuoteView:
    """A briefing's quote as shown."""
    ref = quote.source
    return QuoteView(
        text=quote.text,
        kind=quote.kind,
        speaker=quote.speaker,
        speaker_key=quote.speaker_key,
        speaker_url=entity_url(quote.speaker_key),
        article_id=ref.article_id,
        article_url=article_url(ref.article_id),
        title=ref.title,
        outlet=ref.outlet,
        published=ref.published,
    )


def briefing_figure(figure: BriefingFigure) -> FigureView:
    """A briefing's figure as shown."""
    return FigureView(
        text=figure.text,
        kind=figure.kind,
        value=figure.value,
        unit=figure.unit,
        article_id=figure.source.article_id,
        article_url=article_url(figure.source.article_id),
    )


def story_quotes(story: Story) -> tuple[QuoteView, ...]:
    """A story's quotes with speakers, each with the article it first appeared in."""
    by_id = {d.article_id: d for d in story.articles}
    out = []
    for q in story.quotes:
        source = by_id.get(q.article_id)
        out.append(
            QuoteView(
                text=q.text,
                kind=q.kind,
                speaker=q.speaker,
                speaker_key=q.speaker_key,
                speaker_url=entity_url(q.speaker_key),
                article_id=q.article_id,
                article_url=article_url(q.article_id),
                title=source.title if source else None,
                outlet=source.outlet if source else None,
                published=source.published if source else None,
            )
        )
    return tuple(out)


def story_figures(story: Story) -> tuple[FigureView, ...]:
    """A story's figures, each with the article it first appeared in."""
    return tuple(
        FigureView(
            text=f.text,
            kind=f.kind,
            value=f.value,
            unit=f.unit,
            article_id=f.article_id,
            article_url=article_url(f.article_id),
        )
        for f in story.figures
    )


def aware(when: datetime) -> datetime:
    """A datetime with a zone (UTC assumed)."""
    return when if when.tzinfo else when.replace(tzinfo=UTC)
