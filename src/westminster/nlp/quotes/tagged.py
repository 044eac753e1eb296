"""Attribution spans from the PolNeAR-trained tagger (CONTENT / CUE / SOURCE), as Found items."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from westminster.errors import ModelError
from westminster.nlp.quotes.cues import is_preposition_participle, is_unsaid
from westminster.nlp.quotes.found import Found
from westminster.nlp.quotes.marks import find_quoted
from westminster.nlp.quotes.reported import borrows_main_clause, subject_of, trim_content
from westminster.nlp.quotes.speakers import is_expletive, is_impersonal, is_relative
from westminster.nlp.quotes.tagger_model import attribution_hints  # also registers the layers

# Trained weights (scripts/train_attribution.py, configs/attribution.cfg); small enough to ship.
MODEL_DIR = Path(__file__).resolve().parents[1] / "data" / "attribution"
CONTENT, CUE, SOURCE = "CONTENT", "CUE", "SOURCE"
# (label, first token, end token) spans of one doc.
TaggedSpans = list[tuple[str, int, int]]
# Docs per tagger.pipe batch: the analyser's own batch size (nlp/analyzer.py PIPE_BATCH_SIZE).
TAGGER_BATCH_SIZE = 64
# A tagged cue or source belongs to the nearest content within this many tokens (a cue sits
# near its content, a source near its cue). Held-out train exact F1: 6 -> 0.439, 12 -> 0.442,
# 20 -> 0.446.
MAX_LINK_TOKENS = 20
# The parse's subject of a tagged cue verb beats the nearest tagged source (held-out train
# speaker accuracy 0.818 against 0.791).
SUBJECT_FIRST = True
# The source of a cue in a relative clause is the relative pronoun, as PolNeAR marks it ("who"
# in "Cruz, who threatened to ..."); make_speaker names its antecedent.
KEEP_RELATIVE_SOURCE = True
# A tagged cue verb with no subject the rules find takes the subject of the clause it hangs in,
# climbing through prepositions too, at most this many steps.
CLIMB_TO_CLAUSE_SUBJECT = True
MAX_CLAUSE_CLIMB = 4
_SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "expl"})
_CLAUSE_CLIMB_DEPS = frozenset({"conj", "pcomp", "prep", "xcomp", "advcl", "acl", "pobj"})


def feature_doc(parsed: Any, vocab: Any) -> Any:
    """The tagger's input: a fresh Doc with the parse's words, POS, dependencies, attribution
    hints (as tags) and contextual vectors (doc.tensor), and no entities."""
    from spacy.tokens import Doc

    words = [t.text for t in parsed]
    spaces = [bool(t.whitespace_) for t in parsed]
    doc = Doc(
        vocab,
        words=words,
        spaces=spaces,
        tags=attribution_hints(parsed),
        pos=[t.pos_ for t in parsed],
        deps=[t.dep_ for t in parsed],
        heads=[t.head.i for t in parsed],
    )
    doc.tensor = parsed.tensor
    return doc


@lru_cache(maxsize=1)
def load_tagger() -> Any:
    """The trained attribution pipeline, loaded once; a ModelError when the weights are missing."""
    import spacy

    try:
        return spacy.load(MODEL_DIR)
    except OSError as exc:
        raise ModelError(
            f"cannot load the attribution tagger: {exc}",
            subject=str(MODEL_DIR),
            fix="run scripts/train_attribution.py, or use the rule-based extractor",
        ) from exc


def tagger_available() -> bool:
    """True when the trained weights are installed beside the package."""
    return (MODEL_DIR / "config.cfg").is_file()


def tag_spans(parsed: Any, nlp: Any | None = None) -> TaggedSpans:
    """(label, first token, end token) for every span the tagger finds in a parsed doc."""
    return tag_spans_batch([parsed], nlp)[0]


def tag_spans_batch(parsed_docs: Sequence[Any], nlp: Any | None = None) -> list[TaggedSpans]:
    """tag_spans for many docs in one batched pass (about a quarter faster than one by one)."""
    tagger = nlp if nlp is not None else load_tagger()
    inputs = []
    for parsed in parsed_docs:
        # built on the caller's vocab, which already holds these words: the tagger's own vocab
        # would grow with every article; only the label strings must be known there
        for label in (CONTENT, CUE, SOURCE):
            parsed.vocab.strings.add(label)
        inputs.append(feature_doc(parsed, parsed.vocab))
    return [_spans_of(doc) for doc in tagger.pipe(inputs, batch_size=TAGGER_BATCH_SIZE)]


def _spans_of(doc: Any) -> TaggedSpans:
    spans: TaggedSpans = []
    for ent in doc.ents:
        if ent.label_ == CONTENT and all(_subject_pronoun(t) for t in ent):
            # "it was also confirmed that ...": a cue's own subject is never what it reports
            continue
        if (
            spans
            and ent.label_ == CONTENT == spans[-1][0]
            and _only_space(doc, spans[-1][2], ent.start)
        ):
            # a content is tagged sentence by sentence (entities cannot cross a sentence start)
            spans[-1] = (CONTENT, spans[-1][1], ent.end)
        else:
            spans.append((ent.label_, ent.start, ent.end))
    return spans


def _subject_pronoun(token: Any) -> bool:
    return bool(token.pos_ == "PRON" and token.dep_ in _SUBJECT_DEPS)


def _only_space(doc: Any, start: int, end: int) -> bool:
    return all(doc[i].is_space for i in range(start, end))


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while end > start and text[end - 1].isspace():
        end -= 1
    while start < end and text[start].isspace():
        start += 1
    return start, end


def _kind(text: str, start: int, end: int) -> str:
    inner = text[start:end]
    quoted = find_quoted(inner)
    if len(quoted) == 1 and quoted[0].start == 0 and quoted[0].end >= len(inner.rstrip(".,;")):
        return "direct"
    return "mixed" if quoted else "indirect"


def _gap(a: tuple[int, int], b: tuple[int, int]) -> int:
    """Tokens between two token spans (0 when they touch or overlap)."""
    return max(0, b[0] - a[1], a[0] - b[1])


def _nearest(spans: list[tuple[int, int]], target: tuple[int, int]) -> tuple[int, int] | None:
    """The span closest to target within MAX_LINK_TOKENS, else None."""
    near = [(_gap(span, target), span) for span in spans if _gap(span, target) <= MAX_LINK_TOKENS]
    return min(near)[1] if near else None


def _assign_cues(
    contents: list[tuple[int, int]], cues: list[tuple[int, int]], quoted: list[bool]
) -> list[tuple[int, int] | None]:
    """Each content's cue, nearest pairs first; a cue serves one content, or the two halves of
    a split quote ('"A," she said, "B."'): one quoted content on each side of it."""
    pairs = sorted(
        (_gap(c, q), n, q)
        for n, c in enumerate(contents)
        for q in cues
        if _gap(c, q) <= MAX_LINK_TOKENS
    )
    chosen: list[tuple[int, int] | None] = [None] * len(contents)
    users: dict[tuple[int, int], list[int]] = {}
    for _, n, cue in pairs:
        if chosen[n] is not None:
            continue
        taken = users.get(cue, [])
        if taken:
            other = taken[0]
            split = (
                len(taken) == 1
                and quoted[n]
                and quoted[other]
                and (contents[n][0] < cue[0]) != (contents[other][0] < cue[0])
            )
            if not split:
                continue
        chosen[n] = cue
        users.setdefault(cue, []).append(n)
    return chosen


def _preposition(parsed: Any, start: int, end: int) -> bool:
    """A tagged cue that is only a participle used as a preposition ("especially considering")."""
    verbs = [t for t in parsed[start:end] if t.pos_ in ("VERB", "AUX")]
    return bool(verbs) and all(is_preposition_participle(t) for t in verbs)


def _unsaid(parsed: Any, cue: tuple[int, int]) -> bool:
    verbs = [t for t in parsed[cue[0] : cue[1]] if t.pos_ in ("VERB", "AUX")]
    return bool(verbs) and is_unsaid(verbs[-1])


def _borrowed(parsed: Any, cue: tuple[int, int], content: tuple[int, int]) -> bool:
    """A cue in a subordinate clause tagged with content from the main clause outside it."""
    verbs = [t for t in parsed[cue[0] : cue[1]] if t.pos_ in ("VERB", "AUX")]
    return bool(verbs) and borrows_main_clause(parsed, verbs[-1], parsed[content[0] : content[1]])


def _impersonal(parsed: Any, cue: tuple[int, int]) -> bool:
    verbs = [t for t in parsed[cue[0] : cue[1]] if t.pos_ in ("VERB", "AUX")]
    return bool(verbs) and is_impersonal(verbs[-1])


def _cue_subject(parsed: Any, cue: tuple[int, int]) -> int | None:
    """The subject the rules would give the cue's verb ("she" in "she has long admired")."""
    verbs = [t for t in parsed[cue[0] : cue[1]] if t.pos_ in ("VERB", "AUX")]
    if not verbs:
        return None
    verb = verbs[-1]
    if KEEP_RELATIVE_SOURCE:
        for child in verb.children:
            if child.dep_ == "nsubj" and is_relative(child):
                return int(child.i)
    head = subject_of(verb)
    return head if head is not None or not CLIMB_TO_CLAUSE_SUBJECT else _clause_subject(verb)


