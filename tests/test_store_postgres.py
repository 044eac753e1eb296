"""PostgreSQL-only behaviour: connection errors hide passwords; racing writers store once."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from tests.pg_server import fresh_schema
from westminster.models import Article
from westminster.store import PutResult, StoreError, open_store

pytest.importorskip("psycopg", reason="psycopg is needed for the PostgreSQL store")

from westminster.store.postgres import redact


@pytest.fixture
def schema_url(postgres_url: str) -> Iterator[str]:
    """A URL for an empty schema on the session server."""
    with fresh_schema(postgres_url) as url:
        yield url


def test_redact_hides_the_password() -> None:
    assert redact("postgresql://me:s3cret@db:5432/x") == "postgresql://me:***@db:5432/x"
    assert redact("postgresql://db/x") == "postgresql://db/x"


def test_connection_failure_is_a_clear_error() -> None:
    # Port 1 (tcpmux) is privileged and has no listener on a test machine: the connection fails.
    bad = "postgresql://me:s3cret@127.0.0.1:1/nothing?connect_timeout=2"
    with pytest.raises(StoreError, match="cannot connect to PostgreSQL") as caught:
        open_store(bad)
    assert "s3cret" not in str(caught.value) and "127.0.0.1:1" in str(caught.value)


def test_racing_writers_store_one_article(schema_url: str) -> None:
    stores = [open_store(schema_url), open_store(schema_url)]
    article = Article(title="Race", text="Both stored this at once.", url="https://x.test/race")
    results: list[PutResult] = []
    barrier = threading.Barrier(2)

    def put(index: int) -> None:
        barrier.wait()
        results.append(stores[index].put_article(article))

    threads = [threading.Thread(target=put, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(r.status for r in results) == ["new", "unchanged"]
    assert [v.version for v in stores[0].article_versions(results[0].article_id)] == [1]
    for store in stores:
        store.close()
