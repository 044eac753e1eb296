"""Optional abstractive story summary through an OpenAI-compatible chat endpoint, checked.

The model sees numbered source sentences (chosen by the extractive scorer, each from a known
article) and must end every sentence with the numbers of the sources it rests on, e.g. [2][5].
A sentence is kept only when it cites sources that exist and those sources support it: most of
its content words, and every number it states, appear in the cited sentences. Anything else is
dropped; a failed request or an answer with nothing kept raises SummaryBackendError, and the
caller falls back to the extractive summary. Nothing here runs unless an endpoint is set.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import httpx
from spacy.lang.en.stop_words import STOP_WORDS

from westminster.errors import WestminsterError
from westminster.nlp.multidoc import StorySentence

# A kept sentence needs at least this share of its content words (stop words dropped, crude
# plural/tense folding) in the sentences it cites. Measured on ../shared/data/bbc-politics
# with the synthetic paraphrases of `eval duplicates` (synonym and clause swaps; 3,111
# sentences): against its own source sentence a paraphrased sentence has a median share of
# 0.92 and 99.1% reach 0.6; against the best other sentence of the same article (a wrong
# citation) the median is 0.22 and 2.2% reach 0.6; against another article's sentences 0.1%.
SUPPORT_THRESHOLD = 0.6
# Generated sentences with fewer content words say too little to check.
MIN_CONTENT_WORDS = 3
# Seconds to wait for the endpoint (generation is slower than a page fetch).
REQUEST_TIMEOUT_S = 60.0
# Sampling temperature: summaries should be stable from run to run.
TEMPERATURE = 0.0
SYSTEM_PROMPT = (
    "You write short, neutral summaries of UK political news stories for a morning briefing. "
    "Use only facts stated in the numbered source sentences. Write at most {count} sentences. "
    "End every sentence with the numbers of the source sentences that support it in square "
    "brackets, for example [2] or [1][4]. Do not add names, numbers or claims that the cited "
    "sentences do not state. Answer with the summary only."
)

_CITATION = re.compile(r"\[(\d+(?:\s*[,;]\s*\d+)*)\]")
_SPLIT = re.compile(r"(?<=[.!?\]])\s+(?=[A-Z0-9\"“‘(£$€])")
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_BULLET = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s+")
_SPACE_BEFORE_PUNCT = re.compile(r"\s+([.,;:!?])")


class SummaryBackendError(WestminsterError):
    """The abstractive endpoint failed or gave nothing usable (the extractive summary stands)."""

    code = "W620"


@dataclass(frozen=True)
class LLMEndpoint:
    """Where and how to ask: an OpenAI-compatible base URL (…/v1), model name and key."""

    base_url: str
    model: str
    api_key: str = ""
    timeout_s: float = REQUEST_TIMEOUT_S


@dataclass(frozen=True)
class CheckedSentence:
    """A generated sentence that passed the check, with the articles it cites (first first)."""

    text: str
    article_ids: tuple[str, ...]
    support: float  # share of its content words found in the cited sources


def _fold(word: str) -> str:
    """Lower case with plural and tense endings folded, so "missiles" meets "missile"."""
    word = word.lower().replace("’", "'")
    word = word.removesuffix("'s")
    for suffix, replacement in (("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3 and not word.endswith("ss"):
            return word[: -len(suffix)] + replacement
    return word


def content_words(text: str) -> set[str]:
    """Folded words that carry content (stop words and single letters dropped)."""
    return {_fold(w) for w in _WORD.findall(text) if w.lower() not in STOP_WORDS and len(w) > 1}


def numbers(text: str) -> set[str]:
    """The numbers a text states, digits only ("£600,000" and "600000" are the same)."""
    return {re.sub(r"[,]", "", n).rstrip(".") for n in _NUMBER.findall(text)}


def support_share(sentence: str, sources: Sequence[str]) -> float:
    """Share of the sentence's content words found in the source sentences."""
    words = content_words(sentence)
    if not words:
        return 0.0
    available: set[str] = set()
    for source in sources:
        available |= content_words(source)
    return len(words & available) / len(words)


