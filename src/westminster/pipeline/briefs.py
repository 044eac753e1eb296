"""Build briefings from the store: the daily Westminster Update and Insights on one subject.

The glue between the store (stories, articles, quotes), the story summariser (nlp.multidoc,
optionally nlp.abstractive) and the pure briefing builders (westminster.briefings). Reading
only, except that an Insights briefing remembers when it was made, so the next one on the same
subject can say what is new since.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from westminster.briefings import (
    DAILY_ITEMS,
    BriefingError,
    Period,
    RankedStory,
    Subject,
    SubjectArticle,
    daily_briefing,
    daily_item,
    insights_briefing,
    period_of_days,
    rank_stories,
    weekly_briefing,
)
from westminster.briefings.insights import topic_quotes
from westminster.briefings.subjects import (
    as_day,
    development_day,
    kind_of_key,
    matching_entities,
    name_matches,
    ref_of_article,
    ref_of_development,
)
from westminster.config import Config
from westminster.knowledge.offices import OfficeTable, load_office_table, person_key
from westminster.models import (
    Briefing,
    BriefingItem,
    BriefingQuote,
    CitedSentence,
    Development,
    SourceRef,
    Story,
)
from westminster.models.keys import slugify
from westminster.nlp.abstractive import LLMEndpoint, SummaryBackendError, abstractive_summary
from westminster.nlp.multidoc import (
    StoryDocument,
    candidate_sentences,
    parse_documents,
    summarise_story,
)
from westminster.store import Store, StoredArticle, StoreError

log = logging.getLogger(__name__)

SubjectHint = Literal["auto", "entity", "topic"]

# Stories read per page, and at most, when looking for a period's stories (newest first; the
# scan stops at the first story last updated before the period).
STORY_PAGE = 100
MAX_SCANNED_STORIES = 5_000
# Sentences in a story's summary: the "two or three".
SUMMARY_SENTENCES = 3
# Articles read for one summary: the period's first, then earlier ones as context.
MAX_SUMMARY_ARTICLES = 8
# Earlier articles' sentences count for less in a period's summary: the briefing should say
# what happened in the period, with the background only where it is still the best sentence.
CONTEXT_WEIGHT = 0.8
# Stories listed in an Insights briefing.
INSIGHTS_ITEMS = 5
# Days an Insights briefing covers when only its end is given (`westminster brief`).
INSIGHTS_DAYS = 7
# Days of a weekly briefing (an ISO week, Monday to Sunday).
WEEK_DAYS = 7
# Kind names under which generated briefings are remembered.
INSIGHTS_KIND = "insights"


@dataclass(frozen=True)
class BriefOptions:
    """How briefings are built: sizes, the optional abstractive endpoint, the office table."""

    items: int = DAILY_ITEMS
    sentences: int = SUMMARY_SENTENCES
    llm: LLMEndpoint | None = None  # None: extractive summaries only (offline)
    data_dir: Path | None = None  # where a refreshed office table lives

    @classmethod
    def from_config(cls, config: Config) -> BriefOptions:
        """Options from the settings (an endpoint only when llm_base_url is set)."""
        llm = (
            LLMEndpoint(config.llm_base_url, config.llm_model, config.llm_api_key)
            if config.llm_base_url.strip()
            else None
        )
        return cls(llm=llm, data_dir=config.data_dir)


@lru_cache(maxsize=4)
def _offices(data_dir: Path | None) -> OfficeTable:
    return load_office_table(data_dir)


def _now(now: datetime | None) -> datetime:
    if now is None:
        return datetime.now(UTC)
    return now if now.tzinfo is not None else now.replace(tzinfo=UTC)


# --- reading the store ---------------------------------------------------------------------------


def _stories_touching(
    store: Store, period: Period, *, person: str | None = None, topic: str | None = None
) -> Iterator[Story]:
    """Stories that may have articles in the period: newest first, until they end before it."""
    scanned = 0
    while scanned < MAX_SCANNED_STORIES:
        page = store.stories(person=person, topic=topic, limit=STORY_PAGE, offset=scanned)
        for story in page:
            # last_updated is the latest member's publication (or fetch) time: once a story
            # ends before the period, every later one in this order does too.
            if story.last_updated < period.start - timedelta(days=1):
                return
            if story.first_seen < period.end + timedelta(days=1):
                yield story
        if len(page) < STORY_PAGE:
            return
        scanned += len(page)


class ArticleReader:
    """Stored articles read once per briefing (summaries, quotes and Insights share them)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.cache: dict[str, StoredArticle | None] = {}

    def get(self, article_id: str) -> StoredArticle | None:
        """The stored article, or None when it has been removed since the story was read."""
        if article_id not in self.cache:
            try:
                self.cache[article_id] = self.store.get_article(article_id)
            except StoreError:
                self.cache[article_id] = None  # removed since the story was read
        return self.cache[article_id]


# --- summaries ----------------------------------------------------------------------------------


