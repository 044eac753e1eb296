"""Sending an edition through the outbox: each (edition, subscriber) goes out exactly once.

How exactly-once holds when the sender is killed at any moment and run again:

1. The edition's briefing is stored once (first build wins), so a rerun sends the same content.
2. Rows are enqueued idempotently: the key is (edition, subscriber), so enqueueing again adds
   only subscribers who were not queued before.
3. One sender per edition: a lock row names the owner (host:pid:token). A rerun takes it over
   only from a dead owner (same host, pid gone) or one silent for LOCK_STALE_S.
4. Per message: render, then claim (pending -> sending, committed), then SMTP, then mark sent
   (committed at once, one message at a time). A row is `sent` only after the server accepted
   it, and a claimed row is never claimed twice.
5. On start, with the lock held, rows left `sending` are from a dead sender: the server may or
   may not have accepted them, so they are sent again with the same deterministic Message-ID.

The one window where a message can go out twice is between the server's 250 reply to DATA
and the commit of `sent`: a few microseconds of local work per message, kept small by
marking each message on its own instead of in batches. A duplicate from that window carries
the same Message-ID as the first copy, so clients and mailbox providers that de-duplicate by
Message-ID show it once. Every other crash point gives exactly one delivery: before the claim
nothing was sent; between the claim and the 250 the server did not accept the message (an
SMTP transaction cut before the final reply is discarded) and it is sent again.
"""

from __future__ import annotations

import logging
import os
import socket
import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from westminster.delivery.edition_codec import briefing_from_json
from westminster.delivery.editions import (
    Builder,
    default_builder,
    edition_id,
    is_due,
    load_or_build,
)
from westminster.delivery.errors import SendError
from westminster.delivery.links import link
from westminster.delivery.mailer import Mailer, PermanentFailure, TemporaryFailure
from westminster.delivery.matching import ItemFeatures, select_items
from westminster.delivery.render import EditionRenderer, message_id
from westminster.delivery.settings import DeliverySettings
from westminster.delivery.wire import raw_message
from westminster.models import Briefing, BriefingItem, Subscriber
from westminster.store import Store

logger = logging.getLogger(__name__)
logger.addHandler(logging.NullHandler())

# A lock whose owner has not been heard of for this long is taken over even from another host:
# far longer than one message with every retry (4 tries, 1+2+4 s backoff, 30 s timeouts).
LOCK_STALE_S = 600.0
# The sender refreshes its lock after this many messages.
HEARTBEAT_EVERY = 50
# Outbox rows are enqueued in chunks of this many (one transaction each).
ENQUEUE_CHUNK = 1000

ItemsFor = Callable[[Subscriber], tuple[BriefingItem, ...]]


@dataclass
class SendReport:
    """What one send run did with an edition."""

    edition: str
    enqueued: int = 0  # rows added to the outbox by this run
    sent: int = 0
    skipped: int = 0  # nothing matched the preferences, or no longer active
    failed: int = 0  # permanent failures: the address is paused
    deferred: int = 0  # temporary failures after every retry: left for the next run
    resumed: int = 0  # rows a killed run left mid-send, sent again
    waiting: int = 0  # subscribers whose send time has not come yet
    failures: list[tuple[str, str]] = field(default_factory=list)  # (email, reason)

    def line(self) -> str:
        """One closing line with every count."""
        return (
            f"{self.edition}: sent {self.sent}, skipped {self.skipped}, failed {self.failed}, "
            f"deferred {self.deferred}, waiting {self.waiting}, resumed {self.resumed}"
        )


@dataclass(frozen=True)
class Planned:
    """Who would get what (a dry run): the subscriber and their stories."""

    subscriber: Subscriber
    items: tuple[BriefingItem, ...]


def _utc_now() -> datetime:
    return datetime.now(UTC)


