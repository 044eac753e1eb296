"""The split check: a story holding two unlike events is cut in two, the older keeping its id."""

from __future__ import annotations

from westminster.models import Article
from westminster.stories import StoryEngine, story_id_for
from westminster.stories.engine import Checkpoint
from westminster.stories.split import split_groups
from westminster.stories.state import decode_story

QUAKE = [
    "Earthquake of magnitude 6.1 strikes Chile coast near Valparaiso, damaging homes",
    "Chile earthquake near Valparaiso leaves buildings damaged and residents in the streets",
    "Aftershocks shake Valparaiso after the Chile earthquake damaged hundreds of homes",
    "Valparaiso counts the cost of the magnitude 6.1 earthquake on the Chile coast",
    "Rescue teams search Valparaiso rubble after Chile earthquake damaged homes",
]
FLOOD = [
    "Floods in Bangladesh kill 40 people as monsoon rains swell rivers near Dhaka",
    "Monsoon floods across Bangladesh leave 40 dead and thousands homeless near Dhaka",
    "Bangladesh flood waters rise as monsoon rains swell rivers around Dhaka",
    "Dhaka braces as Bangladesh monsoon floods leave thousands of families homeless",
    "Bangladesh counts flood dead as monsoon rivers burst their banks near Dhaka",
]


QUAKE_TEXT = (
    "The earthquake struck the Chile coast near Valparaiso and damaged hundreds of homes. "
    "Officials in Valparaiso said rescue teams were searching the rubble for survivors."
)
FLOOD_TEXT = (
    "Monsoon rains swelled the rivers of Bangladesh and the floods reached the edge of Dhaka. "
    "Officials in Dhaka said thousands of families were homeless after the floods."
)
# A shared sign-off bridges the two events so that a very low threshold joins them.
SIGN_OFF = "Reported for the Westminster foreign desk by our correspondent in the region."


def _article(line: str) -> Article:
    text = QUAKE_TEXT if line in QUAKE else FLOOD_TEXT
    return Article(title=line, text=f"{line}. {text} {SIGN_OFF}")


def _forced() -> tuple[StoryEngine, list[tuple[str, Article]]]:
    engine = StoryEngine(join_threshold=1e-9, decay=False, merge_threshold=None)
    stream = []
    for n, (quake, flood) in enumerate(zip(QUAKE, FLOOD, strict=True)):
        stream += [(f"q{n}", _article(quake)), (f"f{n}", _article(flood))]
    return engine, stream


def test_two_events_forced_into_one_story_split_and_the_older_keeps_its_id() -> None:
    engine, stream = _forced()
    splits = []
    for article_id, article in stream:
        assignment = engine.add(article_id, article)
        if assignment.split is not None:
            splits.append((article_id, assignment.story_id, assignment.split))
    assert len(splits) == 1
    trigger, story_id, (new_id, moved) = splits[0]
    assert story_id == story_id_for("q0")  # the older group keeps the id
    assert new_id == story_id_for("f0")  # the new story's id comes from its first article
    assert trigger == "f3" and set(moved) == {"f0", "f1", "f2", "f3"}
    final = {aid: engine.resolve(engine.assigned[aid]) for aid, _ in stream}
    assert {final[f"q{n}"] for n in range(5)} == {story_id}
    assert {final[f"f{n}"] for n in range(5)} == {new_id}  # f4 joined the new story itself
    assert engine.stories[story_id].size == 5 and engine.stories[new_id].size == 5


def test_one_event_does_not_split() -> None:
    engine = StoryEngine(decay=False)
    for n, line in enumerate(QUAKE + QUAKE[::-1]):
        assert engine.add(f"q{n}", _article(line)).split is None
    assert engine.active == 1
    assert split_groups([]) is None


def test_member_vectors_survive_a_checkpoint_and_restore_splits_alike() -> None:
    engine, stream = _forced()
    for article_id, article in stream[:7]:
        engine.add(article_id, article)
    saved: Checkpoint = engine.checkpoint()
    entry = decode_story(saved.stories[story_id_for("q0")], subject="test")
    kept = engine.stories[story_id_for("q0")].members
    assert [m.article_id for m in entry.members] == [f"{k}{n}" for n in range(4) for k in "qf"][:7]
    assert list(entry.members) == kept  # vectors and days exactly as held
    restored = StoryEngine.restore(
        saved.header,
        saved.stories.values(),
        saved.frequencies.items(),
        join_threshold=1e-9,
        decay=False,
        merge_threshold=None,
    )
    results = [
        (e.add(aid, article).split, e.stories.keys())
        for e in (engine, restored)
        for aid, article in stream[7:8]
    ]
    assert results[0][0] is not None and results[0][0] == results[1][0]
    assert set(results[0][1]) == set(results[1][1])
