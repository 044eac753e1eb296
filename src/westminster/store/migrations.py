"""Numbered schema migrations shipped as package data: migrations/<backend>/NNNN_name.sql."""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from importlib import resources
from typing import Literal

from westminster.store.base import StoreError

Backend = Literal["sqlite", "postgres"]

_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")

# Created before any migration runs, so the applied versions can be read on an empty database.
SCHEMA_MIGRATIONS_DDL = (
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    "version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
)


@dataclass(frozen=True)
class Migration:
    """One numbered migration script."""

    version: int
    name: str
    sql: str


def load_migrations(backend: Backend) -> list[Migration]:
    """The backend's migrations in version order; a badly named or doubled file is an error."""
    folder = resources.files("westminster.store").joinpath("migrations", backend)
    found: dict[int, Migration] = {}
    for entry in folder.iterdir():
        if not entry.name.endswith(".sql"):
            continue
        match = _NAME.match(entry.name)
        if match is None:
            raise StoreError(
                "migration file is not named NNNN_name.sql",
                subject=f"migrations/{backend}/{entry.name}",
            )
        version = int(match.group(1))
        if version in found:
            raise StoreError(
                f"two migrations share version {version}", subject=f"migrations/{backend}"
            )
        found[version] = Migration(version, match.group(2), entry.read_text(encoding="utf-8"))
    return [found[v] for v in sorted(found)]


def pending(migrations: list[Migration], applied: set[int]) -> list[Migration]:
    """The migrations not yet applied, in order."""
    return [m for m in migrations if m.version not in applied]


def sqlite_statements(script: str) -> list[str]:
    """Split a SQLite script into complete statements (trigger bodies stay whole).

    `executescript` would commit the caller's transaction first, so migrations run statement by
    statement inside one `BEGIN IMMEDIATE` instead.
    """
    statements: list[str] = []
    buffer = ""
    for line in script.splitlines(keepends=True):
        if not buffer and (not line.strip() or line.lstrip().startswith("--")):
            continue
        buffer += line
        if sqlite3.complete_statement(buffer):
            statements.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        raise StoreError("migration ends inside an unfinished statement", subject=buffer[:60])
    return statements
