"""Insights on one person, organisation or topic: what they said, figures, company, coverage."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from westminster.briefings.subjects import Period, Subject, matching_entities
from westminster.models import (
    Analysis,
    Briefing,
    BriefingFigure,
    BriefingItem,
    BriefingQuote,
    CoveragePoint,
    Figure,
    SourceRef,
)

# Most quotes kept in the history (newest first): a few weeks of a busy minister.
MAX_QUOTES = 50
# Most figures listed, newest articles first.
MAX_FIGURES = 12
# People and organisations listed as "appeared with".
MAX_APPEARED_WITH = 10
# Entity kinds that count as company (places and events are not "who").
_COMPANY_KINDS = frozenset({"person", "organisation", "group"})
# Figure kinds that carry news (as in the daily briefing).
_FIGURE_KINDS = frozenset({"money", "percent", "proportion", "count", "quantity"})


@dataclass(frozen=True)
class SubjectArticle:
    """An article about the subject in the period: its reference, analysis and history."""

    ref: SourceRef
    analysis: Analysis | None
    independent: bool = True
    first_seen: datetime | None = None  # when the store first held it


def _is_new(first_seen: datetime | None, new_since: datetime | None) -> bool:
    return new_since is not None and first_seen is not None and first_seen > new_since


def _norm(text: str) -> str:
    return " ".join("".join(c for c in text.casefold() if c.isalnum() or c.isspace()).split())


def quote_history(
    quotes: Iterable[BriefingQuote],
    period: Period,
    first_seen: dict[str, datetime],
    new_since: datetime | None,
    *,
    limit: int = MAX_QUOTES,
) -> tuple[BriefingQuote, ...]:
    """The period's quotes, newest first, each wording once, marked new since the last briefing."""
    kept: list[BriefingQuote] = []
    seen: set[str] = set()
    in_period = [
        q for q in quotes if q.source.published is None or period.holds(q.source.published)
    ]
    in_period.sort(
        key=lambda q: (
            -(q.source.published.toordinal() if q.source.published else 0),
            q.source.article_id,
        )
    )
    for quote in in_period:
        key = _norm(quote.text)
        if not key or key in seen:
            continue
        seen.add(key)
        new = _is_new(first_seen.get(quote.source.article_id), new_since)
        kept.append(replace(quote, new_since_last=new))
        if len(kept) == limit:
            break
    return tuple(kept)


def topic_quotes(articles: Sequence[SubjectArticle]) -> list[BriefingQuote]:
    """Every attributed quote in the articles (for a topic: who said what about it)."""
    out: list[BriefingQuote] = []
    for item in articles:
        if item.analysis is None:
            continue
        by_id = {e.id: e for e in item.analysis.entities}
        for quote in item.analysis.quotes:
            if quote.speaker is None or not quote.speaker.name:
                continue
            entity = by_id.get(quote.speaker.entity_id or "")
            name = entity.name if entity else quote.speaker.name
            key = entity.key if entity else ""
            out.append(BriefingQuote(quote.text, quote.kind, name, key, item.ref))
    return out


def _paragraph_bounds(text: str) -> list[tuple[int, int]]:
    bounds, start = [], 0
    for line in text.split("\n"):
        bounds.append((start, start + len(line)))
        start += len(line) + 1
    return bounds


def _subject_paragraphs(analysis: Analysis, subject: Subject) -> list[tuple[int, int]] | None:
    """Bounds of the paragraphs that mention the subject (None for a topic: every one)."""
    if subject.is_topic:
        return None
    spans = [(m.start, m.end) for e in matching_entities(analysis, subject.key) for m in e.mentions]
    spans += [
        (m.start, m.end) for e in matching_entities(analysis, subject.name) for m in e.mentions
    ]
    return [
        (start, end)
        for start, end in _paragraph_bounds(analysis.article.text)
        if any(start <= s <= end for s, _ in spans)
    ]


def _near_subject(paragraphs: list[tuple[int, int]] | None, figure: Figure) -> bool:
    """Whether a figure shares a paragraph with a mention of the subject (topics: always)."""
    return paragraphs is None or any(start <= figure.start <= end for start, end in paragraphs)


