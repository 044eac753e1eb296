"""An incremental index that says, for each new article, whether it copies or rewrites one seen."""

from __future__ import annotations

import math
from collections import Counter, deque
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date

import numpy as np
from datasketch import MinHash, MinHashLSH

from westminster.dedupe.features import Features, build_features
from westminster.dedupe.similarity import (
    Encoded,
    StorySimilarity,
    Vocabulary,
    sentence_similarity,
    story_similarity,
)
from westminster.dedupe.state import EntryState, Kind, Match, decode_state, encode_state
from westminster.errors import DataError, InputError
from westminster.models import Analysis, Article

# MinHash permutations: 128 gives a Jaccard estimate within about +-0.09 (1/sqrt(128)), enough
# to separate copies (>= 0.5) from same-topic articles (< 0.1 on BBC politics); datasketch's
# default.
NUM_PERM = 128
MINHASH_SEED = 1  # fixed, so the same articles give the same verdicts on every run
# Near-duplicate: estimated Jaccard of word 3-shingles at least this. A copy with a paragraph
# dropped keeps about 0.8, a spelling-converted copy about 0.7; different BBC politics
# articles stay under 0.1 (docs/duplicates-eval.md). 0.5 sits between with room both sides.
NEAR_JACCARD = 0.5
# The LSH band threshold is set lower than NEAR_JACCARD so that candidates near the cut are
# retrieved and then judged on the estimate, rather than lost to banding.
LSH_THRESHOLD = 0.4
# Rewrite: story similarity (similarity.py) at least this. Set on ECB+ odd topics, where
# same-event pairs from different outlets score 0.35-0.7 and different-event pairs of the
# same topic mostly under 0.3 (docs/duplicates-eval.md).
REWRITE_SCORE = 0.38
# Candidate retrieval for rewrites: the article's rarest keys only, each posting list holding
# only the latest entries, and the best few candidates confirmed. These bound the per-article
# cost whatever the archive size (keys x postings + candidates x sentence matrix).
QUERY_KEYS = 24
POSTINGS_PER_KEY = 400
CANDIDATES = 12
# A key seen in more than this share of articles (e.g. "government", "2024") retrieves nothing.
COMMON_KEY_SHARE = 0.2
# ... but only once the index is big enough for that share to mean "common".
COMMON_KEY_MIN_DOCS = 20


@dataclass(frozen=True)
class Verdict:
    """What an article is relative to those already indexed, and the original it points at."""

    kind: Kind
    of: str | None  # the original's id (the earliest published of the group)
    score: float  # 1.0 for exact; Jaccard for near-duplicates; story similarity for rewrites
    evidence: str
    # Articles indexed earlier that now point at this one, which is published earlier than
    # their former original: (id, kind) pairs for the store to relink.
    displaced: tuple[tuple[str, Kind], ...] = ()


@dataclass
class _Entry:
    features: Features  # without shingles and sentence words: only keys and hash are compared
    sentences: Encoded
    published: date | None
    order: int
    match: Match | None  # what it matched when added: replayed to restore the index
    copy: bool  # an exact copy, kept out of the lookup structures
    kind: Kind = "new"
    root: str = ""
    members: list[str] = field(default_factory=list)  # only on roots: ids pointing here


