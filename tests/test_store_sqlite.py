"""SQLite-only behaviour: WAL, one writer at a time without lost writes, clear open errors."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from westminster.models import Article
from westminster.store import SQLiteStore, StoreError, open_store

WRITES_PER_THREAD = 60


def _article(n: int, writer: str) -> Article:
    return Article(
        title=f"Story {writer} {n}", text=f"Body {n} from {writer}.", url=f"u:{writer}/{n}"
    )


def _write_many(store: SQLiteStore, writer: str, errors: list[BaseException]) -> None:
    try:
        for n in range(WRITES_PER_THREAD):
            store.put_article(_article(n, writer))
            store.search("body")  # reads interleave with the other thread's writes
    except BaseException as exc:  # reported by the test, not lost in the thread
        errors.append(exc)


@pytest.mark.parametrize("shared", [True, False], ids=["one-store", "two-connections"])
def test_two_writer_threads_lose_no_writes(tmp_path: Path, shared: bool) -> None:
    first = SQLiteStore(tmp_path / "w.db")
    second = first if shared else SQLiteStore(tmp_path / "w.db")
    errors: list[BaseException] = []
    threads = [
        threading.Thread(target=_write_many, args=(store, name, errors))
        for store, name in ((first, "a"), (second, "b"))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    for writer in ("a", "b"):
        for n in range(WRITES_PER_THREAD):
            got = first.get_article(first.put_article(_article(n, writer)).article_id)
            assert got.article.text == f"Body {n} from {writer}."
    assert len(first.search("body", limit=1000)) == 2 * WRITES_PER_THREAD
    for store in {id(first): first, id(second): second}.values():
        store.close()


def test_database_is_in_wal_mode(tmp_path: Path) -> None:
    SQLiteStore(tmp_path / "x.db").close()
    with sqlite3.connect(tmp_path / "x.db") as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_readers_cannot_write(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "x.db")
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        store._read().execute("DELETE FROM articles")
    store.close()


def test_open_errors_name_the_input(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="needs a file"):
        SQLiteStore(":memory:")
    with pytest.raises(StoreError, match="folder for the database does not exist") as caught:
        open_store(tmp_path / "missing" / "x.db")
    assert "missing" in str(caught.value)
    not_a_db = tmp_path / "notes.db"
    not_a_db.write_bytes(b"this is not a database, just text" * 100)
    with pytest.raises(StoreError, match="cannot open the SQLite database"):
        open_store(not_a_db)


def test_open_store_understands_paths_and_urls(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    absolute = open_store(f"sqlite:///{tmp_path}/a.db")  # sqlite:////abs/path
    assert isinstance(absolute, SQLiteStore) and absolute.path == tmp_path / "a.db"
    absolute.close()
    monkeypatch.chdir(tmp_path)
    relative = open_store("sqlite:///b.db")
    assert isinstance(relative, SQLiteStore) and (tmp_path / "b.db").exists()
    relative.close()
    with pytest.raises(StoreError, match="unknown store URL scheme"):
        open_store("mysql://localhost/db")
