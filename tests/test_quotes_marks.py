"""Direct quotes found by their marks (no model needed)."""

from __future__ import annotations

from westminster.nlp.quotes.marks import find_quoted, paragraphs, quotes_in_article


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


def test_quote_continuing_into_the_next_paragraph_is_one_quote() -> None:
    text = "“First paragraph of remarks goes on\n“and the second one ends here.”\nNarration."
    (quote,) = find_quoted(text)
    assert text[quote.start : quote.end] == (
        "“First paragraph of remarks goes on\n“and the second one ends here.”"
    )
    assert text[quote.inner_start] == "F" and text[quote.inner_end] == "”"


def test_straight_marks_carried_over_three_paragraphs() -> None:
    text = '"One goes on\n"two goes on\n"three ends." he said.\n"A new quote," she said.'
    assert _texts(text) == ['"One goes on\n"two goes on\n"three ends."', '"A new quote,"']


def test_curly_single_quotes_carry_on_and_skip_plural_possessives() -> None:
    text = "‘We will not back the ministers’ plans for long\n‘and that is final.’ Said he."
    assert _texts(text) == ["‘We will not back the ministers’ plans for long\n‘and that is final.’"]
    assert _texts("the so-called ‘red lines’ were crossed") == ["‘red lines’"]


def test_doubled_apostrophes_are_double_marks() -> None:
    text = "Ms. Acosta called it ''a great loss.'' ''Usually we get that back,'' she said."
    quoted = find_quoted(text)
    assert [text[q.inner_start : q.inner_end] for q in quoted] == [
        "a great loss.",
        "Usually we get that back,",
    ]
    nested = "He said ''The answer is not to yell, 'China bad.''' and left."
    (quote,) = find_quoted(nested)
    assert nested[quote.inner_start : quote.inner_end] == "The answer is not to yell, 'China bad.'"
    assert nested[quote.end - 2 : quote.end] == "''"


def test_unbalanced_mark_closes_at_paragraph_end_and_short_strays_are_dropped() -> None:
    text = 'He said “this is an unclosed quote of words\nThe 6" shelf.\nNo marks here.'
    assert _texts(text) == ["“this is an unclosed quote of words"]


def test_long_quote_and_no_quote() -> None:
    long = "word " * 2000
    assert _texts(f"“{long}”") == [f"“{long}”"]
    words = ("word " * 900).strip()
    assert _texts(f"‘{words}’") == [f"‘{words}’"]  # a curly single may run long too
    assert find_quoted("Nothing quoted at all.") == []
    assert find_quoted("") == []


def test_stray_and_nested_marks_never_fail() -> None:
    odd = ['"', "''", "'''", "“”", "” “", "‘’’", "\n“\n“\n", '" " "', "a '' b '' c ''", "“‘x”’"]
    for text in odd:
        for q in find_quoted(text):
            assert 0 <= q.start <= q.inner_start <= q.inner_end <= q.end <= len(text)


def test_paragraphs_skip_blank_lines() -> None:
    assert paragraphs("a\n\n  b \n") == [(0, 1), (5, 6)]


def test_quotes_in_article_are_find_quoted_remembered() -> None:
    text = 'He said "we will win" and then \u201cwe will see\u201d.'
    first = quotes_in_article(text)
    assert list(first) == find_quoted(text)
    assert quotes_in_article(text) is first  # the second call is not searched again
    assert quotes_in_article("no quotes here") == ()
