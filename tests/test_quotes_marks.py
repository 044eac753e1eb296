"""Direct quotes found by their marks (no model needed)."""

from __future__ import annotations

from westminster.nlp.quotes.marks import find_quoted, paragraphs


def _texts(text: str) -> list[str]:
    return [text[q.start : q.end] for q in find_quoted(text)]


def test_curly_and_straight_double_quotes() -> None:
    text = 'He said “we will win” and she said "we will not".'
    assert _texts(text) == ["“we will win”", '"we will not"']


def test_single_quotes_in_a_headline_but_not_apostrophes() -> None:
    text = "Clinton's aide: Hillary ‘Better Qualified to Be President’ than Bill's team"
    assert _texts(text) == ["‘Better Qualified to Be President’"]


def test_nested_single_quotes_stay_inside_the_double_quote() -> None:
    text = "“Americans don’t say ‘queue’, they say line,” he said."
    assert _texts(text) == ["“Americans don’t say ‘queue’, they say line,”"]


def test_quote_continuing_into_the_next_paragraph() -> None:
    text = "“First paragraph of remarks goes on\n“and the second one ends here.”\nNarration."
    found = _texts(text)
    assert found == ["“First paragraph of remarks goes on", "“and the second one ends here.”"]


def test_unbalanced_mark_closes_at_paragraph_end_and_short_strays_are_dropped() -> None:
    text = 'He said “this is an unclosed quote of words\nThe 6" shelf.\nNo marks here.'
    assert _texts(text) == ["“this is an unclosed quote of words"]


def test_long_quote_and_no_quote() -> None:
    long = "word " * 2000
    assert _texts(f"“{long}”") == [f"“{long}”"]
    assert find_quoted("Nothing quoted at all.") == []
    assert find_quoted("") == []


def test_paragraphs_skip_blank_lines() -> None:
    assert paragraphs("a\n\n  b \n") == [(0, 1), (5, 6)]
