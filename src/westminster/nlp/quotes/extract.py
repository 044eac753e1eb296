"""Who said what: direct, reported, mixed and continued quotes, with linked speakers."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from westminster.knowledge.offices import OfficeTable
from westminster.models import Entity, Quote, QuoteSpeaker, Span
from westminster.nlp.model import load_model
from westminster.nlp.quotes.continuation import find_continuations
from westminster.nlp.quotes.cues import is_cue_verb
from westminster.nlp.quotes.direct import attach_direct, colon_lines
from westminster.nlp.quotes.found import Found
from westminster.nlp.quotes.headline import TITLE_FIELD, headline_found, title_entities
from westminster.nlp.quotes.marks import paragraphs, quotes_in_article
from westminster.nlp.quotes.reported import find_reported
from westminster.nlp.quotes.speakers import entities_from_doc, is_impersonal, make_speaker
from westminster.nlp.quotes.tagged import TaggedSpans, tagged_found, tagger_available

# An uncued quote takes the previous speaker only if that speaker spoke this recently.
MAX_FOLLOW_PARAGRAPHS = 2
# Whether extract_quotes uses the PolNeAR-trained tagger beside the rules (when its weights are
# installed). Held-out train (84 docs), exact / overlap F1 / speaker accuracy: rules 0.378 /
# 0.532 / 0.843, rules + tagger 0.447 / 0.637 / 0.850 (docs/attribution-notes.md).
USE_TAGGER = True
# The choices below were each measured on that held-out split (overlap F1 unless said):
# keep rule attributions the tagger misses (0.636 against 0.609 without);
KEEP_RULE_ONLY = True
# a direct quote keeps the rule's edges, the quote marks (exact F1 0.413 against 0.398);
RULE_EDGES_FOR_DIRECT = True
# a content only the tagger found needs a cue and a source (precision 0.699 against 0.659 at the
# same F1; speaker accuracy 0.850 against 0.818: uncued ones were mostly given the wrong speaker).
TAGGED_ALONE_NEEDS_CUE_AND_SOURCE = True
# A tagged content that is the complement of an impersonal cue inside a rule's reported clause
# takes the rule's edges ("said that it was not expected | to ..."). Never fires on held-out
# train; a broader version (any nested cue) lowered overlap F1 0.669 -> 0.662 there
# (docs/attribution-notes.md, "False quotes on the bundled example articles").
NESTED_TAKES_RULE_EDGES = True
# A tagged content inside the main clause a rule borrowed ("As stated by X, ...", "according to
# X, ...") takes the rule's edges: the whole clause. Held-out train, exact / overlap F1 /
# speaker: 0.5308 / 0.6920 / 0.8985 without, 0.5325 / 0.6943 / 0.8988 with; only when the tagged
# content has a cue of its own: 0.5319 / 0.6932 / 0.8987; for any rule content, borrowed or
# not: 0.5317 / 0.6882 / 0.9029.
BORROWED_CLAUSE_TAKES_RULE_EDGES = True
# Entity kinds that can speak in a headline ("Starmer:", "says Downing Street"); places and
# events cannot ("Brexit:", "Ukraine war:").
SPEAKER_KINDS = frozenset({"person", "organisation", "group"})


def extract_quotes(
    doc: Any,
    entities: Sequence[Entity] = (),
    title: Any = "",
    *,
    tagged: TaggedSpans | None = None,
    offices: OfficeTable | None = None,
) -> tuple[Quote, ...]:
    """All attributions in a parsed article: the headline's first (offsets into the title,
    field "title"), then the body's, sorted by start (offsets into doc.text).

    `title`: the headline, parsed (a Doc from the same model, cheaper in batches) or as a string
    (parsed here with the default model). `tagged`: the tagger's spans for this doc when the
    caller tagged a whole batch at once (`tag_spans_batch`, cheaper than one call per doc);
    computed here when not given. `offices`: links role speakers in the headline ("PM").
    """
    body = extract_with(doc, entities, tagger=use_tagger(), tagged=tagged)
    return headline_quotes(title, entities, offices) + body


def headline_quotes(
    title: Any, entities: Sequence[Entity] = (), offices: OfficeTable | None = None
) -> tuple[Quote, ...]:
    """Attributions in a headline (a parsed Doc or a string), offsets into it, field "title"."""
    if isinstance(title, str):
        if not title.strip():
            return ()
        title = load_model()(title)
    text = title.text
    if not text.strip():
        return ()
    if entities:
        linked = title_entities(text, entities, offices)
    else:  # no article entities to link to: the model's own names, without ids
        linked = tuple(replace(e, id="") for e in entities_from_doc(title))
    speakers = [(m.start, m.end) for e in linked if e.kind in SPEAKER_KINDS for m in e.mentions]
    quotes = _with_speakers(title, text, headline_found(title, speakers), linked)
    return tuple(_in_title(q) for q in quotes)


def _in_title(quote: Quote) -> Quote:
    speaker = quote.speaker
    if speaker is not None and not speaker.entity_id:
        speaker = replace(speaker, entity_id=None)
    return replace(quote, speaker=speaker, field=TITLE_FIELD)


def use_tagger() -> bool:
    """True when extract_quotes runs the trained tagger beside the rules."""
    return USE_TAGGER and tagger_available()


def extract_with(
    doc: Any, entities: Sequence[Entity], tagger: bool, tagged: TaggedSpans | None = None
) -> tuple[Quote, ...]:
    """extract_quotes with the tagger switched on or off (rules alone when off)."""
    if not entities:
        entities = entities_from_doc(doc)
    text = doc.text  # Doc.text is rebuilt on every access
    direct, _loose = attach_direct(doc, list(quotes_in_article(text)))
    used = {t.i for f in direct if f.cue for t in _tokens_in(doc, f.cue)}
    reported = colon_lines(doc, text) + find_reported(doc, text, used)
    kept = _resolve_overlaps(direct, reported)
    if tagger:
        kept = _merge_tagged(doc, kept, tagged_found(doc, text, spans=tagged))
    quotes = _with_speakers(doc, text, kept, entities)
    quotes += find_continuations(doc, quotes)
    return tuple(sorted(quotes, key=lambda q: (q.start, q.end)))


def _tokens_in(doc: Any, span: tuple[int, int]) -> list[Any]:
    chars = doc.char_span(span[0], span[1], alignment_mode="expand")
    return list(chars) if chars is not None else []


def _inside(a: tuple[int, int], start: int, end: int) -> bool:
    return start <= a[0] and a[1] <= end


def _resolve_overlaps(direct: list[Found], reported: list[Found]) -> list[Found]:
    """One attribution per stretch of text, as PolNeAR annotates (the outermost one wins)."""
    quoted = [(f.start, f.end) for f in direct]
    kept_reported: list[Found] = []
    for f in reported:
        # reported speech inside a direct quote belongs to the quote ("I said that ...")
        if any(_inside((f.start, f.end), s, e) for s, e in quoted):
            continue
        kept_reported.append(f)
    kept_reported = [
        f
        for f in kept_reported
        if not any(
            g is not f and f.cue is not None and _inside(f.cue, g.start, g.end)
            for g in kept_reported
        )
    ]
    kept_direct = [
        f
        for f in direct
        if not any(_inside((f.start, f.end), g.start, g.end) for g in kept_reported)
    ]
    return sorted(kept_direct + kept_reported, key=lambda f: f.start)


def _spans_overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _impersonal_elsewhere(doc: Any, rule: Found, tagged: Found) -> bool:
    """True when the rule's cue is impersonal and the tagger's cue is another one."""
    if rule.cue is None or (tagged.cue is not None and _spans_overlap(rule.cue, tagged.cue)):
        return False
    cue = doc.char_span(*rule.cue, alignment_mode="expand")
    return cue is not None and len(cue) > 0 and is_impersonal(cue.root)


def _overlap(a: Found, b: Found) -> int:
    return max(0, min(a.end, b.end) - max(a.start, b.start))


def _most_overlapping(f: Found, others: Sequence[Found]) -> Found | None:
    best = max(others, key=lambda g: _overlap(f, g), default=None)
    return best if best is not None and _overlap(f, best) else None


def _merge_tagged(doc: Any, rules: list[Found], tagged: list[Found]) -> list[Found]:
    """Tagged contents (their edges) with the cue and source the rules found for them, if any."""
    merged: list[Found] = []
    # each rule attribution lends its cue and source to the tagged content it overlaps most
    best = {id(r): m for r in rules if (m := _most_overlapping(r, tagged)) is not None}
    for t in tagged:
        r = _most_overlapping(t, [f for f in rules if best.get(id(f)) is t])
        if r is None:
            alone_ok = t.source is not None and t.cue is not None
            if alone_ok or not TAGGED_ALONE_NEEDS_CUE_AND_SOURCE:
                merged.append(t)
            continue
        # an impersonal cue the rules found ("It is believed that ...") has no source: not the
        # source the tagger linked to another cue
        source = r.source if r.source is not None or _impersonal_elsewhere(doc, r, t) else t.source
        direct_edges = r.kind == "direct" and RULE_EDGES_FOR_DIRECT
        nested = NESTED_TAKES_RULE_EDGES and (_nested(doc, r, t) or _in_borrowed_clause(doc, r, t))
        edges = r if direct_edges or nested else t
        merged.append(
            Found(
                edges.start,
                edges.end,
                edges.kind,
                cue=r.cue or t.cue,
                source=source,
                # a rule's cue settles it: a tagged piece that lost its cue is not uncued
                follows=source is None and (r.follows or (r.cue is None and t.follows)),
            )
        )
    if KEEP_RULE_ONLY:
        merged += [r for r in rules if not any(_overlap(r, t) for t in tagged)]
    # a tagged piece inside a quote that took the rule's edges is part of that quote
    unique = list({(f.start, f.end): f for f in merged}.values())
    outer = [
        f
        for f in unique
        if not any(g is not f and _inside((f.start, f.end), g.start, g.end) for g in unique)
    ]
    return sorted(outer, key=lambda f: f.start)


def _in_borrowed_clause(doc: Any, rule: Found, tagged: Found) -> bool:
    """True when a tagged content lies inside the main clause a rule borrowed: "As stated by
    Downing Street, the meeting will ... explore | ways to ...". That clause is the content, as
    PolNeAR keeps the outermost."""
    if not BORROWED_CLAUSE_TAKES_RULE_EDGES or rule.cue is None:
        return False
    if (tagged.start, tagged.end) == (rule.start, rule.end):
        return False
    return _inside((tagged.start, tagged.end), rule.start, rule.end) and _borrowed(doc, rule)


def _borrowed(doc: Any, rule: Found) -> bool:
    """True when a rule's content is the clause its cue hangs from ("according to X, ...")."""
    content = doc.char_span(rule.start, rule.end, alignment_mode="expand")
    cue = doc.char_span(*rule.cue, alignment_mode="expand") if rule.cue else None
    if content is None or cue is None or not len(content) or not len(cue):
        return False
    root = content.root
    return bool(root.is_ancestor(cue.root))


