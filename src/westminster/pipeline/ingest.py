"""Ingest sources into the store: read -> clean -> store -> analyse -> dedupe -> link.

Every page becomes a stored article or a recorded Rejection; the run goes on either way. The
run is safe to repeat and to kill: articles are keyed by their URL (or path, or text), the same
text stored again changes nothing, and archive records are marked as done only once their
article is stored, analysed and linked, so a rerun after SIGKILL skips finished records and
redoes the rest. What a killed run left half done (an article stored but not analysed or not
linked) is repaired at the start of the next run, when the duplicate index is restored from
the states stored with the articles (pipeline/dedupe_links.py).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Protocol

from westminster.clean.outlet_filter import OutletLineFilter
from westminster.config import Config
from westminster.dedupe import Verdict
from westminster.errors import WestminsterError
from westminster.ingest.fetcher import Fetcher, FetchSettings
from westminster.ingest.sources import source_for
from westminster.models import Analysis, Article, RawPage, Rejection
from westminster.nlp.analyzer import PIPE_BATCH_SIZE, Analyzer
from westminster.pipeline.articles import ArticleOptions, to_article
from westminster.pipeline.dedupe_links import LINK_OF, StoredIndex, with_states
from westminster.pipeline.parallel import CHUNKS_AHEAD_PER_WORKER, AnalysisPool
from westminster.pipeline.stories import StoryStage
from westminster.pipeline.validators import StoreValidatorCache
from westminster.store import PutResult, Store, StoreError, article_id

RUN_KIND = "ingest"
COUNT_NAMES = ("new", "updated", "unchanged", "duplicate", "rewrite", "rejected")

AnalyzerFactory = Callable[[], Analyzer]


class Progress(Protocol):
    """What the pipeline reports as it goes (the CLI draws progress bars from it)."""

    def source_started(self, spec: str) -> None:
        """A source is about to be read."""

    def item_done(self, spec: str, outcome: str) -> None:
        """One item of the source is finished: a count name ("new", "rejected", ...)."""

    def source_finished(self, spec: str) -> None:
        """A source has been read to its end."""


class NoProgress:
    """Progress that reports nothing."""

    def source_started(self, spec: str) -> None:
        """Nothing."""

    def item_done(self, spec: str, outcome: str) -> None:
        """Nothing."""

    def source_finished(self, spec: str) -> None:
        """Nothing."""


@dataclass(frozen=True)
class IngestOptions:
    """How a run treats its pages."""

    analyse: bool = True
    batch_size: int = PIPE_BATCH_SIZE  # pages stored before each nlp.pipe batch and checkpoint
    today: date | None = None  # the date analysis assumes for undated articles (None: today)
    # Analysis worker processes: above 1, each batch's analysis goes to a process pool while
    # the main process reads, cleans and stores the next ones (it stays the store's only
    # writer, and results and store contents are the same whatever the number).
    processes: int = 1
    model: str = ""  # the spaCy model the pool's workers load ("" = the configured default)


@dataclass
class IngestCounts:
    """What a run did, by outcome."""

    new: int = 0
    updated: int = 0
    unchanged: int = 0
    duplicate: int = 0
    rewrite: int = 0
    rejected: int = 0

    def as_dict(self) -> dict[str, int]:
        """The counts by name, in the closing line's order."""
        return {name: getattr(self, name) for name in COUNT_NAMES}

    def line(self) -> str:
        """The closing count line: `new N, updated N, unchanged N, ...`."""
        return ", ".join(f"{name} {value}" for name, value in self.as_dict().items())

    def add(self, name: str) -> None:
        """Count one more of `name`."""
        setattr(self, name, getattr(self, name) + 1)


@dataclass
class _Item:
    """One stored page waiting for analysis, dedupe and its checkpoint."""

    article: Article | None  # None when the page's bytes were stored before (not cleaned)
    result: PutResult
    record_id: str | None
    analyse: bool
    source: str | None = None  # the page's source (the URL fetched): its validators' key
    fetched_at: datetime | None = None  # when the page was fetched: an undated story's time


@dataclass
class _Batch:
    items: list[_Item] = field(default_factory=list)


@dataclass
class _Pending:
    """A batch whose analysis is running on the pool, finished in order once it is done."""

    batch: _Batch
    wanted: list[int]  # positions of the items analysed, in the order of the results
    key: str | None
    spec: str
    progress: Progress
    results: Future[list[Analysis | Rejection]]


