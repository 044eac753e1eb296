"""`westminster ingest` and `westminster watch` through the command line."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.local_http import serve
from tests.warc_writer import article_html, distinct_paragraphs
from westminster.cli.app import app
from westminster.store import open_store

QUICK = {"WESTMINSTER_HOST_INTERVAL": "0", "WESTMINSTER_FETCH_ATTEMPTS": "1"}


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """Settings for a test: a store in tmp_path, no settings file, no pacing."""
    return {**QUICK, "WESTMINSTER_DB": str(tmp_path / "store.db"), "WESTMINSTER_CONFIG": ""}


def pages(root: Path, count: int = 3) -> Path:
    """A folder of distinct small news pages."""
    folder = root / "pages"
    folder.mkdir(exist_ok=True)
    topics = ["railways", "hospitals", "schools", "prisons", "farming"]
    for n in range(count):
        topic = topics[n % len(topics)]
        body = distinct_paragraphs(n)
        (folder / f"{topic}.html").write_bytes(article_html(f"Plan for {topic}", body))
    return folder


def run(args: list[str], env: dict[str, str]) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, args, env=env)
    return result.exit_code, result.stdout, result.stderr


def test_ingest_twice_ends_with_the_closing_count(tmp_path: Path, env: dict[str, str]) -> None:
    folder = pages(tmp_path)
    (folder / "notes.html").write_bytes(b"<html><body></body></html>")  # no article text
    code, _, err = run(["ingest", str(folder), "--no-analyse"], env)
    assert code == 0, err
    # A progress line per source (its final state, stderr not being a terminal here), then
    # the closing count.
    *progress, closing = err.strip().splitlines()
    assert any("4 records, 3 new, 1 rejected" in line for line in progress), err
    assert closing == "new 3, updated 0, unchanged 0, duplicate 0, rewrite 0, rejected 1"
    code, _, err = run(["ingest", str(folder), "--no-analyse"], env)
    assert err.strip().splitlines()[-1] == (
        "new 0, updated 0, unchanged 3, duplicate 0, rewrite 0, rejected 1"
    )
    store = open_store(env["WESTMINSTER_DB"])
    assert len(list(store.iter_articles())) == 3
    store.close()


def test_db_option_and_missing_source(tmp_path: Path, env: dict[str, str]) -> None:
    db = tmp_path / "other.db"
    code, _, err = run(["ingest", str(tmp_path / "nowhere"), "--db", str(db), "--no-analyse"], env)
    assert code == 0 and err.strip().endswith("rejected 1")
    store = open_store(db)
    (rejected,) = store.rejections()
    assert "no such file" in rejected.rejection.detail
    store.close()


def test_loopback_needs_the_flag(env: dict[str, str]) -> None:
    with serve() as server:
        server.route(
            "/story", 200, article_html("Story", ["A story. " * 12]), Content_Type="text/html"
        )
        url = server.base + "/story"
        _, _, err = run(["ingest", url, "--no-analyse"], env)
        assert err.strip().endswith("rejected 1") and server.hits("/story") == 0
        code, _, err = run(["ingest", url, "--no-analyse", "--allow-loopback"], env)
        assert code == 0 and err.strip().splitlines()[-1].startswith("new 1,"), err


def test_bad_settings_are_a_clear_error(tmp_path: Path, env: dict[str, str]) -> None:
    settings = tmp_path / "westminster.toml"
    settings.write_text('db = "x.db"\ncolour = "blue"\n')
    code, _, err = run(
        ["ingest", "x", "--no-analyse"], {**env, "WESTMINSTER_CONFIG": str(settings)}
    )
    assert code == 2 and "unknown setting 'colour'" in err and "Traceback" not in err
    code, _, err = run(["ingest", "x"], {**env, "WESTMINSTER_FETCH_TIMEOUT": "soon"})
    assert code == 2 and "WESTMINSTER_FETCH_TIMEOUT" in err


def test_watch_once_ingests_the_configured_sources(tmp_path: Path, env: dict[str, str]) -> None:
    folder = pages(tmp_path, 2)
    settings = tmp_path / "westminster.toml"
    settings.write_text(f'[[sources]]\nurl = "{folder}"\ninterval = "10m"\n')
    watch_env = {**env, "WESTMINSTER_CONFIG": str(settings)}
    code, _, err = run(["watch", "--once", "--no-analyse"], watch_env)
    assert code == 0, err
    assert "run 1: new 2, updated 0, unchanged 0" in err
    code, _, err = run(["watch", "--once", "--no-analyse", "--interval", "60"], watch_env)
    assert "run 2: new 0, updated 0, unchanged 2" in err


def test_watch_without_sources_says_where_to_add_them(env: dict[str, str]) -> None:
    code, _, err = run(["watch", "--once"], env)
    assert code == 2 and "[[sources]]" in err


def test_reclean_option_reports_the_articles_changed(tmp_path: Path, env: dict[str, str]) -> None:
    folder = tmp_path / "pages"
    folder.mkdir()
    for n in range(12):
        body = [
            *distinct_paragraphs(100 + n),
            "Read more stories like this in the Borough Bugle every week",
        ]
        (folder / f"p{n:02}.html").write_bytes(article_html(f"Ward {n}", body, site="Bugle"))
    code, _, err = run(["ingest", str(folder), "--no-analyse", "--reclean"], env)
    assert code == 0, err
    assert "re-cleaned 10 stored articles" in err
