"""split_plain_text: headline split, raw mode, line endings, and the seed's acceptance case."""

from __future__ import annotations

import pytest

from tests.conftest import SEED
from westminster.clean import OutletLineFilter, split_plain_text
from westminster.errors import ExtractionError

SEED_TEXT = SEED.read_text(encoding="utf-8")
PROMO = [
    "Get Expert Analysis: Subscribe To Westminster Insights",
    "Subscribe To Our Free Westminster Update Email",
    "Subscribe For Our Free Westminster Update Email",
]


def test_seed_headline_promos_and_paragraphs() -> None:
    article = split_plain_text(SEED_TEXT, source="seed")
    assert article.title == (
        "Starmer defies Putin as he and Biden prepare to escalate Ukraine war with missiles"
    )
    assert [r.text for r in article.removed] == PROMO
    assert all(r.reason for r in article.removed)
    lines = [line for line in SEED_TEXT.split("\n") if line.strip()]
    body = [line for line in lines[1:] if line not in PROMO]
    assert len(body) == 31
    assert article.paragraphs == body


def test_raw_keeps_text_exactly() -> None:
    article = split_plain_text(SEED_TEXT, source="seed", raw=True)
    assert article.text == SEED_TEXT
    assert article.title == ""
    assert article.removed == ()


def test_line_endings_are_normalised() -> None:
    article = split_plain_text("Head\r\nFirst para.\r\nSecond para.\rThird.", source="x")
    assert article.title == "Head"
    assert article.text == "First para.\nSecond para.\nThird."


def test_leading_blank_lines_and_markdown_heading() -> None:
    article = split_plain_text("\n\n# Budget day\n\nThe chancellor spoke.\n", source="x.md")
    assert article.title == "Budget day"
    assert article.text == "The chancellor spoke."


def test_headline_only_is_an_extraction_error() -> None:
    with pytest.raises(ExtractionError, match=r"one\.txt.*no article text"):
        split_plain_text("Just a headline\n\n", source="one.txt")


def test_learned_outlet_lines_apply_when_outlet_is_given() -> None:
    learned = OutletLineFilter(min_articles=2, min_fraction=0.5)
    for i in range(3):
        learned.observe("The Paper", f"a{i}", ["The Paper is reader-funded", f"Story {i}"])
    text = "Head\nThe Paper is reader-funded\nThe minister resigned."
    with_outlet = split_plain_text(text, source="x", outlet="The Paper", outlet_filter=learned)
    assert with_outlet.text == "The minister resigned."
    assert with_outlet.removed[0].reason == "learned boilerplate for outlet The Paper"
    without = split_plain_text(text, source="x", outlet_filter=learned)
    assert "reader-funded" in without.text


def test_known_title_makes_the_whole_text_the_body() -> None:
    """A source that knows the headline (JSON Lines, feeds): a one-line text is all body."""
    article = split_plain_text("Nurses accepted the pay offer.", source="wire.jsonl", title="Pay")
    assert article.title == "Pay" and article.text == "Nurses accepted the pay offer."
