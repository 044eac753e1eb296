"""Attach direct quotes to their cue and source: '"...," he said' and 'X said: "..."'."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from typing import Any

from westminster.nlp.quotes.cues import ACCORDING, is_cue_verb
from westminster.nlp.quotes.found import Found
from westminster.nlp.quotes.marks import Quoted, find_quoted, paragraphs
from westminster.nlp.quotes.reported import subject_of

# How many tokens either side of a quote are searched for its cue (a "said Mr Smith, the
# shadow chancellor, on Tuesday" tail fits; a whole new clause does not).
CUE_WINDOW_TOKENS = 25
# A cue after the quote must come this soon after it ('"...," he told reporters').
MAX_TOKENS_BEFORE_TRAILING_CUE = 6
# Quotes shorter than this with no cue are scare quotes or titles, not someone's words.
MIN_UNCUED_WORDS = 4
_SENTENCE_END = frozenset({".", "!", "?"})
_SPEAKER_LABELS = frozenset({"PERSON", "ORG", "NORP", "GPE"})
_PERSON_ORG = frozenset({"PERSON", "ORG"})
# "Bill Clinton: Hillary 'better qualified'" -- the speaker before a headline colon is short.
MAX_COLON_SPEAKER_CHARS = 40
MIN_COLON_CONTENT_CHARS = 12


def attach_direct(doc: Any, quoted: Sequence[Quoted]) -> tuple[list[Found], list[Quoted]]:
    """Found attributions for quotes with a cue or a clear context; the rest are returned apart."""
    text = doc.text  # Doc.text is rebuilt on every access
    paras = paragraphs(text)
    para_starts = [p[0] for p in paras]
    starts = [t.idx for t in doc]
    found: list[Found] = []
    loose: list[Quoted] = []
    previous_end = -1
    for n, q in enumerate(quoted):
        next_start = quoted[n + 1].start if n + 1 < len(quoted) else len(text)
        p = max(0, bisect_right(para_starts, q.start) - 1)
        p_start, p_end = paras[p] if paras else (0, len(text))
        lo = max(p_start, previous_end)
        hi = min(p_end, next_start)
        before = _tokens_before(doc, starts, q.start, lo)
        after = _tokens_after(doc, starts, q.end, hi)
        result = _attach(doc, q, before, after)
        if result is None and _stands_alone(text, q, lo):
            # an uncued quote right after a direct one carries on the same remarks, same cue
            adjacent = bool(found) and found[-1].end == previous_end
            near = p - _para(para_starts, previous_end) <= 1
            cue = found[-1].cue if adjacent and near else None
            result = Found(q.start, q.end, "direct", cue=cue, follows=True)
        if result is None:
            loose.append(q)
        else:
            found.append(result)
        previous_end = q.end
    return found, loose


def colon_lines(doc: Any, text: str) -> list[Found]:
    """Headline-style 'Sanders: Brexit's message could ...' lines: a speaker, a colon, words."""
    found: list[Found] = []
    for start, end in paragraphs(text):
        colon = text.find(":", start, min(end, start + MAX_COLON_SPEAKER_CHARS))
        if colon < 0 or end - colon < MIN_COLON_CONTENT_CHARS:
            continue
        span = doc.char_span(start, colon, alignment_mode="contract")
        if span is None or not any(t.ent_type_ in _PERSON_ORG for t in span):
            continue
        if any(t.pos_ in ("VERB", "AUX") for t in span):
            continue  # "Trump said:" is handled with its verb cue
        head = next(t for t in reversed(span) if t.ent_type_ in _PERSON_ORG)
        rest = text[colon + 1 : end]
        content_start = colon + 1 + len(rest) - len(rest.lstrip())
        quoted = find_quoted(text[content_start:end])
        whole = len(quoted) == 1 and quoted[0].start == 0 and quoted[0].end == end - content_start
        kind = ("direct" if whole else "mixed") if quoted else "indirect"
        found.append(Found(content_start, end, kind, cue=(colon, colon + 1), source=head.i))
    return found


def _para(para_starts: list[int], at: int) -> int:
    return max(0, bisect_right(para_starts, at) - 1)


def _tokens_before(doc: Any, starts: list[int], at: int, lo: int) -> list[Any]:
    i = bisect_right(starts, at - 1) - 1
    out: list[Any] = []
    while i >= 0 and doc[i].idx >= lo and len(out) < CUE_WINDOW_TOKENS:
        if doc[i].text in _SENTENCE_END:
            break
        out.append(doc[i])
        i -= 1
    out.reverse()
    return [t for t in out if not t.is_space]


def _tokens_after(doc: Any, starts: list[int], at: int, hi: int) -> list[Any]:
    i = bisect_right(starts, at - 1)
    out: list[Any] = []
    while i < len(doc) and doc[i].idx + len(doc[i].text) <= hi and len(out) < CUE_WINDOW_TOKENS:
        if not doc[i].is_space:
            out.append(doc[i])
        if doc[i].text in _SENTENCE_END and out[:-1]:
            break
        i += 1
    return out


def _attach(doc: Any, q: Quoted, before: list[Any], after: list[Any]) -> Found | None:
    for k, token in enumerate(after[:MAX_TOKENS_BEFORE_TRAILING_CUE]):
        if is_cue_verb(token):
            return Found(q.start, q.end, "direct", cue=_cue(token), source=subject_of(token))
        if token.lower_ == ACCORDING and k + 1 < len(after):
            objects = [c for c in after[k + 1].children if c.dep_ == "pobj"]
            cue = (token.idx, after[k + 1].idx + len(after[k + 1].text))
            return Found(
                q.start, q.end, "direct", cue=cue, source=objects[0].i if objects else None
            )
        if token.text in _SENTENCE_END:
            break
    for k in range(len(before) - 1, -1, -1):
        token = before[k]
        gap = before[k + 1 :]
        if any(g.pos_ in ("VERB", "AUX") or g.lower_ == "that" for g in gap):
            break  # a clause between cue and quote: the quote is part of reported speech
        if is_cue_verb(token):
            return Found(q.start, q.end, "direct", cue=_cue(token), source=subject_of(token))
    if before and before[-1].text == ":":
        # "Sanders: ..." or "Downing Street on Ukraine: ..." with no verb at all
        speaker = next((t for t in before if t.ent_type_ in _SPEAKER_LABELS), None)
        if speaker is not None:
            colon = before[-1]
            return Found(q.start, q.end, "direct", cue=(colon.idx, colon.idx + 1), source=speaker.i)
    return None


def _cue(token: Any) -> tuple[int, int]:
    parts = [token] + [c for c in token.lefts if c.dep_ in ("aux", "auxpass", "neg")]
    start = min(t.idx for t in parts)
    end = max(t.idx + len(t.text) for t in parts)
    return start, end


def _stands_alone(text: str, q: Quoted, lo: int) -> bool:
    """A long quote that opens its paragraph (or follows another) speaks for the last speaker."""
    if len(text[q.inner_start : q.inner_end].split()) < MIN_UNCUED_WORDS:
        return False
    return not text[lo : q.start].strip()
