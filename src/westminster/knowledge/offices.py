"""Office holders by date: who was "the prime minister" on a given day.

The bundled table is versioned data (knowledge/data/offices.csv and office_holders.csv);
`westminster offices refresh` writes a refreshed UK part into the data directory, which
overrides the bundled rows for the offices it covers.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from importlib import resources
from itertools import pairwise
from pathlib import Path

from westminster.errors import DataError

OFFICES_FILE = "offices.csv"
HOLDERS_FILE = "office_holders.csv"
VERSION_FILE = "offices.version"
REFRESHED_HOLDERS_FILE = "office_holders.refreshed.csv"

HOLDER_FIELDS = ("office_id", "person", "start", "end", "parliament_id", "source")
OFFICE_FIELDS = ("office_id", "title", "country", "kind", "role_phrases")

# Honorifics dropped when comparing names: the Members API says "Sir Keir Starmer", the table
# "Keir Starmer"; the same person either way.
_HONORIFICS = re.compile(
    r"\b(?:the|rt|hon|right|honourable|sir|dame|lord|lady|baroness|baron|mr|mrs|ms|miss|dr|mp|kc|qc|kcb)\b"
)


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


def person_key(name: str) -> str:
    """Comparable form of a person's name: no accents, titles, punctuation or case."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = _HONORIFICS.sub(" ", re.sub(r"[^\w\s]", " ", text))
    return " ".join(text.split())


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

    def holdings_of(self, office_id: str) -> list[Holding]:
        """Every holding of one office, oldest first."""
        return sorted(self._by_office.get(office_id, ()), key=lambda h: h.start)

    def overlaps(self) -> list[tuple[Holding, Holding]]:
        """Pairs of holdings of the same office that overlap in time (a data-quality check)."""
        found: list[tuple[Holding, Holding]] = []
        for office_id in self._by_office:
            ordered = self.holdings_of(office_id)
            for earlier, later in pairwise(ordered):
                if earlier.end is None or earlier.end > later.start:
                    found.append((earlier, later))
        return found

    def offices_of(self, person: str, on: date) -> list[Holding]:
        """Offices the named person held on that day."""
        return [h for h in self._by_person.get(person.lower(), ()) if h.covers(on)]

    def people(self) -> set[str]:
        """Every person named in the table."""
        return {h.person for h in self.holdings}

    def with_holdings_replaced(
        self, office_ids: set[str], holdings: Iterable[Holding]
    ) -> OfficeTable:
        """A new table where the given offices' holdings are replaced (used by refresh)."""
        kept = [h for h in self.holdings if h.office_id not in office_ids]
        return OfficeTable(self.offices.values(), [*kept, *holdings], self.version)


