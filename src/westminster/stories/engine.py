"""The incremental story engine: each new article joins an active story or starts one.

Stories that turn out to be one are merged (see MERGE_THRESHOLD); the older story survives, so
ids stay stable. The state persists between runs through `checkpoint` and `restore`: only what
changed since the last checkpoint is exported, as bytes (state.py) and feature counts.
"""

from __future__ import annotations

import hashlib
import heapq
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from westminster.models import Analysis, Article
from westminster.stories.features import article_features
from westminster.stories.index import StoryIndex
from westminster.stories.scoring import story_score
from westminster.stories.split import MAX_SPLIT_MEMBERS, SPLIT_CHECK_SIZES, split_groups
from westminster.stories.state import (
    EngineHeader,
    StoryEntry,
    StoryMemberVector,
    decode_header,
    decode_story,
    encode_header,
    encode_story,
)
from westminster.stories.vectors import DocumentFrequencies, Vector, add_into, dot, top, weigh

# An article joins the best candidate story when its score (scoring.py: the cosine with the
# story's centroid blended with name and figure cosines, less a year clash; after time decay)
# reaches this; otherwise it starts a story. Tuned on the ECB+ tuning topics (odd positions in
# numeric topic order; evaluation/clustering.py), mean B-cubed F1 over file order and seven
# seeded shuffles: 0.885 at 0.20, 0.894 at 0.225, 0.895 at 0.25, 0.890 at 0.275, 0.877 at
# 0.30 (docs/clustering-notes.md). Held-out topics are reported apart.
JOIN_THRESHOLD = 0.25
# Similarity halves for every this many days between an article and a story's latest article:
# follow-ups a day later keep 90 %, a fortnight later a quarter. Not tunable on ECB+ (no
# dates); one week is the news cycle over which UK political stories run.
HALF_LIFE_DAYS = 7.0
# A story with no new article for this long leaves the index (decay has cut any score to an
# eighth by then, below any join): the index holds only active stories, so the cost per
# article does not grow with the archive.
EXPIRY_DAYS = 21.0
# The article's heaviest features that query the index, and the most candidates then scored:
# together they bound the work per article (QUERY_FEATURES postings, CANDIDATES cosines).
QUERY_FEATURES = 24
CANDIDATES = 24
# A story's centroid keeps its heaviest features only, and the heaviest of those index it.
CENTROID_FEATURES = 200
INDEX_FEATURES = 32
# A feature posted by more active stories than this is common vocabulary and retrieves none.
MAX_POSTINGS = 2_000
# Features carried by more than this share of all articles do not query the index ("said",
# "government"): they would retrieve every story and prove nothing.
COMMON_SHARE = 0.2
COMMON_MIN_DOCS = 50  # ... once enough articles are seen for a share to mean "common"
EVIDENCE_FEATURES = 5
# Two active stories merge when one article joins both (it reaches the join threshold with
# each, after decay) and the two stories' centroids have at least this cosine with each other:
# the article is evidence that they are one event, the centroid cosine that they are not two
# events of one topic which the article merely mentions together. The older story survives.
# Measured on the ECB+ tuning topics (evaluation/clustering.py, labels resolved through merges)
# over 0.3-0.7: every merge at 0.3-0.4 and the one at 0.5 joined the two events of a topic
# (B-cubed F1 0.907 -> 0.838 at 0.3, 0.905 at 0.5, shuffled order); from 0.6 none fires there,
# so merges are kept to stories nearly alike (split by decay, or missed by the index).
# Rechecked with scoring.py's blend (mean of file order and four shuffles, tuning topics, join
# at 0.25): 0.4: 0.883, 0.5: 0.890, 0.6: 0.894, 0.7: 0.891, no merging: 0.891.
MERGE_THRESHOLD = 0.6