def _summary_developments(story: Story, in_period: Sequence[Development]) -> list[Development]:
    """The articles a summary reads: the period's (independent first), then earlier context."""
    period_ids = {d.article_id for d in in_period}
    chosen = [d for d in in_period if d.independent] or list(in_period)
    earlier = [d for d in story.articles if d.article_id not in period_ids and d.independent]
    chosen += sorted(earlier, key=lambda d: d.added_at, reverse=True)
    picked = {d.article_id for d in chosen[:MAX_SUMMARY_ARTICLES]}
    return [d for d in story.articles if d.article_id in picked]  # timeline order


def story_summary(
    story: Story,
    in_period: Sequence[Development],
    articles: ArticleReader,
    options: BriefOptions,
) -> tuple[CitedSentence, ...]:
    """Two or three sentences across the story's articles, each citing its article."""
    period_ids = {d.article_id for d in in_period}
    documents: list[StoryDocument] = []
    refs: dict[str, SourceRef] = {}
    for development in _summary_developments(story, in_period):
        stored = articles.get(development.article_id)
        if stored is None or not stored.article.text.strip():
            continue
        documents.append(
            StoryDocument(
                article_id=development.article_id,
                title=stored.article.title,
                text=stored.article.text,
                independent=development.independent,
                weight=1.0 if development.article_id in period_ids else CONTEXT_WEIGHT,
            )
        )
        refs[development.article_id] = ref_of_development(development)
    if not documents:
        return ()
    docs = parse_documents(documents)
    if options.llm is not None:
        generated = _abstractive(story, documents, docs, refs, options)
        if generated:
            return generated
    chosen = summarise_story(
        documents, headline=story.headline, sentences=options.sentences, docs=docs
    )
    return tuple(CitedSentence(s.text, refs[s.article_id]) for s in chosen)


def _abstractive(
    story: Story,
    documents: Sequence[StoryDocument],
    docs: Sequence[Any],
    refs: dict[str, SourceRef],
    options: BriefOptions,
) -> tuple[CitedSentence, ...]:
    """The checked abstractive summary, or () to fall back to the extractive one."""
    assert options.llm is not None
    candidates = candidate_sentences(documents, headline=story.headline, docs=docs)
    labels = [refs[c.article_id].outlet or "" for c in candidates]
    try:
        kept = abstractive_summary(
            candidates,
            options.llm,
            headline=story.headline,
            sentences=options.sentences,
            labels=labels,
        )
    except SummaryBackendError as exc:
        log.warning("abstractive summary of %s failed, extractive used: %s", story.id, exc)
        return ()
    return tuple(
        CitedSentence(
            s.text,
            refs[s.article_ids[0]],
            abstractive=True,
            also_from=tuple(refs[a] for a in s.article_ids[1:]),
        )
        for s in kept
    )


# --- the daily briefing ---------------------------------------------------------------------


def build_daily(
    store: Store, day: date, *, now: datetime | None = None, options: BriefOptions | None = None
) -> Briefing:
    """The "Westminster Update" for a day: its top stories, summarised with their sources.

    Stories rank by independent coverage, momentum, novelty and political weight of the
    articles published that day (westminster.briefings.ranking). A day without stories gives
    a briefing with no items. Reads only.
    """
    options = options or BriefOptions()
    period = period_of_days(day, day)
    return daily_briefing(day, period, _ranked_items(store, period, options), _now(now))


def build_weekly(
    store: Store, day: date, *, now: datetime | None = None, options: BriefOptions | None = None
) -> Briefing:
    """The weekly briefing: the top stories of the seven days from `day` (a Monday)."""
    options = options or BriefOptions()
    period = period_of_days(day, day + timedelta(days=WEEK_DAYS - 1))
    return weekly_briefing(period, _ranked_items(store, period, options), _now(now))


def _ranked_items(store: Store, period: Period, options: BriefOptions) -> list[BriefingItem]:
    """The period's top stories as briefing items, best first."""
    offices = _offices(options.data_dir)
    ranked = rank_stories(_stories_touching(store, period), period, offices, limit=options.items)
    articles = ArticleReader(store)
    return [
        daily_item(r, story_summary(r.story, r.in_period, articles, options), period, offices)
        for r in ranked
    ]


# --- Insights ---------------------------------------------------------------------------------


def _slug(text: str) -> str:
    # As entity keys are made (models.keys.entity_key), titles dropped first.
    return slugify(person_key(text))


def _topic_names() -> dict[str, str]:
    """Known topics by folded name (nlp/data/topics.toml)."""
    from westminster.nlp.topics import load_taxonomy

    return {t.name.casefold(): t.name for t in load_taxonomy()}


def _entity_in_story(store: Store, story: Story, wanted: str) -> Subject | None:
    for person in story.people:
        if person.key.casefold() == wanted.casefold() or name_matches(person.name, wanted):
            return Subject(kind_of_key(person.key), person.key, person.name)
    articles = ArticleReader(store)
    for development in story.articles:
        stored = articles.get(development.article_id)
        if stored is None or stored.analysis is None:
            continue
        for entity in matching_entities(stored.analysis, wanted):
            key = entity.key or wanted
            return Subject(kind_of_key(key), key, entity.name)
    return None


