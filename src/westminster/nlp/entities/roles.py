"""Role mentions ("the prime minister", "the US president") resolved to office holders by date.

A PhraseMatcher on LOWER over the office table's role phrases finds the core; the mention
then takes in a determiner, adjectives and a country qualifier before it ("a resolute prime
minister", "the Russian president", "Britain's prime minister") or an of-phrase after it
("the prime minister of Israel"). When a phrase names several offices, these rules decide,
in this order, and the rule used is written into the mention's Evidence:

1. qualifier: a country adjective/name before or an "of <country>" after keeps the offices
   of that country ("the US president");
2. earlier-qualified-mention: an unqualified phrase refers to the office an earlier,
   unambiguous role mention in the article named (once "the US president" has been written,
   "the president" is the same office; this is what makes "the prime minister and the
   president" in a UK-US summit story the two leaders at the summit);
3. named-nearby: the one person named in this or the previous sentence who holds one of the
   candidate offices ("Netanyahu said ... the prime minister added");
4. outlet-country: the office of the outlet's country (a British outlet's unqualified "prime
   minister", "chancellor", "foreign secretary", "home secretary" are the UK offices).

Otherwise the mention is left Unresolved with the reason and candidate offices; so are
"former"/"shadow"/"next" holders and offices with no holder on the date.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc
from spacy.vocab import Vocab

from westminster.knowledge.gazetteer import Gazetteer
from westminster.knowledge.offices import Office, OfficeTable
from westminster.models.analysis import Evidence, Unresolved
from westminster.nlp.entities.corrections import Candidate, pattern_doc
from westminster.nlp.entities.names import POSSESSIVES
from westminster.nlp.entities.people import PeopleIndex

OFFICE_HOLDER_RULE = "office-holder-on-date"

# A British outlet by default (the product is "Westminster"); the caller can override.
DEFAULT_OUTLET_COUNTRY = "GB"

# How many sentences (this one and the ones before) rule 3 looks back over for a named
# holder. Two: the seed's "the prime minister" follows its naming sentence directly, and a
# wider window picked up Putin for the president at a UK-US summit.
CONTEXT_SENTENCES = 2

# Most modifier tokens taken in before a role core ("the newly elected Labour prime minister").
MAX_MODIFIERS = 4

# Modifiers that point away from the holder on the date.
AWAY_MODIFIERS: frozenset[str] = frozenset(
    {"former", "ex", "ex-", "late", "previous", "past", "next", "future", "then", "shadow",
     "acting", "deputy", "would-be", "prospective", "potential", "new"}
)  # fmt: skip
DETERMINER_TAGS: frozenset[str] = frozenset({"DT", "PDT", "PRP$", "WP$"})
# Articles recognised without a tagger (hand-built or blank-pipeline Docs).
ARTICLES: frozenset[str] = frozenset({"the", "a", "an"})
ADJECTIVE_TAGS: frozenset[str] = frozenset({"JJ", "JJR", "JJS", "RB", "VBN", "HYPH"})


@dataclass(frozen=True)
class RoleMention:
    """A role mention resolved to the person who held the office on the date."""

    start: int
    end: int
    text: str
    office_id: str
    holder: str  # canonical person name
    evidence: Evidence


@lru_cache(maxsize=8)
def role_matcher(vocab: Vocab, table: OfficeTable) -> PhraseMatcher:
    """LOWER matcher over every role phrase in the table, built once per vocab and table."""
    matcher = PhraseMatcher(vocab, attr="LOWER")
    for phrase in sorted(table.role_phrases()):
        matcher.add(phrase, [pattern_doc(vocab, phrase)])
    return matcher


def _sentence_starts(doc: Doc) -> list[int]:
    if not doc.has_annotation("SENT_START"):
        return [0]
    return [sent.start for sent in doc.sents]


class _Resolver:
    """Per-article state for resolving role mentions in text order."""

    def __init__(
        self,
        doc: Doc,
        candidates: list[Candidate],
        named: list[tuple[int, str]],
        table: OfficeTable,
        gazetteer: Gazetteer,
        people: PeopleIndex,
        published: date,
        outlet_country: str,
    ):
        self.doc, self.table, self.gazetteer = doc, table, gazetteer
        self.people, self.published, self.outlet_country = people, published, outlet_country
        self.owner: list[Candidate | None] = [None] * len(doc)
        for cand in candidates:
            for i in range(cand.token_start, cand.token_end):
                self.owner[i] = cand
        self.person_starts = {c.token_start for c in candidates if c.kind == "person"}
        self.named = sorted(named)
        self.named_at = [t for t, _ in self.named]
        self.sents = _sentence_starts(doc)
        self.established: list[tuple[int, str]] = []  # (token, office id) named unambiguously
        self.resolved: list[RoleMention] = []
        self.unresolved: list[Unresolved] = []

    def _country_at(self, i: int) -> tuple[str | None, int] | None:
        """(country or None if unknown, first token) of a place/group candidate ending at i."""
        cand = self.owner[i] if 0 <= i < len(self.doc) else None
        if cand is None or cand.kind not in ("place", "group"):
            return None
        country = cand.entry.country if cand.entry is not None and cand.entry.country else None
        return country, cand.token_start

    def _is_name(self, start: int, end: int) -> bool:
        """True when a person/organisation candidate covers the phrase or reaches beyond it.

        A candidate strictly inside a longer phrase ("Treasury" in "first lord of the
        treasury") does not stop the phrase being a role mention.
        """
        for cand in self.owner[start:end]:
            if cand is None or cand.kind not in ("person", "organisation"):
                continue
            inside = start <= cand.token_start and cand.token_end <= end
            if not inside or (cand.token_start, cand.token_end) == (start, end):
                return True
        return False

    def _is_title_use(self, start: int, end: int) -> bool:
        """A role phrase right before a name or proper noun is a title, not a mention."""
        if end >= len(self.doc):
            return False
        nxt = self.doc[end]
        return end in self.person_starts or (nxt.pos_ == "PROPN" and nxt.text[:1].isupper())

    def handle(self, start: int, end: int, phrase: str) -> None:
        """Resolve one matched role core."""
        doc = self.doc
        if self._is_name(start, end):
            return  # the phrase is (part of) a name or institution ("White House", "No 10")
        if self._is_title_use(start, end):
            return  # "President Putin", "Foreign Secretary David Lammy": a name mention
        if phrase == "pm" and start > 0 and doc[start - 1].like_num:
            return  # "5 pm" is a time
        first, qualifiers, away = start, [], ""
        i = start - 1
        while i >= 0 and start - i <= MAX_MODIFIERS:
            tok = doc[i]
            place = self._country_at(i - 1 if tok.text in POSSESSIVES else i)
            if place is not None:
                qualifiers.append((place[0], doc[place[1] : i + 1].text))
                first = place[1]
                i = place[1] - 1
            elif tok.tag_ in DETERMINER_TAGS or (not tok.tag_ and tok.lower_ in ARTICLES):
                first = i
                break
            elif tok.lower_ in AWAY_MODIFIERS:
                away, first = tok.text, i
                i -= 1
            elif tok.tag_ in ADJECTIVE_TAGS:
                first = i
                i -= 1
            else:
                break
        last = end
        if end + 1 < len(doc) and doc[end].lower_ == "of":
            after = end + 2 if doc[end + 1].lower_ == "the" else end + 1
            place = self._country_at(after)
            owner = self.owner[after] if after < len(doc) else None
            if place is not None and owner is not None:
                qualifiers.append((place[0], doc[end : owner.token_end].text))
                last = owner.token_end
        span = doc[first:last]
        text, s_char, e_char = span.text, span.start_char, span.end_char
        offices = self.table.offices_for_role(phrase)
        names = tuple(o.id for o in offices)
        if away:
            self._unresolve(
                s_char, e_char, text, f"{away!r} points away from the holder on the date", names
            )
            return
        how = ""
        for country, qualifier in qualifiers:
            if country is None:
                self._unresolve(
                    s_char, e_char, text, f"qualifier {qualifier!r} names no country we know", names
                )
                return
            offices = [o for o in offices if o.country == country]
            how = f"qualifier {qualifier!r}"
        if not offices:
            self._unresolve(s_char, e_char, text, "no office of that country has this title", names)
            return
        unambiguous = len(offices) == 1
        chosen: Office | None = offices[0] if unambiguous else None
        if chosen is not None and not how:
            how = f"the only office the table calls {phrase!r}"
        if chosen is None:
            chosen, how = self._by_earlier(offices) or (None, "")
        if chosen is None:
            nearby = self._by_named(start, offices)
            if len(nearby) > 1:
                people = " and ".join(sorted(nearby))
                reason = f"{people} both hold such an office and are named just before"
                ids = tuple(dict.fromkeys(o.id for o in nearby.values()))
                self._unresolve(s_char, e_char, text, reason, ids)
                return
            if nearby:
                person, chosen = next(iter(nearby.items()))
                how = f"named-nearby {person}"
        if chosen is None:
            home = [o for o in offices if o.country == self.outlet_country]
            if len(home) == 1:
                chosen, how = home[0], f"outlet-country default {self.outlet_country}"
        if chosen is None:
            reason = f"{phrase!r} names several offices and the context does not decide"
            self._unresolve(s_char, e_char, text, reason, tuple(o.id for o in offices))
            return
        holders = self.table.holders_on(chosen.id, self.published)
        if len(holders) != 1:
            day = self.published.isoformat()
            reason = f"{len(holders)} holders of {chosen.id} on {day} in the table"
            self._unresolve(s_char, e_char, text, reason, (chosen.id,))
            return
        holder = self.people.canonical_holder(holders[0].person)
        detail = f"{chosen.title} on {self.published.isoformat()}: {holder} (by {how})"
        self.resolved.append(
            RoleMention(
                s_char, e_char, text, chosen.id, holder, Evidence(OFFICE_HOLDER_RULE, detail)
            )
        )
        if unambiguous:
            self.established.append((start, chosen.id))

    def _by_earlier(self, offices: list[Office]) -> tuple[Office, str] | None:
        """Rule 2: the office an earlier unambiguous role mention named."""
        by_id = {o.id: o for o in offices}
        for _, office_id in reversed(self.established):
            if office_id in by_id:
                return by_id[office_id], "earlier-qualified-mention of the same office"
        return None

    def _by_named(self, start: int, offices: list[Office]) -> dict[str, Office]:
        """Rule 3: holders of candidate offices named in this or the previous sentence."""
        sent = bisect_right(self.sents, start) - 1
        floor = self.sents[max(0, sent - CONTEXT_SENTENCES + 1)]
        by_id = {o.id: o for o in offices}
        found: dict[str, Office] = {}
        for k in range(bisect_right(self.named_at, start) - 1, -1, -1):
            token, person = self.named[k]
            if token < floor:
                break
            for office_id in self.people.offices_held(person, self.published):
                if office_id in by_id:
                    found.setdefault(person, by_id[office_id])
        return found

    def _unresolve(
        self, start: int, end: int, text: str, reason: str, candidates: tuple[str, ...]
    ) -> None:
        self.unresolved.append(Unresolved(start, end, text, reason, candidates))


def resolve_roles(
    doc: Doc,
    candidates: list[Candidate],
    named: list[tuple[int, str]],
    table: OfficeTable,
    gazetteer: Gazetteer,
    people: PeopleIndex,
    published: date,
    outlet_country: str = DEFAULT_OUTLET_COUNTRY,
) -> tuple[list[RoleMention], list[Unresolved]]:
    """Role mentions in the Doc, resolved to holders on `published` or left unresolved.

    `named` lists (token index, canonical person name) for every name mention, for rule 3.
    """
    resolver = _Resolver(
        doc, candidates, named, table, gazetteer, people, published, outlet_country
    )
    matches = sorted(role_matcher(doc.vocab, table)(doc), key=lambda m: (m[1] - m[2], m[1]))
    taken = bytearray(len(doc))
    cores: list[tuple[int, int, str]] = []
    for match_id, start, end in matches:
        if any(taken[start:end]):
            continue
        taken[start:end] = b"\x01" * (end - start)
        cores.append((start, end, doc.vocab.strings[match_id]))
    for start, end, phrase in sorted(cores):
        resolver.handle(start, end, phrase)
    return resolver.resolved, resolver.unresolved
