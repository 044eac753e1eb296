"""A split in live ingestion: the store moves the split-off articles in the batch's transaction."""

from __future__ import annotations

from pathlib import Path

from tests.test_stories_split import FLOOD, QUAKE, _article
from westminster.models import Rejection
from westminster.pipeline.stories import StoryStage
from westminster.store import open_store
from westminster.stories import StoryEngine, story_id_for


def _forcing_engine() -> StoryEngine:
    return StoryEngine(join_threshold=1e-9, decay=False, merge_threshold=None)


def test_a_split_moves_stored_and_batched_articles_to_the_new_story(tmp_path: Path) -> None:
    store = open_store(tmp_path / "store.db")
    rejected: list[Rejection] = []
    ids: dict[str, str] = {}
    for n, (quake, flood) in enumerate(zip(QUAKE, FLOOD, strict=True)):
        for key, line in ((f"q{n}", quake), (f"f{n}", flood)):
            ids[key] = store.put_article(_article(line)).article_id
    stage = StoryStage(store, rejected.append, engine=_forcing_engine)
    stage.start()
    order = [f"{k}{n}" for n in range(5) for k in "qf"]
    # Two batches: the split (at f3) moves articles stored by the first and queued in the second.
    for batch in (order[:4], order[4:]):
        for key in batch:
            line = QUAKE[int(key[1])] if key[0] == "q" else FLOOD[int(key[1])]
            stage.add(ids[key], _article(line), None)
        stage.commit()
    assert rejected == []
    old, new = story_id_for(ids["q0"]), story_id_for(ids["f0"])
    assert {store.story_of(ids[f"q{n}"]) for n in range(5)} == {old}
    assert {store.story_of(ids[f"f{n}"]) for n in range(5)} == {new}
    assert len(store.get_story(old).articles) == 5 and len(store.get_story(new).articles) == 5
    assert {s.id for s in store.stories()} == {old, new}
    # A later session restores the engine with both stories and their member vectors.
    again = StoryStage(store, rejected.append, engine=_forcing_engine)
    again.start()
    assert rejected == [] and set(again.engine.stories) == {old, new}
    assert len(again.engine.stories[new].members) == 5
    store.close()