def resolve_subject(store: Store, value: str, hint: SubjectHint = "auto") -> Subject:
    """The subject a name, entity key or topic names; BriefingError naming it when unknown."""
    text = " ".join(value.split())
    if not text:
        raise BriefingError("no subject given", subject="subject", fix="name a person or topic")
    if hint in ("auto", "topic"):
        topics = _topic_names()
        topic = topics.get(text.casefold())
        if topic is not None:
            return Subject("topic", topic, topic)
        if hint == "topic":
            known = ", ".join(sorted(topics.values()))
            raise BriefingError("no such topic", subject=text, fix=f"known topics: {known}")
    candidates = [text]
    slug = _slug(text) if ":" not in text else ""
    if slug:
        candidates += [f"person:{slug}", f"organisation:{slug}"]
    for candidate in candidates:
        found = store.stories(person=candidate, limit=1)
        if found:
            subject = _entity_in_story(store, found[0], candidate)
            if subject is not None:
                return subject
        quotes = store.quotes_by(candidate)
        if quotes:
            key = quotes[0].speaker_key or candidate
            return Subject(kind_of_key(key), key, quotes[0].speaker_name or text)
    raise BriefingError(
        "no person, organisation or topic of that name or key in the store",
        subject=text,
        fix="give the name as `westminster search --person` finds it, or a key such as "
        "person:keir-starmer",
    )


def _subject_articles(
    store: Store, subject: Subject, period: Period, articles: ArticleReader, offices: OfficeTable
) -> tuple[list[SubjectArticle], list[RankedStory]]:
    """The subject's articles in the period and its stories there, best first."""
    filters = {"topic": subject.key} if subject.is_topic else {"person": subject.key}
    stories = list(_stories_touching(store, period, **filters))
    found: list[SubjectArticle] = []
    for story in stories:
        for development in story.articles:
            if not period.holds(development_day(development)):
                continue
            stored = articles.get(development.article_id)
            if stored is None or stored.analysis is None or not _about(stored, subject):
                continue
            found.append(
                SubjectArticle(
                    ref=ref_of_development(development),
                    analysis=stored.analysis,
                    independent=development.independent,
                    first_seen=stored.first_seen,
                )
            )
    return found, rank_stories(stories, period, offices, limit=INSIGHTS_ITEMS)


def _about(stored: StoredArticle, subject: Subject) -> bool:
    analysis = stored.analysis
    assert analysis is not None
    if subject.is_topic:
        return any(t.name.casefold() == subject.key.casefold() for t in analysis.topics)
    return bool(
        matching_entities(analysis, subject.key) or matching_entities(analysis, subject.name)
    )


def _entity_quotes(
    store: Store, subject: Subject, period: Period, articles: ArticleReader
) -> list[BriefingQuote]:
    """What the subject said in the period (stored quotes by key, then by name)."""
    hits = {
        (h.article_id, h.text): h
        for wanted in dict.fromkeys((subject.key, subject.name))
        for h in store.quotes_by(wanted)
    }
    out: list[BriefingQuote] = []
    for hit in hits.values():
        if hit.published is not None and not period.holds(hit.published):
            continue
        stored = articles.get(hit.article_id)
        ref = (
            ref_of_article(hit.article_id, stored.article)
            if stored is not None
            else SourceRef(hit.article_id, hit.title, hit.outlet, None, hit.published)
        )
        out.append(BriefingQuote(hit.text, hit.kind, hit.speaker_name, hit.speaker_key, ref))
    return out


def build_insights(
    store: Store,
    subject: str,
    *,
    since: date | datetime,
    until: date | datetime,
    now: datetime | None = None,
    hint: SubjectHint = "auto",
    record: bool = True,
    options: BriefOptions | None = None,
) -> Briefing:
    """Insights on a person, organisation or topic over the days `since` to `until`.

    Quote history (dates and outlets), figures stated beside the subject, who they appeared
    with, articles per day, their top stories, and what is new since the last Insights on the
    same subject (remembered in the store unless `record` is False).
    """
    options = options or BriefOptions()
    generated = _now(now)
    period = period_of_days(as_day(since), as_day(until))
    resolved = resolve_subject(store, subject, hint)
    articles = ArticleReader(store)
    offices = _offices(options.data_dir)
    found, ranked = _subject_articles(store, resolved, period, articles, offices)
    quotes = (
        topic_quotes(found)
        if resolved.is_topic
        else _entity_quotes(store, resolved, period, articles)
    )
    items = [
        daily_item(r, story_summary(r.story, r.in_period, articles, options), period, offices)
        for r in ranked
    ]
    new_since = store.last_briefing(INSIGHTS_KIND, resolved.key, before=generated)
    briefing = insights_briefing(
        resolved, period, found, quotes, items, generated_at=generated, new_since=new_since
    )
    if record:
        store.record_briefing(
            INSIGHTS_KIND,
            resolved.key,
            generated,
            period_start=period.start,
            period_end=period.end,
            items=len(items),
        )
    return briefing


__all__ = [
    "BriefOptions",
    "build_daily",
    "build_insights",
    "build_weekly",
    "resolve_subject",
    "story_summary",
]