class DuplicateIndex:
    """Exact hashes, MinHash LSH over shingles and an inverted index of rare keys, in memory.

    Verdicts depend only on the articles added so far, so the store can rebuild the index by
    adding its articles again in the order they were first stored, or, faster, by restoring
    each one's exported state in that order.
    """

    def __init__(
        self,
        *,
        near_jaccard: float = NEAR_JACCARD,
        rewrite_score: float = REWRITE_SCORE,
        num_perm: int = NUM_PERM,
    ) -> None:
        self.near_jaccard = near_jaccard
        self.rewrite_score = rewrite_score
        self._template = MinHash(num_perm=num_perm, seed=MINHASH_SEED)
        self._lsh = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=num_perm)
        self._minhashes: dict[str, MinHash] = {}
        self._exact: dict[str, str] = {}
        self._postings: dict[str, deque[str]] = {}
        self._vocabulary = Vocabulary()
        self._key_df: Counter[str] = Counter()
        self._entries: dict[str, _Entry] = {}
        self._verdicts: dict[str, Verdict] = {}

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, article_id: object) -> bool:
        return article_id in self._entries

    def original(self, article_id: str) -> str:
        """The id of the original that `article_id` points at (itself when it is one)."""
        return self._entries[article_id].root

    def add(self, article_id: str, article: Article, analysis: Analysis | None = None) -> Verdict:
        """Index `article` and say whether it duplicates, near-duplicates or rewrites one seen."""
        if article_id in self._verdicts:
            return self._verdicts[article_id]  # adding the same article again changes nothing
        if not article.text.strip():
            raise InputError("has no text to compare", subject=article_id)
        features = build_features(article, analysis)
        minhash = self._minhash(features)
        match = self._exact_match(features) or self._near_match(minhash)
        sentences = self._vocabulary.encode(features.sentences)
        if match is None:
            match = self._rewrite_match(features, sentences)
        copy = match is not None and match[0] == "duplicate"
        # Shingles and sentence words have served; keeping them would cost memory per article.
        slim = replace(features, shingles=frozenset(), sentences=())
        entry = _Entry(slim, sentences, article.published, len(self._entries), match, copy)
        return self._insert(article_id, entry, None if copy else minhash)

    def export_entry(self, article_id: str) -> bytes:
        """The indexed article's state as bytes, for `restore_entry` in a later session."""
        entry = self._entries.get(article_id)
        if entry is None:
            raise InputError("is not in the duplicate index", subject=article_id)
        minhash = self._minhashes.get(article_id) if not entry.copy else None
        words, word_ids = self._vocabulary.local_words(entry.sentences)
        return encode_state(
            EntryState(
                exact=entry.features.exact,
                keys=tuple(sorted(entry.features.keys)),
                analysed=entry.features.analysed,
                published=entry.published,
                match=entry.match,
                copy=entry.copy,
                hashvalues=np.empty(0) if minhash is None else minhash.hashvalues,
                words=words,
                indptr=entry.sentences.indptr,
                word_ids=word_ids,
            )
        )

    def restore_entry(self, article_id: str, state: bytes) -> Verdict:
        """Index an article from its exported state, without its text: the verdict it had.

        Restoring every article's state in the order they were added gives the index (and
        the verdicts on articles added next) that adding the articles again would give.
        Raises DataError for a state that cannot be read or whose original is not indexed.
        """
        if article_id in self._verdicts:
            return self._verdicts[article_id]
        loaded = decode_state(state, subject=article_id)
        if loaded.match is not None and loaded.match[1] not in self._entries:
            raise DataError(
                f"its original {loaded.match[1]} is not in the duplicate index",
                subject=article_id,
                fix="restore articles in the order they were added",
            )
        minhash = None
        if not loaded.copy:
            if len(loaded.hashvalues) != self._template.num_perm:
                raise DataError(
                    f"state has {len(loaded.hashvalues)} MinHash values, the index"
                    f" {self._template.num_perm}",
                    subject=article_id,
                )
            minhash = MinHash(
                seed=self._template.seed,
                hashvalues=loaded.hashvalues,
                permutations=self._template.permutations,
                scheme=self._template.scheme,
            )
        sentences = self._vocabulary.encode_local(loaded.words, loaded.indptr, loaded.word_ids)
        features = Features(loaded.exact, frozenset(), frozenset(loaded.keys), (), loaded.analysed)
        order = len(self._entries)
        entry = _Entry(features, sentences, loaded.published, order, loaded.match, loaded.copy)
        return self._insert(article_id, entry, minhash)

    def add_many(self, items: Iterable[tuple[str, Article, Analysis | None]]) -> list[Verdict]:
        """Add articles in the order given (publication order gives the truest originals)."""
        return [self.add(article_id, article, analysis) for article_id, article, analysis in items]

    # --- matching -------------------------------------------------------------------------

    def _minhash(self, features: Features) -> MinHash:
        minhash = self._template.copy()
        minhash.clear()
        minhash.update_batch([s.encode("utf-8") for s in sorted(features.shingles)])
        return minhash

    def _exact_match(self, features: Features) -> Match | None:
        if features.exact not in self._exact:
            return None
        return "duplicate", self._exact[features.exact], 1.0, "same normalised text"

    def _near_match(self, minhash: MinHash) -> Match | None:
        best: tuple[float, int, str] | None = None
        for candidate in self._lsh.query(minhash):
            jaccard = minhash.jaccard(self._minhashes[candidate])
            order = self._entries[candidate].order
            if jaccard >= self.near_jaccard and (best is None or (jaccard, -order) > best[:2]):
                best = (jaccard, -order, candidate)
        if best is None:
            return None
        jaccard, _, candidate = best
        return "near_duplicate", candidate, jaccard, f"shingle Jaccard {jaccard:.2f}"

    def _idf(self, token: str) -> float:
        return math.log((len(self._entries) + 1) / (self._key_df[token] + 1)) + 1.0

    def _candidates(self, features: Features) -> list[str]:
        limit = max(COMMON_KEY_SHARE * len(self._entries), COMMON_KEY_MIN_DOCS)
        keys = [k for k in features.keys if k in self._postings and self._key_df[k] <= limit]
        keys.sort(key=lambda k: (self._key_df[k], k))
        weight: dict[str, float] = {}
        for key in keys[:QUERY_KEYS]:
            idf = self._idf(key)
            for candidate in self._postings[key]:
                weight[candidate] = weight.get(candidate, 0.0) + idf
        ranked = sorted(weight.items(), key=lambda kv: (-kv[1], self._entries[kv[0]].order))
        return [candidate for candidate, _ in ranked[:CANDIDATES]]

    def _rewrite_match(self, features: Features, sentences: Encoded) -> Match | None:
        best: tuple[StorySimilarity, str] | None = None
        for candidate in self._candidates(features):
            other = self._entries[candidate]
            alike = sentence_similarity(sentences, other.sentences, self._vocabulary)
            similarity = story_similarity(features, other.features, alike, self._idf)
            if similarity.score >= self.rewrite_score and (
                best is None or similarity.score > best[0].score
            ):
                best = (similarity, candidate)
        if best is None:
            return None
        similarity, candidate = best
        return "rewrite", candidate, similarity.score, similarity.describe()

    # --- bookkeeping ----------------------------------------------------------------------

    def _insert(self, article_id: str, entry: _Entry, minhash: MinHash | None) -> Verdict:
        """Register a new entry and link it to what it matched; the same for add and restore."""
        entry.root = article_id
        self._entries[article_id] = entry
        self._register(article_id, entry.features, minhash)
        final = self._link(article_id, entry, entry.match)
        self._verdicts[article_id] = final
        return final

    def _register(self, article_id: str, features: Features, minhash: MinHash | None) -> None:
        self._vocabulary.count(self._entries[article_id].sentences)
        self._key_df.update(features.keys)
        if minhash is None:
            return  # an unchanged copy adds nothing that its original does not already offer
        self._exact[features.exact] = article_id
        self._lsh.insert(article_id, minhash)
        self._minhashes[article_id] = minhash
        for key in features.keys:
            self._postings.setdefault(key, deque(maxlen=POSTINGS_PER_KEY)).append(article_id)

    def _link(self, article_id: str, entry: _Entry, match: Match | None) -> Verdict:
        if match is None:
            entry.members = [article_id]
            return Verdict("new", None, 0.0, "no earlier copy or rewrite found")
        kind, matched, score, evidence = match
        root_id = self._entries[matched].root
        root = self._entries[root_id]
        evidence = f"{evidence} with {matched}"
        if entry.published is None or root.published is None or entry.published >= root.published:
            entry.kind, entry.root = kind, root_id
            root.members.append(article_id)
            return Verdict(kind, root_id, score, evidence)
        # Published before the group's original (a late-arriving source): it becomes the original.
        displaced: list[tuple[str, Kind]] = []
        for member in root.members:
            other = self._entries[member]
            other.root = article_id
            if member == root_id:
                other.kind = kind
            displaced.append((member, other.kind))
            before = self._verdicts[member]
            self._verdicts[member] = (
                Verdict(kind, article_id, score, f"{evidence} (relinked)")
                if member == root_id
                else replace(before, of=article_id)
            )
        entry.members = [article_id, *root.members]
        root.members = []
        return Verdict(
            "new", None, score, f"earlier original of {root_id}: {evidence}", tuple(displaced)
        )
