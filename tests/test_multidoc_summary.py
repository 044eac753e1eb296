"""Story summaries across articles (nlp.multidoc), the checked abstractive backend, the eval."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
import spacy
from typer.testing import CliRunner

from tests.conftest import SHARED_DATA, needs_shared_data
from tests.llm_server import chat_server
from westminster.cli.app import app
from westminster.evaluation.summary import evaluate, load_examples
from westminster.nlp.abstractive import (
    SUPPORT_THRESHOLD,
    LLMEndpoint,
    SummaryBackendError,
    abstractive_summary,
    check_sentence,
    split_cited,
    support_share,
)
from westminster.nlp.multidoc import (
    StoryDocument,
    StorySentence,
    candidate_sentences,
    light_pipeline,
    summarise_story,
)

BUDGET_A = StoryDocument(
    "a",
    "Council approves budget for schools and roads",
    "The council approved a budget of £12 million for schools and roads on Monday evening. "
    "Councillors voted 31 to 12 for the budget after a long debate about schools and roads. "
    "The weather in the borough was unusually warm for the time of year. "
    "The budget repairs the worst roads and hires more teachers for the borough's schools.",
)
BUDGET_B = StoryDocument(
    "b",
    "Schools and roads budget passed",
    "Councillors passed the £12 million budget for schools and roads by 31 votes to 12. "
    "Opposition councillors said the budget for schools and roads was far too small. "
    "A spokesman for the bakery across the street declined to comment on anything.",
)
BUDGET_C = StoryDocument(
    "c",
    "Budget row over schools and roads",
    "The £12 million budget for schools and roads was approved after a long debate. "
    "Parents said the money for schools and roads came years too late for their children.",
)


def texts(chosen: tuple[StorySentence, ...]) -> list[str]:
    return [s.text for s in chosen]


def test_sentences_come_from_across_the_story_each_citing_its_article() -> None:
    docs = [BUDGET_A, BUDGET_B, BUDGET_C]
    chosen = summarise_story(docs, headline="Council approves schools and roads budget")
    assert len(chosen) == 3
    assert len({s.article_id for s in chosen}) >= 2  # more than one outlet speaks
    for sentence in chosen:
        source = next(d for d in docs if d.article_id == sentence.article_id)
        assert sentence.text in source.text  # extractive: the words are the article's
    assert [(s.document, s.index) for s in chosen] == sorted((s.document, s.index) for s in chosen)
    assert not any("weather" in t or "bakery" in t for t in texts(chosen))


def test_copies_neither_supply_sentences_nor_vote() -> None:
    copy = StoryDocument(
        "copy",
        BUDGET_A.title,
        BUDGET_A.text + " Subscribe to the Borough Gazette newsletter for schools and roads news.",
        independent=False,
    )
    chosen = summarise_story([BUDGET_A, copy, BUDGET_C], sentences=3)
    assert {s.article_id for s in chosen} <= {"a", "c"}
    # With only copies in a story, they are used (better than no summary).
    alone = summarise_story([copy], sentences=2)
    assert {s.article_id for s in alone} == {"copy"}


def test_restated_sentences_are_not_repeated() -> None:
    restated = StoryDocument(
        "r",
        BUDGET_A.title,
        "The council approved a budget of £12 million for schools and roads on Monday night. "
        "Councillors voted 31 to 12 for the budget after a long debate about schools and roads.",
    )
    chosen = summarise_story([BUDGET_A, restated], sentences=3)
    starts = [t[:30] for t in texts(chosen)]
    assert len(starts) == len(set(starts)) == 3
    assert sum("approved a budget of £12 million" in t for t in texts(chosen)) == 1


def test_weight_and_empty_inputs() -> None:
    assert summarise_story([], sentences=3) == ()
    assert summarise_story([BUDGET_A], sentences=0) == ()
    background = StoryDocument(BUDGET_A.article_id, BUDGET_A.title, BUDGET_A.text, weight=0.1)
    chosen = summarise_story([background, BUDGET_B], sentences=1)
    assert chosen[0].article_id == "b"  # the period's article outweighs old background
    with pytest.raises(ValueError, match="2 parsed docs for 1 documents"):
        summarise_story([BUDGET_A], docs=list(light_pipeline().pipe(["x", "y"])))


def test_the_light_pipeline_needs_no_model_and_agrees_on_plain_news() -> None:
    nlp = light_pipeline()
    assert nlp.pipe_names == ["sentencizer"]
    model = spacy.blank("en")
    model.add_pipe("sentencizer")
    assert texts(summarise_story([BUDGET_A], nlp=model)) == texts(summarise_story([BUDGET_A]))


# --- the abstractive backend -----------------------------------------------------------------

CANDIDATES = candidate_sentences([BUDGET_A, BUDGET_B, BUDGET_C], limit=6)


def _number_of(fragment: str) -> int:
    return next(i for i, c in enumerate(CANDIDATES, 1) if fragment in c.text)


def test_split_and_check_keep_only_cited_supported_sentences() -> None:
    approved = _number_of("was approved after")
    late = _number_of("years too late")
    answer = (
        f"- The council approved a £12 million budget for schools and roads. [{approved}]\n"
        f"Parents said the money came years too late [{late}]. "
        "The mayor resigned over the budget.\n"  # uncited
        f"The council also approved £90 million for a new stadium. [{approved}]\n"  # a new number
        f"Teachers went on strike across the whole country. [{approved}]\n"  # unsupported
        "Councillors approved the budget for schools and roads. [99]"  # no such source
    )
    pieces = split_cited(answer)
    assert [p[1] for p in pieces][:3] == [(approved,), (late,), ()]
    kept = [c for t, n in pieces if (c := check_sentence(t, n, CANDIDATES)) is not None]
    assert [k.text for k in kept] == [
        "The council approved a £12 million budget for schools and roads.",
        "Parents said the money came years too late.",
    ]
    assert kept[1].article_ids == (CANDIDATES[late - 1].article_id,)
    assert all(k.support >= SUPPORT_THRESHOLD for k in kept)
    assert support_share("Teachers went on strike across the country.", [CANDIDATES[0].text]) < 0.3


def test_abstractive_summary_through_a_real_http_endpoint() -> None:
    approved, late = _number_of("was approved after"), _number_of("years too late")
    answer = (
        f"The council approved a £12 million budget for schools and roads [{approved}][{late}]. "
        "It was the largest budget in the borough's history. "  # uncited: dropped
        f"Parents said the money came years too late [{late}]."
    )
    with chat_server(answer) as server:
        endpoint = LLMEndpoint(server.base, "test-model", api_key="sk-test")
        kept = abstractive_summary(CANDIDATES, endpoint, headline="Council budget", sentences=3)
    assert [k.text for k in kept] == [
        "The council approved a £12 million budget for schools and roads.",
        "Parents said the money came years too late.",
    ]
    first_ids = {CANDIDATES[approved - 1].article_id, CANDIDATES[late - 1].article_id}
    assert set(kept[0].article_ids) == first_ids
    request = server.requests[0]
    assert request["model"] == "test-model" and request["temperature"] == 0.0
    assert request["messages"][0]["role"] == "system" and "[2]" in request["messages"][0]["content"]
    user = request["messages"][1]["content"]
    assert user.startswith("Story: Council budget") and f"[1] {CANDIDATES[0].text}" in user
    assert server.headers[0]["authorization"] == "Bearer sk-test"


def test_abstractive_failures_raise_so_the_caller_falls_back() -> None:
    with chat_server("Nothing here cites anything at all, sadly.") as server:
        endpoint = LLMEndpoint(server.base, "m")
        with pytest.raises(SummaryBackendError, match="no generated sentence"):
            abstractive_summary(CANDIDATES, endpoint)
        server.status = 500
        with pytest.raises(SummaryBackendError, match="HTTP 500"):
            abstractive_summary(CANDIDATES, endpoint)
        server.status, server.raw = 200, b'{"choices": []}'
        with pytest.raises(SummaryBackendError, match="not an OpenAI chat completion"):
            abstractive_summary(CANDIDATES, endpoint)
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{probe.getsockname()[1]}/v1"
    with pytest.raises(SummaryBackendError, match="request failed") as caught:
        abstractive_summary(CANDIDATES, LLMEndpoint(closed, "m", timeout_s=2.0))
    assert caught.value.code == "W620"
    with pytest.raises(SummaryBackendError, match="no source sentences"):
        abstractive_summary((), LLMEndpoint(closed, "m"))


# --- westminster eval summary, extended to stories ----------------------------------------------

BODY = (
    "The council approved the budget for schools and roads on Monday. "
    "Residents had campaigned against cuts to schools and roads for months. "
    "The weather was warm. "
    "Critics said the budget for schools and roads was too small."
)


def _dataset(root: Path) -> Path:
    (root / "articles").mkdir(parents=True)
    (root / "summaries").mkdir()
    for name in ("001", "002"):
        (root / "articles" / f"{name}.txt").write_text(
            f"Council budget {name}\n\n{BODY}\n\nA second paragraph for the copies. It has two.",
            encoding="utf-8",
        )
        (root / "summaries" / f"{name}.txt").write_text(BODY, encoding="utf-8")
    return root


def test_eval_reports_story_rows_beside_lead(tmp_path: Path) -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    report = evaluate(load_examples(_dataset(tmp_path)), nlp, dataset="tiny")
    for system in ("story", "story-light", "story-copies", "story-unlinked"):
        for length in ("default", "matched"):
            assert 0.0 < report.row(system, length).f1("rouge1") <= 1.0
    # Linked copies change nothing: the summary is the one-article story's.
    copies, light = report.row("story-copies", "default"), report.row("story-light", "default")
    assert (copies.scores, copies.mean_words) == (light.scores, light.mean_words)
    assert report.unlinked_original_share is not None
    result = CliRunner().invoke(app, ["eval", "summary", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "LEAD-3" in result.output and "ours (3)" in result.output  # the existing table
    assert "Story summaries" in result.output and "story: +2 unlinked copies (3)" in result.output


@needs_shared_data
def test_bbc_story_rows_hold_their_floors() -> None:
    # Measured on the first 30 articles, ROUGE-1/2/L F1 at 3 sentences: story 0.541/0.488/
    # 0.372, story-light 0.555/0.507/0.391, unlinked copies 0.552/0.479/0.392; LEAD-3
    # 0.413/0.309/0.309. At the reference's length: story 0.802/0.719/0.455.
    examples = load_examples(SHARED_DATA / "bbc-politics", limit=30)
    from westminster.nlp.model import load_model

    report = evaluate(examples, load_model(), dataset="bbc")
    lead = report.row("lead", "default")
    for system in ("story", "story-light", "story-copies", "story-unlinked"):
        row = report.row(system, "default")
        assert row.f1("rouge1") >= lead.f1("rouge1") + 0.08, system
        assert row.f1("rouge2") >= lead.f1("rouge2") + 0.1, system
    assert report.row("story", "default").f1("rouge1") >= 0.52
    assert report.row("story", "matched").f1("rouge1") >= 0.77
