"""Fix the small model's entity labels where our data knows better.

en_core_web_sm tags "Kyiv" as PERSON, "Trump" as ORG, "Downing Street" as FAC and "State"
(from "Secretary of State") as ORG. Each span is relabelled by, in order: the gazetteer, the
office table's people, the article's own person names, and junk rules. Every relabelling
carries Evidence so the output can say why.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc
from spacy.vocab import Vocab

from westminster.knowledge.gazetteer import Gazetteer, GazetteerEntry
from westminster.models.analysis import Evidence
from westminster.nlp.entities.names import (
    TITLE_JOINERS,
    has_honorific,
    is_title_word,
    name_parts,
    normalise_name,
    strip_title_tokens,
    trim_span,
)
from westminster.nlp.entities.people import PeopleIndex

# spaCy (OntoNotes) labels we keep, and the kind each becomes. Dates, money, numbers, works
# of art, laws and products are other modules' business or not referents.
LABEL_KINDS: dict[str, str] = {
    "PERSON": "person",
    "ORG": "organisation",
    "GPE": "place",
    "LOC": "place",
    "FAC": "place",
    "NORP": "group",
    "EVENT": "event",
}

# Single capitalised words the model tags as places or organisations that name no referent
# in political copy: compass points ("the West" in "missiles from the West") and the tail of
# role titles. Found on the seed article and CoNLL-2003 dev.
JUNK_NAMES: frozenset[str] = frozenset({"West", "East", "North", "South", "State", "Government"})

# Penn tags of adjectives: a GPE/LOC that is one adjective token is a nationality
# ("Ukrainian officials"), not a place.
ADJECTIVE_TAGS: frozenset[str] = frozenset({"JJ", "JJR", "JJS"})

GAZETTEER_LABEL = "GAZETTEER"


@dataclass(frozen=True)
class Candidate:
    """One entity mention after correction: the name's span (no title, no possessive)."""

    token_start: int
    token_end: int
    start: int
    end: int
    text: str
    kind: str
    label: str  # the spaCy label it came with, or GAZETTEER when only the gazetteer found it
    entry: GazetteerEntry | None = None
    evidence: Evidence | None = None


@lru_cache(maxsize=1)
def _tokenizer() -> Language:
    # A blank English pipeline tokenises like en_core_web_sm (same rules), so patterns built
    # with it line up with model tokens; it has no weights and loads in milliseconds.
    return spacy.blank("en")


def pattern_doc(vocab: Vocab, phrase: str) -> Doc:
    """A Doc for a phrase in the given vocab, tokenised the way the model tokenises text."""
    tokens = _tokenizer().tokenizer(phrase)
    return Doc(vocab, words=[t.text for t in tokens], spaces=[bool(t.whitespace_) for t in tokens])


@lru_cache(maxsize=8)
def gazetteer_matcher(vocab: Vocab, gazetteer: Gazetteer) -> PhraseMatcher:
    """Case-sensitive matcher over every gazetteer surface form, built once per vocab."""
    matcher = PhraseMatcher(vocab, attr="ORTH")
    for entry in gazetteer:
        matcher.add(entry.key, [pattern_doc(vocab, s) for s in entry.surfaces()])
    return matcher


def _raw_spans(doc: Doc, gazetteer: Gazetteer) -> list[tuple[int, int, str, GazetteerEntry | None]]:
    """NER spans with kept labels plus gazetteer matches; the longer wins, NER on ties."""
    found: list[tuple[int, int, int, str, GazetteerEntry | None]] = [
        (ent.start, ent.end, 0, ent.label_, None) for ent in doc.ents if ent.label_ in LABEL_KINDS
    ]
    for match_id, start, end in gazetteer_matcher(doc.vocab, gazetteer)(doc):
        entry = gazetteer.by_key(doc.vocab.strings[match_id])
        found.append((start, end, 1, GAZETTEER_LABEL, entry))
    found.sort(key=lambda f: (f[0] - f[1], f[2], f[0]))
    taken = bytearray(len(doc))
    kept: list[tuple[int, int, str, GazetteerEntry | None]] = []
    for start, end, _, label, entry in found:
        if any(taken[start:end]):
            continue
        taken[start:end] = b"\x01" * (end - start)
        kept.append((start, end, label, entry))
    kept.sort()
    return kept