def lock_owner() -> str:
    """This process's lock owner name: host:pid:random."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def _owner_is_dead(owner: str) -> bool:
    """True when the owner ran on this host and its process is gone."""
    host, _, rest = owner.partition(":")
    pid_text = rest.partition(":")[0]
    if host != socket.gethostname() or not pid_text.isdigit():
        return False
    try:
        os.kill(int(pid_text), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


@contextmanager
def edition_lock(
    store: Store, name: str, *, clock: Callable[[], datetime] = _utc_now
) -> Iterator[Callable[[], None]]:
    """Hold the named sender lock; yields a heartbeat function. SendError when it is held."""
    owner = lock_owner()
    holder = store.acquire_lock(name, owner, now=clock())
    if holder is not None:
        other, last_heard = holder
        silent = (clock() - last_heard).total_seconds()
        if not (_owner_is_dead(other) or silent > LOCK_STALE_S):
            raise SendError(
                f"another sender ({other}) is sending this edition, last heard {silent:.0f} s ago",
                subject=name,
                fix=f"wait for it to finish; a dead sender's lock is taken over after "
                f"{LOCK_STALE_S:.0f} s",
            )
        if store.acquire_lock(name, owner, now=clock(), replace=other) is not None:
            raise SendError("another sender took over this edition first", subject=name)

    def refresh() -> None:
        taken = store.acquire_lock(name, owner, now=clock())
        if taken is not None:
            raise SendError(f"the lock was taken over by {taken[0]}; stopping", subject=name)

    try:
        yield refresh
    finally:
        store.release_lock(name, owner)


def deliver(
    store: Store,
    edition: str,
    briefing: Briefing,
    items_for: ItemsFor,
    *,
    mailer: Mailer,
    settings: DeliverySettings,
    report: SendReport,
    heartbeat: Callable[[], None],
    day: date | None = None,
    intro: str = "",
    list_id: str = "daily",
    known: Mapping[int, Subscriber] | None = None,
    clock: Callable[[], datetime] = _utc_now,
    on_sent: Callable[[Subscriber], None] | None = None,
) -> None:
    """Send every pending row of an edition: render, claim, SMTP, mark (one at a time)."""
    known = known or {}
    domain = settings.sender().domain
    renderer = EditionRenderer(briefing, intro=intro, day=day)
    for n, entry in enumerate(store.outbox(edition, status="pending"), 1):
        if n % HEARTBEAT_EVERY == 0:
            heartbeat()
        subscriber = known.get(entry.subscriber_id) or store.get_subscriber(entry.subscriber_id)
        if subscriber is None:
            continue  # deleted since it was queued (its rows went with it)
        now = clock()
        items = items_for(subscriber)
        if not items:
            claimed = store.claim(edition, subscriber.id, now)
            if claimed == "claimed":
                store.finish(edition, subscriber.id, "skipped", now=now, detail="no story matched")
            report.skipped += claimed != "taken"
            continue
        unsubscribe_url = link(settings, "unsubscribe", subscriber, now)
        rendered = renderer.render(
            items,
            email=subscriber.email,
            unsubscribe_url=unsubscribe_url,
            preferences_url=link(settings, "preferences", subscriber, now),
        )
        message = raw_message(
            rendered,
            to=subscriber.email,
            settings=settings,
            now=now,
            msg_id=entry.message_id or message_id(edition, subscriber.id, subscriber.email, domain),
            unsubscribe_url=unsubscribe_url,
            list_id=list_id,
        )
        claimed = store.claim(edition, subscriber.id, now)
        if claimed == "inactive":
            report.skipped += 1
            continue
        if claimed == "taken":
            continue
        try:
            mailer.send(message)
        except PermanentFailure as failure:
            reason = failure.message
            store.finish(edition, subscriber.id, "failed", now=clock(), detail=reason)
            store.update_subscriber(subscriber.id, now=clock(), status="paused", reason=reason)
            report.failed += 1
            report.failures.append((subscriber.email, reason))
            continue
        except TemporaryFailure as failure:
            store.finish(edition, subscriber.id, "pending", now=clock(), detail=failure.message)
            report.deferred += 1
            report.failures.append((subscriber.email, failure.message))
            continue
        except BaseException:
            # SendError (refused before acceptance) or Ctrl-C: the next run sends the row
            # again, with the same Message-ID, as after a kill.
            store.finish(edition, subscriber.id, "pending", now=clock(), detail="interrupted")
            raise
        store.finish(edition, subscriber.id, "sent", now=clock())
        report.sent += 1
        if on_sent is not None:
            on_sent(subscriber)


def due_subscribers(
    store: Store, kind: str, day: date, now: datetime
) -> tuple[list[Subscriber], int]:
    """Active subscribers of this frequency whose send time has passed, and how many wait."""
    candidates = store.subscribers(status="active", frequency=kind)
    due = [s for s in candidates if is_due(s, kind, day, now)]
    return due, len(candidates) - len(due)


def plan_edition(
    store: Store,
    kind: str,
    day: date,
    *,
    now: datetime | None = None,
    build: Builder | None = None,
) -> tuple[str, list[Planned], int]:
    """A dry run: the edition id, who is due and what each would get, and how many wait.

    Writes nothing: the stored edition is read if there is one, else built and not stored.
    Subscribers already sent this edition are left out.
    """
    now = now or _utc_now()
    edition = edition_id(kind, day)
    stored = store.get_edition(edition)
    if stored is not None:
        briefing = briefing_from_json(stored)
    else:
        briefing = (build or default_builder(kind))(store, day, now)
    done = {e.subscriber_id for e in store.outbox(edition) if e.status != "pending"}
    due, waiting = due_subscribers(store, kind, day, now)
    features = [ItemFeatures(item) for item in briefing.items]
    plan = [Planned(s, select_items(features, s.preferences)) for s in due if s.id not in done]
    return edition, plan, waiting


def send_edition(
    store: Store,
    kind: str,
    day: date,
    *,
    mailer: Mailer,
    settings: DeliverySettings,
    now: datetime | None = None,
    build: Builder | None = None,
    clock: Callable[[], datetime] = _utc_now,
    on_sent: Callable[[Subscriber], None] | None = None,
) -> SendReport:
    """Build (or read) an edition and send it to every due subscriber who has not had it.

    `now` decides who is due (their local send time on `day` has passed); `clock` stamps
    the outbox. Raises SendError when the server refuses the sender or login, or when another
    live sender holds the edition.
    """
    now = now or clock()
    edition = edition_id(kind, day)
    settings.require_secret()
    domain = settings.sender().domain
    report = SendReport(edition)
    with edition_lock(store, f"send:{edition}", clock=clock) as heartbeat:
        briefing = load_or_build(store, edition, kind, day, now, build or default_builder(kind))
        report.resumed = store.reset_claims(edition)
        due, report.waiting = due_subscribers(store, kind, day, now)
        entries = [(s.id, message_id(edition, s.id, s.email, domain)) for s in due]
        for start in range(0, len(entries), ENQUEUE_CHUNK):
            report.enqueued += store.enqueue(
                edition, entries[start : start + ENQUEUE_CHUNK], clock()
            )
        features = [ItemFeatures(item) for item in briefing.items]
        deliver(
            store,
            edition,
            briefing,
            lambda s: select_items(features, s.preferences),
            mailer=mailer,
            settings=settings,
            report=report,
            heartbeat=heartbeat,
            day=day,
            list_id=kind,
            known={s.id: s for s in due},
            clock=clock,
            on_sent=on_sent,
        )
    return report
