"""The ingest session's duplicate index: verdicts linked in the store, states kept for reuse.

Each article indexed has its index state (`DuplicateIndex.export_entry`) stored with the hash
of the text it was computed from, so the next session restores the index from the states
instead of recomputing every stored article's features; an article whose state is missing
(stored before states were kept), damaged, or of another text version is added from its text.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import suppress

from westminster.dedupe import DuplicateIndex, Verdict
from westminster.errors import DataError
from westminster.models import Analysis, Article, Rejection
from westminster.store import LinkKind, Store, StoredArticle, StoreError, content_sha256

# Verdict kinds as the store links them: a near-copy is a duplicate for coverage counts.
LINK_OF: dict[str, LinkKind] = {
    "duplicate": "duplicate",
    "near_duplicate": "duplicate",
    "rewrite": "rewrite",
}
# A stored state starts with the SHA-256 (hex) of the article text it describes.
TEXT_HASH_BYTES = 64
# States kept before they are written in one transaction: a few ingest batches' worth (64
# pages each), so memory stays bounded (a state is about 1.3 KB) while restoring a store of
# articles without states does not write them one by one.
STATES_PER_WRITE = 512


def wrap_state(text_sha256: str, state: bytes) -> bytes:
    """The state as stored: the text's hash, then the index's own bytes."""
    return text_sha256.encode("ascii") + state


def unwrap_state(stored: bytes, text_sha256: str) -> bytes | None:
    """The index's bytes when they were computed from the text with this hash, else None."""
    if stored[:TEXT_HASH_BYTES] != text_sha256.encode("ascii"):
        return None
    return stored[TEXT_HASH_BYTES:]


def with_states(
    articles: Iterator[StoredArticle], states: Iterator[tuple[str, bytes]]
) -> Iterator[tuple[StoredArticle, bytes | None]]:
    """Each article with its current index state (None when it has none for its text).

    Both streams come in the order articles were first stored, states for a subset, so they
    are merged as they are read rather than holding every state in memory.
    """
    pending = next(states, None)
    seen: set[str] = set()
    for stored in articles:
        seen.add(stored.id)
        # A state whose article went by (or came first in a concurrent write) is skipped.
        while pending is not None and pending[0] != stored.id and pending[0] in seen:
            pending = next(states, None)
        state = None
        if pending is not None and pending[0] == stored.id:
            state = unwrap_state(pending[1], stored.text_sha256)
            pending = next(states, None)
        yield stored, state


class StoredIndex:
    """A DuplicateIndex whose verdicts become store links and whose states go to the store."""

    def __init__(self, store: Store, rejected: Callable[[Rejection], None]) -> None:
        self.store = store
        self.index = DuplicateIndex()
        self._rejected = rejected  # a link the store refuses is recorded, the run goes on
        self._links: dict[str, tuple[str | None, str | None]] = {}
        self._states: list[tuple[str, bytes]] = []  # waiting for `flush`

    def load(self, stored: StoredArticle, state: bytes | None) -> Verdict | None:
        """Index a stored article from its state, or from its text when the state won't do."""
        self._links[stored.id] = (stored.duplicate_of, stored.rewrite_of)
        if state is not None and stored.id not in self.index:
            try:
                verdict = self.index.restore_entry(stored.id, state)
            except DataError:
                pass  # an old format or a damaged state: the text is still there
            else:
                self._apply(stored.id, verdict)  # repairs links a killed run left unstored
                return verdict
        return self.add(stored.id, stored.article, stored.analysis)

    def add(self, aid: str, article: Article, analysis: Analysis | None) -> Verdict | None:
        """Index an article, store the links its verdict implies, and keep its state."""
        if aid in self.index:
            return None  # indexed earlier (an updated page keeps its first verdict this run)
        if not article.text.strip():
            return None
        verdict = self.index.add(aid, article, analysis)
        self._apply(aid, verdict)
        state = wrap_state(content_sha256(article), self.index.export_entry(aid))
        self._states.append((aid, state))
        if len(self._states) >= STATES_PER_WRITE:
            self.flush()
        return verdict

    def flush(self) -> None:
        """Write the states kept since the last flush, in one transaction."""
        if not self._states:
            return
        states, self._states = self._states, []
        # Only a saving: without its state, the next session adds the article from its text.
        with suppress(StoreError):
            self.store.put_dedupe_states(states)

    def _apply(self, aid: str, verdict: Verdict) -> None:
        """Store the links a verdict implies (its own and those of articles it displaced)."""
        if verdict.of is not None and verdict.kind in LINK_OF:
            self._link(aid, verdict.of, LINK_OF[verdict.kind])
        for member, kind in verdict.displaced:
            if kind in LINK_OF:
                self._link(member, aid, LINK_OF[kind])

    def _link(self, aid: str, original: str, kind: LinkKind) -> None:
        """Store a link unless the store already holds exactly it."""
        duplicate_of, rewrite_of = self._links.get(aid, (None, None))
        if (duplicate_of if kind == "duplicate" else rewrite_of) == original:
            return
        try:
            self.store.link_duplicate(aid, original, kind)
        except StoreError as exc:
            self._rejected(Rejection("dedupe", exc.code, exc.message, aid))
            return
        self._links[aid] = (
            (original, rewrite_of) if kind == "duplicate" else (duplicate_of, original)
        )