def _articles(batch: _Batch, wanted: list[int]) -> list[Article]:
    """The articles at the wanted positions of a batch."""
    return [a for n in wanted if (a := batch.items[n].article) is not None]


def lines_of(article: Article) -> list[str]:
    """The lines the outlet filter counts: the kept text and the lines cleaning removed."""
    kept = [line for line in article.text.split("\n") if line.strip()]
    return kept + [removed.text for removed in article.removed]


def page_article_id(page: RawPage) -> str | None:
    """The id the page's article will get, when its URL or path decides it (not its text)."""
    if not page.url and not page.path:
        return None
    return article_id(Article(title="", text="", url=page.url, path=page.path))


def archive_key(spec: str) -> str | None:
    """How the store names a local file's records (its resolved path); None for URLs."""
    if spec.startswith(("http://", "https://")):
        return None
    path = Path(spec)
    return str(path.resolve()) if path.is_file() else None


def fetch_settings(config: Config, *, allow_loopback: bool = False) -> FetchSettings:
    """The fetcher's settings from the run's config (`allow_loopback` can only widen it)."""
    base = FetchSettings()
    return FetchSettings(
        user_agent=config.user_agent or base.user_agent,
        timeout_s=config.fetch_timeout,
        connect_timeout_s=min(base.connect_timeout_s, config.fetch_timeout),
        max_bytes=config.max_input_bytes,
        max_attempts=max(1, config.fetch_attempts),
        host_interval_s=config.host_interval,
        host_concurrency=max(1, config.host_concurrency),
        respect_robots=config.respect_robots,
        allow_private=config.allow_private,
        allow_loopback=allow_loopback or config.allow_loopback,
    )


