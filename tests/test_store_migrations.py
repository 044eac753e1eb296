"""Migration files: numbered, in order, for both backends; scripts split into whole statements."""

from __future__ import annotations

import pytest

from westminster.store import StoreError
from westminster.store.migrations import load_migrations, pending, sqlite_statements


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_migrations_are_numbered_from_one_without_gaps(backend: str) -> None:
    migrations = load_migrations(backend)  # type: ignore[arg-type]
    assert [m.version for m in migrations] == list(range(1, len(migrations) + 1))
    assert all(m.sql.strip() for m in migrations)
    assert pending(migrations, {1}) == migrations[1:]


def test_both_backends_have_the_same_migrations() -> None:
    names = [[(m.version, m.name) for m in load_migrations(b)] for b in ("sqlite", "postgres")]
    assert names[0] == names[1]


def test_sqlite_statements_keep_trigger_bodies_whole() -> None:
    script = (
        "-- a comment\n"
        "CREATE TABLE a (x);\n\n"
        "CREATE TRIGGER t AFTER INSERT ON a BEGIN\n"
        "  INSERT INTO a VALUES (1);\n"
        "  INSERT INTO a VALUES (2);\n"
        "END;\n"
    )
    statements = sqlite_statements(script)
    assert len(statements) == 2 and statements[1].endswith("END;")
    with pytest.raises(StoreError, match="unfinished"):
        sqlite_statements("CREATE TABLE b (x")
