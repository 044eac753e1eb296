"""Speakers: the mention behind an attribution, pronouns resolved, linked to entity ids."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from westminster.models import Entity, Mention, QuoteSpeaker

# Modifiers kept in a role or anonymous-source phrase: "a senior Whitehall source".
_NP_LEFT_DEPS = frozenset({"det", "amod", "compound", "poss", "nmod", "nummod", "quantmod"})
_PERSON_PRONOUNS = frozenset({"he", "she", "him", "her"})
_GROUP_PRONOUNS = frozenset({"they", "them"})
_THING_PRONOUNS = frozenset({"it"})
_RELATIVE_PRONOUNS = frozenset({"who", "which", "that"})
_SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
_SPEAKER_ENT_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "FAC"})
_ENT_KINDS = {"PERSON": "person", "ORG": "organisation", "GPE": "place", "NORP": "group"}
# Verbs whose "it" subject is empty: "it seems that", "it appears that".
_RAISING_VERBS = frozenset({"seem", "appear", "emerge", "transpire"})
_TITLES = frozenset({"mr", "mr.", "mrs", "mrs.", "ms", "ms.", "dr", "dr.", "sir", "dame", "lord"})


def source_span(doc: Any, head: int, coordinated: bool = True) -> tuple[int, int]:
    """Character span of the source phrase headed by token `head` (a name, role or pronoun).

    A coordination ("Sir Keir and Mr. Biden") spans all its members unless `coordinated` is off.
    """
    token = doc[head]
    members = _conjuncts(token) if coordinated else []
    # a title spaCy leaves outside the first name belongs to a coordination ("Sir Keir and ...")
    start, end = _own_span(doc, token, with_title=bool(members))
    for member in members:
        end = max(end, _own_span(doc, member)[1])
    return start, end


def _own_span(doc: Any, token: Any, with_title: bool = False) -> tuple[int, int]:
    left = token.i
    for child in token.lefts:
        if child.dep_ in _NP_LEFT_DEPS:
            left = min(left, child.left_edge.i)
    if token.ent_type_ in _SPEAKER_ENT_LABELS:
        for ent in doc.ents:
            if ent.start <= token.i < ent.end:
                title = with_title and left < ent.start and doc[left].lower_ in _TITLES
                return doc[left].idx if title else ent.start_char, ent.end_char
    return doc[left].idx, token.idx + len(token.text)


def is_pronoun(token: Any) -> bool:
    """True for a third-person pronoun whose antecedent must be found."""
    return token.lower_ in _PERSON_PRONOUNS | _GROUP_PRONOUNS | _THING_PRONOUNS


def link_entity(entities: Sequence[Entity], start: int, end: int) -> Entity | None:
    """The entity whose mention overlaps [start, end) most; None when none does."""
    best: Entity | None = None
    best_overlap = 0
    for entity in entities:
        for mention in entity.mentions:
            overlap = min(end, mention.end) - max(start, mention.start)
            if overlap > best_overlap:
                best, best_overlap = entity, overlap
    return best


def make_speaker(
    doc: Any,
    text: str,
    head: int,
    entities: Sequence[Entity],
    earlier: Sequence[QuoteSpeaker],
) -> QuoteSpeaker:
    """The speaker for a source head token; pronouns take an agreeing antecedent's name."""
    start, end = source_span(doc, head)
    surface = text[start:end]
    token = doc[head]
    if is_relative(token):
        # PolNeAR marks "who" in "Cruz, who threatened to ..."; the name is its antecedent's
        name, entity_id = _named(doc, text, token.head.head.i, entities)
        return QuoteSpeaker(start, end, surface, name, entity_id)
    if is_pronoun(token):
        found = resolve_pronoun(doc, text, head, entities, earlier)
        name, entity_id = found if found is not None else (surface, None)
        return QuoteSpeaker(start, end, surface, name, entity_id)
    name, entity_id = _named(doc, text, head, entities)
    return QuoteSpeaker(start, end, surface, name, entity_id)


def is_expletive(token: Any) -> bool:
    """True for an "it" that refers to no one: "It is believed that ...", "it was confirmed"."""
    if token.lower_ != "it":
        return False
    return bool(token.dep_ in ("expl", "nsubjpass") or _raising(token.head))


def is_impersonal(verb: Any) -> bool:
    """True for a cue with no one behind it: a passive without an agent ("is believed that",
    "are expected to") or a raising verb with "it" ("it seems that")."""
    children = list(verb.children)
    if any(c.dep_ == "agent" for c in children):
        return False
    if any(c.dep_ in ("nsubjpass", "auxpass") for c in children):
        return True
    return any(c.dep_ in _SUBJECT_DEPS and is_expletive(c) for c in children)


def _raising(verb: Any) -> bool:
    return bool(verb.lemma_.lower() in _RAISING_VERBS)


def is_relative(token: Any) -> bool:
    """True for the relative pronoun subject of a relative clause ("who" in "X, who said")."""
    return bool(
        token.lower_ in _RELATIVE_PRONOUNS
        and token.tag_ in ("WP", "WDT")
        and token.head.dep_ == "relcl"
        and token.head.head is not token.head
    )


def _named(doc: Any, text: str, head: int, entities: Sequence[Entity]) -> tuple[str, str | None]:
    """(name, entity id) of a non-pronoun source; a coordination names all its members."""
    start, end = source_span(doc, head)
    members = [doc[head], *_conjuncts(doc[head])]
    if len(members) > 1:
        names = []
        for member in members:
            m_start, m_end = source_span(doc, member.i, coordinated=False)
            entity = link_entity(entities, m_start, m_end)
            names.append(entity.name if entity is not None else text[m_start:m_end])
        return " and ".join(names), None  # a group of speakers is no single entity
    entity = link_entity(entities, start, end)
    token = doc[head]
    head_span = (token.idx, token.idx + len(token.text))
    if entity is not None and _mentions_cover(entity, *head_span):
        return entity.name, entity.id
    # "Mr. Zelensky's administration" names the administration, not the man
    return text[start:end], None


