"""Group corrected mentions into one entity per referent within an article.

People: full names (two words or more) anchor clusters; a lone surname or first name
("Mr. Lammy", "Sir Keir") joins the one full name in the article that it matches; with no
full name in the article, the one office holder on the date (else the one known person) with
that surname supplies it. A lone name that matches two people is left Unresolved, never
merged. Other kinds cluster on their gazetteer key, else on kind and name.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from spacy.tokens import Doc

from westminster.knowledge.gazetteer import GazetteerEntry
from westminster.models.analysis import Evidence, Mention, Unresolved
from westminster.models.keys import entity_key
from westminster.nlp.entities.corrections import Candidate
from westminster.nlp.entities.names import (
    bare,
    name_parts,
    normalise_name,
    title_start,
)
from westminster.nlp.entities.people import PeopleIndex

# Honorifics that British usage puts before a first name ("Sir Keir", "Dame Priti").
KNIGHTED: frozenset[str] = frozenset({"sir", "dame"})


@dataclass
class Cluster:
    """Mentions of one referent, gathered while reading the article."""

    kind: str
    name: str
    key: str
    entry: GazetteerEntry | None = None
    mentions: list[Mention] = field(default_factory=list)


def combine_evidence(link: Evidence | None, corrected: Evidence | None) -> Evidence | None:
    """One Evidence from how a mention was linked and how its label was corrected."""
    if link is None or corrected is None:
        return link or corrected
    return Evidence(link.rule, f"{link.detail}; {corrected.rule}: {corrected.detail}")


class _PersonIndex:
    """Full-name clusters of this article by surname and first name (case-folded)."""

    def __init__(self) -> None:
        self.by_name: dict[str, Cluster] = {}
        self.surnames: dict[str, set[str]] = defaultdict(set)
        self.firsts: dict[str, set[str]] = defaultdict(set)

    def get(self, canonical: str) -> Cluster:
        """The cluster for a canonical name, created (and indexed) if new."""
        cluster = self.by_name.get(canonical)
        if cluster is None:
            cluster = Cluster("person", canonical, entity_key("person", canonical))
            self.by_name[canonical] = cluster
            if len(canonical.split()) > 1:
                first, last = name_parts(canonical)
                self.surnames[last.casefold()].add(canonical)
                self.firsts[first.casefold()].add(canonical)
        return cluster


@dataclass(frozen=True)
class _Link:
    """Where a one-word name leads: a canonical name (with evidence) or several candidates."""

    name: str | None
    evidence: Evidence | None = None
    candidates: tuple[str, ...] = ()


def _link_single(
    word: str, index: _PersonIndex, people: PeopleIndex, published: date, knighted: bool
) -> _Link:
    """The person a one-word name ("Lammy", "Keir") refers to, or the candidates if ambiguous.

    `knighted`: the name follows Sir or Dame, which British usage puts before a first name.
    """
    folded = word.casefold()
    day = published.isoformat()
    for rule, found in (
        ("surname-match", index.surnames.get(folded, set())),
        ("first-name-match", index.firsts.get(folded, set())),
    ):
        if len(found) == 1:
            full = next(iter(found))
            return _Link(full, Evidence(rule, f"{word!r} is {full}, named in full in this article"))
        if len(found) > 1:
            return _Link(None, candidates=tuple(sorted(found)))
    holders = people.holders_with_surname(word, published)
    rule = "office-holder-surname"
    if not holders and knighted:
        holders = people.holders_with_first_name(word, published)
        rule = "office-holder-first-name"
    if len(holders) == 1:
        full = next(iter(holders))
        offices = ", ".join(people.offices_held(full, published))
        detail = f"{word!r} is {full}, holder of {offices} on {day}"
        return _Link(full, Evidence(rule, detail))
    if len(holders) > 1:
        return _Link(None, candidates=tuple(sorted(holders)))
    known = people.known_with_surname(word)
    if len(known) == 1:
        full = next(iter(known))
        detail = f"{word!r} is {full}, the one known person so named"
        return _Link(full, Evidence("known-person-surname", detail))
    if len(known) > 1:
        return _Link(None, candidates=tuple(sorted(known)))
    return _Link(word)


def cluster_candidates(
    doc: Doc, candidates: list[Candidate], people: PeopleIndex, published: date
) -> tuple[list[Cluster], list[Unresolved], list[tuple[int, str]]]:
    """Clusters, ambiguous name mentions, and (token, canonical name) of every person mention."""
    index = _PersonIndex()
    others: dict[str, Cluster] = {}
    singles: list[tuple[Candidate, Mention]] = []
    named: list[tuple[int, str]] = []
    full = doc.text  # Doc.text joins every token on each access: read it once
    for cand in candidates:
        if cand.kind != "person":
            key = cand.entry.key if cand.entry else entity_key(cand.kind, cand.text)
            cluster = others.get(key)
            if cluster is None:
                name = cand.entry.name if cand.entry else cand.text
                cluster = others[key] = Cluster(cand.kind, name, key, cand.entry)
            cluster.mentions.append(Mention(cand.start, cand.end, cand.text, cand.evidence))
            continue
        start = doc[title_start(doc, cand.token_start)].idx
        mention = Mention(start, cand.end, full[start : cand.end], cand.evidence)
        name = normalise_name(cand.text)
        if cand.entry is not None:
            canonical = cand.entry.name
        elif len(name.split()) > 1:
            canonical = people.canonical(name) or name
        else:
            singles.append((cand, mention))
            continue
        cluster = index.get(canonical)
        cluster.entry = cand.entry or cluster.entry
        cluster.mentions.append(mention)
        named.append((cand.token_start, canonical))
    unresolved: list[Unresolved] = []
    for cand, mention in singles:
        word = normalise_name(cand.text)
        knighted = cand.token_start > 0 and bare(doc[cand.token_start - 1].text) in KNIGHTED
        link = _link_single(word, index, people, published, knighted)
        if link.name is None:
            reason = f"{word!r} could be more than one person"
            unresolved.append(
                Unresolved(mention.start, mention.end, mention.text, reason, link.candidates)
            )
            continue
        evidence = combine_evidence(link.evidence, cand.evidence)
        index.get(link.name).mentions.append(
            Mention(mention.start, mention.end, mention.text, evidence)
        )
        named.append((cand.token_start, link.name))
    clusters = [*index.by_name.values(), *others.values()]
    for cluster in clusters:
        cluster.mentions.sort(key=lambda m: m.start)
    named.sort()
    return clusters, unresolved, named