def _nested(doc: Any, rule: Found, tagged: Found) -> bool:
    """True when a tagged content inside a rule's reported clause is the complement of an
    impersonal cue in that clause ("said that it was not expected | to produce an
    announcement"): the outer cue's content is then the rule's whole clause."""
    if rule.cue is None or not _inside((tagged.start, tagged.end), rule.start, rule.end):
        return False
    if (tagged.start, tagged.end) == (rule.start, rule.end):
        return False
    span = doc.char_span(tagged.start, tagged.end, alignment_mode="expand")
    if span is None or not len(span):
        return False
    root = span.root
    inner = root.head
    # the tagged content is the complement of an impersonal cue ("was not expected | to ...")
    # that sits inside the rule's clause, outside the tagged span
    if root.dep_ not in ("xcomp", "ccomp") or inner.i == root.i:
        return False
    if not rule.start <= inner.idx < rule.end or tagged.start <= inner.idx < tagged.end:
        return False
    return is_cue_verb(inner) and is_impersonal(inner)


def _with_speakers(
    doc: Any,
    text: str,
    found: list[Found],
    entities: Sequence[Entity],
) -> list[Quote]:
    para_starts = [p[0] for p in paragraphs(text)]
    speakers: list[QuoteSpeaker] = []
    quotes: list[Quote] = []
    last: tuple[int, QuoteSpeaker] | None = None  # paragraph and speaker of the last attribution
    for f in found:
        para = bisect_right(para_starts, f.start) - 1
        speaker: QuoteSpeaker | None = None
        if f.follows and last is not None and para - last[0] <= MAX_FOLLOW_PARAGRAPHS:
            speaker = last[1]
        elif f.source is not None:
            speaker = make_speaker(doc, text, f.source, entities, speakers)
            speakers.append(speaker)
        if f.follows and speaker is None:
            continue  # an uncued quote with no one to give it to: leave it out
        cue = Span(f.cue[0], f.cue[1], text[f.cue[0] : f.cue[1]]) if f.cue else None
        quotes.append(Quote(f.start, f.end, text[f.start : f.end], f.kind, speaker, cue))
        if speaker is not None:
            last = (para, speaker)
    return quotes
