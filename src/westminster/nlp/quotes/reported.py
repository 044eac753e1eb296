"""Indirect, reported and mixed speech over the dependency parse: "X stated that ..."."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from westminster.nlp.quotes.cues import (
    ACCORDING,
    CUE_NOUNS,
    INTENT_VERBS,
    SPEECH_VERBS,
    is_cue_verb,
    is_unsaid,
    needs_clause,
)
from westminster.nlp.quotes.found import Found
from westminster.nlp.quotes.marks import find_quoted

_CLAUSE_DEPS = frozenset({"ccomp", "csubj"})
# "prep" lets "... will also focus on ... and emphasize" reach its clause's subject
# (held-out train speaker accuracy 0.856 -> 0.858; docs/attribution-notes.md).
_CLIMB_DEPS = frozenset({"advcl", "conj", "xcomp", "pcomp", "acl", "prep"})
# How far up the tree to look for the subject of a participle cue ("..., adding that"); 4 is
# the fewest steps that reach the subject through a preposition (see _CLIMB_DEPS).
MAX_SUBJECT_CLIMB = 4
# Trimmed from content edges: PolNeAR content never starts or ends on these.
_EDGE_PUNCT = frozenset(",;:-\u2014\u2013 ")
# Speech verbs whose direct object is the addressee, not what was said.
_ADDRESSEE_VERBS = frozenset({"tell", "ask", "urge", "remind", "inform", "email", "warn", "assure"})
# A cue verb's own complements: with one, the verb says something of its own.
_OWN_COMPLEMENT_DEPS = frozenset({"ccomp", "xcomp", "csubj", "dative", "oprd", "attr", "acomp"})
_CLOSING = frozenset("\u201d\u2019\"'")
_OWN_VOICE = frozenset({"i", "we", "you"})
_AS_VERBS = frozenset(
    {"describe", "call", "label", "brand", "dub", "hail", "characterise", "characterize", "see"}
)


# What follows a dateline's place: spaced dashes of every kind ("--" in older wire copy).
_DATELINE_DASHES = frozenset({"-", "--", "\u2013", "\u2014"})


def subject_of(verb: Any) -> int | None:
    """Token index of the source of a cue verb: its subject, its passive agent, or its head's."""
    current = verb
    for _ in range(MAX_SUBJECT_CLIMB + 1):
        for child in current.children:
            if child.dep_ == "nsubj" and is_dateline(child):
                # "CLEVELAND — Former Attorney General Michael Mukasey told ...": the parse
                # makes the place the subject and the speaker its apposition
                named = [c for c in child.children if c.dep_ == "appos"]
                if named:
                    return int(named[0].i)
                continue
            if child.dep_ == "nsubj":
                # a relative "who"/"which" is the source mention itself, as PolNeAR marks it;
                # make_speaker names it after the noun it refers to (held-out train speaker
                # accuracy 0.858 -> 0.872 against returning that noun)
                return int(child.i)
            if child.dep_ == "agent":
                objects = [c for c in child.children if c.dep_ == "pobj"]
                if objects:
                    return int(objects[0].i)
        if current.dep_ not in _CLIMB_DEPS or current.head is current:
            return None
        current = current.head
    return None


def is_dateline(token: Any) -> bool:
    """True for a wire dateline's place opening a sentence: "WASHINGTON —", "LONDON (AP) -"."""
    if not (token.is_sent_start and token.is_upper and token.is_alpha and len(token) > 1):
        return False
    following = token.nbor(1) if token.i + 1 < len(token.doc) else None
    if following is not None and following.text == "(":  # "LONDON (Reuters) -"
        closing = next((t for t in token.doc[token.i + 1 : token.i + 6] if t.text == ")"), None)
        following = (
            closing.nbor(1) if closing is not None and closing.i + 1 < len(token.doc) else None
        )
    return following is not None and following.text in _DATELINE_DASHES


def _span(tokens: Iterable[Any]) -> tuple[int, int] | None:
    toks = sorted(tokens, key=lambda t: t.i)
    if not toks:
        return None
    return toks[0].idx, toks[-1].idx + len(toks[-1].text)