@dataclass(frozen=True)
class Assignment:
    """Where one article went: its story, whether the story is new, the score and why."""

    story_id: str
    created: bool
    score: float  # cosine with the joined story after decay; best rejected score when created
    evidence: tuple[str, ...] = ()  # shared heaviest features, or the reason it stands alone
    reason: str | None = None  # "empty", "not-english": why it could not join any story
    merged: tuple[str, ...] = ()  # stories this article showed to be `story_id`, merged into it
    merge_scores: tuple[float, ...] = ()  # each merged story's centroid cosine, as `merged`
    # After this article joined, `story_id` split (split.py): (the new story's id, the articles
    # that moved to it, possibly this one). The older group keeps `story_id`.
    split: tuple[str, tuple[str, ...]] | None = None


@dataclass(frozen=True)
class Checkpoint:
    """What changed in the engine since the last checkpoint, ready to store."""

    header: bytes  # state.encode_header: article count, clock, next serial
    stories: dict[str, bytes]  # active stories changed, by id (state.encode_story)
    dropped: tuple[str, ...]  # stories that left the engine (expired or merged away)
    frequencies: dict[str, int]  # document counts of the features counted since


@dataclass
class _Story:
    story_id: str
    centroid: Vector = field(default_factory=dict)  # sum of member unit vectors, truncated
    norm: float = 0.0
    size: int = 0
    last_day: float | None = None
    indexed: tuple[str, ...] = ()
    first_day: float | None = None
    serial: int = 0  # creation order: the older of two stories of one day survives a merge
    # The first MAX_SPLIT_MEMBERS members (article id, unit vector, day), for the split check.
    members: list[StoryMemberVector] = field(default_factory=list)

    def age(self) -> tuple[bool, float, int]:
        """Sort key, oldest first (stories without a day count as youngest)."""
        return (self.first_day is None, self.first_day or 0.0, self.serial)


def story_id_for(article_id: str) -> str:
    """A story's id: derived from its first article's id, so re-runs give the same ids."""
    return "s-" + hashlib.sha1(article_id.encode("utf-8")).hexdigest()[:12]


def _decay(article_day: float | None, story_day: float | None) -> float:
    if article_day is None or story_day is None:
        return 1.0
    return float(2.0 ** (-abs(article_day - story_day) / HALF_LIFE_DAYS))


