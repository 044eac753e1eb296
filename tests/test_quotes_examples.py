"""False quotes once found in the bundled example articles (examples/articles), built again."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from westminster.cli.app import app
from westminster.nlp.model import load_model
from westminster.nlp.quotes.extract import extract_with
from westminster.nlp.quotes.reported import trim_content
from westminster.nlp.quotes.tagged import tagger_available

ARTICLES = Path(__file__).resolve().parents[1] / "examples" / "articles"
# Rules alone, and rules with the trained tagger when its weights are installed.
MODES = [False, True] if tagger_available() else [False]

runner = CliRunner()


@pytest.fixture(scope="module")
def nlp() -> Any:
    return load_model()


def _quotes(nlp: Any, text: str, tagger: bool) -> list[tuple[str, str, str]]:
    """(kind, content, cue) of every attribution in the text."""
    return [
        (q.kind, q.text, q.cue.text if q.cue else "")
        for q in extract_with(nlp(text), (), tagger=tagger)
    ]


@pytest.mark.parametrize("tagger", MODES)
def test_time_clause_cue_does_not_take_the_main_clause(nlp: Any, tagger: bool) -> None:
    text = (
        "Keir Starmer arrived in Washington on Friday for talks with Joe Biden as Vladimir "
        "Putin warned the West against letting Ukraine strike Russia with long-range missiles."
    )
    assert not [q for q in _quotes(nlp, text, tagger) if "arrived in Washington" in q[1]]


@pytest.mark.parametrize("tagger", MODES)
def test_after_clause_cue_does_not_take_the_main_clause(nlp: Any, tagger: bool) -> None:
    text = "The borrowing continued after the minister said the growth had cooled."
    contents = [q[1] for q in _quotes(nlp, text, tagger)]
    assert not [c for c in contents if "borrowing" in c]
    assert "the growth had cooled" in contents


@pytest.mark.parametrize("tagger", MODES)
@pytest.mark.parametrize(
    ("text", "content"),
    [
        ("The deal is dead, as he told reporters on Friday.", "The deal is dead"),
        (
            "As Downing Street said on Friday, the meeting will focus on strategy.",
            "the meeting will focus on strategy",
        ),
    ],
)
def test_parenthetical_as_clause_still_takes_the_main_clause(
    nlp: Any, tagger: bool, text: str, content: str
) -> None:
    assert content in [q[1] for q in _quotes(nlp, text, tagger)]


@pytest.mark.parametrize("tagger", MODES)
def test_said_takes_its_whole_clause_over_a_nested_impersonal_cue(nlp: Any, tagger: bool) -> None:
    text = (
        "Officials had said before the meeting that it was not expected to produce an announcement."
    )
    quotes = _quotes(nlp, text, tagger)
    said = [q for q in quotes if q[2] == "had said"]
    assert [q[1] for q in said] == ["that it was not expected to produce an announcement"]
    assert not [q for q in quotes if q[1] == "to produce an announcement"]


@pytest.mark.parametrize("tagger", MODES)
def test_without_announcing_is_no_attribution(nlp: Any, tagger: bool) -> None:
    text = (
        "Sir Keir Starmer and Joe Biden ended talks at the White House on Friday without "
        "announcing whether Ukraine may fire long-range Storm Shadow missiles at targets."
    )
    assert _quotes(nlp, text, tagger) == []


@pytest.mark.parametrize("tagger", MODES)
def test_without_saying_a_quote_still_quotes_it(nlp: Any, tagger: bool) -> None:
    text = 'I spent the weekend without saying, "This is the most absurd argument I have read."'
    assert [q[0] for q in _quotes(nlp, text, tagger)] == ["direct"]


@pytest.mark.parametrize("tagger", MODES)
def test_words_before_a_colon_leave_the_quote_direct_and_whole(nlp: Any, tagger: bool) -> None:
    quote = "\"We don't seek any conflict with Russia. That's not our intention in the slightest.\""
    text = f"Sir Keir said on his way to Washington: {quote}"
    assert _quotes(nlp, text, tagger) == [("direct", quote, "said")]


@pytest.mark.parametrize("tagger", MODES)
def test_reported_content_ends_on_a_word(nlp: Any, tagger: bool) -> None:
    text = (
        "This week, it was also confirmed that Iran has sent ballistic missiles to Russia, "
        "enhancing President Putin's ability to maintain his unlawful campaign."
    )
    contents = [q[1] for q in _quotes(nlp, text, tagger)]
    assert contents and all(not c.endswith(",") for c in contents)


def test_trim_keeps_the_full_stop_of_an_abbreviation() -> None:
    text = "that they will move to the U.S."
    assert text[slice(*trim_content(text, 0, len(text)))] == text
    plain = "that the timing was unrelated."
    assert plain[slice(*trim_content(plain, 0, len(plain)))] == "that the timing was unrelated"


def test_example_articles_have_no_known_false_quotes() -> None:
    """The bundled articles end to end: the quotes an analyst flagged as wrong stay gone."""
    names = [
        "2024-09-13-courier-putin-warning.html",
        "2024-09-13-ledger-storm-shadow.html",
        "2024-09-14-wire-no-decision.html",
    ]
    result = runner.invoke(app, ["analyse", *(str(ARTICLES / n) for n in names), "--json"])
    assert result.exit_code == 0, result.stderr
    quotes = {q["text"]: q for article in json.loads(result.stdout) for q in article["quotes"]}
    assert not [t for t in quotes if t.startswith("Keir Starmer arrived")]
    assert not [t for t in quotes if t.startswith("whether Ukraine may fire")]
    assert "to produce an announcement" not in quotes
    assert "that it was not expected to produce an announcement" in quotes
    whole = "\"We don't seek any conflict with Russia. That's not our intention in the slightest.\""
    assert quotes[whole]["kind"] == "direct"
    putin = [q for q in quotes.values() if "at war with Russia" in q["text"]]
    assert putin and all(q["speaker"] for q in putin)
