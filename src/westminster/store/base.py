"""The store's one interface, its result types and its error; both backends implement it."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Literal, Protocol

from westminster.errors import WestminsterError
from westminster.models import Analysis, Article, Rejection
from westminster.models.story import Story, StoryMerge
from westminster.models.subscriber import Preferences, Subscriber, SubscriberStatus
from westminster.store.story_rows import EngineState, StoryBatch, StoryMember

PutStatus = Literal["new", "updated", "unchanged"]
LinkKind = Literal["duplicate", "rewrite"]
LINK_KINDS: tuple[LinkKind, ...] = ("duplicate", "rewrite")

# Default number of hits `search` returns: one screen of results.
DEFAULT_LIMIT = 20


class StoreError(WestminsterError):
    """The store cannot be opened or refuses a request (unknown article, bad URL, bad link)."""

    code = "W500"


@dataclass(frozen=True)
class PutResult:
    """What `put_article` did: the article's stable id and whether it was new, updated or not."""

    article_id: str
    status: PutStatus
    version: int


@dataclass(frozen=True)
class ArticleVersion:
    """One stored version of an article's text (a new one each time a page's text changes)."""

    version: int
    title: str
    text: str
    text_sha256: str
    raw_sha256: str | None
    fetched_at: datetime | None
    stored_at: datetime


@dataclass(frozen=True)
class StoredArticle:
    """An article as stored: its latest version, its links and its analysis, if any."""

    id: str
    article: Article
    version: int
    text_sha256: str
    raw_sha256: str | None
    fetched_at: datetime | None
    first_seen: datetime
    updated_at: datetime
    duplicate_of: str | None = None
    rewrite_of: str | None = None
    analysis: Analysis | None = None


@dataclass(frozen=True)
class SearchHit:
    """One search result; `rank` is higher for better matches."""

    id: str
    title: str
    outlet: str | None
    published: date | None
    snippet: str
    rank: float


@dataclass(frozen=True)
class QuoteHit:
    """One stored quote with its speaker and the article it came from."""

    article_id: str
    title: str
    outlet: str | None
    published: date | None
    text: str
    kind: str
    speaker_name: str
    speaker_key: str


@dataclass(frozen=True)
class RunRecord:
    """One ingestion (or other) run: when it started and finished and what it counted."""

    id: int
    kind: str
    started_at: datetime
    finished_at: datetime | None
    counts: Mapping[str, int]


@dataclass(frozen=True)
class StoredRejection:
    """A recorded rejection with the run it belongs to and when it was recorded."""

    run_id: int
    rejection: Rejection
    recorded_at: datetime


OutboxStatus = Literal["pending", "sending", "sent", "skipped", "failed"]
ClaimResult = Literal["claimed", "taken", "inactive"]


@dataclass(frozen=True)
class OutboxEntry:
    """One (edition, subscriber) row of the outbox and what became of it."""

    edition: str
    subscriber_id: int
    status: OutboxStatus
    message_id: str
    attempts: int
    enqueued_at: datetime
    claimed_at: datetime | None
    finished_at: datetime | None
    detail: str | None


