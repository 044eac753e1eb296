"""The daily "Westminster Update": ranked stories, each with summary, quotes, figures, sources."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime

from westminster.briefings.ranking import RankedStory, person_weight
from westminster.briefings.subjects import Period, development_day, ref_of_development
from westminster.knowledge.offices import OfficeTable
from westminster.models import (
    Briefing,
    BriefingFigure,
    BriefingItem,
    BriefingQuote,
    CitedSentence,
    Development,
    SourceRef,
    Story,
    StoryFigure,
    StoryQuote,
)

# Stories in a daily briefing: one screen of an email, the length of the paid digests' "top
# stories" sections.
DAILY_ITEMS = 10
# Per story: quotes, figures and source links shown.
MAX_QUOTES = 3
MAX_FIGURES = 4
MAX_SOURCES = 8
# Quotes shorter than this say little out of context ("We will."); longer ones are speeches.
MIN_QUOTE_WORDS = 6
MAX_QUOTE_WORDS = 80
# Quote kinds, most quotable first: the speaker's own words before reported speech.
_KIND_ORDER = {"direct": 0, "mixed": 1, "continuation": 2, "indirect": 3}
_QUOTABLE = frozenset({"direct", "mixed", "continuation"})
# Figures that carry news; bare numbers and dates rarely do on their own.
_FIGURE_KIND_ORDER = {"money": 0, "percent": 1, "proportion": 2, "count": 3, "quantity": 4}

DAILY_TITLE = "Westminster Update"
WEEKLY_TITLE = "Westminster Week"


def _ref_index(story: Story) -> dict[str, SourceRef]:
    return {d.article_id: ref_of_development(d) for d in story.articles}


def key_quotes(
    story: Story,
    in_period: Sequence[Development],
    offices: OfficeTable,
    on: date,
    *,
    limit: int = MAX_QUOTES,
) -> tuple[BriefingQuote, ...]:
    """The story's most telling attributed quotes: from the period, by office, one a speaker."""
    refs = _ref_index(story)
    period_ids = {d.article_id for d in in_period}

    def rank(item: tuple[int, StoryQuote]) -> tuple[float, ...]:
        position, quote = item
        return (
            0 if quote.article_id in period_ids else 1,
            0 if quote.speaker_key else 1,  # a resolved speaker before "a review", "officials"
            0 if quote.kind in _QUOTABLE else 1,  # their own words before reported speech
            -person_weight(offices, quote.speaker, on),
            _KIND_ORDER.get(quote.kind, 4),
            position,
        )

    candidates = [
        (i, q)
        for i, q in enumerate(story.quotes)
        if q.speaker.strip()
        and q.article_id in refs
        and MIN_QUOTE_WORDS <= len(q.text.split()) <= MAX_QUOTE_WORDS
    ]
    ranked = sorted(candidates, key=rank)  # once: rank looks up each speaker's offices
    chosen: list[StoryQuote] = []
    seen_text: set[str] = set()
    for one_per_speaker in (True, False):
        for _, quote in ranked:
            if len(chosen) == limit:
                break
            fingerprint = quote.fingerprint or " ".join(quote.text.lower().split())
            speaker = quote.speaker_key or quote.speaker.lower()
            if fingerprint in seen_text or quote in chosen:
                continue
            if one_per_speaker and any(
                (c.speaker_key or c.speaker.lower()) == speaker for c in chosen
            ):
                continue
            chosen.append(quote)
            seen_text.add(fingerprint)
    return tuple(
        BriefingQuote(q.text, q.kind, q.speaker, q.speaker_key, refs[q.article_id]) for q in chosen
    )


