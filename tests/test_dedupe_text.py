"""dedupe.text: normalisation, hashing, shingles, sentences, names and numbers without NLP."""

from __future__ import annotations

from westminster.dedupe.text import (
    exact_key,
    name_tokens,
    normalise,
    number_tokens,
    sentences,
    shingles,
    words,
)


def test_exact_key_ignores_case_quotes_and_spacing_but_not_words() -> None:
    a = exact_key("Title", "He said \u201cno\u201d.\n\nAgain.")
    assert a == exact_key("TITLE", 'He  said "no". Again.')
    assert a != exact_key("Title", "He said yes. Again.")
    assert normalise("  A\u00a0B\u2014C ") == "a b-c"


def test_shingles_are_word_ngrams_and_short_texts_give_one() -> None:
    tokens = words("One two three four")
    assert shingles(tokens, 3) == {"one two three", "two three four"}
    assert shingles(["solo"], 3) == {"solo"}
    assert shingles([], 3) == set()


def test_sentences_split_on_punctuation_and_line_breaks_not_inside_numbers() -> None:
    text = 'Mr Putin spoke. "We will act," he said.\nNext line £3.5bn here'
    assert sentences(text) == [
        "Mr Putin spoke.",
        '"We will act," he said.',
        "Next line £3.5bn here",
    ]


def test_names_skip_sentence_starts_and_numbers_apply_scale() -> None:
    assert name_tokens("The minister met Joe Biden. Later Starmer left.") == {
        "joe",
        "biden",
        "starmer",
    }
    assert number_tokens("£600 million, 600m and 155 miles, 30 per cent") == {
        "6e+08",
        "155",
        "30%",
    }
