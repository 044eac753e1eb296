"""Story features: words, names, figures, quotes; analysis replaces the text-only guesses."""

from __future__ import annotations

from westminster.models import Analysis, Article, Entity, Figure, Mention, Quote
from westminster.stories.features import (
    MAX_TEXT_CHARS,
    article_features,
    content_words,
    looks_english,
    names,
    numbers,
    words,
)

TEXT = "The Chancellor said Rachel Reeves would find £22bn. Reeves told MPs on Monday."


def test_tokens_names_and_numbers() -> None:
    assert "said" not in content_words(TEXT) and "chancellor" in content_words(TEXT)
    # "The" opens a sentence and "Reeves" opens the second: neither is a name by position.
    assert names(TEXT) == ["chancellor", "rachel", "reeves", "mps"]
    assert numbers("£22bn, 3.5% and 1,200 jobs") == ["2.2e+10", "3.5%", "1200"]


def test_language_check_needs_enough_words() -> None:
    assert looks_english(words("Der Bundestag"))  # too short to judge
    assert not looks_english(words("Der Bundestag hat am Freitag den Haushalt beschlossen " * 3))
    assert looks_english(words("The House of Commons voted on the budget in the evening " * 3))


def test_headline_counts_twice_and_huge_text_is_cut() -> None:
    found = article_features(Article(title="Budget row", text="A budget."))
    assert found.counts["w:budget"] == 3 and found.counts["w:row"] == 2
    huge = article_features(Article(title="t", text="budget " * MAX_TEXT_CHARS))
    assert huge.truncated and huge.counts["w:budget"] < MAX_TEXT_CHARS


def test_analysis_adds_entity_keys_and_quotes_beside_the_text_guesses() -> None:
    article = Article(title="Reeves budget", text=TEXT)
    entity = Entity(
        id="e1", name="Rachel Reeves", kind="person", key="person:rachel-reeves",
        mentions=(Mention(30, 43, "Rachel Reeves"), Mention(52, 58, "Reeves")),
    )  # fmt: skip
    figure = Figure(48, 53, "£22bn", kind="money", value=22e9, unit="GBP")
    quote = Quote(0, 5, "x", fingerprint="abc")
    plain = article_features(article).counts
    counts = article_features(
        article, Analysis(article, entities=(entity,), figures=(figure,), quotes=(quote,))
    ).counts
    assert counts["e:person:rachel-reeves"] == 2 and counts["q:abc"] == 1
    # The text's own names and numbers stay, so the article reads the same with or without one.
    assert counts["n:reeves"] == plain["n:reeves"] == 1 and counts["f:2.2e+10"] == 1
    assert "f:22000000000.0GBP" not in counts
    assert {f: n for f, n in counts.items() if f[0] not in "eq"} == dict(plain)


def test_empty_and_foreign_articles_have_reasons() -> None:
    assert article_features(Article(title="", text=" . ")).reason == "empty"
    foreign = Article(title="x", text="Der Bundestag hat am Freitag den Haushalt beschlossen " * 3)
    assert article_features(foreign).reason == "not-english"
