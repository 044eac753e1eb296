"""Known places, organisations, groups and people, with their kinds and aliases.

The small spaCy model mislabels names our data knows ("Kyiv" as a person, "Downing Street"
as a facility); the gazetteer is the authority that corrects it. Entries whose `office_of`
names an office id are institutions that speak for that office's holder ("Downing Street"
is the office of uk-prime-minister). People mostly come from the office table; person rows
here only add spelling variants ("Zelenskyy").
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from westminster.errors import DataError

GAZETTEER_FILE = "gazetteer.csv"
GAZETTEER_FIELDS = ("key", "name", "kind", "aliases", "country", "office_of")
KINDS = frozenset({"person", "organisation", "place", "group", "event", "other"})

_LEADING_THE = re.compile(r"^the\s+", re.IGNORECASE)
_POSSESSIVE = re.compile(r"(?:'s|')$")


def normalise_surface(text: str) -> str:
    """Surface form for lookups: straight apostrophes, no leading "the", no possessive."""
    out = re.sub(r"\s+", " ", text.replace("’", "'")).strip()
    out = _POSSESSIVE.sub("", out)
    return _LEADING_THE.sub("", out).strip()


@dataclass(frozen=True)
class GazetteerEntry:
    """One known referent: canonical name, kind, aliases, country code, office it embodies."""

    key: str  # cross-article key, e.g. "place:kyiv"
    name: str  # canonical name, e.g. "Kyiv"
    kind: str  # one of KINDS
    aliases: tuple[str, ...] = ()  # other surface forms, e.g. "Kiev"
    country: str = ""  # ISO-like code for places/groups/orgs of one country ("GB", "US")
    office_of: str = ""  # office id this institution speaks for, e.g. "uk-prime-minister"

    def surfaces(self) -> tuple[str, ...]:
        """The canonical name followed by every alias."""
        return (self.name, *self.aliases)


class Gazetteer:
    """Lookups from surface form to entry; immutable once built."""

    def __init__(self, entries: Iterable[GazetteerEntry]):
        self.entries: tuple[GazetteerEntry, ...] = tuple(entries)
        self._exact: dict[str, GazetteerEntry] = {}
        self._folded: dict[str, GazetteerEntry] = {}
        self._by_key: dict[str, GazetteerEntry] = {}
        for entry in self.entries:
            if entry.key in self._by_key:
                raise DataError(f"duplicate key {entry.key!r}", subject=GAZETTEER_FILE)
            self._by_key[entry.key] = entry
            for surface in entry.surfaces():
                norm = normalise_surface(surface)
                other = self._exact.get(norm)
                if other is not None and other is not entry:
                    raise DataError(
                        f"alias {surface!r} names both {other.key!r} and {entry.key!r}",
                        subject=GAZETTEER_FILE,
                        fix="an alias must name one referent; drop it from one row",
                    )
                self._exact[norm] = entry
                self._folded.setdefault(norm.casefold(), entry)

    def __iter__(self) -> Iterator[GazetteerEntry]:
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.entries)

    def lookup(self, surface: str) -> GazetteerEntry | None:
        """The entry a surface form names ("the Kremlin's" -> Kremlin), else None.

        Case matters only for all-lower-case input, so "us" (the pronoun) never
        becomes the United States while "NATO" and "Nato" both find NATO.
        """
        norm = normalise_surface(surface)
        found = self._exact.get(norm)
        if found is None and norm != norm.lower():
            found = self._folded.get(norm.casefold())
        return found

    def by_key(self, key: str) -> GazetteerEntry | None:
        """The entry with that key, else None."""
        return self._by_key.get(key)

    def institutions(self) -> list[GazetteerEntry]:
        """Entries that speak for an office (Downing Street, the White House)."""
        return [e for e in self.entries if e.office_of]


def read_gazetteer(text: str, where: str = GAZETTEER_FILE) -> Gazetteer:
    """Parse gazetteer.csv (key,name,kind,aliases,country,office_of; aliases | separated)."""
    rows = csv.DictReader(line for line in text.splitlines() if not line.startswith("#"))
    if rows.fieldnames is None or tuple(rows.fieldnames) != GAZETTEER_FIELDS:
        raise DataError(
            f"header is {rows.fieldnames!r}, expected {','.join(GAZETTEER_FIELDS)}",
            subject=where,
        )
    entries: list[GazetteerEntry] = []
    for n, row in enumerate(rows, start=1):
        at = f"{where} data row {n}"
        if None in row or any(row[f] is None for f in GAZETTEER_FIELDS):
            raise DataError("wrong number of columns", subject=at)
        key, name, kind = row["key"].strip(), row["name"].strip(), row["kind"].strip()
        if not key or not name:
            raise DataError("key and name are required", subject=at)
        if kind not in KINDS:
            raise DataError(f"unknown kind {kind!r}", subject=at, fix=f"use one of {sorted(KINDS)}")
        if not key.startswith(f"{kind}:"):
            raise DataError(f"key {key!r} must start with {kind + ':'!r}", subject=at)
        aliases = tuple(a.strip() for a in row["aliases"].split("|") if a.strip())
        entries.append(
            GazetteerEntry(
                key=key,
                name=name,
                kind=kind,
                aliases=aliases,
                country=row["country"].strip(),
                office_of=row["office_of"].strip(),
            )
        )
    return Gazetteer(entries)


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """The bundled gazetteer, parsed once per process."""
    pkg = resources.files("westminster.knowledge") / "data"
    return read_gazetteer((pkg / GAZETTEER_FILE).read_text(encoding="utf-8"))
