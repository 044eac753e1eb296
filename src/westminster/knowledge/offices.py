"""Office holders by date: who was "the prime minister" on a given day.

The bundled table is versioned data (knowledge/data/offices.csv and office_holders.csv);
`westminster offices refresh` writes a refreshed UK part into the data directory, which
overrides the bundled rows for the offices it covers.
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path

from westminster.errors import DataError

OFFICES_FILE = "offices.csv"
HOLDERS_FILE = "office_holders.csv"
VERSION_FILE = "offices.version"
REFRESHED_HOLDERS_FILE = "office_holders.refreshed.csv"

HOLDER_FIELDS = ("office_id", "person", "start", "end", "parliament_id", "source")


@dataclass(frozen=True)
class Office:
    """An office, e.g. uk-prime-minister, with the role phrases that name it without a name."""

    id: str
    title: str
    country: str  # ISO-like code: "GB", "US", "RU", "UA", "FR", "DE", "IL", "CN", "EU"
    kind: str  # "head-of-government" | "head-of-state" | "minister" | "opposition" | ...
    role_phrases: tuple[str, ...]


@dataclass(frozen=True)
class Holding:
    """One person holding one office from `start` to `end` (None: still in office)."""

    office_id: str
    person: str
    start: date
    end: date | None = None
    parliament_id: int | None = None
    source: str = ""

    def covers(self, on: date) -> bool:
        """True when the person held the office on that day (start inclusive, end exclusive)."""
        return self.start <= on and (self.end is None or on < self.end)


def normalise_role(phrase: str) -> str:
    """Lower-case, strip determiners and punctuation: "The Prime Minister's" -> "prime minister"."""
    text = phrase.lower().replace("’", "'").replace(".", "")
    text = re.sub(r"'s$", "", text.strip())
    text = re.sub(r"^(the|a|an|this|that)\s+", "", text)
    return re.sub(r"\s+", " ", text).strip()


class OfficeTable:
    """Lookups over offices and holdings; immutable once built."""

    def __init__(self, offices: Iterable[Office], holdings: Iterable[Holding], version: str = ""):
        self.version = version
        self.offices: dict[str, Office] = {o.id: o for o in offices}
        self.holdings: tuple[Holding, ...] = tuple(holdings)
        self._by_office: dict[str, list[Holding]] = defaultdict(list)
        self._by_person: dict[str, list[Holding]] = defaultdict(list)
        for h in self.holdings:
            if h.office_id not in self.offices:
                raise DataError(f"holding names unknown office {h.office_id!r}", subject=h.person)
            self._by_office[h.office_id].append(h)
            self._by_person[h.person.lower()].append(h)
        self._by_phrase: dict[str, list[Office]] = defaultdict(list)
        for office in self.offices.values():
            for phrase in office.role_phrases:
                self._by_phrase[normalise_role(phrase)].append(office)

    def holders_on(self, office_id: str, on: date) -> list[Holding]:
        """Who held the office on that day (usually one; none during a vacancy)."""
        return [h for h in self._by_office.get(office_id, ()) if h.covers(on)]

    def offices_for_role(self, phrase: str) -> list[Office]:
        """Offices a role phrase can name ("president" names several; context decides)."""
        return list(self._by_phrase.get(normalise_role(phrase), ()))

    def role_phrases(self) -> set[str]:
        """Every normalised role phrase the table knows."""
        return set(self._by_phrase)

    def offices_of(self, person: str, on: date) -> list[Holding]:
        """Offices the named person held on that day."""
        return [h for h in self._by_person.get(person.lower(), ()) if h.covers(on)]

    def people(self) -> set[str]:
        """Every person named in the table."""
        return {h.person for h in self.holdings}

    def with_holdings_replaced(self, office_ids: set[str], holdings: Iterable[Holding]) -> OfficeTable:
        """A new table where the given offices' holdings are replaced (used by refresh)."""
        kept = [h for h in self.holdings if h.office_id not in office_ids]
        return OfficeTable(self.offices.values(), [*kept, *holdings], self.version)


def _parse_date(value: str, where: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise DataError(f"bad date {value!r}", subject=where) from exc


def read_offices(text: str, where: str = OFFICES_FILE) -> list[Office]:
    """Parse offices.csv: office_id,title,country,kind,role_phrases (| separated)."""
    rows = csv.DictReader(line for line in text.splitlines() if not line.startswith("#"))
    return [
        Office(
            id=r["office_id"],
            title=r["title"],
            country=r["country"],
            kind=r["kind"],
            role_phrases=tuple(p.strip() for p in (r["role_phrases"] or "").split("|") if p.strip()),
        )
        for r in rows
    ]


def read_holdings(text: str, where: str = HOLDERS_FILE) -> list[Holding]:
    """Parse office_holders.csv: office_id,person,start,end,parliament_id,source."""
    rows = csv.DictReader(line for line in text.splitlines() if not line.startswith("#"))
    out: list[Holding] = []
    for n, r in enumerate(rows, start=2):
        start = _parse_date(r["start"], f"{where} line {n}")
        if start is None:
            raise DataError("holding has no start date", subject=f"{where} line {n}")
        pid = (r.get("parliament_id") or "").strip()
        out.append(
            Holding(
                office_id=r["office_id"],
                person=r["person"],
                start=start,
                end=_parse_date(r["end"], f"{where} line {n}"),
                parliament_id=int(pid) if pid else None,
                source=r.get("source") or "",
            )
        )
    return out


def write_holdings(path: Path, holdings: Iterable[Holding]) -> None:
    """Write holdings in office_holders.csv format (atomically: temp file then rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(HOLDER_FIELDS)
        for h in holdings:
            writer.writerow(
                [h.office_id, h.person, h.start.isoformat(), h.end.isoformat() if h.end else "",
                 h.parliament_id or "", h.source]
            )
    tmp.replace(path)


def load_office_table(data_dir: Path | None = None) -> OfficeTable:
    """The bundled table, with refreshed UK holdings from `data_dir` overriding their offices."""
    pkg = resources.files("westminster.knowledge") / "data"
    offices = read_offices((pkg / OFFICES_FILE).read_text(encoding="utf-8"))
    holdings = read_holdings((pkg / HOLDERS_FILE).read_text(encoding="utf-8"))
    version = (pkg / VERSION_FILE).read_text(encoding="utf-8").strip()
    table = OfficeTable(offices, holdings, version)
    if data_dir is not None:
        refreshed = data_dir / REFRESHED_HOLDERS_FILE
        if refreshed.exists():
            fresh = read_holdings(refreshed.read_text(encoding="utf-8"), str(refreshed))
            table = table.with_holdings_replaced({h.office_id for h in fresh}, fresh)
            table.version = f"{version}+refreshed"
    return table
