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
    # the tagger learnt PolNeAR's attributions of hope, intent and expectation; the current
    # weights miss "Many voters want a change in Washington" (the older ones found it)
    text = "Sanders hopes to win the nomination in July. Voters expect a close race in Ohio."
    doc = nlp(text)
    assert extract_with(doc, (), tagger=False) == ()  # no speech verb, no that-clause
    found = {
        (q.text, q.cue and q.cue.text, q.speaker and q.speaker.text) for q in extract_quotes(doc)
    }
    assert ("to win the nomination in July", "hopes", "Sanders") in found
    assert ("a close race in Ohio", "expect", "Voters") in found


def test_rules_alone_still_find_the_seed_quotes(
    nlp: Any, seed: tuple[str, tuple[Quote, ...]]
) -> None:
    body, with_default = seed
    rules = extract_with(nlp(body), (), tagger=False)
    # every direct quote of the seed is found either way, at the same place
    direct = {(q.start, q.end) for q in rules if q.kind == "direct"}
    assert direct and direct <= {(q.start, q.end) for q in with_default}


def test_quote_over_paragraphs_is_one_quote_with_one_speaker(nlp: Any) -> None:
    text = (
        "The chancellor spoke on Monday.\n"
        '"We inherited the worst economic situation since the war.\n'
        '"But we will fix the foundations," Rachel Reeves said.\n'
        "We will not flinch from the hard choices ahead of us.\n"
    )
    quotes = extract_quotes(nlp(text), ())
    joined, carried = quotes
    assert joined.kind == "direct" and "\n" in joined.text
    assert joined.text.startswith('"We inherited') and joined.text.endswith('foundations,"')
    assert joined.speaker is not None and joined.speaker.text == "Rachel Reeves"
    assert carried.kind == "continuation" and carried.speaker == joined.speaker


def test_quoted_sentence_after_the_cue_shares_it(nlp: Any) -> None:
    text = '"We will win the vote," Mr Smith said. "The party is united behind the plan."'
    first, second = extract_quotes(nlp(text), ())
    assert second.text == '"The party is united behind the plan."'
    assert second.cue == first.cue and second.speaker == first.speaker


def test_impersonal_cues_take_no_earlier_speaker(nlp: Any) -> None:
    text = (
        'Sir Keir told reporters: "Russia started this war and must end it."\n'
        "It is believed that both leaders aim to develop a strategy for Ukraine.\n"
        "This week, it was also confirmed that Iran has sent missiles to Russia.\n"
        "The goal is that the choices made will be resilient, especially considering the "
        "uncertainty surrounding the election."
    )
    quotes = extract_quotes(nlp(text), ())
    believed = _covering(quotes, text, "both leaders aim")
    assert believed.speaker is None and believed.cue and believed.cue.text == "is believed"
    assert all(q.speaker is None for q in quotes if "Iran has sent" in q.text)
    assert not any("the uncertainty" in q.text for q in quotes)  # "considering" says nothing
    assert not any(q.speaker and q.speaker.text == "the choices" for q in quotes)


def test_possessive_speaker_is_not_linked_to_the_possessor(nlp: Any) -> None:
    text = "Mr. Zelensky's administration has said that it needs more missiles."
    entity = _entity(text, "e1", "Volodymyr Zelensky", "person", "Mr. Zelensky")
    (quote,) = extract_quotes(nlp(text), (entity,))
    assert quote.speaker is not None
    assert (quote.speaker.text, quote.speaker.entity_id) == ("Mr. Zelensky's administration", None)


def test_doubled_apostrophe_quotes_and_lead_in(nlp: Any) -> None:
    text = (
        "Its job is ''really a combination of things that the Treasury and a development "
        "bank do,'' Ms. Acosta said."
    )
    (quote,) = extract_quotes(nlp(text), ())
    assert quote.text.startswith("Its job is ''really") and quote.kind == "mixed"
    assert quote.speaker is not None and quote.speaker.text == "Acosta"


@pytest.mark.parametrize(
    "text",
    [
        "“Nested ‘single “double” again’ marks,” she said. ‘Unclosed single\n“Unclosed double",
        '"Opened\n"and carried\n"and never closed\nNarration.',
        "''" * 50 + " he said ''",
        "‘" + "A long British quote goes on and on. " * 200 + "’ the minister said.",
        "“" + "Words. " * 1500 + "\n“" + "More words. " * 1500 + "” he said.",
    ],
)
def test_unbalanced_nested_and_very_long_quotes(nlp: Any, text: str) -> None:
    quotes = extract_quotes(nlp(text), ())
    assert all(
        0 <= q.start < q.end <= len(text) and text[q.start : q.end] == q.text for q in quotes
    )
    assert [q.start for q in quotes] == sorted(q.start for q in quotes)


@pytest.mark.parametrize(("open_mark", "close_mark"), [("“", "”"), ("‘", "’"), ('"', '"')])
def test_quote_thousands_of_characters_long_keeps_its_speaker(
    nlp: Any, open_mark: str, close_mark: str
) -> None:
    words = "The government will not back down on the plan for the economy. " * 80
    text = f"{open_mark}{words.strip()}{close_mark} the minister said.\nNarration follows."
    (quote,) = extract_quotes(nlp(text), ())
    assert len(quote.text) > 5000 and quote.kind == "direct"
    assert quote.speaker is not None and quote.speaker.text == "the minister"


@pytest.mark.skipif(not tagger_available(), reason="attribution tagger weights are not installed")
@pytest.mark.parametrize(
    "text",
    [
        "As stated by Downing Street, the meeting will center on strategy and explore ways to "
        "make headway towards a lasting solution for both issues.",
        "According to Downing Street, the talks will explore ways to make headway on trade.",
    ],
)
def test_a_borrowed_main_clause_is_the_whole_content(nlp: Any, text: str) -> None:
    (quote,) = extract_with(nlp(text), (), True)
    assert quote.text.startswith("the ") and quote.text.rstrip(".").endswith(text[-20:-1])
    assert quote.speaker is not None and quote.speaker.name == "Downing Street"
