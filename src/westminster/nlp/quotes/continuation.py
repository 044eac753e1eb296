"""Paragraphs that carry on a speaker's remarks without marks or a cue: kind "continuation"."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from typing import Any

from westminster.models import Quote
from westminster.nlp.quotes.cues import is_cue_verb
from westminster.nlp.quotes.marks import ALL_MARKS, paragraphs

# A paragraph in the speaker's own voice: first person (or the speaker addressing "you").
# Narrative prose about the speaker uses third person, so these words make it "clear".
_VOICE = frozenset({"i", "me", "my", "we", "us", "our", "ours", "you", "your"})
_CARRIED_KINDS = frozenset({"direct", "continuation"})
# Continuations may run over this many paragraphs after the last marked remark.
MAX_CONTINUATION_PARAGRAPHS = 3


def find_continuations(doc: Any, quotes: Sequence[Quote]) -> list[Quote]:
    """Unmarked, uncued paragraphs in the voice of the speaker of the paragraph before them."""
    text = doc.text  # Doc.text is rebuilt on every access
    paras = paragraphs(text)
    if not paras or not quotes:
        return []
    starts = [t.idx for t in doc]
    para_starts = [p[0] for p in paras]
    by_para: dict[int, list[Quote]] = {}
    for quote in quotes:
        # a quote carried over paragraphs belongs to each of them: none of those continues it
        first_para = bisect_right(para_starts, quote.start) - 1
        last_para = bisect_right(para_starts, max(quote.start, quote.end - 1)) - 1
        for n in range(first_para, last_para + 1):
            by_para.setdefault(n, []).append(quote)
    out: list[Quote] = []
    carried: Quote | None = None
    run = 0
    for n, (start, end) in enumerate(paras):
        if n in by_para:
            last = by_para[n][-1]
            # only remarks in quote marks carry on: after reported speech, a first-person
            # paragraph is the writer's own voice (held-out train overlap F1 0.660 -> 0.662)
            carried = last if last.speaker is not None and last.kind in _CARRIED_KINDS else None
            run = 0
            continue
        if carried is None or run >= MAX_CONTINUATION_PARAGRAPHS:
            carried = None
            continue
        tokens = doc[bisect_right(starts, start - 1) : bisect_right(starts, end - 1)]
        if _in_voice(text[start:end], tokens):
            out.append(Quote(start, end, text[start:end], "continuation", carried.speaker, None))
            run += 1
        else:
            carried = None
    return out


def _in_voice(text: str, tokens: Any) -> bool:
    if any(ch in ALL_MARKS and ch not in "'\u2019" for ch in text):
        return False
    voice = [t for t in tokens if t.pos_ == "PRON" and t.lower_ in _VOICE]
    reports = any(is_cue_verb(t) and any(c.dep_ == "nsubj" for c in t.children) for t in tokens)
    if reports and not any(t.dep_ == "nsubj" for t in voice):
        return False  # the paragraph reports someone else's words
    return bool(voice)
