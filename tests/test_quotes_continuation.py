"""Unmarked paragraphs that carry on a speaker's remarks."""

from __future__ import annotations

from typing import Any

import pytest

from westminster.models import Quote, QuoteSpeaker
from westminster.nlp.model import load_model
from westminster.nlp.quotes.continuation import find_continuations

TEXT = (
    'Ms Reeves told reporters: "The economy is turning."\n'
    "We have done the hard work and our plan is working.\n"
    "The US economy grew by two percent last year.\n"
    "We will keep going.\n"
)


@pytest.fixture(scope="module")
def nlp() -> Any:
    return load_model()


def test_first_person_paragraph_continues_until_narration_breaks_it(nlp: Any) -> None:
    doc = nlp(TEXT)
    speaker = QuoteSpeaker(0, 9, "Ms Reeves", "Rachel Reeves", "e1")
    end = TEXT.index("\n")
    quote = Quote(26, end, TEXT[26:end], "direct", speaker, None)
    found = find_continuations(doc, [quote])
    assert [q.text for q in found] == ["We have done the hard work and our plan is working."]
    assert found[0].kind == "continuation" and found[0].speaker == speaker


def test_no_speaker_no_continuation(nlp: Any) -> None:
    doc = nlp(TEXT)
    end = TEXT.index("\n")
    assert find_continuations(doc, [Quote(26, end, TEXT[26:end], "direct", None, None)]) == []
    assert find_continuations(doc, []) == []
