"""The attribution tagger's input layer and per-token attribution hints (spaCy registry)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from spacy.ml.models.tok2vec import MultiHashEmbed
from spacy.util import registry
from thinc.api import Maxout, Model, chain, concatenate, with_array

from westminster.nlp.quotes.cues import CUE_NOUNS, is_cue_verb
from westminster.nlp.quotes.marks import quotes_in_article

# en_core_web_sm 3.8.0's tok2vec width: the size of the parse's doc.tensor.
PARSE_TENSOR_WIDTH = 96


def attribution_hints(parsed: Any) -> list[str]:
    """One short code per token: inside quote marks or a mark, a cue word, a cue word's dependent.

    The tagger embeds it as the TAG feature, so it sees what the rules see: whether a word is
    quoted, and whether it is, or hangs from, an attribution verb or noun.
    """
    quoted = quotes_in_article(parsed.text)  # sorted by start; Doc.text is rebuilt on each access
    cue = [_cue_code(t) for t in parsed]
    hints = []
    q = 0
    for t in parsed:
        # tokens and quotes both run left to right: one walk over each
        while q < len(quoted) and quoted[q].end <= t.idx:
            q += 1
        where = "o"
        if q < len(quoted) and quoted[q].start <= t.idx:
            inner = quoted[q].inner_start <= t.idx < quoted[q].inner_end
            where = "Q" if inner else "M"
        head = t.head
        hangs = cue[head.i] if head.i != t.i else "-"
        hints.append(f"{where}{cue[t.i]}{hangs}")
    return hints


def _cue_code(token: Any) -> str:
    if is_cue_verb(token):
        return "V"
    if token.pos_ == "NOUN" and token.lemma_.lower() in CUE_NOUNS:
        return "N"
    return "-"


def _parse_tensor_forward(
    model: Model[Any, Any], docs: list[Any], is_train: bool
) -> tuple[list[Any], Callable[[Any], list[Any]]]:
    width = model.get_dim("nO")
    out = []
    for doc in docs:
        tensor = doc.tensor
        if tensor is None or tensor.ndim != 2 or tensor.shape != (len(doc), width):
            # no parse tensor (a pipeline without tok2vec): zeros rather than a failure
            out.append(model.ops.alloc2f(len(doc), width))
        else:
            out.append(model.ops.asarray2f(tensor))
    return out, lambda d_out: []  # the parse's own weights are not trained here


def attribution_embed(
    width: int, attrs: list[str], rows: list[int], include_parse_tensor: bool
) -> Model[list[Any], list[Any]]:
    """MultiHashEmbed of the ATTRS, beside en_core_web_sm's contextual vectors when asked."""
    hashed: Model[list[Any], list[Any]] = MultiHashEmbed(
        width=width, attrs=attrs, rows=rows, include_static_vectors=False
    )
    if not include_parse_tensor:
        return hashed
    tensor: Model[list[Any], list[Any]] = Model(
        "parse_tensor", _parse_tensor_forward, dims={"nO": PARSE_TENSOR_WIDTH}
    )
    mix: Model[list[Any], list[Any]] = with_array(
        Maxout(width, width + PARSE_TENSOR_WIDTH, nP=2, normalize=True)
    )
    return chain(concatenate(hashed, tensor), mix)


# registered by call, not decorator: the decorator is untyped for mypy
registry.architectures.register("westminster.AttributionEmbed.v1", func=attribution_embed)
