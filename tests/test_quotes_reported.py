"""Reported, mixed and 'according to' attributions over the parse."""

from __future__ import annotations

from typing import Any

import pytest

from westminster.nlp.model import load_model
from westminster.nlp.quotes.reported import find_reported


@pytest.fixture(scope="module")
def nlp() -> Any:
    return load_model()


def _run(nlp: Any, text: str) -> list[tuple[str, str, str]]:
    doc = nlp(text)
    return [
        (f.kind, text[f.start : f.end], doc[f.source].text if f.source is not None else "")
        for f in find_reported(doc, text, set())
    ]


def test_stated_that_is_indirect(nlp: Any) -> None:
    found = _run(nlp, "Mr Lammy has stated that the UK will provide more support.")
    assert found == [("indirect", "that the UK will provide more support", "Lammy")]


def test_described_as_with_marks_is_mixed(nlp: Any) -> None:
    found = _run(nlp, "Putin described the move as 'a war with NATO'.")
    assert found and found[0][0] == "mixed" and "a war with NATO" in found[0][1]
    assert found[0][2] == "Putin"


def test_as_stated_by_takes_the_main_clause(nlp: Any) -> None:
    text = "As stated by Downing Street, the meeting will center on strategy."
    assert _run(nlp, text) == [("indirect", "the meeting will center on strategy", "Street")]


def test_first_person_reporting_outside_quotes_is_ignored(nlp: Any) -> None:
    assert _run(nlp, "We believe that the plan will work.") == []


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        (
            "CLEVELAND — Former Attorney General Michael Mukasey told reporters that the "
            "server should disqualify her.",
            "Mukasey",
        ),
        ("WASHINGTON -- Clinton has said that she will run again.", "Clinton"),
        ("LONDON (Reuters) - Keir Starmer said on Friday that the UK would act.", "Starmer"),
    ],
)
def test_a_dateline_is_never_the_speaker(nlp: Any, text: str, speaker: str) -> None:
    (found,) = _run(nlp, text)
    assert found[2] == speaker


def test_a_capitalised_subject_without_a_dash_still_speaks(nlp: Any) -> None:
    (found,) = _run(nlp, "NATO said the alliance would act within days.")
    assert found[2] == "NATO"
