"""Quotes in the headline: 'Starmer: "Russia started this war"', "'We won't back down', says PM".

A headline quote's offsets (and its speaker's and cue's) point into the article's title, not
its text: the Quote says so with `field == "title"`. Speakers are linked to the article's
entities by name, surname, alias or office ("PM" -> the prime minister on the day), since the
entities' mentions are offsets into the text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from westminster.knowledge.offices import OfficeTable
from westminster.models import Entity, Mention
from westminster.nlp.quotes.direct import attach_direct
from westminster.nlp.quotes.found import Found
from westminster.nlp.quotes.marks import find_quoted
from westminster.nlp.quotes.reported import find_reported

TITLE_FIELD = "title"
# "Starmer: ..." or "'We will win' - Starmer": the speaker beside a headline colon or dash is
# a few words at most ("Sir Keir Starmer", "Downing Street").
MAX_SPEAKER_TOKENS = 4
# After a headline colon, fewer characters than this are a label ("Starmer: live"), not words.
MIN_COLON_CONTENT_CHARS = 12
# Role phrases are looked up as word n-grams of the title up to this length ("uk prime minister").
MAX_ROLE_WORDS = 4
_DASHES = frozenset({"-", "\u2013", "\u2014", "|"})
_WORD = re.compile(r"[\w'’.-]+")
_TITLE_WORDS = frozenset({"sir", "dame", "lord", "lady", "mr", "mrs", "ms", "dr", "president"})


def headline_found(doc: Any, speakers: Sequence[tuple[int, int]]) -> list[Found]:
    """Attributions in a parsed headline, by the rules: quotes with a cue, a colon or a dash
    before the speaker, and reported speech ("Starmer says UK will ...").

    `speakers`: character spans in the headline that name someone who can speak (the article's
    people and organisations found again in it). The small model's parse and entities are
    poor on headlines ("Starmer" a common noun, "Brexit" a person), so an attribution is kept
    only when its source lies in one of these spans.
    """
    text = doc.text
    direct, loose = attach_direct(doc, find_quoted(text))
    direct = [f for f in direct if f.cue is not None]
    direct += [f for q in loose if (f := _dash_quote(doc, text, q.end, q, speakers)) is not None]
    colon = _colon(doc, text, speakers)
    if colon is not None:
        direct = [f for f in direct if not _overlaps(f, colon)] + [colon]
    used = {t.i for f in direct if f.cue for t in _tokens(doc, f.cue)}
    reported = [
        f for f in find_reported(doc, text, used) if not any(_overlaps(f, d) for d in direct)
    ]
    return sorted(
        (f for f in direct + reported if _speaks(doc, f.source, speakers)), key=lambda f: f.start
    )


def _speaks(doc: Any, source: int | None, speakers: Sequence[tuple[int, int]]) -> bool:
    if source is None:
        return False
    token = doc[source]
    return _in_speaker(token.idx, token.idx + len(token.text), speakers)


def _in_speaker(start: int, end: int, speakers: Sequence[tuple[int, int]]) -> bool:
    return any(a < end and start < b for a, b in speakers)


def _overlaps(a: Found, b: Found) -> bool:
    return a.start < b.end and b.start < a.end


def _tokens(doc: Any, span: tuple[int, int]) -> list[Any]:
    chars = doc.char_span(span[0], span[1], alignment_mode="expand")
    return list(chars) if chars is not None else []


def _speaker_head(tokens: Sequence[Any], speakers: Sequence[tuple[int, int]]) -> Any | None:
    """The last token of a short verbless phrase that lies in a speaker span, if any."""
    words = [t for t in tokens if not t.is_space]
    if not words or len(words) > MAX_SPEAKER_TOKENS:
        return None
    if any(t.pos_ in ("VERB", "AUX") for t in words):
        return None
    named = [t for t in words if _in_speaker(t.idx, t.idx + len(t.text), speakers)]
    return named[-1] if named else None


def _colon(doc: Any, text: str, speakers: Sequence[tuple[int, int]]) -> Found | None:
    """'Starmer: "Russia started this war"' or 'Starmer: Russia started this war'."""
    colon = text.find(":")
    prefix = doc.char_span(0, colon, alignment_mode="contract") if colon > 0 else None
    head = _speaker_head(list(prefix), speakers) if prefix is not None else None
    if head is None:
        return None
    rest = text[colon + 1 :]
    start = colon + 1 + len(rest) - len(rest.lstrip())
    end = len(text.rstrip())
    if end - start < MIN_COLON_CONTENT_CHARS:
        return None
    quoted = find_quoted(text[start:end])
    whole = len(quoted) == 1 and quoted[0].start == 0 and quoted[0].end == end - start
    kind = ("direct" if whole else "mixed") if quoted else "indirect"
    return Found(start, end, kind, cue=(colon, colon + 1), source=int(head.i))


def _dash_quote(
    doc: Any, text: str, end: int, q: Any, speakers: Sequence[tuple[int, int]]
) -> Found | None:
    """A quote, a dash, then the speaker's name to the end: "'We will win' - Starmer"."""
    rest = text[end:].strip()
    if not rest or rest[0] not in _DASHES:
        return None
    dash = end + text[end:].index(rest[0])
    span = doc.char_span(dash + 1, len(text.rstrip()), alignment_mode="contract")
    head = _speaker_head(list(span), speakers) if span is not None else None
    if head is None:
        return None
    return Found(q.start, q.end, "direct", cue=(dash, dash + 1), source=int(head.i))


def title_entities(
    title: str, entities: Sequence[Entity], offices: OfficeTable | None = None
) -> tuple[Entity, ...]:
    """The article's entities with their mentions found again in the title (title offsets).

    Names and aliases match as whole words, a person also by surname, and a role phrase ("PM",
    "the chancellor") names the entity that held that office on the day (entity.offices).
    """
    out = []
    roles = _role_spans(title, offices) if offices is not None else []
    for entity in entities:
        surfaces = {entity.name, *entity.aliases}
        if entity.kind == "person":
            words = [w for w in entity.name.split() if w.lower().strip(".") not in _TITLE_WORDS]
            if len(words) > 1 and len(words[-1]) > 2:
                surfaces.add(words[-1])
        spans = {m for s in surfaces if s for m in _find_words(title, s)}
        spans |= {(a, b) for a, b, ids in roles if set(entity.offices) & ids}
        if spans:
            mentions = tuple(Mention(a, b, title[a:b]) for a, b in sorted(spans))
            out.append(replace(entity, mentions=mentions))
    return tuple(out)


def _find_words(title: str, surface: str) -> list[tuple[int, int]]:
    """Whole-word, case-sensitive occurrences of surface in title."""
    pattern = re.compile(r"(?<!\w)" + re.escape(surface) + r"(?!\w)")
    return [(m.start(), m.end()) for m in pattern.finditer(title)]


def _role_spans(title: str, offices: OfficeTable) -> list[tuple[int, int, set[str]]]:
    """(start, end, office ids) of every role phrase in the title, longest first per start."""
    words = [(m.start(), m.end()) for m in _WORD.finditer(title)]
    found: list[tuple[int, int, set[str]]] = []
    for i in range(len(words)):
        for n in range(min(MAX_ROLE_WORDS, len(words) - i), 0, -1):
            start, end = words[i][0], words[i + n - 1][1]
            ids = {o.id for o in offices.offices_for_role(title[start:end])}
            if ids:
                found.append((start, end, ids))
                break
    return found