def _clause_subject(verb: Any) -> int | None:
    """The subject of the clause a subjectless verb hangs in: "They" for "emphasize" in "They
    will focus on establishing a ceasefire and emphasize ..." (climbs through "on")."""
    current = verb
    for _ in range(MAX_CLAUSE_CLIMB):
        if current.dep_ not in _CLAUSE_CLIMB_DEPS or current.head is current:
            return None
        current = current.head
        subjects = [c for c in current.children if c.dep_ in ("nsubj", "nsubjpass")]
        if subjects:
            return int(subjects[0].i)
    return None


def _chars(parsed: Any, span: tuple[int, int]) -> tuple[int, int]:
    last = parsed[span[1] - 1]
    return parsed[span[0]].idx, last.idx + len(last.text)


def tagged_found(
    parsed: Any, text: str, nlp: Any | None = None, spans: TaggedSpans | None = None
) -> list[Found]:
    """The tagger's contents as Found items, each with its tagged cue and nearest source."""
    if spans is None:
        spans = tag_spans(parsed, nlp)
    cues = [(s, e) for label, s, e in spans if label == CUE and not _preposition(parsed, s, e)]
    sources = [(s, e) for label, s, e in spans if label == SOURCE]
    contents: list[tuple[int, int]] = []
    offsets: list[tuple[int, int]] = []
    for label, s, e in spans:
        start, end = _strip(text, *_chars(parsed, (s, e)))
        if label == CONTENT and end > start:
            contents.append((s, e))
            offsets.append((start, end))
    kinds = [_kind(text, start, end) for start, end in offsets]
    # reported content ends on a word, as the rules' does ("... to Russia," -> "... to Russia")
    offsets = [
        trim_content(text, start, end) if kind == "indirect" else (start, end)
        for (start, end), kind in zip(offsets, kinds, strict=True)
    ]
    cue_of = _assign_cues(contents, cues, [k != "indirect" for k in kinds])
    found: list[Found] = []
    for content, (start, end), kind, cue in zip(contents, offsets, kinds, cue_of, strict=True):
        if end <= start:
            continue  # only punctuation was tagged
        if cue is not None and kind != "direct" and _unsaid(parsed, cue):
            continue  # "without announcing whether ...": nothing was said
        if cue is not None and _borrowed(parsed, cue, content):
            continue  # "X arrived ... after Y said ...": the main clause is no one's words
        source = _nearest(sources, cue or content)
        head = _cue_subject(parsed, cue) if cue and SUBJECT_FIRST else None
        if head is None and source is not None:
            head = int(parsed[source[0] : source[1]].root.i)
        # "It is believed that ...": no one said it, and no earlier speaker should take it
        impersonal = cue is not None and _impersonal(parsed, cue)
        if impersonal or (head is not None and is_expletive(parsed[head])):
            head = None
        found.append(
            Found(
                start,
                end,
                kind,
                cue=_chars(parsed, cue) if cue else None,
                source=head,
                follows=head is None and not impersonal,
            )
        )
    return found