class Store(Protocol):
    """Articles, versions, analyses, links, rejections and runs, searchable by text."""

    def migrate(self) -> list[int]:
        """Apply pending schema migrations in order; return the versions applied (idempotent)."""
        ...

    def put_article(
        self,
        article: Article,
        *,
        raw_sha256: str | None = None,
        fetched_at: datetime | None = None,
    ) -> PutResult:
        """Store an article, or a new version when its text changed; same text changes nothing."""
        ...

    def put_analysis(self, article_id: str, analysis: Analysis) -> None:
        """Store (or replace) the analysis of an article's latest version."""
        ...

    def link_duplicate(self, article_id: str, original_id: str, kind: LinkKind) -> None:
        """Mark an article as a duplicate or rewrite of an original article."""
        ...

    def start_run(self, kind: str) -> int:
        """Record the start of a run and return its id."""
        ...

    def finish_run(self, run_id: int, counts: Mapping[str, int]) -> None:
        """Record the end of a run with its counts."""
        ...

    def get_run(self, run_id: int) -> RunRecord:
        """One recorded run."""
        ...

    def runs(self, *, limit: int = 50) -> list[RunRecord]:
        """The most recent runs, newest first."""
        ...

    def record_rejection(self, run_id: int, rejection: Rejection) -> None:
        """Record a rejected input for a run (the same rejection twice in a run is kept once)."""
        ...

    def rejections(self, run_id: int | None = None) -> list[StoredRejection]:
        """Recorded rejections, oldest first, for one run or all."""
        ...

    def get_article(self, article_id: str) -> StoredArticle:
        """The stored article with its latest version, links and analysis."""
        ...

    def article_versions(self, article_id: str) -> list[ArticleVersion]:
        """Every stored version of an article, oldest first."""
        ...

    def search(
        self,
        query: str,
        *,
        outlet: str | None = None,
        since: date | None = None,
        until: date | None = None,
        person: str | None = None,
        topic: str | None = None,
        limit: int = DEFAULT_LIMIT,
    ) -> list[SearchHit]:
        """Full-text search over title, text and quotes, best first, with optional filters."""
        ...

    def quotes_by(self, person: str, query: str | None = None) -> list[QuoteHit]:
        """Quotes attributed to a person (entity key or name), optionally matching words."""
        ...

    def iter_outlet_lines(self, outlet: str) -> Iterator[tuple[str, list[str]]]:
        """Each of an outlet's articles as (id, non-empty lines of its latest text)."""
        ...

    def iter_articles(self) -> Iterator[StoredArticle]:
        """Every stored article with its links and analysis, in the order first stored."""
        ...

    def mark_records(self, source: str, records: Iterable[tuple[str, str]]) -> None:
        """Remember (record id, article id) pairs of an archive as stored (again is a no-op)."""
        ...

    def stored_records(self, source: str) -> set[str]:
        """The record ids of an archive marked as stored."""
        ...

    def get_validators(self, url: str) -> tuple[str | None, str | None] | None:
        """The (ETag, Last-Modified) last stored for a URL, or None when none is known."""
        ...

    def put_validators(self, url: str, etag: str | None, last_modified: str | None) -> None:
        """Remember a URL's ETag and Last-Modified (replacing older ones) for conditional GET."""
        ...

    def put_dedupe_state(self, article_id: str, state: bytes) -> None:
        """Store (or replace) an article's duplicate-index state (opaque bytes)."""
        ...

    def put_dedupe_states(self, states: Iterable[tuple[str, bytes]]) -> list[str]:
        """Store many (article id, state) in one transaction; return the ids with no article."""
        ...

    def iter_dedupe_states(self) -> Iterator[tuple[str, bytes]]:
        """Each stored (article id, duplicate-index state), in the order of `iter_articles`."""
        ...

    # Stories (westminster.stories; see store/sqlite/stories.py).

    def put_stories(self, batch: StoryBatch) -> None:
        """Record a batch's story members, merges, copies and engine state in one transaction."""
        ...

    def load_story_engine(self) -> EngineState | None:
        """The story engine's whole saved state, or None when none was saved."""
        ...

    def story_article_ids(self, *, analysed: bool | None = None) -> set[str]:
        """Ids of articles in a story (only those recorded with/without an analysis)."""
        ...

    def story_members(self, story_id: str) -> list[StoryMember]:
        """A story's members in the order they joined (a merged id gives the survivor's)."""
        ...

    def stories(
        self,
        *,
        since: datetime | None = None,
        person: str | None = None,
        topic: str | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> list[Story]:
        """Stories, most recently updated first; `since`: with a development added after it."""
        ...

    def get_story(self, story_id: str) -> Story:
        """One story; a merged id resolves to the surviving story; unknown ids raise."""
        ...

    def story_of(self, article_id: str) -> str | None:
        """The (surviving) story an article is in, or None."""
        ...

    def story_merges(self) -> list[StoryMerge]:
        """Every recorded merge, oldest first."""
        ...

    # Subscribers and the outbox (westminster.delivery; see store/sqlite/subscribers.py).

    def put_subscriber(
        self, email: str, preferences: Preferences, *, status: SubscriberStatus, now: datetime
    ) -> tuple[Subscriber, bool]:
        """Add an address (True) or return the one already stored, unchanged (False)."""
        ...

    def get_subscriber(self, key: int | str) -> Subscriber | None:
        """The subscriber with this id or (normalised) email, or None."""
        ...

    def update_subscriber(
        self,
        subscriber_id: int,
        *,
        now: datetime,
        status: SubscriberStatus | None = None,
        preferences: Preferences | None = None,
        reason: str | None = None,
    ) -> Subscriber:
        """Change status and/or preferences; becoming active stamps confirmed_at."""
        ...

    def delete_subscriber(self, subscriber_id: int) -> bool:
        """Remove a subscriber and their outbox rows; False when there was none."""
        ...

    def subscribers(
        self, *, status: SubscriberStatus | None = None, frequency: str | None = None
    ) -> list[Subscriber]:
        """Subscribers by id, optionally only those with a status and/or frequency."""
        ...

    def count_attempts(self, keys: Sequence[str], window_start: datetime) -> list[int]:
        """Add one attempt to each key's counter for the window; return the new counts."""
        ...

    def put_edition(self, edition_id: str, kind: str, payload: str, built_at: datetime) -> str:
        """Store an edition as built unless one is stored; return the stored payload."""
        ...

    def get_edition(self, edition_id: str) -> str | None:
        """An edition's stored payload, or None."""
        ...

    def enqueue(self, edition_id: str, entries: Iterable[tuple[int, str]], now: datetime) -> int:
        """Add (subscriber id, Message-ID) rows as pending; existing rows are kept; count new."""
        ...

    def enqueue_alert(
        self,
        edition_id: str,
        subscriber_id: int,
        message_id: str,
        article_ids: Sequence[str],
        now: datetime,
    ) -> list[str]:
        """Record the articles not yet alerted to the subscriber and, if any, queue the alert."""
        ...

    def alert_items(self, edition_id: str, subscriber_id: int) -> list[str]:
        """The article ids an alert edition covers for a subscriber."""
        ...

    def claim(self, edition_id: str, subscriber_id: int, now: datetime) -> ClaimResult:
        """Mark a pending row as being sent (one claimant wins); inactive ones become skipped."""
        ...

    def finish(
        self,
        edition_id: str,
        subscriber_id: int,
        status: OutboxStatus,
        *,
        now: datetime,
        detail: str | None = None,
    ) -> None:
        """Record what became of a claimed row (sent, failed, or pending again)."""
        ...

    def outbox(self, edition_id: str, *, status: OutboxStatus | None = None) -> list[OutboxEntry]:
        """An edition's outbox rows by subscriber id, optionally of one status."""
        ...

    def reset_claims(self, edition_id: str) -> int:
        """Put rows left `sending` by a dead sender back to pending; return how many."""
        ...

    def unfinished_editions(self, prefix: str) -> list[str]:
        """Ids starting with `prefix` of editions with rows still pending or sending."""
        ...

    def acquire_lock(
        self, name: str, owner: str, *, now: datetime, replace: str | None = None
    ) -> tuple[str, datetime] | None:
        """Take or refresh a named lock (None); else the holder and its heartbeat.

        With `replace`, a lock held by exactly that owner is taken over (a dead holder).
        """
        ...

    def release_lock(self, name: str, owner: str) -> None:
        """Release a named lock if this owner holds it."""
        ...

    # Briefings generated (westminster.pipeline.briefs; see store/sqlite/briefings.py).

    def record_briefing(
        self,
        kind: str,
        subject: str,
        generated_at: datetime,
        *,
        period_start: datetime,
        period_end: datetime,
        items: int = 0,
    ) -> None:
        """Remember that a briefing was generated (the same kind, subject and time once)."""
        ...

    def last_briefing(
        self, kind: str, subject: str, *, before: datetime | None = None
    ) -> datetime | None:
        """When the latest briefing of a kind on a subject was generated (before a time)."""
        ...

    def close(self) -> None:
        """Release connections."""
        ...


# Links are followed this far when checking that a new link does not close a loop; chains of
# copies of copies are short (agency copy -> syndicated copy -> rewrite).
MAX_LINK_DEPTH = 64


def check_link(article_id: str, original_id: str, kind: str) -> str:
    """The column a link is stored in; refuses unknown kinds and self-links."""
    if kind not in LINK_KINDS:
        raise StoreError(
            f"unknown link kind {kind!r}", subject=article_id, fix="use 'duplicate' or 'rewrite'"
        )
    if article_id == original_id:
        raise StoreError("an article cannot be linked to itself", subject=article_id)
    return "duplicate_of" if kind == "duplicate" else "rewrite_of"


def check_no_loop(article_id: str, original_id: str, parent: Callable[[str], str | None]) -> None:
    """Refuse a link whose original is, through its own links, a copy of the article itself.

    `parent(id)` is what an article is a copy of (None when nothing or when unknown).
    """
    current = original_id
    for _ in range(MAX_LINK_DEPTH):
        up = parent(current)
        if up is None:
            return
        if up == article_id:
            raise StoreError(
                f"linking to {original_id} would make a loop of copies", subject=article_id
            )
        current = up


def check_counts(counts: Mapping[str, int]) -> dict[str, int]:
    """Run counts as a plain dict; refuses non-integer values."""
    out: dict[str, int] = {}
    for name, value in counts.items():
        if not isinstance(value, int) or isinstance(value, bool):
            raise StoreError(f"count {name!r} is not an integer: {value!r}", subject="run counts")
        out[str(name)] = value
    return out


def utc_now() -> datetime:
    """The current time in UTC (every stored time is UTC)."""
    return datetime.now(UTC)