def key_figures(
    story: Story, in_period: Sequence[Development], *, limit: int = MAX_FIGURES
) -> tuple[BriefingFigure, ...]:
    """The story's news-carrying figures (money, percentages, counts), the period's first."""
    refs = _ref_index(story)
    period_ids = {d.article_id for d in in_period}

    def rank(item: tuple[int, StoryFigure]) -> tuple[int, int, int]:
        position, figure = item
        return (
            0 if figure.article_id in period_ids else 1,
            _FIGURE_KIND_ORDER.get(figure.kind, 9),
            position,
        )

    chosen: list[StoryFigure] = []
    seen: set[tuple[object, ...]] = set()
    for _, figure in sorted(enumerate(story.figures), key=rank):
        if figure.kind not in _FIGURE_KIND_ORDER or figure.article_id not in refs:
            continue
        if not any(c.isdigit() for c in figure.text):
            continue  # "two leaders": news style writes the numbers that matter in digits
        identity = (
            (figure.kind, figure.value, figure.unit)
            if figure.value is not None
            else (figure.text.lower(),)
        )
        if identity in seen:
            continue
        seen.add(identity)
        chosen.append(figure)
        if len(chosen) == limit:
            break
    return tuple(
        BriefingFigure(f.text, f.kind, f.value, f.unit, refs[f.article_id]) for f in chosen
    )


def item_sources(
    story: Story, in_period: Sequence[Development], *, limit: int = MAX_SOURCES
) -> tuple[SourceRef, ...]:
    """Links for a story: the period's independent articles first, newest first, then copies."""
    ordered = sorted(
        in_period,
        key=lambda d: (not d.independent, -development_day(d).toordinal(), d.article_id),
    )
    return tuple(ref_of_development(d) for d in ordered[:limit])


def daily_item(
    ranked: RankedStory,
    summary: Sequence[CitedSentence],
    period: Period,
    offices: OfficeTable,
) -> BriefingItem:
    """One ranked story as a briefing item (the summary is made by the caller)."""
    story, in_period = ranked.story, ranked.in_period
    earlier = any(development_day(d) < period.first_day for d in story.articles)
    return BriefingItem(
        story_id=story.id,
        headline=story.headline,
        summary=tuple(summary),
        quotes=key_quotes(story, in_period, offices, period.last_day),
        figures=key_figures(story, in_period),
        sources=item_sources(story, in_period),
        outlets=ranked.signals.outlets,
        score=round(ranked.score, 4),
        signals=ranked.signals.pairs(),
        people=tuple(p.key for p in story.people if p.key),
        topics=story.topics,
        new_since_last=not earlier,
    )


def daily_title(day: date) -> str:
    """The daily title: "Westminster Update — Friday 13 September 2024"."""
    return f"{DAILY_TITLE} — {day.strftime('%A')} {day.day} {day.strftime('%B %Y')}"


def weekly_title(period: Period) -> str:
    """The weekly title: "Westminster Week — 9–15 September 2024"."""
    first, last = period.first_day, period.last_day
    if (first.year, first.month) == (last.year, last.month):
        span = f"{first.day}–{last.day} {last.strftime('%B %Y')}"
    elif first.year == last.year:
        span = f"{first.day} {first.strftime('%B')} – {last.day} {last.strftime('%B %Y')}"
    else:
        span = f"{first.day} {first.strftime('%B %Y')} – {last.day} {last.strftime('%B %Y')}"
    return f"{WEEKLY_TITLE} — {span}"


def daily_briefing(
    day: date, period: Period, items: Iterable[BriefingItem], generated_at: datetime
) -> Briefing:
    """The day's briefing (no items means nothing was reported that day)."""
    return Briefing(
        kind="daily",
        title=daily_title(day),
        period_start=period.start,
        period_end=period.end,
        generated_at=generated_at,
        items=tuple(items),
    )


def weekly_briefing(
    period: Period, items: Iterable[BriefingItem], generated_at: datetime
) -> Briefing:
    """The week's briefing: the same ranked items over seven days."""
    return Briefing(
        kind="weekly",
        title=weekly_title(period),
        period_start=period.start,
        period_end=period.end,
        generated_at=generated_at,
        items=tuple(items),
    )


def cited(
    sentences: Iterable[tuple[str, str]], refs: Mapping[str, SourceRef]
) -> tuple[CitedSentence, ...]:
    """(article id, sentence) pairs as cited sentences (pairs with an unknown article dropped)."""
    return tuple(CitedSentence(text, refs[aid]) for aid, text in sentences if aid in refs)