def trim_content(text: str, start: int, end: int) -> tuple[int, int]:
    """Content edges without the punctuation PolNeAR never starts or ends a content on."""
    while start < end and text[start] in _EDGE_PUNCT | {"\n"}:
        start += 1
    while end > start and (text[end - 1] in _EDGE_PUNCT | {"\n", "."}):
        if text[end - 1] == "." and _abbreviation(text, start, end):
            break  # "into the U.S." keeps its full stop: it belongs to the word
        end -= 1
    # keep a closing mark that pairs with an opening one inside the content; it may sit after
    # trimmed punctuation: 'with NATO."'
    for k, ch in enumerate(text[end : end + 3]):
        if ch in _CLOSING:
            if any(q.end == end + k + 1 - start for q in find_quoted(text[start : end + k + 1])):
                end += k + 1
            break
        if ch not in ".,!? ":
            break
    return start, end


def _abbreviation(text: str, start: int, end: int) -> bool:
    """True when the full stop at end - 1 closes a dotted abbreviation ("U.S.", "a.m.")."""
    words = text[start : end - 1].split()
    word = words[-1] if words else ""
    parts = [part for part in word.split(".") if part]
    return "." in word and all(part.isalpha() and len(part) <= 2 for part in parts)


def _kind(text: str, start: int, end: int) -> str:
    return "mixed" if find_quoted(text[start:end]) else "indirect"


def _cue_span(verb: Any) -> tuple[int, int]:
    """The cue verb with its auxiliaries and negation ("has said", "did not mention")."""
    parts = [verb] + [c for c in verb.lefts if c.dep_ in ("aux", "auxpass", "neg")]
    span = _span(parts)
    assert span is not None
    return span


def _content_tokens(verb: Any) -> list[Any]:
    """Tokens of what a cue verb attributes: its clause, or an object described 'as' something."""
    clauses = [c for c in verb.children if c.dep_ in _CLAUSE_DEPS]
    if clauses:
        return [t for c in clauses for t in c.subtree]
    intents = [c for c in verb.children if c.dep_ == "xcomp" and c.pos_ in ("VERB", "AUX")]
    if intents and verb.lemma_.lower() in INTENT_VERBS:
        return [t for c in intents for t in c.subtree]  # "vowed to make Mexico pay"
    if needs_clause(verb):
        return []
    lemma = verb.lemma_.lower()
    objects = [c for c in verb.children if c.dep_ == "dobj"]
    as_phrases = [c for c in verb.children if c.dep_ == "prep" and c.lower_ == "as"]
    if lemma in _AS_VERBS and objects and as_phrases:
        return [t for c in objects + as_phrases for t in c.subtree]
    if lemma in SPEECH_VERBS and lemma not in _ADDRESSEE_VERBS and objects:
        return [t for c in objects for t in c.subtree]
    return []


def _around(head: Any, excluded: Any) -> list[Any]:
    """The head's clause without the excluded subtree: content around "as stated by X"."""
    skip = {t.i for t in excluded.subtree}
    tokens = [t for t in head.subtree if t.i not in skip and not t.is_space]
    # the clause on the far side of the excluded phrase from the cue is the content
    before = [t for t in tokens if t.i < excluded.left_edge.i]
    after = [t for t in tokens if t.i > excluded.right_edge.i]
    return after if len(after) >= len(before) else before


def _found(
    doc: Any, text: str, content: list[Any], cue: tuple[int, int], source: int | None
) -> Found | None:
    if source is not None and doc[source].lower_ in _OWN_VOICE:
        return None  # first-person reporting outside quote marks is the speaker's own words
    span = _span(t for t in content if not t.is_space)
    if span is None:
        return None
    start, end = trim_content(text, *span)
    if end - start < 2:
        return None
    return Found(start, end, _kind(text, start, end), cue=cue, source=source)


def find_reported(doc: Any, text: str, used_cues: set[int]) -> list[Found]:
    """Reported speech, "according to X" and "as stated by X" in the doc, by the parse."""
    found: list[Found] = []
    for token in doc:
        if token.i in used_cues:
            continue
        if token.lower_ == ACCORDING:
            result = _according(doc, text, token)
        elif is_unsaid(token):
            result = None  # "without announcing whether ...": nothing was said
        elif is_cue_verb(token) or _reports_clause(token):
            result = _verb(doc, text, token)
        else:
            result = None
        if result is not None:
            found.append(result)
    return found


