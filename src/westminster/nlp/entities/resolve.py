"""resolve_entities: corrected NER, clustered names and resolved roles as Entity records."""

from __future__ import annotations

from datetime import date

from spacy.tokens import Doc

from westminster.errors import InputError
from westminster.knowledge.gazetteer import Gazetteer
from westminster.knowledge.offices import OfficeTable
from westminster.models.analysis import Entity, Evidence, Mention, Unresolved
from westminster.models.keys import entity_key
from westminster.nlp.entities.clustering import Cluster, cluster_candidates, combine_evidence
from westminster.nlp.entities.corrections import correct_entities
from westminster.nlp.entities.people import PeopleIndex, people_index
from westminster.nlp.entities.roles import DEFAULT_OUTLET_COUNTRY, resolve_roles

INSTITUTION_RULE = "office-institution"


def _aliases(mentions: list[Mention]) -> tuple[str, ...]:
    """Distinct surface forms in order of first appearance; case variants count once.

    "The prime minister" at the start of a sentence is the same alias as "the prime minister".
    """
    first_form: dict[str, str] = {}
    for m in mentions:
        first_form.setdefault(m.text.casefold(), m.text)
    return tuple(first_form.values())


def _institution_evidence(
    cluster: Cluster, offices: OfficeTable, people: PeopleIndex, published: date
) -> Evidence | None:
    """Why "Downing Street" stands for the prime minister: the office and its holder."""
    office_id = cluster.entry.office_of if cluster.entry else ""
    office = offices.offices.get(office_id)
    if office is None:
        return None
    holders = offices.holders_on(office_id, published)
    who = people.canonical_holder(holders[0].person) if len(holders) == 1 else "no single holder"
    detail = (
        f"{cluster.name} is the office of the {office.title}; on {published.isoformat()}: {who}"
    )
    return Evidence(INSTITUTION_RULE, detail)


def _entity(
    n: int, cluster: Cluster, offices: OfficeTable, people: PeopleIndex, published: date
) -> Entity:
    """The Entity record for a cluster, with the offices it holds or speaks for."""
    mentions = cluster.mentions
    held: tuple[str, ...] = ()
    if cluster.kind == "person":
        held = people.offices_held(cluster.name, published)
    elif cluster.entry is not None and cluster.entry.office_of:
        held = (cluster.entry.office_of,)
        evidence = _institution_evidence(cluster, offices, people, published)
        mentions = [
            Mention(m.start, m.end, m.text, combine_evidence(evidence, m.evidence))
            for m in mentions
        ]
    return Entity(
        id=f"e{n}",
        name=cluster.name,
        kind=cluster.kind,
        aliases=_aliases(mentions),
        mentions=tuple(mentions),
        key=cluster.key,
        offices=held,
    )


def resolve_entities(
    doc: Doc,
    published: date,
    offices: OfficeTable,
    gazetteer: Gazetteer,
    *,
    outlet_country: str = DEFAULT_OUTLET_COUNTRY,
) -> tuple[tuple[Entity, ...], tuple[Unresolved, ...]]:
    """People, organisations, places and groups of an article, one Entity per referent.

    Role mentions ("the prime minister") are resolved to the holder on `published`;
    those the context cannot decide come back as Unresolved with the reason.
    """
    if not isinstance(doc, Doc):
        raise InputError(
            f"expected a spaCy Doc, got {type(doc).__name__}", subject="resolve_entities"
        )
    if not isinstance(published, date):
        raise InputError(
            f"published must be a date, got {published!r}",
            subject="resolve_entities",
            fix="pass datetime.date, e.g. date(2024, 9, 13)",
        )
    people = people_index(offices, gazetteer)
    candidates = correct_entities(doc, gazetteer, people, published)
    clusters, unresolved, named = cluster_candidates(doc, candidates, people, published)
    roles, role_unresolved = resolve_roles(
        doc, candidates, named, offices, gazetteer, people, published, outlet_country
    )
    persons = {c.name: c for c in clusters if c.kind == "person"}
    for role in roles:
        cluster = persons.get(role.holder)
        if cluster is None:
            key = entity_key("person", role.holder)
            cluster = persons[role.holder] = Cluster("person", role.holder, key)
            clusters.append(cluster)
        cluster.mentions.append(Mention(role.start, role.end, role.text, role.evidence))
    for cluster in clusters:
        cluster.mentions.sort(key=lambda m: m.start)
    ordered = sorted((c for c in clusters if c.mentions), key=lambda c: c.mentions[0].start)
    entities = tuple(
        _entity(n, c, offices, people, published) for n, c in enumerate(ordered, start=1)
    )
    leftovers = sorted([*unresolved, *role_unresolved], key=lambda u: (u.start, u.end))
    return entities, tuple(leftovers)