def _article_person_words(
    doc: Doc, spans: list[tuple[int, int, str, GazetteerEntry | None]]
) -> set[str]:
    """First names and surnames of multi-word PERSON names in this article."""
    words: set[str] = set()
    for start, end, label, _ in spans:
        if label != "PERSON":
            continue
        name = normalise_name(doc[start:end].text)
        if len(name.split()) > 1:
            first, last = name_parts(name)
            words.update((first, last))
    return words


def _is_junk(doc: Doc, start: int, end: int, text: str) -> bool:
    """Compass points, lone role titles and title tails such as "State"."""
    if text in JUNK_NAMES:
        return True
    words = [t for t in doc[start:end] if t.lower_ not in TITLE_JOINERS]
    return all(is_title_word(t.text) for t in words) and not has_honorific(doc, start)


def _hyphen_piece(doc: Doc, start: int, end: int) -> bool:
    """True for half of a hyphenated adjective ("Anglo" and "French" in "Anglo-French")."""
    before = start > 0 and doc[start - 1].text == "-" and not doc[start - 1].whitespace_
    after = end < len(doc) and doc[end].text == "-" and not doc[end - 1].whitespace_
    return before or after


def _relabelled(label: str, kind: str, rule: str, detail: str) -> Evidence | None:
    """Evidence only when the kind differs from what spaCy's label implied."""
    if LABEL_KINDS.get(label) == kind:
        return None
    said = "nothing" if label == GAZETTEER_LABEL else label
    return Evidence(rule=rule, detail=f"{detail} (spaCy said {said})")


def correct_entities(
    doc: Doc, gazetteer: Gazetteer, people: PeopleIndex, published: date
) -> list[Candidate]:
    """Entity candidates of a Doc with the model's labels corrected, in text order."""
    spans = _raw_spans(doc, gazetteer)
    person_words = _article_person_words(doc, spans)
    full = doc.text  # Doc.text joins every token on each access: read it once
    out: list[Candidate] = []
    for start, end, label, matched in spans:
        trimmed = trim_span(doc, start, end)
        if trimmed is None:
            continue
        ts, te, cs, ce = trimmed
        text = full[cs:ce]
        name_start = strip_title_tokens(doc, ts, te)
        name_text = full[doc[name_start].idx : ce]
        entry = matched or gazetteer.lookup(text)
        if entry is None and name_start > ts:
            titled = gazetteer.lookup(name_text)
            entry = titled if titled is not None and titled.kind == "person" else None
        kind: str
        evidence: Evidence | None
        if (label == "NORP" or (entry is not None and entry.kind == "group")) and _hyphen_piece(
            doc, ts, te
        ):
            continue
        if entry is not None:
            kind = entry.kind
            evidence = _relabelled(label, kind, "gazetteer", f"{text!r} is {kind} {entry.name!r}")
        elif _is_junk(doc, ts, te, text):
            continue
        elif people.is_known(normalise_name(name_text)):
            kind = "person"
            evidence = _relabelled(
                label, kind, "known-person", f"{name_text!r} is in the office table"
            )
        elif te - name_start == 1 and name_text in person_words:
            kind = "person"
            evidence = _relabelled(
                label, kind, "article-consistency", f"{name_text!r} is part of a person's name here"
            )
        elif te - name_start == 1 and people.holders_with_surname(name_text, published):
            kind = "person"
            evidence = _relabelled(
                label, kind, "known-person-surname", f"{name_text!r} is an office holder's surname"
            )
        elif label in ("GPE", "LOC") and te - ts == 1 and doc[ts].tag_ in ADJECTIVE_TAGS:
            kind = "group"
            evidence = Evidence(
                "adjective-not-place", f"{text!r} is an adjective (spaCy said {label})"
            )
        else:
            kind = LABEL_KINDS[label]
            evidence = None
        if kind == "person" and name_start > ts:
            ts, cs, text = name_start, doc[name_start].idx, name_text
        out.append(Candidate(ts, te, cs, ce, text, kind, label, entry, evidence))
    return out
