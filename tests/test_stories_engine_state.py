"""Story engine: merging stories that turn out to be one, stable ids, and state across runs."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.test_stories_engine import DAY, RULING, SUMMIT_A, SUMMIT_A2
from westminster.errors import DataError
from westminster.models import Article
from westminster.stories import StoryEngine, story_id_for
from westminster.stories.engine import EXPIRY_DAYS, MERGE_THRESHOLD, Checkpoint

BRIDGE = (
    "Starmer and Biden Storm Shadow talks in Washington",
    SUMMIT_A[1] + " " + SUMMIT_A2[1],
)
BUDGET = (
    "Reeves sets out autumn budget with tax rises for employers",
    "Rachel Reeves told the Commons the autumn budget would raise £40 billion in taxes, "
    "with employers' national insurance contributions rising to 15 per cent. The chancellor "
    "said the budget would fix the foundations of the economy and protect working people.",
)
STRIKE = (
    "Resident doctors vote to strike again over pay",
    "Resident doctors in England voted to strike for five days over pay, the British Medical "
    "Association said. Wes Streeting said the strike was unnecessary after a 22 per cent rise "
    "over two years, and urged the BMA to return to talks with the Department of Health.",
)


def art(pair: tuple[str, str], day: date | None) -> Article:
    return Article(title=pair[0], text=pair[1], published=day)


def _split_by_decay(engine: StoryEngine) -> tuple[str, str]:
    """Two stories of one event, kept apart because the second came 20 days later."""
    first = engine.add("a", art(SUMMIT_A, DAY))
    second = engine.add("b", art(SUMMIT_A2, DAY + timedelta(days=20)))
    assert first.created and second.created and first.story_id != second.story_id
    return first.story_id, second.story_id


def test_an_article_joining_two_alike_stories_merges_them_into_the_older() -> None:
    engine = StoryEngine()
    older, younger = _split_by_decay(engine)
    # A late report dated between them joins both: the two stories are one.
    bridge = engine.add("c", art(BRIDGE, DAY + timedelta(days=10)))
    assert bridge.story_id == older == story_id_for("a")  # the older id survives
    assert bridge.merged == (younger,) and not bridge.created
    assert bridge.merge_scores[0] >= MERGE_THRESHOLD
    assert engine.resolve(younger) == older and engine.active == 1
    # The merged story's articles and later ones all lead to the survivor.
    assert engine.add("b", art(SUMMIT_A2, None)).story_id == older
    later = engine.add("d", art(SUMMIT_A2, DAY + timedelta(days=21)))
    assert later.story_id == older and not later.merged


def test_no_merge_without_the_rule_or_between_different_events() -> None:
    engine = StoryEngine(merge_threshold=None)
    older, younger = _split_by_decay(engine)
    bridge = engine.add("c", art(BRIDGE, DAY + timedelta(days=10)))
    assert bridge.merged == () and engine.active == 2
    assert bridge.story_id in (older, younger)
    # Two different events in one article's vicinity are never merged by default.
    other = StoryEngine()
    summit = other.add("a", art(SUMMIT_A, DAY)).story_id
    ruling = other.add("r", art(RULING, DAY)).story_id
    mixed = other.add("m", art((SUMMIT_A[0], SUMMIT_A[1] + " " + RULING[1]), DAY))
    assert mixed.merged == () and {summit, ruling} >= {mixed.story_id}


def _stream() -> list[tuple[str, Article]]:
    """Articles over two months: follow-ups, other events, a merge, an expiry, undated ones."""
    items = [
        ("a", art(SUMMIT_A, DAY)),
        ("r", art(RULING, DAY)),
        ("b", art(SUMMIT_A2, DAY + timedelta(days=20))),
        ("c", art(BRIDGE, DAY + timedelta(days=10))),
        ("u", art(BUDGET, DAY + timedelta(days=21))),
        ("u2", art(BUDGET, None)),
        ("s", art(STRIKE, DAY + timedelta(days=22))),
        ("r2", art(RULING, DAY + timedelta(days=60))),
        ("s2", art(STRIKE, DAY + timedelta(days=61))),
        ("e", Article(title="", text="  ", published=DAY + timedelta(days=61))),
    ]
    return items


class _SavedState:
    """What a store keeps of checkpoints: the header replaced, entries and counts upserted."""

    def __init__(self) -> None:
        self.header = b""
        self.stories: dict[str, bytes] = {}
        self.frequencies: dict[str, int] = {}

    def save(self, point: Checkpoint) -> None:
        self.header = point.header
        for story_id in point.dropped:
            self.stories.pop(story_id, None)
        self.stories.update(point.stories)
        self.frequencies.update(point.frequencies)

    def restore(self) -> StoryEngine:
        return StoryEngine.restore(self.header, self.stories.values(), self.frequencies.items())


@pytest.mark.parametrize("cut", [1, 3, 4, 7, 9])
def test_a_restored_engine_continues_exactly_as_one_long_run(cut: int) -> None:
    items = _stream()
    whole = StoryEngine()
    expected = [whole.add(aid, a).story_id for aid, a in items]
    expected = [whole.resolve(s) for s in expected]
    assert whole.merged_into  # the stream exercises a merge...
    assert expected[7] != expected[1]  # ...and an expiry (the ruling 60 days on is new)

    saved = _SavedState()
    first = StoryEngine()
    got = []
    for n, (aid, article) in enumerate(items[:cut]):
        got.append(first.add(aid, article).story_id)
        if n % 2 == 0:  # checkpoints now and then, as ingest batches do
            saved.save(first.checkpoint())
    saved.save(first.checkpoint())
    second = saved.restore()  # a new process: only the saved state
    assert second.frequencies.docs == first.frequencies.docs
    assert set(second.stories) == set(first.stories)  # expired stories were not kept
    for aid, article in items[cut:]:
        got.append(second.add(aid, article).story_id)
    resolved = [second.resolve(first.resolve(s)) for s in got]
    assert resolved == expected


def test_checkpoints_hold_only_what_changed() -> None:
    engine = StoryEngine()
    engine.add("a", art(SUMMIT_A, DAY))
    engine.add("r", art(RULING, DAY))
    full = engine.checkpoint()
    assert set(full.stories) == {story_id_for("a"), story_id_for("r")}
    assert full.frequencies and not full.dropped
    assert engine.checkpoint().stories == {}  # nothing since
    engine.add("a2", art(SUMMIT_A2, DAY))
    delta = engine.checkpoint()
    assert set(delta.stories) == {story_id_for("a")}
    assert set(delta.frequencies) < set(full.frequencies) | set(delta.frequencies)
    engine.add("later", art(BUDGET, DAY + timedelta(days=int(EXPIRY_DAYS) + 5)))
    assert set(engine.checkpoint().dropped) == {story_id_for("a"), story_id_for("r")}


def test_damaged_or_foreign_state_is_a_clear_error() -> None:
    engine = StoryEngine()
    engine.add("a", art(SUMMIT_A, DAY))
    point = engine.checkpoint()
    story = next(iter(point.stories.values()))
    with pytest.raises(DataError, match="not a story-engine header"):
        StoryEngine.restore(b"junk", [], [])
    with pytest.raises(DataError, match="format"):
        StoryEngine.restore(point.header[:3] + b"\x09" + point.header[4:], [], [])
    with pytest.raises(DataError, match="damaged"):
        StoryEngine.restore(point.header, [story[:-5]], [])
