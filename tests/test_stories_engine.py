"""The incremental story engine: joining, splitting same-topic events, decay, expiry, bad input."""

from __future__ import annotations

from datetime import date, timedelta

from westminster.models import Article
from westminster.stories import StoryEngine, story_id_for
from westminster.stories.engine import EXPIRY_DAYS

DAY = date(2024, 9, 13)

SUMMIT_A = (
    "Starmer meets Biden in Washington over Storm Shadow missiles",
    "Keir Starmer met Joe Biden at the White House to discuss letting Ukraine fire Storm Shadow "
    "missiles into Russia. The prime minister flew to Washington after Vladimir Putin warned "
    "that Nato would be at war with Russia. Starmer said the talks on Storm Shadow were "
    "productive and that Ukraine had a right to defend itself with long-range missiles.",
)
SUMMIT_A2 = (
    "Biden and Starmer hold Storm Shadow talks at the White House",
    "Joe Biden and Keir Starmer discussed Storm Shadow missiles for Ukraine in Washington. "
    "The prime minister said Ukraine should be able to strike Russia with long-range missiles "
    "after Putin warned Nato. No decision on Storm Shadow was announced at the White House.",
)
RULING = (
    "Supreme Court rules Rwanda deportation scheme unlawful",
    "The Supreme Court ruled that the government's Rwanda deportation scheme was unlawful, "
    "finding asylum seekers would face a real risk of refoulement. Five justices dismissed the "
    "Home Office appeal against the Court of Appeal ruling on Rwanda flights.",
)


def art(pair: tuple[str, str], day: date | None = DAY) -> Article:
    return Article(title=pair[0], text=pair[1], published=day)


def test_same_story_joins_and_other_story_starts_one() -> None:
    engine = StoryEngine()
    first = engine.add("a", art(SUMMIT_A))
    second = engine.add("b", art(SUMMIT_A2, DAY + timedelta(days=1)))
    third = engine.add("c", art(RULING, DAY + timedelta(days=1)))
    assert first.created and first.story_id == story_id_for("a")
    assert not second.created and second.story_id == first.story_id
    assert second.score >= engine.join_threshold and second.evidence
    assert third.created and third.story_id != first.story_id


def test_re_adding_an_article_changes_nothing_and_ids_are_stable() -> None:
    runs = []
    for _ in range(2):
        engine = StoryEngine()
        runs.append([engine.add(i, art(p)).story_id for i, p in (("a", SUMMIT_A), ("b", RULING))])
        again = engine.add("a", art(SUMMIT_A))
        assert not again.created and again.story_id == runs[-1][0]
    assert runs[0] == runs[1]


def test_old_story_decays_and_expires() -> None:
    engine = StoryEngine()
    first = engine.add("a", art(SUMMIT_A))
    same_day = StoryEngine()
    same_day.add("a", art(SUMMIT_A))
    fresh = same_day.add("b", art(SUMMIT_A2)).score
    later = engine.add("b", art(SUMMIT_A2, DAY + timedelta(days=5)))
    assert later.score < fresh  # decay lowers the score with the gap in days
    months = engine.add("c", art(SUMMIT_A, DAY + timedelta(days=int(EXPIRY_DAYS) + 30)))
    assert months.created and months.story_id != first.story_id
    assert engine.active == 1  # the expired story left the index


def test_undated_article_is_placed_at_the_clock() -> None:
    engine = StoryEngine()
    first = engine.add("a", art(SUMMIT_A))
    undated = engine.add("b", art(SUMMIT_A2, None))
    assert undated.story_id == first.story_id
    fetched = engine.add("c", art(RULING, None), fetched=DAY)
    assert fetched.created


def test_bad_input_gets_a_story_of_its_own_with_a_reason() -> None:
    engine = StoryEngine()
    empty = engine.add("e", Article(title="", text="   \n ", published=DAY))
    german = engine.add(
        "g",
        Article(
            title="Bundestag stimmt Haushalt zu",
            text="Der Bundestag hat am Freitag den Haushalt für das kommende Jahr "
            "beschlossen. Die Koalition setzte sich gegen die Opposition durch, die "
            "scharfe Kritik an den geplanten Kürzungen bei Sozialleistungen und Bildung "
            "geübt hatte. Der Finanzminister sprach von einem soliden Haushalt.",
            published=DAY,
        ),
    )
    huge = engine.add("h", Article(title=SUMMIT_A[0], text=SUMMIT_A[1] * 2000, published=DAY))
    assert (empty.reason, german.reason) == ("empty", "not-english")
    assert empty.created and german.created and empty.story_id != german.story_id
    assert huge.reason is None