class Ingester:
    """One ingestion session over a store: the duplicate index and outlet filter it keeps."""

    def __init__(
        self,
        store: Store,
        fetcher: Fetcher,
        options: IngestOptions | None = None,
        *,
        analyzer: AnalyzerFactory = Analyzer,
        max_bytes: int | None = None,
    ) -> None:
        self.store = store
        self.fetcher = fetcher
        self.validators = StoreValidatorCache(store)  # conditional GET across runs
        fetcher.cache = self.validators
        self.options = options or IngestOptions()
        self.max_bytes = max_bytes
        self.dedupe = StoredIndex(store, lambda r: self._reject(r, "", NoProgress()))
        self.index = self.dedupe.index
        # Stories: each article joins one after it is stored, analysed and linked.
        self.stories = StoryStage(store, lambda r: self._reject(r, "", NoProgress()))
        self.outlet_filter = OutletLineFilter()
        self._make_analyzer = analyzer
        self._analyzer: Analyzer | None = None
        self._analysed: set[str] = set()
        self._pool: AnalysisPool | None = None
        self._pending: list[_Pending] = []
        self._in_flight: set[str] = set()  # article ids in pending batches
        # The raw bytes' hash of each stored article: a page whose bytes are unchanged is not
        # cleaned again, so what the outlet filter learned since cannot make a new version
        # (re-cleaning old articles is `reclean`'s explicit job).
        self._raw: dict[str, str | None] = {}
        self._loaded = False
        self._run_id = 0
        self.counts = IngestCounts()

    # -- the store's state -----------------------------------------------------------------

    def load(self) -> None:
        """Restore the duplicate index and rebuild the outlet filter from the store."""
        if self._loaded:
            return
        self.stories.start()
        states = self.store.iter_dedupe_states()
        for stored, state in with_states(self.store.iter_articles(), states):
            self._raw[stored.id] = stored.raw_sha256
            if stored.analysis is not None:
                self._analysed.add(stored.id)
            if stored.article.outlet:
                self.outlet_filter.observe(
                    stored.article.outlet, stored.id, lines_of(stored.article)
                )
            self.dedupe.load(stored, state)
            self.stories.observe(stored)
        self.dedupe.flush()
        self.stories.repair()  # articles a killed run (or an older version) left without one
        self._loaded = True

    # -- one run ---------------------------------------------------------------------------

    def run(self, specs: Iterable[str], progress: Progress | None = None) -> int:
        """Ingest every source in turn, record the run, and return its id."""
        progress = progress or NoProgress()
        self.counts = IngestCounts()
        self._run_id = self.store.start_run(RUN_KIND)
        try:
            self.load()
            with self._analysis_pool():
                for spec in specs:
                    progress.source_started(spec)
                    self._ingest_source(spec, progress)
                    progress.source_finished(spec)
        finally:
            self.store.finish_run(self._run_id, self.counts.as_dict())
        return self._run_id

    def _ingest_source(self, spec: str, progress: Progress) -> None:
        key = archive_key(spec)
        skip = self.store.stored_records(key) if key is not None else frozenset()
        try:
            source = source_for(spec, fetcher=self.fetcher, max_bytes=self.max_bytes, skip=skip)
        except WestminsterError as exc:
            self._reject(Rejection("read", exc.code, exc.message, spec), spec, progress)
            return
        batch = _Batch()
        for item in self._pages(source.fetch()):
            if isinstance(item, Rejection):
                self._reject(item, spec, progress)
                continue
            self._wait_for(item)
            stored = self._store_page(item)
            if isinstance(stored, Rejection):
                self._reject(stored, spec, progress)
                continue
            if stored is None:  # 304 Not Modified: nothing to read
                self.counts.add("unchanged")
                progress.item_done(spec, "unchanged")
                continue
            batch.items.append(stored)
            if len(batch.items) >= self.options.batch_size:
                self._finish(batch, key, spec, progress)
                batch = _Batch()
        self._finish(batch, key, spec, progress)
        self._drain()

    @staticmethod
    def _pages(items: Iterator[RawPage | Rejection]) -> Iterator[RawPage | Rejection]:
        """The source's items; a source that breaks mid-way ends with a Rejection."""
        try:
            yield from items
        except WestminsterError as exc:
            yield Rejection("read", exc.code, exc.message, exc.subject or "-")

    def _store_page(self, page: RawPage) -> _Item | Rejection | None:
        if page.status == 304:
            return None
        raw_sha = hashlib.sha256(page.content).hexdigest()
        known = page_article_id(page)
        if known is not None and known in self._raw and self._raw[known] == raw_sha:
            # Stored before from the same bytes; only analysis may be missing (a killed run).
            wants = self._wants(known)
            stored = self.store.get_article(known).article if wants else None
            result = PutResult(known, "unchanged", 0)
            return _Item(stored, result, page.record_id, wants, page.source, page.fetched_at)
        options = ArticleOptions(fill_published=False, outlet_filter=self.outlet_filter)
        try:
            article = to_article(page, options, hints=True)
        except WestminsterError as exc:
            where = page.url or page.source
            if page.record_id:
                where = f"{page.source}#{page.record_id}"
            return Rejection("extract", exc.code, exc.message, where)
        try:
            result = self.store.put_article(article, raw_sha256=raw_sha, fetched_at=page.fetched_at)
        except StoreError as exc:
            return Rejection("store", exc.code, exc.message, page.url or page.source)
        self._raw[result.article_id] = raw_sha
        fresh = result.status != "unchanged"
        if fresh:
            self._analysed.discard(result.article_id)  # a new version drops the old analysis
            if article.outlet:
                self.outlet_filter.observe(article.outlet, result.article_id, lines_of(article))
        wants = self._wants(result.article_id)
        return _Item(article, result, page.record_id, wants, page.source, page.fetched_at)

    def _wants(self, aid: str) -> bool:
        """Whether an article still needs analysing in this run."""
        return self.options.analyse and aid not in self._analysed

    def _finish(self, batch: _Batch, key: str | None, spec: str, progress: Progress) -> None:
        """Analyse, dedupe and link a batch, then mark its archive records as done.

        With a pool, the batch's analysis is submitted and the rest happens once it is done,
        batches finishing in the order they were read.
        """
        if not batch.items:
            return
        wanted = [
            n for n, item in enumerate(batch.items) if item.analyse and item.article is not None
        ]
        if self._pool is None:
            results = self._analyse_now(batch, wanted)
            self._complete(batch, wanted, results, key, spec, progress)
            return
        future = self._pool.submit(_articles(batch, wanted), today=self.options.today)
        self._pending.append(_Pending(batch, wanted, key, spec, progress, future))
        self._in_flight.update(item.result.article_id for item in batch.items)
        while len(self._pending) > self._pool.processes * CHUNKS_AHEAD_PER_WORKER:
            self._complete_oldest()

    def _complete(
        self,
        batch: _Batch,
        wanted: list[int],
        results: list[Analysis | Rejection],
        key: str | None,
        spec: str,
        progress: Progress,
    ) -> None:
        """Store a batch's analyses, dedupe and link it, and mark its records as done."""
        analyses = self._store_analyses(batch, wanted, results, spec, progress)
        for n, item in enumerate(batch.items):
            aid = item.result.article_id
            outcome: str = item.result.status
            verdict = None
            if item.article is not None:
                verdict = self.dedupe.add(aid, item.article, analyses.get(n))
            if verdict is not None and verdict.kind != "new" and outcome == "new":
                outcome = LINK_OF[verdict.kind]
            self._to_story(aid, item, analyses.get(n), verdict)
            self.counts.add(outcome)
            progress.item_done(spec, outcome)
        self.dedupe.flush()  # the batch's index states, in one transaction
        # The batch's stories, in one transaction, before its records are marked done.
        self.stories.commit()
        if key is not None:
            marks = [(i.record_id, i.result.article_id) for i in batch.items if i.record_id]
            self.store.mark_records(key, marks)
        self.validators.commit(i.source for i in batch.items if i.source)

    def _to_story(
        self, aid: str, item: _Item, analysis: Analysis | None, verdict: Verdict | None
    ) -> None:
        """Queue an article for its story; a copy joins its original's."""
        original = None
        if verdict is not None:
            original = verdict.of if verdict.kind in LINK_OF else None
            for member, kind in verdict.displaced:
                if kind in LINK_OF:
                    self.stories.relink(member, aid)
        self.stories.add(aid, item.article, analysis, fetched_at=item.fetched_at, copy_of=original)

    def _analyse_now(self, batch: _Batch, wanted: list[int]) -> list[Analysis | Rejection]:
        """Analyse the batch's wanted items in this process."""
        if not wanted:
            return []
        if self._analyzer is None:
            self._analyzer = self._make_analyzer()
        return self._analyzer.analyse_batch(_articles(batch, wanted), today=self.options.today)

    def _store_analyses(
        self,
        batch: _Batch,
        wanted: list[int],
        results: list[Analysis | Rejection],
        spec: str,
        progress: Progress,
    ) -> dict[int, Analysis]:
        """Store each article's analysis; return the analyses by position in the batch."""
        # A page seen twice in one batch (updated in between) has two versions here: each
        # version's analysis serves its own dedupe, as with smaller batches, but the store
        # takes the latest version's analysis only.
        latest = {batch.items[n].result.article_id: n for n in wanted}
        out: dict[int, Analysis] = {}
        for n, result in zip(wanted, results, strict=True):
            if isinstance(result, Rejection):
                self._reject(result, spec, progress, count=False)
                continue
            out[n] = result
            aid = batch.items[n].result.article_id
            if latest[aid] == n:
                self.store.put_analysis(aid, result)
                self._analysed.add(aid)
        return out

    # -- analysis on a process pool --------------------------------------------------------

    @contextmanager
    def _analysis_pool(self) -> Iterator[None]:
        """A pool of analysis workers for one run, when more than one process is asked for."""
        if self.options.processes <= 1 or not self.options.analyse:
            yield
            return
        self._pool = AnalysisPool(self.options.processes, self.options.model)
        try:
            yield
        finally:
            # A run that stopped early leaves its pending batches unmarked: the next run
            # redoes them, as after a kill.
            self._pool.close()
            self._pool = None
            self._pending.clear()
            self._in_flight.clear()

    def _complete_oldest(self) -> None:
        done = self._pending.pop(0)
        self._complete(
            done.batch, done.wanted, done.results.result(), done.key, done.spec, done.progress
        )
        self._in_flight.difference_update(item.result.article_id for item in done.batch.items)

    def _drain(self) -> None:
        """Finish every pending batch, in order."""
        while self._pending:
            self._complete_oldest()

    def _wait_for(self, page: RawPage) -> None:
        """Finish pending batches first when one may hold the page's article.

        Storing a page whose article is still being analysed would let the old analysis land
        on the new version and decide `_wants` before the first analysis is recorded; waiting
        keeps the result what one process would have stored. A page keyed by its text (no URL
        or path) cannot be checked before cleaning, so everything pending is finished first.
        """
        if not self._pending:
            return
        aid = page_article_id(page)
        if aid is None or aid in self._in_flight:
            self._drain()

    # -- rejections ------------------------------------------------------------------------

    def _reject(
        self, rejection: Rejection, spec: str, progress: Progress, *, count: bool = True
    ) -> None:
        self.store.record_rejection(self._run_id, rejection)
        if count:
            self.counts.add("rejected")
            progress.item_done(spec, "rejected")
