"""The PolNeAR-trained attribution tagger: its input doc, its spans, and their linking."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy
import pytest
from spacy.tokens import Doc

from westminster.errors import ModelError
from westminster.nlp.model import load_model
from westminster.nlp.quotes import tagged
from westminster.nlp.quotes.tagger_model import (
    PARSE_TENSOR_WIDTH,
    attribution_embed,
    attribution_hints,
)

needs_weights = pytest.mark.skipif(
    not tagged.tagger_available(), reason="attribution tagger weights are not installed"
)
SENTENCE = "The senator said that the bill would fail in the House next week."


@pytest.fixture(scope="module")
def parsed() -> Any:
    return load_model()(SENTENCE)


def test_feature_doc_copies_words_and_parse_but_no_entities(parsed: Any) -> None:
    doc = tagged.feature_doc(parsed, parsed.vocab)
    assert doc.text == parsed.text
    assert [t.dep_ for t in doc] == [t.dep_ for t in parsed]
    assert [t.head.i for t in doc] == [t.head.i for t in parsed]
    assert [t.pos_ for t in doc] == [t.pos_ for t in parsed]
    assert parsed.ents and not doc.ents  # "the House", "next week" stay with the caller's doc


@needs_weights
def test_tagger_finds_content_cue_and_source(parsed: Any) -> None:
    spans = {(label, parsed[s:e].text) for label, s, e in tagged.tag_spans(parsed)}
    assert ("CUE", "said") in spans
    assert any(label == "SOURCE" and "senator" in text for label, text in spans)
    assert any(label == "CONTENT" and "the bill would fail" in text for label, text in spans)


@needs_weights
def test_tagged_found_links_nearest_cue_and_source(parsed: Any) -> None:
    ents_before = [(e.start, e.end, e.label_) for e in parsed.ents]
    (found,) = tagged.tagged_found(parsed, SENTENCE)
    assert "the bill would fail in the House" in SENTENCE[found.start : found.end]
    assert found.kind == "indirect"
    assert found.cue is not None and SENTENCE[found.cue[0] : found.cue[1]] == "said"
    assert found.source is not None and parsed[found.source].text == "senator"
    assert not found.follows
    # the caller's doc keeps its own entities: the tagger runs on a copy
    assert [(e.start, e.end, e.label_) for e in parsed.ents] == ents_before


def test_missing_weights_are_a_model_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tagged.load_tagger.cache_clear()
    monkeypatch.setattr(tagged, "MODEL_DIR", tmp_path / "absent")
    try:
        assert not tagged.tagger_available()
        with pytest.raises(ModelError, match="attribution tagger"):
            tagged.load_tagger()
    finally:
        tagged.load_tagger.cache_clear()


def test_feature_doc_carries_hints_as_tags_and_the_parse_tensor(parsed: Any) -> None:
    doc = tagged.feature_doc(parsed, parsed.vocab)
    assert [t.tag_ for t in doc] == attribution_hints(parsed)
    assert doc.tensor.shape == (len(parsed), PARSE_TENSOR_WIDTH)
    assert (doc.tensor == parsed.tensor).all()


def test_hints_mark_quoted_words_marks_and_cue_words() -> None:
    doc = load_model()('Mr Lammy said: "The UK will give more." He added that it was right.')
    hints = [(t.text, h) for t, h in zip(doc, attribution_hints(doc), strict=True)]
    assert ("said", "oV-") in hints  # a cue verb, outside quotes
    assert ("Lammy", "o-V") in hints  # the cue verb's subject hangs from it
    assert hints[4] == ('"', "M-V")  # the opening mark
    assert ("UK", "Q--") in hints  # inside the quote
    assert ("added", "oV-") in hints
    assert all(h[0] == "o" for _, h in hints[hints.index(("added", "oV-")) :])


def test_hints_of_a_doc_without_quotes_or_cues_are_all_plain() -> None:
    doc = load_model()("The weather was cold in Leeds on Tuesday.")
    assert set(attribution_hints(doc)) == {"o--"}


def test_embed_without_a_parse_tensor_gives_zeros_not_an_error() -> None:
    vocab = load_model().vocab
    model = attribution_embed(8, ["NORM", "TAG"], [16, 16], True)
    doc = Doc(vocab, words=["Ministers", "said", "no"], tags=["o--", "oV-", "o--"])
    model.initialize(X=[doc])
    (out,) = model.predict([doc])
    assert out.shape == (3, 8)
    with_tensor = Doc(vocab, words=["Ministers", "said", "no"], tags=["o--", "oV-", "o--"])
    with_tensor.tensor = numpy.ones((3, PARSE_TENSOR_WIDTH), dtype="float32")
    (out2,) = model.predict([with_tensor])
    assert out2.shape == (3, 8) and not numpy.allclose(out, out2)  # the tensor is read


@needs_weights
def test_a_cue_s_own_subject_pronoun_is_never_content() -> None:
    text = "This week, it was also confirmed that Iran has sent ballistic missiles to Russia."
    doc = load_model()(text)
    contents = [doc[s:e].text for label, s, e in tagged.tag_spans(doc) if label == "CONTENT"]
    assert contents and all(c.lower() != "it" for c in contents)
    (found,) = tagged.tagged_found(doc, text)
    assert found.cue is not None and text[found.cue[0] : found.cue[1]] == "was also confirmed"
