"""Alerts: new articles that match an immediate subscriber's people, topics or queries.

Each call makes one alert edition of the new articles (id from the sorted article ids, so
calling again with the same articles names the same edition). For every active `immediate`
subscriber, the matching articles not yet alerted to them are recorded together with their
outbox row in one transaction; the outbox then sends each row once. So each (subscriber,
article) is alerted at most once even across overlapping calls, and a killed run is finished
by the next call for the same articles (or by `resume_alerts`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from datetime import UTC, datetime

from westminster.delivery.edition_codec import briefing_from_json, briefing_to_json
from westminster.delivery.mailer import Mailer
from westminster.delivery.matching import ItemFeatures, article_matches, select_items
from westminster.delivery.outbox import SendReport, deliver, edition_lock
from westminster.delivery.render import message_id
from westminster.delivery.settings import DeliverySettings
from westminster.models import (
    Analysis,
    Briefing,
    BriefingFigure,
    BriefingItem,
    BriefingQuote,
    CitedSentence,
    Preferences,
    SourceRef,
    Subscriber,
)
from westminster.store import Store, StoredArticle, StoreError

ALERT_TITLE = "Westminster Update alert"
# How much of each article an alert carries (an alert is read on a phone, at once).
ALERT_QUOTES = 2
ALERT_FIGURES = 3
# Entity kinds a subscriber can follow by key ("person:...", "organisation:...").
FOLLOWABLE_KINDS = frozenset({"person", "organisation", "group"})


def _utc_now() -> datetime:
    return datetime.now(UTC)


def alert_edition_id(article_ids: Iterable[str]) -> str:
    """The alert edition's id: a digest of its sorted article ids."""
    digest = hashlib.sha256("\n".join(sorted(set(article_ids))).encode()).hexdigest()
    return f"alert-{digest[:16]}"


def article_item(stored: StoredArticle) -> BriefingItem:
    """One article as an alert item: its summary, people, topics, quotes and figures."""
    article = stored.article
    ref = SourceRef(stored.id, article.title, article.outlet, article.url, article.published)
    analysis = stored.analysis
    if analysis is None:
        lead = " ".join(article.text.split()[:60])
        return BriefingItem(
            story_id=stored.id,
            headline=article.title,
            summary=(CitedSentence(lead, ref),) if lead else (),
            sources=(ref,),
            outlets=1,
        )
    names = {e.id: e for e in analysis.entities}
    quotes = []
    for quote in analysis.quotes[:ALERT_QUOTES]:
        speaker = quote.speaker
        entity = names.get(speaker.entity_id or "") if speaker is not None else None
        quotes.append(
            BriefingQuote(
                text=quote.text,
                kind=quote.kind,
                speaker=entity.name if entity else (speaker.name if speaker else ""),
                speaker_key=entity.key if entity else "",
                source=ref,
            )
        )
    figures = tuple(
        BriefingFigure(f.text, f.kind, f.value, f.unit, ref)
        for f in analysis.figures[:ALERT_FIGURES]
        if f.kind != "date"
    )
    summary = analysis.summary or " ".join(article.text.split()[:60])
    return BriefingItem(
        story_id=stored.id,
        headline=article.title,
        summary=(CitedSentence(summary, ref),) if summary else (),
        quotes=tuple(quotes),
        figures=figures,
        sources=(ref,),
        outlets=1,
        people=tuple(e.key for e in analysis.entities if e.key and e.kind in FOLLOWABLE_KINDS),
        topics=tuple(t.name for t in analysis.topics),
    )


def alert_briefing(store: Store, article_ids: Iterable[str], now: datetime) -> Briefing:
    """The alert edition: one item per new, original article (copies and rewrites left out)."""
    items = []
    for aid in dict.fromkeys(article_ids):
        try:
            stored = store.get_article(aid)
        except StoreError:
            continue  # removed since it was ingested
        if stored.duplicate_of or stored.rewrite_of:
            continue  # its original was (or will be) the alert
        items.append(article_item(stored))
    return Briefing(
        kind="alert", title=ALERT_TITLE, period_start=now, period_end=now, generated_at=now,
        items=tuple(items),
    )  # fmt: skip


