"""The store's story API, the same suite on SQLite and a real PostgreSQL server."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from tests.test_store_backends import make_analysis, make_article
from westminster.models.story import StoryFigure, StoryMerge, StoryPerson, StoryQuote
from westminster.store import Store, StoreError
from westminster.store.story_rows import EngineState, StoryBatch, StoryMember

T0 = datetime(2024, 9, 13, 9, 0, tzinfo=UTC)
DAY = timedelta(days=1)
STARMER = StoryPerson("person:keir-starmer", "Keir Starmer", "person", 1)
BIDEN = StoryPerson("person:joe-biden", "Joe Biden", "person", 1)


def _article(store: Store, name: str, *, outlet: str, day: date, speaker: str) -> str:
    article = make_article(
        title=f"Storm Shadow decision {name}",
        outlet=outlet,
        published=day,
        url=f"https://{outlet.lower().replace(' ', '')}.example/{name}",
    )
    aid = store.put_article(article).article_id
    store.put_analysis(aid, make_analysis(article, speaker=speaker))
    return aid


def _member(aid: str, story: str, at: datetime, **fields: object) -> StoryMember:
    values: dict[str, object] = {
        "article_id": aid,
        "story_id": story,
        "score": 0.5,
        "added_at": at,
        "seen_at": at,
        "analysed": True,
    }
    values.update(fields)
    return StoryMember(**values)  # type: ignore[arg-type]


def _figure(text: str, value: float, aid: str) -> StoryFigure:
    return StoryFigure(text, "money", value, "GBP", aid)


def _corpus(store: Store) -> dict[str, str]:
    """Story s1: an original, a follow-up and a copy; story s2: one article elsewhere."""
    ids = {
        "a": _article(
            store, "a", outlet="Westminster Insider", day=date(2024, 9, 13), speaker="Keir Starmer"
        ),
        "b": _article(store, "b", outlet="BBC", day=date(2024, 9, 14), speaker="Joe Biden"),
        "copy": _article(
            store, "copy", outlet="Copycat", day=date(2024, 9, 14), speaker="Keir Starmer"
        ),
        "d": _article(store, "d", outlet="BBC", day=date(2024, 9, 10), speaker="Joe Biden"),
    }
    quote = StoryQuote(
        "Britain would give more", "indirect", "Keir Starmer", STARMER.key, "fp1", ids["a"]
    )
    batch = StoryBatch(
        members=(
            _member(
                ids["a"],
                "s1",
                T0,
                score=1.0,
                created=True,
                new_people=(STARMER,),
                new_figures=(_figure("£600 million", 6e8, ids["a"]),),
                new_quotes=(quote,),
            ),
            _member(
                ids["b"],
                "s1",
                T0 + DAY,
                new_people=(STARMER, BIDEN),
                new_figures=(_figure("£3 billion", 3e9, ids["b"]),),
            ),
            _member(
                ids["copy"],
                "s1",
                T0 + DAY,
                score=1.0,
                independent=False,
                copy_of=ids["a"],
                new_figures=(_figure("£600m", 6e8, ids["copy"]),),
            ),
            _member(ids["d"], "s2", T0 - 3 * DAY, score=1.0, created=True),
        ),
        engine=EngineState(b"header-1", {"s1": b"one", "s2": b"two"}, (), {"w:storm": 3}),
    )
    store.put_stories(batch)
    return ids


def test_a_story_has_its_timeline_outlets_people_figures_and_quotes(store: Store) -> None:
    ids = _corpus(store)
    story = store.get_story("s1")
    assert [d.article_id for d in story.articles] == [ids["a"], ids["b"], ids["copy"]]
    assert story.outlets == ("Westminster Insider", "BBC")  # the copy's outlet does not count
    assert story.independent_articles == 2
    copy = story.articles[2]
    assert not copy.independent and copy.copy_of == ids["a"]
    assert story.articles[0].new_figures == ("£600 million",)
    assert story.articles[1].new_people == ("Joe Biden",)  # Starmer was not new any more
    assert copy.new_figures == ()  # £600m is the £600 million the original had
    assert [f.text for f in story.figures] == ["£600 million", "£3 billion"]
    assert [q.fingerprint for q in story.quotes] == ["fp1"]
    assert story.first_seen == T0 and story.last_updated == T0 + DAY
    assert story.headline.startswith("Storm Shadow decision")
    people = {p.key: p.articles for p in story.people}
    assert people["person:keir-starmer"] == 2 and people["person:joe-biden"] == 1
    assert story.topics[0] == "defence"
    assert store.story_of(ids["b"]) == "s1" and store.story_of("nope") is None
    assert [s.id for s in store.stories()] == ["s1", "s2"]  # most recently updated first


def test_the_same_batch_again_changes_nothing(store: Store) -> None:
    ids = _corpus(store)
    before = [store.get_story("s1"), store.get_story("s2")]
    again = StoryBatch(members=(_member(ids["a"], "s2", T0 + 5 * DAY),))
    store.put_stories(again)  # an article already in a story stays where it is
    assert [store.get_story("s1"), store.get_story("s2")] == before
    assert store.story_article_ids() == set(ids.values())


def test_merged_ids_resolve_to_the_survivor(store: Store) -> None:
    ids = _corpus(store)
    extra = _article(store, "e", outlet="Times", day=date(2024, 9, 20), speaker="Joe Biden")
    store.put_stories(
        StoryBatch(
            members=(_member(extra, "s3", T0 + 7 * DAY, created=True),),
            merges=(StoryMerge("s2", "s1", T0 + 2 * DAY, 0.71),),
        )
    )
    store.put_stories(StoryBatch(merges=(StoryMerge("s1", "s3", T0 + 8 * DAY, 0.66),)))
    survivor = store.get_story("s2")  # merged twice over: leads to the last survivor
    assert survivor.id == "s3" and store.get_story("s1").id == "s3"
    assert survivor.merged_from == ("s1", "s2")
    assert survivor.first_seen == T0 - 3 * DAY and survivor.last_updated == T0 + 7 * DAY
    assert len(survivor.articles) == 5 and store.story_of(ids["d"]) == "s3"
    assert [s.id for s in store.stories()] == ["s3"]
    merges = store.story_merges()
    assert [(m.merged_id, m.into_id, m.score) for m in merges] == [
        ("s2", "s1", 0.71),
        ("s1", "s3", 0.66),
    ]
    assert merges[0].at == T0 + 2 * DAY
    store.put_stories(StoryBatch(merges=(StoryMerge("s2", "s1", T0, 0.9),)))  # again: no-op
    assert len(store.story_merges()) == 2


def test_filters_since_person_topic_and_paging(store: Store) -> None:
    _corpus(store)
    assert [s.id for s in store.stories(since=T0 - DAY)] == ["s1"]  # s2's article came before
    assert store.stories(since=T0 + 2 * DAY) == []
    assert {s.id for s in store.stories(person="person:joe-biden")} == {"s1", "s2"}
    assert [s.id for s in store.stories(person="KEIR STARMER")] == ["s1"]
    assert store.stories(person="Nobody") == []
    assert len(store.stories(topic="Defence")) == 2 and store.stories(topic="farming") == []
    assert [s.id for s in store.stories(limit=1, offset=1)] == ["s2"]


def test_unknown_ids_are_clear_errors_and_a_refused_batch_stores_nothing(store: Store) -> None:
    ids = _corpus(store)
    with pytest.raises(StoreError, match="no such story") as caught:
        store.get_story("s-nope")
    assert "s-nope" in str(caught.value)
    bad = StoryBatch(
        members=(_member(ids["b"], "s9", T0), _member("no-such-article", "s9", T0)),
        engine=EngineState(b"header-2"),
    )
    with pytest.raises(StoreError, match="no such article"):
        store.put_stories(bad)
    with pytest.raises(StoreError, match="no such story"):
        store.put_stories(StoryBatch(merges=(StoryMerge("s-nope", "s1", T0, 0.7),)))
    state = store.load_story_engine()
    assert state is not None and state.header == b"header-1"  # the refused batch left nothing
    assert store.story_of(ids["b"]) == "s1"


def test_engine_state_round_trip(store: Store) -> None:
    assert store.load_story_engine() is None
    _corpus(store)
    store.put_stories(
        StoryBatch(
            engine=EngineState(
                b"header-2", {"s3": b"three", "s1": b"one-b"}, ("s2",), {"w:storm": 4, "n:x": 1}
            )
        )
    )
    state = store.load_story_engine()
    assert state is not None and state.header == b"header-2"
    assert dict(state.stories) == {"s1": b"one-b", "s3": b"three"}
    assert dict(state.frequencies) == {"w:storm": 4, "n:x": 1}
    store.put_stories(StoryBatch(engine=EngineState(b"fresh", {"s4": b"four"}, replace=True)))
    state = store.load_story_engine()
    assert state is not None and dict(state.stories) == {"s4": b"four"} and not state.frequencies


def test_an_article_placed_before_analysis_gets_its_additions_later(store: Store) -> None:
    ids = _corpus(store)
    late = _article(store, "late", outlet="Times", day=date(2024, 9, 15), speaker="Joe Biden")
    store.put_stories(StoryBatch(members=(_member(late, "s1", T0 + 2 * DAY, analysed=False),)))
    assert store.story_article_ids(analysed=False) == {late}
    refreshed = _member(late, "s1", T0 + 9 * DAY, new_figures=(_figure("£9", 9.0, late),))
    store.put_stories(StoryBatch(members=(refreshed,)))
    story = store.get_story("s1")
    assert story.articles[-1].new_figures == ("£9",)
    assert story.articles[-1].added_at == T0 + 2 * DAY  # joining time unchanged
    assert store.story_article_ids(analysed=False) == set()
    assert late not in ids.values()