def build_messages(
    candidates: Sequence[StorySentence], *, headline: str, count: int, labels: Sequence[str] = ()
) -> list[dict[str, str]]:
    """The chat messages: instructions, then the story's numbered source sentences."""
    lines = [f"Story: {headline}" if headline else "Story:", "", "Sources:"]
    for number, candidate in enumerate(candidates, 1):
        label = (
            f" ({labels[number - 1]})" if number - 1 < len(labels) and labels[number - 1] else ""
        )
        lines.append(f"[{number}]{label} {candidate.text}")
    return [
        {"role": "system", "content": SYSTEM_PROMPT.format(count=count)},
        {"role": "user", "content": "\n".join(lines)},
    ]


def _request(endpoint: LLMEndpoint, messages: list[dict[str, str]], client: httpx.Client) -> str:
    """POST the chat completion and return the first choice's text."""
    url = endpoint.base_url.rstrip("/") + "/chat/completions"
    headers = {"Authorization": f"Bearer {endpoint.api_key}"} if endpoint.api_key else {}
    body = {"model": endpoint.model, "messages": messages, "temperature": TEMPERATURE}
    try:
        response = client.post(url, json=body, headers=headers, timeout=endpoint.timeout_s)
    except httpx.HTTPError as exc:
        raise SummaryBackendError(
            f"request failed ({type(exc).__name__})", subject=url, fix="check llm_base_url"
        ) from exc
    if response.status_code != 200:
        raise SummaryBackendError(f"HTTP {response.status_code}", subject=url)
    try:
        payload: Any = response.json()
        content = payload["choices"][0]["message"]["content"]
    except (ValueError, KeyError, IndexError, TypeError) as exc:
        raise SummaryBackendError("not an OpenAI chat completion answer", subject=url) from exc
    if not isinstance(content, str):
        raise SummaryBackendError("the answer has no text content", subject=url)
    return content


def split_cited(content: str) -> list[tuple[str, tuple[int, ...]]]:
    """The answer's sentences, each without its [n] marks, with the numbers it cites."""
    out: list[tuple[str, tuple[int, ...]]] = []
    for line in content.splitlines():
        line = _BULLET.sub("", line).strip()
        for piece in _SPLIT.split(line):
            cited = tuple(
                int(n) for group in _CITATION.findall(piece) for n in re.split(r"[,;]\s*", group)
            )
            text = _SPACE_BEFORE_PUNCT.sub(r"\1", _CITATION.sub("", piece)).strip()
            if text and any(c.isalpha() for c in text):
                out.append((text, cited))
    return out


def check_sentence(
    text: str, cited: Sequence[int], candidates: Sequence[StorySentence]
) -> CheckedSentence | None:
    """The sentence if it cites existing sources that support it, else None."""
    valid = [n for n in dict.fromkeys(cited) if 1 <= n <= len(candidates)]
    if not valid or len(valid) != len(set(cited)):
        return None  # uncited, or citing a source that does not exist
    sources = [candidates[n - 1].text for n in valid]
    if len(content_words(text)) < MIN_CONTENT_WORDS:
        return None
    if not numbers(text) <= set().union(*(numbers(s) for s in sources)):
        return None  # a number the sources do not state
    share = support_share(text, sources)
    if share < SUPPORT_THRESHOLD:
        return None
    ids = tuple(dict.fromkeys(candidates[n - 1].article_id for n in valid))
    return CheckedSentence(text=text, article_ids=ids, support=round(share, 3))


def abstractive_summary(
    candidates: Sequence[StorySentence],
    endpoint: LLMEndpoint,
    *,
    headline: str = "",
    sentences: int = 3,
    labels: Sequence[str] = (),
    client: httpx.Client | None = None,
) -> tuple[CheckedSentence, ...]:
    """Generated sentences that cite and are supported by the candidates; raises on failure."""
    if not candidates:
        raise SummaryBackendError("no source sentences to summarise", subject=headline or None)
    messages = build_messages(candidates, headline=headline, count=sentences, labels=labels)
    if client is None:
        with httpx.Client() as own:
            content = _request(endpoint, messages, own)
    else:
        content = _request(endpoint, messages, client)
    kept = [
        checked
        for text, cited in split_cited(content)
        if (checked := check_sentence(text, cited, candidates)) is not None
    ]
    if not kept:
        raise SummaryBackendError(
            "no generated sentence cited sources that support it",
            subject=endpoint.base_url,
        )
    return tuple(kept[:sentences])
