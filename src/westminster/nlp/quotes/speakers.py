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
_SPEAKER_ENT_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "FAC"})
_ENT_KINDS = {"PERSON": "person", "ORG": "organisation", "GPE": "place", "NORP": "group"}
_TITLES = frozenset({"mr", "mr.", "mrs", "mrs.", "ms", "ms.", "dr", "dr.", "sir", "dame", "lord"})


def source_span(doc: Any, head: int) -> tuple[int, int]:
    """Character span of the source phrase headed by token `head` (a name, role or pronoun)."""
    token = doc[head]
    if token.ent_type_ in _SPEAKER_ENT_LABELS:
        for ent in doc.ents:
            if ent.start <= head < ent.end:
                return ent.start_char, ent.end_char
    left = token.i
    for child in token.lefts:
        if child.dep_ in _NP_LEFT_DEPS:
            left = min(left, child.left_edge.i)
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


def _compatible(pronoun: str, speaker: QuoteSpeaker, entities: Sequence[Entity]) -> bool:
    kind = next((e.kind for e in entities if e.id == speaker.entity_id), "")
    if pronoun in _PERSON_PRONOUNS:
        return kind in ("person", "")
    if pronoun in _THING_PRONOUNS:
        return kind in ("organisation", "place", "")
    return True


def make_speaker(
    doc: Any,
    text: str,
    head: int,
    entities: Sequence[Entity],
    earlier: Sequence[QuoteSpeaker],
) -> QuoteSpeaker:
    """The speaker for a source head token; pronouns take the nearest compatible earlier one."""
    start, end = source_span(doc, head)
    surface = text[start:end]
    token = doc[head]
    if is_pronoun(token):
        for previous in reversed(earlier):
            if previous.start < start and _compatible(token.lower_, previous, entities):
                return QuoteSpeaker(start, end, surface, previous.name, previous.entity_id)
        antecedent = _nearest_person_before(doc, head, entities)
        if antecedent is not None:
            return QuoteSpeaker(start, end, surface, antecedent.name, antecedent.id)
        return QuoteSpeaker(start, end, surface, surface, None)
    entity = link_entity(entities, start, end)
    if entity is not None:
        return QuoteSpeaker(start, end, surface, entity.name, entity.id)
    return QuoteSpeaker(start, end, surface, surface, None)


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
