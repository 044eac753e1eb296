"""Direct quotes attached to cues; headline colon lines."""

from __future__ import annotations

from typing import Any

import pytest

from westminster.nlp.model import load_model
from westminster.nlp.quotes.direct import attach_direct, colon_lines
from westminster.nlp.quotes.marks import find_quoted


@pytest.fixture(scope="module")
def nlp() -> Any:
    return load_model()


def test_trailing_and_leading_cues(nlp: Any) -> None:
    text = '"We are ready for this," she said.\nThe minister warned: "It will be hard."'
    doc = nlp(text)
    found, loose = attach_direct(doc, find_quoted(text))
    assert [text[f.cue[0] : f.cue[1]] for f in found if f.cue] == ["said", "warned"]
    assert [doc[f.source].text for f in found if f.source is not None] == ["she", "minister"]
    assert loose == []


def test_quote_inside_a_that_clause_is_left_for_reported_speech(nlp: Any) -> None:
    text = 'She said that the plan was "a disaster for everyone involved".'
    found, loose = attach_direct(nlp(text), find_quoted(text))
    assert found == [] and len(loose) == 1


def test_headline_colon_line(nlp: Any) -> None:
    text = "Bernie Sanders: Brexit's message could draw Trump support in US\nBody text."
    (found,) = colon_lines(nlp(text), text)
    assert text[found.start : found.end] == "Brexit's message could draw Trump support in US"
    assert found.kind == "indirect"
