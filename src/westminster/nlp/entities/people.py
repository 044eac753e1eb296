"""Who we know: canonical person names from the office table and the gazetteer."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from functools import lru_cache

from westminster.knowledge.gazetteer import Gazetteer
from westminster.knowledge.offices import OfficeTable
from westminster.nlp.entities.names import name_parts


class PeopleIndex:
    """Known people by full name and surname, with the offices they held on a day."""

    def __init__(self, table: OfficeTable, gazetteer: Gazetteer):
        self.table = table
        # folded spelling -> canonical name; the gazetteer's spelling wins over the table's.
        self._canonical: dict[str, str] = {p.casefold(): p for p in table.people()}
        self._spellings: dict[str, set[str]] = defaultdict(set)
        for person in table.people():
            self._spellings[person].add(person)
        for entry in gazetteer:
            if entry.kind != "person":
                continue
            for surface in entry.surfaces():
                if len(surface.split()) > 1:
                    self._canonical[surface.casefold()] = entry.name
                self._spellings[entry.name].add(surface)
            for table_name in table.people():
                if table_name in entry.surfaces():
                    self._spellings[entry.name].add(table_name)
        self._by_surname: dict[str, set[str]] = defaultdict(set)
        self._by_first: dict[str, set[str]] = defaultdict(set)
        for canonical in set(self._canonical.values()):
            first, last = name_parts(canonical)
            self._by_surname[last.casefold()].add(canonical)
            self._by_first[first.casefold()].add(canonical)

    def canonical(self, name: str) -> str | None:
        """The canonical spelling of a known full name ("volodymyr zelenskyy" -> gazetteer's)."""
        return self._canonical.get(name.casefold())

    def is_known(self, name: str) -> bool:
        """True when the full name is a known person."""
        return name.casefold() in self._canonical

    def known_with_surname(self, surname: str) -> set[str]:
        """Every known person with that surname, in or out of office."""
        return set(self._by_surname.get(surname.casefold(), ()))

    def holders_with_surname(self, surname: str, on: date) -> set[str]:
        """Known people with that surname who held some office on the day."""
        return {p for p in self.known_with_surname(surname) if self.offices_held(p, on)}

    def holders_with_first_name(self, first: str, on: date) -> set[str]:
        """Known people with that first name who held some office on the day ("Sir Keir")."""
        known = self._by_first.get(first.casefold(), set())
        return {p for p in known if self.offices_held(p, on)}

    def offices_held(self, canonical: str, on: date) -> tuple[str, ...]:
        """Office ids the person held on the day, under any spelling the table uses."""
        ids: list[str] = []
        for spelling in sorted(self._spellings.get(canonical, {canonical})):
            for holding in self.table.offices_of(spelling, on):
                if holding.office_id not in ids:
                    ids.append(holding.office_id)
        return tuple(ids)

    def canonical_holder(self, table_name: str) -> str:
        """The canonical spelling for a name as the office table writes it."""
        return self._canonical.get(table_name.casefold(), table_name)


@lru_cache(maxsize=8)
def people_index(table: OfficeTable, gazetteer: Gazetteer) -> PeopleIndex:
    """The index for a table and gazetteer, built once per pair."""
    return PeopleIndex(table, gazetteer)