def _analyses(store: Store, article_ids: Iterable[str]) -> dict[str, Analysis]:
    """The stored analyses of the alert's articles (those analysed)."""
    found = {}
    for aid in article_ids:
        try:
            analysis = store.get_article(aid).analysis
        except StoreError:
            continue
        if analysis is not None:
            found[aid] = analysis
    return found


def _wanted(
    features: list[ItemFeatures], analyses: dict[str, Analysis], preferences: Preferences
) -> list[str]:
    """The alert's articles a subscriber follows: by the analysis (names, aliases, topics,
    text and quotes) where there is one, else by the item (headline and lead)."""
    out = []
    for f in features:
        analysis = analyses.get(f.item.story_id)
        hit = (
            article_matches(analysis, preferences)
            if analysis is not None
            else bool(select_items([f], preferences))
        )
        if hit:
            out.append(f.item.story_id)
    return out


ALERT_PREFIX = "alert-"
ALERT_INTRO = "New coverage of the people, topics and searches you follow."


def _deliver_alerts(
    store: Store,
    edition: str,
    briefing: Briefing,
    *,
    mailer: Mailer,
    settings: DeliverySettings,
    report: SendReport,
    heartbeat: Callable[[], None],
    clock: Callable[[], datetime],
    known: dict[int, Subscriber] | None = None,
) -> None:
    """Send an alert edition's pending rows, each with the articles recorded for it."""

    def items_for(subscriber: Subscriber) -> tuple[BriefingItem, ...]:
        mine = set(store.alert_items(edition, subscriber.id))
        return tuple(item for item in briefing.items if item.story_id in mine)

    deliver(
        store,
        edition,
        briefing,
        items_for,
        mailer=mailer,
        settings=settings,
        report=report,
        heartbeat=heartbeat,
        day=briefing.period_end.date(),
        intro=ALERT_INTRO,
        list_id="alerts",
        known=known,
        clock=clock,
    )


def resume_alerts(
    store: Store,
    report: SendReport,
    *,
    mailer: Mailer,
    settings: DeliverySettings,
    clock: Callable[[], datetime] = _utc_now,
    skip: str = "",
) -> None:
    """Finish alert editions an earlier call left unsent (temporary failures, a kill)."""
    for edition in store.unfinished_editions(ALERT_PREFIX):
        stored = store.get_edition(edition)
        if edition == skip or stored is None:
            continue
        with edition_lock(store, f"send:{edition}", clock=clock) as heartbeat:
            report.resumed += store.reset_claims(edition)
            _deliver_alerts(
                store, edition, briefing_from_json(stored), mailer=mailer, settings=settings,
                report=report, heartbeat=heartbeat, clock=clock,
            )  # fmt: skip


def send_alerts(
    store: Store,
    article_ids: Iterable[str],
    *,
    mailer: Mailer,
    settings: DeliverySettings,
    now: datetime | None = None,
    clock: Callable[[], datetime] = _utc_now,
) -> SendReport:
    """Alert immediate subscribers to the new articles that match what they follow.

    Alerts that an earlier call could not finish are sent first.
    """
    now = now or clock()
    ids = sorted(set(article_ids))
    edition = alert_edition_id(ids)
    report = SendReport(edition)
    settings.require_secret()
    domain = settings.sender().domain
    resume_alerts(store, report, mailer=mailer, settings=settings, clock=clock, skip=edition)
    if not ids:
        return report
    with edition_lock(store, f"send:{edition}", clock=clock) as heartbeat:
        stored = store.get_edition(edition)
        if stored is None:
            built = alert_briefing(store, ids, now)
            stored = store.put_edition(edition, "alert", briefing_to_json(built), now)
        briefing = briefing_from_json(stored)
        report.resumed += store.reset_claims(edition)
        analyses = _analyses(store, [item.story_id for item in briefing.items])
        features = [ItemFeatures(item) for item in briefing.items]
        subscribers = store.subscribers(status="active", frequency="immediate")
        for subscriber in subscribers:
            wanted = _wanted(features, analyses, subscriber.preferences)
            if wanted:
                mid = message_id(edition, subscriber.id, subscriber.email, domain)
                new = store.enqueue_alert(edition, subscriber.id, mid, wanted, clock())
                report.enqueued += bool(new)
        _deliver_alerts(
            store, edition, briefing, mailer=mailer, settings=settings, report=report,
            heartbeat=heartbeat, clock=clock, known={s.id: s for s in subscribers},
        )  # fmt: skip
    return report
