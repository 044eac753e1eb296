"""The ingest session's duplicate index: states stored with articles, restored next session."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from westminster.config import Config
from westminster.dedupe import features
from westminster.ingest.fetcher import Fetcher
from westminster.models import Article, Rejection
from westminster.pipeline.dedupe_links import STATES_PER_WRITE, StoredIndex, with_states
from westminster.pipeline.ingest import Ingester, IngestOptions, fetch_settings
from westminster.store import Store, open_store

STORY = (
    "The chancellor froze fuel duty for another year, costing the Treasury three billion "
    "pounds, and told MPs in Westminster that drivers in Wales and Scotland would benefit."
)


def _article(n: int, text: str = STORY, day: int = 13) -> Article:
    return Article(
        title=f"Fuel duty {n}",
        text=text,
        url=f"https://example.org/{n}",
        published=date(2024, 9, day),
    )


def _other(n: int) -> Article:
    words = " ".join(f"w{n}x{i}" for i in range(30))
    return _article(100 + n, f"Council {n} reported {words}.")


def _count_features(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The titles of articles whose text features are computed from now on."""
    seen: list[str] = []
    real: Callable[..., features.Features] = features.build_features

    def counting(article: Article, *args: object) -> features.Features:
        seen.append(article.title)
        return real(article, *args)

    monkeypatch.setattr("westminster.dedupe.index.build_features", counting)
    return seen


def _load(store: Store, rejected: list[Rejection]) -> StoredIndex:
    index = StoredIndex(store, rejected.append)
    for stored, state in with_states(store.iter_articles(), store.iter_dedupe_states()):
        index.load(stored, state)
    index.flush()
    return index


def test_next_session_restores_states_and_adds_only_articles_without_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = open_store(tmp_path / "store.db")
    rejected: list[Rejection] = []
    first = StoredIndex(store, rejected.append)
    for article in (_other(1), _article(1), _article(2, day=14), _other(2)):
        first.add(store.put_article(article).article_id, article, None)
    assert list(store.iter_dedupe_states()) == []  # kept until the batch is flushed
    first.flush()
    ids = [s.id for s in store.iter_articles()]
    assert [aid for aid, _ in store.iter_dedupe_states()] == ids
    # Stored before states were kept: no state, and an earlier-published copy of the story.
    late = store.put_article(_article(3, day=12)).article_id
    # Changed since its state was written: the state describes the old text.
    store.put_article(replace(_other(2), text="Council 2 now reports something else entirely."))

    computed = _count_features(monkeypatch)
    second = _load(store, rejected)
    assert computed == ["Fuel duty 102", "Fuel duty 3"]  # the rest came from their states
    assert second.index.original(ids[2]) == late  # the late, earlier copy is the original now
    assert store.get_article(ids[2]).duplicate_of == late  # and the store's link says so
    assert [aid for aid, _ in store.iter_dedupe_states()] == [*ids, late]

    computed.clear()
    third = _load(store, rejected)
    assert computed == []  # every article now has a current state
    fresh = _article(4, day=15)
    verdict = third.add(store.put_article(fresh).article_id, fresh, None)
    assert verdict is not None and (verdict.kind, verdict.of) == ("near_duplicate", late)
    assert rejected == []
    store.close()


def test_ingest_after_a_restart_finds_copies_of_stored_articles(tmp_path: Path) -> None:
    source = tmp_path / "wire.jsonl"
    rows = [{"id": "a", "title": "Fuel duty", "text": STORY, "outlet": "Wire"}]
    source.write_text(json.dumps(rows[0]) + "\n", encoding="utf-8")
    store = open_store(tmp_path / "store.db")
    fetcher = Fetcher(fetch_settings(Config()))
    Ingester(store, fetcher, IngestOptions(analyse=False)).run([str(source)])
    assert len(list(store.iter_dedupe_states())) == 1

    rows.append({**rows[0], "id": "b", "text": STORY + " Reporting by Agency staff."})
    source.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    second = Ingester(store, fetcher, IngestOptions(analyse=False))
    second.run([str(source)])
    assert second.counts.duplicate == 1 and second.counts.new == 0
    assert len(list(store.iter_dedupe_states())) == 2
    store.close()


def test_states_are_written_in_batches_on_both_backends(store: Store) -> None:
    ids = [store.put_article(_other(n)).article_id for n in range(3)]
    assert store.put_dedupe_states([]) == []
    missing = store.put_dedupe_states(
        [(ids[2], b"\x00third"), ("no-such-id", b"x"), (ids[0], b"first"), (ids[0], b"again")]
    )
    assert missing == ["no-such-id"]  # the others are stored all the same
    # In the articles' stored order; the same article twice in a batch keeps its last state.
    assert list(store.iter_dedupe_states()) == [(ids[0], b"again"), (ids[2], b"\x00third")]
    assert store.put_dedupe_states([(ids[2], b"replaced"), (ids[1], b"second")]) == []
    assert [state for _, state in store.iter_dedupe_states()] == [b"again", b"second", b"replaced"]


def test_the_index_writes_its_states_once_enough_are_kept(store: Store) -> None:
    index = StoredIndex(store, lambda rejection: None)
    for n in range(STATES_PER_WRITE + 1):
        article = _other(n)
        index.add(store.put_article(article).article_id, article, None)
    assert len(list(store.iter_dedupe_states())) == STATES_PER_WRITE  # the rest wait
    index.flush()
    assert len(list(store.iter_dedupe_states())) == STATES_PER_WRITE + 1
