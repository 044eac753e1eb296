"""Splitting a stored story (both backends): moved members, both stories' times, the record."""

from __future__ import annotations

from datetime import date

from tests.test_store_stories import DAY, T0, _article, _corpus, _member
from westminster.models.story import StoryMerge
from westminster.store import Store
from westminster.store.story_rows import StoryBatch, StorySplit


def test_a_split_moves_members_to_a_new_story_and_the_old_keeps_its_id(store: Store) -> None:
    ids = _corpus(store)
    split = StorySplit("s1", "s9", (ids["b"], ids["copy"]), T0 + 2 * DAY)
    store.put_stories(StoryBatch(splits=(split,)))
    old, new = store.get_story("s1"), store.get_story("s9")
    assert [d.article_id for d in old.articles] == [ids["a"]]
    assert [d.article_id for d in new.articles] == [ids["b"], ids["copy"]]
    assert old.first_seen == T0 and old.last_updated == T0  # recomputed from what is left
    assert new.first_seen == T0 + DAY and new.last_updated == T0 + DAY
    assert store.story_of(ids["b"]) == "s9" and store.story_of(ids["a"]) == "s1"
    assert {s.id for s in store.stories()} == {"s1", "s2", "s9"}
    assert [m.article_id for m in store.story_members("s9")] == [ids["b"], ids["copy"]]
    store.put_stories(StoryBatch(splits=(split,)))  # the same batch again changes nothing
    assert store.get_story("s9") == new and store.get_story("s1") == old


def test_a_split_in_one_batch_with_members_and_a_merge_back_to_life(store: Store) -> None:
    ids = _corpus(store)
    store.put_stories(StoryBatch(merges=(StoryMerge("s2", "s1", T0 + 2 * DAY, 0.7),)))
    assert store.get_story("s2").id == "s1"
    late = _article(store, "e", outlet="Times", day=date(2024, 9, 20), speaker="Joe Biden")
    # The engine split d back out of s1 under its old id, then a new article joined it.
    store.put_stories(
        StoryBatch(
            members=(_member(late, "s2", T0 + 7 * DAY),),
            splits=(StorySplit("s1", "s2", (ids["d"],), T0 + 7 * DAY),),
        )
    )
    back = store.get_story("s2")
    assert back.id == "s2" and back.merged_from == ()
    assert [d.article_id for d in back.articles] == [ids["d"], late]
    assert back.first_seen == T0 - 3 * DAY and back.last_updated == T0 + 7 * DAY
    s1 = store.get_story("s1")
    assert s1.merged_from == () and s1.first_seen == T0
    assert ids["d"] not in {d.article_id for d in s1.articles}