def subject_figures(
    subject: Subject, articles: Sequence[SubjectArticle], *, limit: int = MAX_FIGURES
) -> tuple[BriefingFigure, ...]:
    """News-carrying figures stated beside the subject (same paragraph), newest first, once."""
    out: list[BriefingFigure] = []
    seen: set[tuple[object, ...]] = set()
    ordered = sorted(
        articles,
        key=lambda a: (-(a.ref.published.toordinal() if a.ref.published else 0), a.ref.article_id),
    )
    for item in ordered:
        if item.analysis is None or not item.independent:
            continue
        # Found once per article, not per figure: the entity scan and paragraph split dominate.
        paragraphs = _subject_paragraphs(item.analysis, subject)
        for figure in item.analysis.figures:
            if figure.kind not in _FIGURE_KINDS or not _near_subject(paragraphs, figure):
                continue
            if not any(c.isdigit() for c in figure.text):
                continue  # "two leaders": as in the daily briefing, news figures are in digits
            identity = (figure.kind, figure.value, figure.unit, figure.per)
            if identity in seen:
                continue
            seen.add(identity)
            out.append(
                BriefingFigure(figure.text, figure.kind, figure.value, figure.unit, item.ref)
            )
            if len(out) == limit:
                return tuple(out)
    return tuple(out)


def appeared_with(
    subject: Subject, articles: Sequence[SubjectArticle], *, limit: int = MAX_APPEARED_WITH
) -> tuple[tuple[str, int], ...]:
    """People and organisations named in the subject's articles, by shared articles."""
    counts: Counter[str] = Counter()
    names: dict[str, Counter[str]] = defaultdict(Counter)
    for item in articles:
        if item.analysis is None or not item.independent:
            continue  # a copy repeats its original's names (and adds its agency's footer)
        own = {id(e) for e in matching_entities(item.analysis, subject.key)}
        own |= {id(e) for e in matching_entities(item.analysis, subject.name)}
        keys: set[str] = set()
        for entity in item.analysis.entities:
            if id(entity) in own or entity.kind not in _COMPANY_KINDS:
                continue
            key = entity.key or entity.name.casefold()
            keys.add(key)
            names[key][entity.name] += 1
        counts.update(keys)
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], names[kv[0]].most_common(1)[0][0]))
    return tuple((names[key].most_common(1)[0][0], n) for key, n in ranked[:limit])


def coverage(period: Period, articles: Sequence[SubjectArticle]) -> tuple[CoveragePoint, ...]:
    """Articles and independent outlets per day of the period, zero days included."""
    per_day: dict[object, list[SubjectArticle]] = defaultdict(list)
    for item in articles:
        if item.ref.published is not None:
            per_day[item.ref.published].append(item)
    points = []
    for day in period.days():
        items = per_day.get(day, [])
        outlets = {i.ref.outlet or f"article:{i.ref.article_id}" for i in items if i.independent}
        points.append(CoveragePoint(day=day, articles=len(items), outlets=len(outlets)))
    return tuple(points)


def insights_title(subject: Subject, period: Period) -> str:
    """The title: "Insights: Keir Starmer, 7–13 September 2024"."""
    first, last = period.first_day, period.last_day
    if first == last:
        span = f"{last.day} {last.strftime('%B %Y')}"
    elif (first.year, first.month) == (last.year, last.month):
        span = f"{first.day}–{last.day} {last.strftime('%B %Y')}"
    else:
        span = f"{first.day} {first.strftime('%B %Y')} – {last.day} {last.strftime('%B %Y')}"
    return f"Insights: {subject.name}, {span}"


def insights_briefing(
    subject: Subject,
    period: Period,
    articles: Sequence[SubjectArticle],
    quotes: Iterable[BriefingQuote],
    items: Sequence[BriefingItem],
    *,
    generated_at: datetime,
    new_since: datetime | None,
) -> Briefing:
    """The Insights briefing from the subject's articles, quotes and stories in the period."""
    first_seen = {a.ref.article_id: a.first_seen for a in articles if a.first_seen is not None}
    in_period = [a for a in articles if a.ref.published is None or period.holds(a.ref.published)]
    new_sources = tuple(
        a.ref
        for a in sorted(in_period, key=lambda a: (a.first_seen or generated_at, a.ref.article_id))
        if _is_new(a.first_seen, new_since)
    )
    return Briefing(
        kind="insights",
        title=insights_title(subject, period),
        period_start=period.start,
        period_end=period.end,
        generated_at=generated_at,
        items=tuple(items),
        subject=subject.key,
        subject_name=subject.name,
        subject_kind=subject.kind,
        quote_history=quote_history(quotes, period, first_seen, new_since),
        figures=subject_figures(subject, in_period),
        appeared_with=appeared_with(subject, in_period),
        coverage=coverage(period, in_period),
        new_since=new_since,
        new_sources=new_sources,
    )