def _reports_clause(token: Any) -> bool:
    """Any verb with a subject and a finite 'that'-clause reports something ("X insists that")."""
    if token.pos_ != "VERB" or not any(c.dep_ == "nsubj" for c in token.children):
        return False
    return any(
        c.dep_ == "ccomp" and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)
        for c in token.children
    )


def _verb(doc: Any, text: str, verb: Any) -> Found | None:
    marks = [c for c in verb.children if c.dep_ == "mark" and c.lower_ == "as"]
    if marks and verb.dep_ == "advcl" and verb.head.i != verb.i:
        # "As stated by Downing Street, the meeting will ..." / "as he said, ..."
        around = _around(verb.head, verb)
        if not borrows_main_clause(doc, verb, around):
            return _found(doc, text, around, _cue_span(verb), subject_of(verb))
        # a time clause ("arrived ... as Putin warned the West ..."): only its own complement
        if not _has_complement(verb):
            return None
    content = _content_tokens(verb)
    if not content:
        return None
    return _found(doc, text, content, _cue_span(verb), subject_of(verb))


def borrows_main_clause(doc: Any, verb: Any, content: Sequence[Any]) -> bool:
    """True when a cue verb in a subordinate clause ("after/when/because/as X said ...") would
    take content from the main clause outside that clause. Only a parenthetical "as" clause may
    ("As Downing Street said, the meeting ..."): one with no object or clause of its own, set
    off by punctuation; "arrived in Washington as Putin warned the West ..." is a time clause."""
    clause = verb
    while clause.dep_ == "xcomp" and clause.head.i != clause.i:
        clause = clause.head  # "as he continued to say"
    marks = [c.lower_ for c in clause.children if c.dep_ == "mark" and c.lower_ != "that"]
    if clause.dep_ != "advcl" or not marks or not content:
        return False
    if any(clause.left_edge.i <= t.i <= clause.right_edge.i for t in content):
        return False  # the content is the clause's own
    parenthetical = "as" in marks and not _has_complement(clause)
    return not (parenthetical and _set_off(doc, clause, content))


def _set_off(doc: Any, clause: Any, content: Sequence[Any]) -> bool:
    """True when punctuation parts an "as" clause from the content beside it ("..., as he
    said" / "As he said, ..."); "arrived in Washington as Putin warned" is a time clause."""
    if not content:
        return False
    step = 1 if content[0].i > clause.right_edge.i else -1
    # the clause's own last (first) token, then the words beyond it, up to the content
    edge = clause.right_edge.i if step == 1 else clause.left_edge.i
    if doc[edge].is_punct:
        return True
    edge += step
    while 0 <= edge < len(doc) and doc[edge].is_space:
        edge += step
    return bool(0 <= edge < len(doc) and doc[edge].is_punct)


def _has_complement(verb: Any) -> bool:
    """True when a cue verb has its own object or clause: then an "as" before it is temporal
    ("arrived ... as Putin warned the West against ...") and the main clause is not its content;
    a parenthetical "as Downing Street said, ..." has none, beyond a "told reporters" addressee."""
    lemma = verb.lemma_.lower()
    for child in verb.children:
        if child.dep_ in _OWN_COMPLEMENT_DEPS:
            return True
        if child.dep_ == "dobj" and lemma not in _ADDRESSEE_VERBS:
            return True
    return False


def _according(doc: Any, text: str, token: Any) -> Found | None:
    to = next((c for c in token.children if c.lower_ == "to"), None)
    if to is None:
        return None
    objects = [c for c in to.children if c.dep_ == "pobj"]
    if not objects:
        return None
    source = objects[0]
    # "according to a statement from X": the speaker is inside the cue noun's phrase
    if source.lemma_.lower() in CUE_NOUNS:
        inner = [t for t in source.subtree if t.dep_ == "pobj" and t is not source]
        if inner:
            source = inner[0]
    head = token.head if token.head is not token else token
    cue = (token.idx, to.idx + len(to.text))
    return _found(doc, text, _around(head, token), cue, int(source.i))
