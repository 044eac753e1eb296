"""extract_quotes end to end: the seed article and the forms the issue lists."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.conftest import SEED
from westminster.models import Entity, Mention, Quote
from westminster.nlp.model import load_model
from westminster.nlp.quotes import extract_quotes
from westminster.nlp.quotes.extract import extract_with
from westminster.nlp.quotes.tagged import tagger_available


@pytest.fixture(scope="module")
def nlp() -> Any:
    return load_model()


def _entity(text: str, eid: str, name: str, kind: str, *surfaces: str) -> Entity:
    mentions = tuple(
        Mention(m.start(), m.end(), m.group())
        for s in surfaces
        for m in re.finditer(re.escape(s), text)
    )
    return Entity(eid, name, kind, mentions=mentions)


@pytest.fixture(scope="module")
def seed(nlp: Any) -> tuple[str, tuple[Quote, ...]]:
    body = SEED.read_text(encoding="utf-8").split("\n", 4)[4]
    doc = nlp(body)
    # what the entity resolver gives: role mentions linked to the office holder on 2024-09-13
    entities = (
        _entity(
            body,
            "e1",
            "Keir Starmer",
            "person",
            "Sir Keir",
            "a resolute prime minister",
            "The prime minister",
        ),
        _entity(body, "e2", "Vladimir Putin", "person", "Putin"),
        _entity(body, "e3", "David Lammy", "person", "Lammy"),
        _entity(body, "e4", "Downing Street", "organisation", "Downing Street"),
    )
    return body, extract_quotes(doc, entities)


def _covering(quotes: tuple[Quote, ...], body: str, phrase: str) -> Quote:
    at = body.index(phrase)
    return next(q for q in quotes if q.start <= at < q.end)


def test_seed_speakers(seed: tuple[str, tuple[Quote, ...]]) -> None:
    body, quotes = seed
    putin = _covering(quotes, body, "at war with NATO")
    assert (putin.speaker and putin.speaker.entity_id, putin.kind) == ("e2", "mixed")
    clear = _covering(quotes, body, "Let me be clear, it was Russia")
    assert clear.kind == "direct" and clear.speaker and clear.speaker.entity_id == "e1"
    assert clear.speaker.text == "a resolute prime minister"
    carried = _covering(quotes, body, "That's why we've been offering training")
    assert carried.kind == "continuation" and carried.speaker == clear.speaker
    lammy = _covering(quotes, body, "£600 million")
    assert (lammy.kind, lammy.speaker and lammy.speaker.entity_id) == ("indirect", "e3")
    downing = _covering(quotes, body, "the meeting will center on strategy")
    assert downing.speaker and downing.speaker.entity_id == "e4"
    assert downing.cue and downing.cue.text == "stated"


def test_seed_offsets_sorted_and_narration_left_alone(seed: tuple[str, tuple[Quote, ...]]) -> None:
    body, quotes = seed
    assert [q.start for q in quotes] == sorted(q.start for q in quotes)
    assert all(body[q.start : q.end] == q.text for q in quotes)
    narration = body.index("Kyiv possesses stocks of Anglo-French missiles")
    assert not any(q.start <= narration < q.end for q in quotes)


def test_split_quote_shares_speaker_and_cue(nlp: Any) -> None:
    text = '"We will not back down," Mr Smith said, "and we will win the vote on Tuesday."'
    quotes = extract_quotes(nlp(text), ())
    assert [q.kind for q in quotes] == ["direct", "direct"]
    assert {q.speaker.text for q in quotes if q.speaker} == {"Smith"}
    assert quotes[0].cue == quotes[1].cue


def test_colon_quote_and_according_to(nlp: Any) -> None:
    text = (
        'The chancellor told MPs: "The books are balanced at last."\n'
        "According to the Treasury, borrowing fell by a tenth."
    )
    quotes = extract_quotes(nlp(text), ())
    assert quotes[0].kind == "direct" and quotes[0].cue and quotes[0].cue.text == "told"
    assert quotes[0].speaker and quotes[0].speaker.text == "The chancellor"
    assert quotes[1].text == "borrowing fell by a tenth"
    assert quotes[1].speaker and quotes[1].speaker.text == "Treasury"


def test_anonymous_source_and_institution(nlp: Any) -> None:
    text = "A senior Whitehall source said the deal was off. Downing Street denied the report."
    quotes = extract_quotes(nlp(text), ())
    speakers = [q.speaker.text for q in quotes if q.speaker]
    assert speakers == ["A senior Whitehall source", "Downing Street"]
    assert quotes[0].speaker and quotes[0].speaker.entity_id is None


def test_pronoun_resolves_to_previous_speaker(nlp: Any) -> None:
    text = "Rishi Sunak said the election was winnable.\nHe added that the polls were wrong."
    quotes = extract_quotes(nlp(text), ())
    assert len(quotes) == 2
    first, second = quotes
    assert second.speaker and first.speaker
    assert second.speaker.text == "He" and second.speaker.name == first.speaker.name


@pytest.mark.parametrize(
    "text",
    [
        "",
        "No quotes at all in this plain sentence about the weather.",
        '“Unclosed quote \n\n” stray ‘ marks ’ everywhere " and " more “',
        "“" + "A very long quoted sentence goes on. " * 300 + "” she said.",
    ],
)
def test_odd_input_gives_sensible_output(nlp: Any, text: str) -> None:
    quotes = extract_quotes(nlp(text), ())
    assert all(0 <= q.start < q.end <= len(text) for q in quotes)
    assert all(q.kind in ("direct", "indirect", "mixed", "continuation") for q in quotes)


@pytest.mark.skipif(not tagger_available(), reason="attribution tagger weights are not installed")
def test_tagger_adds_attributions_without_speech_verbs(nlp: Any) -> None:
    text = "Sanders hopes to win the nomination in July. Many voters want a change in Washington."
    doc = nlp(text)
    assert extract_with(doc, (), tagger=False) == ()  # no speech verb, no that-clause
    found = {
        (q.text, q.cue and q.cue.text, q.speaker and q.speaker.text) for q in extract_quotes(doc)
    }
    assert ("to win the nomination in July", "hopes", "Sanders") in found
    assert ("a change in Washington", "want", "Many voters") in found


def test_rules_alone_still_find_the_seed_quotes(
    nlp: Any, seed: tuple[str, tuple[Quote, ...]]
) -> None:
    body, with_default = seed
    rules = extract_with(nlp(body), (), tagger=False)
    # every direct quote of the seed is found either way, at the same place
    direct = {(q.start, q.end) for q in rules if q.kind == "direct"}
    assert direct and direct <= {(q.start, q.end) for q in with_default}
