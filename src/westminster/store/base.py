"""The store's one interface, its result types and its error; both backends implement it."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Literal, Protocol

from westminster.errors import WestminsterError
from westminster.models import Analysis, Article, Rejection

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

    def iter_dedupe_states(self) -> Iterator[tuple[str, bytes]]:
        """Each stored (article id, duplicate-index state), in the order of `iter_articles`."""
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