def _parse_date(value: str, where: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise DataError(f"bad date {value!r} (expected YYYY-MM-DD)", subject=where) from exc


def _rows(text: str, where: str, required: tuple[str, ...]) -> csv.DictReader[str]:
    """A CSV reader over the non-comment lines, after checking the header names the columns."""
    rows = csv.DictReader(line for line in text.splitlines() if not line.startswith("#"))
    missing = [name for name in required if name not in (rows.fieldnames or ())]
    if missing:
        raise DataError(f"missing column(s) {', '.join(missing)}", subject=where)
    return rows


def _phrases(cell: str | None) -> tuple[str, ...]:
    return tuple(p.strip() for p in (cell or "").split("|") if p.strip())


def read_offices(text: str, where: str = OFFICES_FILE) -> list[Office]:
    """Parse offices.csv: office_id,title,country,kind,role_phrases (| separated)."""
    return [
        Office(
            id=r["office_id"],
            title=r["title"],
            country=r["country"],
            kind=r["kind"],
            role_phrases=_phrases(r["role_phrases"]),
        )
        for r in _rows(text, where, OFFICE_FIELDS)
    ]


def read_holdings(text: str, where: str = HOLDERS_FILE) -> list[Holding]:
    """Parse office_holders.csv: office_id,person,start,end,parliament_id,source."""
    out: list[Holding] = []
    for r in _rows(text, where, HOLDER_FIELDS[:4]):
        line = f"{where} line {r.get('office_id')},{r.get('person')}"
        start = _parse_date(r["start"] or "", line)
        if start is None:
            raise DataError("holding has no start date", subject=line)
        pid = (r.get("parliament_id") or "").strip()
        if pid and not pid.isdigit():
            raise DataError(f"parliament_id {pid!r} is not a number", subject=line)
        out.append(
            Holding(
                office_id=r["office_id"],
                person=r["person"],
                start=start,
                end=_parse_date(r["end"] or "", line),
                parliament_id=int(pid) if pid else None,
                source=r.get("source") or "",
            )
        )
    return out


def write_holdings(path: Path, holdings: Iterable[Holding], comment: str = "") -> None:
    """Write holdings in office_holders.csv format (atomically: temp file then rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", newline="", encoding="utf-8") as fh:
        for line in comment.splitlines():
            fh.write(f"# {line}\n")
        writer = csv.writer(fh)
        writer.writerow(HOLDER_FIELDS)
        for h in holdings:
            writer.writerow(
                [
                    h.office_id,
                    h.person,
                    h.start.isoformat(),
                    h.end.isoformat() if h.end else "",
                    h.parliament_id or "",
                    h.source,
                ]
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
        fresh = read_refreshed(data_dir)
        if fresh:
            table = table.with_holdings_replaced({h.office_id for h in fresh}, fresh)
            table.version = f"{version}+refreshed"
    return table


def read_refreshed(data_dir: Path) -> list[Holding]:
    """The holdings a previous `offices refresh` wrote into `data_dir` (none if it never ran)."""
    refreshed = data_dir / REFRESHED_HOLDERS_FILE
    if not refreshed.exists():
        return []
    return read_holdings(refreshed.read_text(encoding="utf-8"), str(refreshed))


@dataclass(frozen=True)
class HoldingChange:
    """One change a refresh made: "added", "ended", "updated" or "removed" (contradicted)."""

    kind: str
    holding: Holding
    before: Holding | None = None


@dataclass(frozen=True)
class Merge:
    """Result of merging fetched holdings into a table: the new rows of the offices touched."""

    office_ids: frozenset[str]
    holdings: tuple[Holding, ...]
    changes: tuple[HoldingChange, ...]


def _overlap(a: Holding, b: Holding) -> bool:
    return (a.end is None or b.start < a.end) and (b.end is None or a.start < b.end)


def _same_holding(known: Holding, fresh: Holding) -> bool:
    """The fetched row describes a holding we already have (maybe under another name form)."""
    if known.start == fresh.start:
        # Same office, same first day: a Lord's "Baroness Smith of Basildon" is our "Angela Smith".
        return True
    same_id = known.parliament_id is not None and known.parliament_id == fresh.parliament_id
    same_person = same_id or person_key(known.person) == person_key(fresh.person)
    return same_person and _overlap(known, fresh)


def merge_holdings(table: OfficeTable, fetched: Iterable[Holding]) -> Merge:
    """Fold authoritative fetched holdings into the table's history of the offices they name.

    A fetched holder we already know updates that row (dates, parliament id); a new holder is
    added and ends whoever held the office before; a row the fetched data contradicts (a
    different person in office during the fetched holding) is removed. Idempotent.
    """
    names_by_id = {h.parliament_id: h.person for h in table.holdings if h.parliament_id}
    names_by_key = {person_key(p): p for p in table.people()}
    by_office: dict[str, list[Holding]] = defaultdict(list)
    for h in fetched:
        person = names_by_id.get(h.parliament_id or -1) or names_by_key.get(person_key(h.person))
        by_office[h.office_id].append(replace(h, person=person or h.person))
    rows: list[Holding] = []
    changes: list[HoldingChange] = []
    for office_id, fresh_rows in by_office.items():
        history = table.holdings_of(office_id)
        for fresh in sorted(fresh_rows, key=lambda h: h.start):
            history, office_changes = _merge_one(history, fresh)
            changes.extend(office_changes)
        rows.extend(sorted(history, key=lambda h: h.start))
    return Merge(frozenset(by_office), tuple(rows), tuple(changes))


def _merge_one(history: list[Holding], fresh: Holding) -> tuple[list[Holding], list[HoldingChange]]:
    """Merge one fetched holding into one office's history."""
    for i, known in enumerate(history):
        if _same_holding(known, fresh):
            merged = replace(
                known,
                start=min(known.start, fresh.start),
                end=fresh.end,
                parliament_id=fresh.parliament_id or known.parliament_id,
            )
            if merged == known:
                return history, []
            kind = "ended" if known.end is None and merged.end is not None else "updated"
            return [*history[:i], merged, *history[i + 1 :]], [HoldingChange(kind, merged, known)]
    out: list[Holding] = []
    changes: list[HoldingChange] = []
    for known in history:
        if not _overlap(known, fresh):
            out.append(known)
        elif known.start < fresh.start:
            ended = replace(known, end=fresh.start)
            out.append(ended)
            changes.append(HoldingChange("ended", ended, known))
        else:
            changes.append(HoldingChange("removed", known, known))
    changes.append(HoldingChange("added", fresh))
    return [*out, fresh], changes