def _mentions_cover(entity: Entity, start: int, end: int) -> bool:
    return any(m.start < end and start < m.end for m in entity.mentions)


def _conjuncts(token: Any) -> list[Any]:
    """Nouns coordinated with token ("Sir Keir and Mr. Biden"), in order."""
    if not any(c.dep_ == "cc" for c in token.children):
        return []
    found = []
    for child in token.children:
        if child.dep_ == "conj" and child.pos_ in ("PROPN", "NOUN", "PRON"):
            found += [child, *_conjuncts(child)]
    return found


def _agrees(pronoun: str, kind: str, plural: bool, linked: bool) -> bool:
    """Whether a pronoun can refer to a mention of this entity kind and number."""
    if pronoun in _PERSON_PRONOUNS:
        return kind == "person" and not plural  # never an organisation or a common noun
    if pronoun in _THING_PRONOUNS:
        return not plural and (kind in ("organisation", "place") or not linked)
    return plural or kind in ("organisation", "group", "place")


def _mention_of(
    doc: Any, text: str, head: int, entities: Sequence[Entity]
) -> tuple[str, str | None, str, bool] | None:
    """(name, entity id, kind, plural) for a noun-phrase head; None for pronouns and clauses."""
    token = doc[head]
    if token.pos_ not in ("PROPN", "NOUN") or is_pronoun(token):
        return None
    name, entity_id = _named(doc, text, head, entities)
    kind = next((e.kind for e in entities if e.id == entity_id), "")
    plural = bool(_conjuncts(token)) or token.tag_ in ("NNS", "NNPS")
    return name, entity_id, kind, plural


def resolve_pronoun(
    doc: Any,
    text: str,
    head: int,
    entities: Sequence[Entity],
    earlier: Sequence[QuoteSpeaker],
) -> tuple[str, str | None] | None:
    """(name, entity id) a he/she/it/they source refers to, or None when nothing agrees.

    Tried in order: the subjects earlier in the same sentence and the subjects of the previous
    sentence, then the most recent earlier speaker, then (he/she) the nearest person mention.
    """
    token = doc[head]
    pronoun = token.lower_
    for subject in _recent_subjects(doc, token):
        mention = _mention_of(doc, text, subject.i, entities)
        if mention is not None and _agrees(pronoun, *mention[2:], linked=bool(mention[2])):
            return mention[0], mention[1]
    kinds = {e.id: e.kind for e in entities}
    for previous in reversed(earlier):
        if previous.start >= token.idx:
            continue
        span = doc.char_span(previous.start, previous.end, alignment_mode="expand")
        root = span.root if span is not None and len(span) else None
        plural = root is not None and (bool(_conjuncts(root)) or root.tag_ in ("NNS", "NNPS"))
        kind = kinds.get(previous.entity_id or "", "")
        if root is not None and is_pronoun(root) and not kind and not plural:
            continue  # an unresolved pronoun names no one
        if _agrees(pronoun, kind, plural, linked=bool(kind)):
            return previous.name, previous.entity_id
    if pronoun in _PERSON_PRONOUNS:
        antecedent = _nearest_person_before(doc, head, entities)
        if antecedent is not None:
            return antecedent.name, antecedent.id
    return None


def _recent_subjects(doc: Any, token: Any) -> list[Any]:
    """Subjects before token in its sentence (nearest first), then the previous sentence's."""
    sent = token.sent
    same = [t for t in doc[sent.start : token.i] if t.dep_ in _SUBJECT_DEPS]
    before: list[Any] = []
    if sent.start > 0:
        previous = doc[sent.start - 1].sent
        # the main clause's subject first: it is what a following pronoun most often continues
        before = sorted(
            (t for t in previous if t.dep_ in _SUBJECT_DEPS),
            key=lambda t: (t.head.dep_ != "ROOT", t.i),
        )
    return [*reversed(same), *before]


def _nearest_person_before(doc: Any, head: int, entities: Sequence[Entity]) -> Entity | None:
    limit = doc[head].idx
    best: tuple[int, Entity] | None = None
    for entity in entities:
        if entity.kind != "person":
            continue
        for mention in entity.mentions:
            if mention.end <= limit and (best is None or mention.end > best[0]):
                best = (mention.end, entity)
    return best[1] if best else None


def entities_from_doc(doc: Any) -> tuple[Entity, ...]:
    """Fallback entities from spaCy's NER alone: people grouped by surname, others by name."""
    groups: dict[tuple[str, str], list[Any]] = {}
    names: dict[tuple[str, str], str] = {}
    for ent in doc.ents:
        if ent.label_ not in _ENT_KINDS:
            continue
        words = [w for w in ent.text.replace("’s", "").split() if w.lower() not in _TITLES]
        if not words:
            continue
        key = (ent.label_, words[-1].lower() if ent.label_ == "PERSON" else " ".join(words))
        groups.setdefault(key, []).append(ent)
        if len(" ".join(words)) > len(names.get(key, "")):
            names[key] = " ".join(words)
    entities = []
    for n, (key, ents) in enumerate(groups.items(), start=1):
        mentions = tuple(Mention(e.start_char, e.end_char, e.text) for e in ents)
        entities.append(
            Entity(
                id=f"e{n}",
                name=names[key],
                kind=_ENT_KINDS[key[0]],
                aliases=tuple(sorted({m.text for m in mentions})),
                mentions=mentions,
            )
        )
    return tuple(entities)