class StoryEngine:
    """Assigns articles, in publication order, to stories without re-clustering the archive."""

    def __init__(
        self,
        *,
        join_threshold: float = JOIN_THRESHOLD,
        decay: bool = True,
        merge_threshold: float | None = MERGE_THRESHOLD,
    ) -> None:
        self.join_threshold = join_threshold
        self.decay = decay  # False: ignore dates (data sets without them, e.g. ECB+)
        self.merge_threshold = merge_threshold  # None: never merge stories
        self.frequencies = DocumentFrequencies()
        self.index = StoryIndex(MAX_POSTINGS)
        self.stories: dict[str, _Story] = {}  # active stories only
        self.assigned: dict[str, str] = {}  # article id -> story id, for every article seen
        self.clock: float | None = None  # latest publication day seen (stands in for "now")
        self._expiry: list[tuple[float, str]] = []  # (last day, story id), lazily checked
        self.merged_into: dict[str, str] = {}  # merged story id -> the story it went into
        self._serial = 0
        # What changed since the last checkpoint.
        self._changed: set[str] = set()
        self._dropped: set[str] = set()
        self._counted: set[str] = set()

    def add(
        self,
        article_id: str,
        article: Article,
        analysis: Analysis | None = None,
        *,
        fetched: date | None = None,
    ) -> Assignment:
        """Assign one article; an undated one is placed at its fetch time, else at the clock."""
        if article_id in self.assigned:  # re-running the same input changes nothing
            story_id = self.resolve(self.assigned[article_id])
            return Assignment(story_id, False, 1.0, ("already assigned",))
        when = article.published or fetched
        day = float(when.toordinal()) if when is not None and self.decay else None
        if day is None and self.decay:
            day = self.clock
        if day is not None:
            self.clock = day if self.clock is None else max(self.clock, day)
            self._expire()
        found = article_features(article, analysis)
        if found.reason is not None:
            # Nothing comparable: a story of its own, kept out of the index.
            story_id = story_id_for(article_id)
            self.assigned[article_id] = story_id
            return Assignment(story_id, True, 0.0, (found.reason,), reason=found.reason)
        self.frequencies.add(found.counts)
        self._counted.update(found.counts)
        vector = weigh(found.counts, self.frequencies)
        ranked = self._ranked(vector, day)
        best, best_score = ranked[0] if ranked else (None, 0.0)
        merged: list[tuple[str, float]] = []
        if best is not None and best_score >= self.join_threshold:
            story, created = best, False
            story, merged = self._merge_bridged(best, ranked[1:])
        else:
            story = _Story(story_id_for(article_id), first_day=day, serial=self._serial)
            created = True
            self._serial += 1
            self.stories[story.story_id] = story
        evidence = self._evidence(vector, story) if not created else ()
        self._update(story, vector, day)
        self.assigned[article_id] = story.story_id
        if len(story.members) < MAX_SPLIT_MEMBERS:
            story.members.append(StoryMemberVector(article_id, vector, day))
        split = None
        if not created and len(story.members) in SPLIT_CHECK_SIZES:
            split = self._split(story)
        return Assignment(
            story.story_id,
            created,
            round(best_score, 4),
            evidence,
            merged=tuple(m for m, _ in merged),
            merge_scores=tuple(s for _, s in merged),
            split=split,
        )

    def resolve(self, story_id: str) -> str:
        """The story a story id now leads to (itself unless it was merged away)."""
        while story_id in self.merged_into:
            story_id = self.merged_into[story_id]
        return story_id

    def _query(self, vector: Vector) -> dict[str, float]:
        common = self.frequencies.docs >= COMMON_MIN_DOCS
        usable = {
            f: w
            for f, w in vector.items()
            if not (common and self.frequencies.share(f) > COMMON_SHARE)
        }
        return top(usable, QUERY_FEATURES)

    def _ranked(self, vector: Vector, day: float | None) -> list[tuple[_Story, float]]:
        """Candidate stories scoring above zero, best first (ties by id).

        The article joins the first when it reaches the join threshold; the others it also
        reaches are checked for a merge.
        """
        scored: list[tuple[_Story, float]] = []
        for story_id in self.index.candidates(self._query(vector), CANDIDATES):
            story = self.stories[story_id]
            if not story.norm:
                continue
            score = story_score(vector, story.centroid, story.norm) * _decay(day, story.last_day)
            if score > 0.0:
                scored.append((story, score))
        scored.sort(key=lambda item: (-item[1], item[0].story_id))
        return scored

    # -- merging ---------------------------------------------------------------------------

    def _merge_bridged(
        self, best: _Story, others: list[tuple[_Story, float]]
    ) -> tuple[_Story, list[tuple[str, float]]]:
        """Merge `best` with the other stories the article also joins and that resemble it.

        Returns the surviving (oldest) story and the (id, centroid cosine) of each story merged
        into it.
        """
        if self.merge_threshold is None:
            return best, []
        cosines: dict[str, float] = {}
        for other, score in others:
            if score < self.join_threshold:
                break  # ranked best first: no later candidate reaches the threshold either
            cosine = _cosine(best, other)
            if cosine >= self.merge_threshold:
                cosines[other.story_id] = cosine
        if not cosines:
            return best, []
        group = [best, *(other for other, _ in others if other.story_id in cosines)]
        group.sort(key=_Story.age)
        survivor = group[0]
        merged = []
        for other in group[1:]:
            # The cosine with `best` is the evidence; best itself gives its cosine to the
            # survivor (measured before any centroid changed).
            score = cosines[other.story_id] if other is not best else cosines[survivor.story_id]
            self._absorb(survivor, other)
            merged.append((other.story_id, round(score, 4)))
        return survivor, merged

    def _absorb(self, survivor: _Story, other: _Story) -> None:
        """Fold `other` into `survivor`: centroids add up; `other` leaves the index."""
        add_into(survivor.centroid, other.centroid)
        survivor.centroid = top(survivor.centroid, CENTROID_FEATURES)
        survivor.norm = sum(v * v for v in survivor.centroid.values()) ** 0.5
        survivor.size += other.size
        room = MAX_SPLIT_MEMBERS - len(survivor.members)
        survivor.members.extend(other.members[: max(0, room)])
        survivor.last_day = _latest(survivor.last_day, other.last_day)
        if survivor.first_day is not None and other.first_day is not None:
            survivor.first_day = min(survivor.first_day, other.first_day)
        if survivor.last_day is not None:
            heapq.heappush(self._expiry, (survivor.last_day, survivor.story_id))
        self.index.remove(other.story_id, other.indexed)
        del self.stories[other.story_id]
        self.merged_into[other.story_id] = survivor.story_id
        self._changed.add(survivor.story_id)
        self._changed.discard(other.story_id)
        self._dropped.add(other.story_id)

    # -- splitting ---------------------------------------------------------------------------

    def _split(self, story: _Story) -> tuple[str, tuple[str, ...]] | None:
        """Cut `story` in two when its members form two unlike groups (split.py).

        Only called while every member is kept (fewer than MAX_SPLIT_MEMBERS before this
        join), so the two groups are the whole story.
        """
        groups = split_groups([m.vector for m in story.members])
        if groups is None:
            return None
        kept = [story.members[i] for i in groups[0]]
        leaving = [story.members[i] for i in groups[1]]
        new_id = story_id_for(leaving[0].article_id)
        if new_id in self.stories:
            return None  # cannot happen with distinct article ids; never clobber a story
        self.merged_into.pop(new_id, None)
        fresh = _Story(new_id, serial=self._serial)
        self._serial += 1
        self.stories[new_id] = fresh
        self._dropped.discard(new_id)
        self._rebuild(story, kept)
        self._rebuild(fresh, leaving)
        moved = tuple(m.article_id for m in leaving)
        for article_id in moved:
            self.assigned[article_id] = new_id
        return new_id, moved

    def _rebuild(self, story: _Story, members: list[StoryMemberVector]) -> None:
        """The story's centroid, size, days and index entry from these members alone."""
        centroid: Vector = {}
        for member in members:
            add_into(centroid, member.vector)
        story.centroid = top(centroid, CENTROID_FEATURES)
        story.norm = sum(v * v for v in story.centroid.values()) ** 0.5
        story.size = len(members)
        story.members = list(members)
        days = [m.day for m in members if m.day is not None]
        story.first_day = min(days) if days else None
        story.last_day = max(days) if days else None
        if story.last_day is not None:
            heapq.heappush(self._expiry, (story.last_day, story.story_id))
        self._reindex(story)

    def _reindex(self, story: _Story) -> None:
        """Index the story under its centroid's heaviest features; mark it for the checkpoint."""
        keys = tuple(top(story.centroid, INDEX_FEATURES))
        self.index.remove(story.story_id, set(story.indexed) - set(keys))
        self.index.add(story.story_id, set(keys) - set(story.indexed))
        story.indexed = keys
        self._changed.add(story.story_id)

    def _evidence(self, vector: Vector, story: _Story) -> tuple[str, ...]:
        shared = [(w * story.centroid[f], f) for f, w in vector.items() if f in story.centroid]
        shared.sort(key=lambda item: (-item[0], item[1]))
        return tuple(f for _, f in shared[:EVIDENCE_FEATURES])

    def _update(self, story: _Story, vector: Vector, day: float | None) -> None:
        add_into(story.centroid, vector)
        story.centroid = top(story.centroid, CENTROID_FEATURES)
        story.norm = sum(v * v for v in story.centroid.values()) ** 0.5
        story.size += 1
        if day is not None:
            story.last_day = day if story.last_day is None else max(story.last_day, day)
            heapq.heappush(self._expiry, (story.last_day, story.story_id))
        self._reindex(story)

    def _expire(self) -> None:
        """Drop stories idle for EXPIRY_DAYS from the index and from memory."""
        assert self.clock is not None
        while self._expiry and self.clock - self._expiry[0][0] > EXPIRY_DAYS:
            last_day, story_id = heapq.heappop(self._expiry)
            story = self.stories.get(story_id)
            if story is None or story.last_day != last_day:
                continue  # a stale entry: the story was updated since, or already gone
            self.index.remove(story_id, story.indexed)
            del self.stories[story_id]
            self._changed.discard(story_id)
            self._dropped.add(story_id)

    @property
    def active(self) -> int:
        """Number of stories still open to new articles."""
        return len(self.stories)

    # -- persistence -----------------------------------------------------------------------

    def checkpoint(self) -> Checkpoint:
        """What changed since the last checkpoint (everything, the first time), as bytes."""
        header = EngineHeader(self.frequencies.docs, self.clock, self._serial)
        stories = {
            story_id: encode_story(_entry(self.stories[story_id]))
            for story_id in sorted(self._changed)
            if story_id in self.stories
        }
        frequencies = {f: self.frequencies.df[f] for f in sorted(self._counted)}
        done = Checkpoint(encode_header(header), stories, tuple(sorted(self._dropped)), frequencies)
        self._changed.clear()
        self._dropped.clear()
        self._counted.clear()
        return done

    @classmethod
    def restore(
        cls,
        header: bytes,
        stories: Iterable[bytes],
        frequencies: Iterable[tuple[str, int]],
        *,
        join_threshold: float = JOIN_THRESHOLD,
        decay: bool = True,
        merge_threshold: float | None = MERGE_THRESHOLD,
    ) -> StoryEngine:
        """An engine continuing from stored checkpoints; DataError when they cannot be read."""
        engine = cls(join_threshold=join_threshold, decay=decay, merge_threshold=merge_threshold)
        saved = decode_header(header)
        engine.frequencies.docs = saved.docs
        engine.frequencies.df.update(dict(frequencies))
        engine.clock = saved.clock
        engine._serial = saved.serial
        for data in stories:
            entry = decode_story(data, subject="story engine")
            story = _Story(
                entry.story_id,
                centroid=dict(entry.centroid),
                size=entry.size,
                last_day=entry.last_day,
                indexed=entry.indexed,
                first_day=entry.first_day,
                serial=entry.serial,
                members=list(entry.members),
            )
            story.norm = sum(v * v for v in story.centroid.values()) ** 0.5
            engine.stories[story.story_id] = story
            engine.index.add(story.story_id, story.indexed)
            if story.last_day is not None:
                heapq.heappush(engine._expiry, (story.last_day, story.story_id))
        if engine.clock is not None:
            engine._expire()
        engine._changed.clear()
        engine._counted.clear()
        return engine


def _entry(story: _Story) -> StoryEntry:
    return StoryEntry(
        story_id=story.story_id,
        centroid=story.centroid,
        size=story.size,
        last_day=story.last_day,
        first_day=story.first_day,
        serial=story.serial,
        indexed=story.indexed,
        members=tuple(story.members),
    )


def _cosine(a: _Story, b: _Story) -> float:
    if not a.norm or not b.norm:
        return 0.0
    return dot(a.centroid, b.centroid) / (a.norm * b.norm)


def _latest(a: float | None, b: float | None) -> float | None:
    if a is None:
        return b
    return a if b is None else max(a, b)
