"""The ingest session's story stage: each stored article joins a story, recorded with the engine.

Articles are queued as their batch completes (stored, analysed, dedupe-linked) and assigned
when the batch is committed, in publication order (undated ones at their fetch time). A
duplicate or rewrite joins its original's story without counting as independent coverage and
without touching the engine. Each commit stores the batch's members, merges and the engine's
changes in one transaction, before the batch's records are marked done, so a killed run loses
nothing: the next session restores the engine as of the last commit and assigns the articles
stored since without a story (`observe` and `repair`), in the order they were published.

When the engine splits a story (stories/split.py), the moved articles go to the new story in the
same transaction; what each had added stays as recorded. The novelty tracker forgets both
stories and reloads them from the store when an article next joins one: approximate within a
batch (its uncommitted members are not reloaded, so an addition may count as new twice).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, time

from westminster.errors import DataError
from westminster.models import Analysis, Article, Rejection
from westminster.models.story import StoryMerge
from westminster.store import Store, StoredArticle, StoreError
from westminster.store.story_rows import EngineState, StoryBatch, StoryMember, StorySplit, utc
from westminster.stories import StoryEngine
from westminster.stories.developments import Contribution, Novelty, contribution
from westminster.stories.engine import Checkpoint

# Articles a repair assigns between commits (as many as an ingest batch holds).
REPAIR_CHUNK = 64
# Stories whose additions are kept in memory at most; past this the cache starts again and
# stories are reloaded from the store as articles join them (a long `watch` stays bounded).
NOVELTY_CACHE = 20_000


@dataclass(frozen=True)
class _Queued:
    article_id: str
    article: Article | None  # None: read from the store when it is assigned
    analysis: Analysis | None
    seen_at: datetime
    copy_of: str | None
    position: int


def seen_at(article: Article, fetched_at: datetime | None, now: datetime | None = None) -> datetime:
    """When the story saw the article: its publication day, else its fetch time, else now."""
    if article.published is not None:
        return datetime.combine(article.published, time(), tzinfo=UTC)
    if fetched_at is not None:
        return utc(fetched_at)
    return now or datetime.now(UTC)


class StoryStage:
    """Assigns an ingest session's articles to stories and stores them with the engine state."""

    def __init__(
        self,
        store: Store,
        rejected: Callable[[Rejection], None],
        *,
        engine: Callable[[], StoryEngine] = StoryEngine,
    ) -> None:
        self.store = store
        self._rejected = rejected  # a batch the store refuses is recorded; the run goes on
        self._new_engine = engine
        self.engine = engine()
        self.novelty = Novelty()
        self._fresh = True  # the engine did not come from the store: replace its stored state
        self._assigned: set[str] = set()
        self._unanalysed: set[str] = set()  # in a story, additions computed without analysis
        self._queue: list[_Queued] = []
        self._splits: list[StorySplit] = []  # the engine's splits while a queue is assigned
        self._copies: list[tuple[str, str]] = []
        self._refreshes: list[StoryMember] = []
        self._unsaved: Checkpoint | None = None  # engine changes of a batch the store refused
        self._unassigned: list[tuple[datetime, int, str]] = []  # seen by `observe`
        self._started = False

    # -- the store's state -----------------------------------------------------------------

    def start(self) -> None:
        """Restore the engine from its saved state and learn which articles have a story."""
        if self._started:
            return
        self._started = True
        saved = self.store.load_story_engine()
        if saved is not None:
            try:
                self.engine = StoryEngine.restore(
                    saved.header, saved.stories.values(), saved.frequencies.items()
                )
                self._fresh = False
            except DataError as exc:
                # An older format or a damaged state: the engine starts afresh (stored
                # stories stay; new articles start new ones) and the reason is on record.
                self._rejected(Rejection("stories", exc.code, exc.message, "story engine"))
                self.engine = self._new_engine()
        self._assigned = self.store.story_article_ids()
        self._unanalysed = self.store.story_article_ids(analysed=False)

    def observe(self, stored: StoredArticle) -> None:
        """Note a stored article without a story (a killed run, or stored before stories)."""
        if stored.id not in self._assigned:
            when = seen_at(stored.article, stored.fetched_at, stored.first_seen)
            self._unassigned.append((when, len(self._unassigned), stored.id))

    def repair(self) -> None:
        """Assign the articles `observe` found without a story, in publication order."""
        pending = sorted(self._unassigned)
        self._unassigned.clear()
        for start in range(0, len(pending), REPAIR_CHUNK):
            for _, _, aid in pending[start : start + REPAIR_CHUNK]:
                self.add(aid, None, None)
            self.commit()

    # -- one batch -------------------------------------------------------------------------

    def add(
        self,
        article_id: str,
        article: Article | None,
        analysis: Analysis | None,
        *,
        fetched_at: datetime | None = None,
        copy_of: str | None = None,
    ) -> None:
        """Queue an article for the next commit (one already in a story is skipped).

        An article in a story whose additions were computed without an analysis gets them
        now, when `analysis` is given. `article` None: read from the store at commit.
        """
        if article_id in self._assigned:
            if analysis is not None and article_id in self._unanalysed:
                self._refresh(article_id, analysis)
            return
        if any(q.article_id == article_id for q in self._queue):
            return  # the same page twice in a batch: its first version decides
        when = seen_at(article, fetched_at) if article is not None else datetime.now(UTC)
        queued = _Queued(article_id, article, analysis, when, copy_of, len(self._queue))
        self._queue.append(queued)

    def relink(self, article_id: str, original_id: str) -> None:
        """An article already placed turned out to be a copy of a later one: not independent."""
        self._copies.append((article_id, original_id))

    def commit(self) -> None:
        """Assign the queued articles and store members, merges and engine state together."""
        if not self._queue and not self._copies and not self._refreshes:
            return
        members, merges, splits = self._assign_queue()
        members.extend(self._refreshes)
        now = datetime.now(UTC)
        checkpoint = _merged(self._unsaved, self.engine.checkpoint())
        self.novelty.forget(checkpoint.dropped)
        if len(self.novelty) > NOVELTY_CACHE:
            self.novelty = Novelty()
        batch = StoryBatch(
            members=tuple(replace(m, added_at=now) for m in members),
            merges=tuple(replace(m, at=now) for m in merges),
            splits=tuple(replace(s, at=now) for s in splits),
            copies=tuple(self._copies),
            engine=EngineState(
                checkpoint.header,
                checkpoint.stories,
                checkpoint.dropped,
                checkpoint.frequencies,
                replace=self._fresh,
            ),
        )
        self._queue.clear()
        self._copies.clear()
        self._refreshes.clear()
        try:
            self.store.put_stories(batch)
        except StoreError as exc:
            # Nothing of the batch is stored; the next session assigns its articles again.
            # The engine's changes go with the next batch, so its saved state stays whole.
            self._unsaved = checkpoint
            self._rejected(Rejection("stories", exc.code, exc.message, exc.subject or "stories"))
            return
        self._unsaved = None
        self._fresh = False
        for member in batch.members:
            self._assigned.add(member.article_id)
            if member.analysed:
                self._unanalysed.discard(member.article_id)
            else:
                self._unanalysed.add(member.article_id)

    # -- assigning -------------------------------------------------------------------------

    def _assign_queue(self) -> tuple[list[StoryMember], list[StoryMerge], list[StorySplit]]:
        """Originals in publication order, then copies (each after its own original)."""
        members: list[StoryMember] = []
        merges: list[StoryMerge] = []
        self._splits = []
        batch_story: dict[str, str] = {}
        loaded = [self._loaded(q) for q in self._queue]
        items = sorted((q for q in loaded if q is not None), key=lambda q: (q.seen_at, q.position))
        for item in (q for q in items if q.copy_of is None):
            members.append(self._place(item, batch_story, merges))
        copies = [q for q in items if q.copy_of is not None]
        while copies:
            waiting = {q.article_id for q in copies}
            later = [q for q in copies if q.copy_of in waiting and q.copy_of != q.article_id]
            ready = [q for q in copies if q not in later] or later  # a loop: place them anyway
            for item in ready:
                members.append(self._place(item, batch_story, merges))
            copies = [q for q in copies if q not in ready]
        return members, merges, self._splits

    def _loaded(self, queued: _Queued) -> _Queued | None:
        """The queued article with its text, analysis and links (read from the store if needed)."""
        if queued.article is not None:
            return queued
        try:
            stored = self.store.get_article(queued.article_id)
        except StoreError as exc:
            self._rejected(Rejection("stories", exc.code, exc.message, queued.article_id))
            return None
        return replace(
            queued,
            article=stored.article,
            analysis=queued.analysis or stored.analysis,
            seen_at=seen_at(stored.article, stored.fetched_at, stored.first_seen),
            copy_of=queued.copy_of or stored.duplicate_of or stored.rewrite_of,
        )

    def _story_of(self, article_id: str, batch_story: dict[str, str]) -> str | None:
        story = batch_story.get(article_id) or self.store.story_of(article_id)
        return None if story is None else self.engine.resolve(story)

    def _place(
        self, item: _Queued, batch_story: dict[str, str], merges: list[StoryMerge]
    ) -> StoryMember:
        """One article into its story: its original's for a copy, else the engine's choice."""
        assert item.article is not None
        original = self._story_of(item.copy_of, batch_story) if item.copy_of else None
        evidence: tuple[str, ...]
        split: tuple[str, tuple[str, ...]] | None = None
        if original is not None:
            story_id, score, created, reason = original, 1.0, False, None
            evidence = (f"copy of {item.copy_of}",)
        else:
            fetched = item.seen_at.date() if item.article.published is None else None
            assignment = self.engine.add(
                item.article_id, item.article, item.analysis, fetched=fetched
            )
            story_id, created, reason = assignment.story_id, assignment.created, assignment.reason
            score = 1.0 if created else assignment.score
            evidence = assignment.evidence
            split = assignment.split
            for merged, cosine in zip(assignment.merged, assignment.merge_scores, strict=True):
                self._seed(merged)
                self._seed(story_id)
                self.novelty.merge(story_id, merged)
                merges.append(StoryMerge(merged, story_id, item.seen_at, cosine))
        batch_story[item.article_id] = story_id
        if not created:
            self._seed(story_id)
        added = self.novelty.add(story_id, contribution(item.article_id, item.analysis))
        if split is not None:
            new_id, moved = split
            self._splits.append(StorySplit(story_id, new_id, moved, item.seen_at, len(merges)))
            # Forgotten: reloaded from the store when an article next joins either.
            self.novelty.forget((story_id, new_id))
            for article_id in moved:
                if article_id in batch_story:
                    batch_story[article_id] = new_id
            if item.article_id in moved:
                story_id = new_id
        return StoryMember(
            article_id=item.article_id,
            story_id=story_id,
            score=float(score),
            added_at=item.seen_at,  # replaced by the commit time
            seen_at=item.seen_at,
            independent=item.copy_of is None,
            copy_of=item.copy_of,
            created=created,
            reason=reason,
            evidence=tuple(evidence),
            analysed=item.analysis is not None,
            new_people=added.people,
            new_figures=added.figures,
            new_quotes=added.quotes,
        )

    def _seed(self, story_id: str) -> None:
        """Load what a story's stored articles added, once per story tracked."""
        if story_id in self.novelty:
            return
        earlier = [
            Contribution(m.new_people, m.new_figures, m.new_quotes)
            for m in self.store.story_members(story_id)
        ]
        self.novelty.seed(story_id, earlier)

    def _refresh(self, article_id: str, analysis: Analysis) -> None:
        """Additions for an article placed before it was analysed."""
        story_id = self.store.story_of(article_id)
        if story_id is None:
            return
        story_id = self.engine.resolve(story_id)
        self._seed(story_id)
        added = self.novelty.add(story_id, contribution(article_id, analysis))
        now = datetime.now(UTC)
        # Stored with the batch: an existing member only takes the additions (store rule).
        self._refreshes.append(
            StoryMember(
                article_id,
                story_id,
                0.0,
                now,
                now,
                analysed=True,
                new_people=added.people,
                new_figures=added.figures,
                new_quotes=added.quotes,
            )
        )
        self._unanalysed.discard(article_id)


def _merged(earlier: Checkpoint | None, later: Checkpoint) -> Checkpoint:
    """One checkpoint with the changes of both (the later wins where both changed)."""
    if earlier is None:
        return later
    stories = {k: v for k, v in earlier.stories.items() if k not in later.dropped}
    stories.update(later.stories)
    dropped = tuple(sorted((set(earlier.dropped) | set(later.dropped)) - set(stories)))
    return Checkpoint(later.header, stories, dropped, {**earlier.frequencies, **later.frequencies})
