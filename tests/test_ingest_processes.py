"""Ingest with analysis on a process pool stores exactly what one process stores."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from tests.conftest import ROOT
from tests.warc_writer import Capture, article_html, write_warc
from westminster.cli.app import app
from westminster.config import Config
from westminster.ingest.fetcher import Fetcher
from westminster.pipeline.ingest import Ingester, IngestOptions, fetch_settings
from westminster.store import open_store

SEED = ROOT / "examples" / "starmer-biden-storm-shadow.txt"
HOST = "https://news.example.org/politics"
# Small batches so that several are in flight on the pool at once (the default is 64).
SMALL_BATCH = 3


def seed_paragraphs() -> list[str]:
    """The seed article's body paragraphs (real names, offices, quotes and figures)."""
    lines = SEED.read_text(encoding="utf-8").splitlines()
    return [line for line in lines[1:] if len(line.split()) > 12]


def crawl(tmp_path: Path) -> Path:
    """Twelve records: ten stories, an update of the first story and a copy of the second."""
    paragraphs = seed_paragraphs()
    bodies = []
    for n in range(10):
        chosen = [paragraphs[(n * 3 + k) % len(paragraphs)] for k in range(3)]
        chosen.append(f"Story {n} was filed by desk {n * 7919 % 10007} for the evening edition.")
        bodies.append(article_html(f"Westminster story {n}", chosen))
    captures = [Capture(f"{HOST}/story-{n}", body) for n, body in enumerate(bodies)]
    updated = article_html("Westminster story 0", [*paragraphs[:3], "This story was updated."])
    # The update comes while the first story's batch may still be analysed on the pool.
    captures.insert(4, Capture(f"{HOST}/story-0", updated))
    captures.append(Capture(f"{HOST}/copy-of-story-1", bodies[1]))
    return write_warc(tmp_path / "crawl.warc", captures)


def stored(db: Path) -> list[tuple[object, ...]]:
    """Everything a run leaves per article: version, text, links and analysis."""
    store = open_store(db)
    try:
        return [
            (s.id, s.version, s.article, s.duplicate_of, s.rewrite_of, s.analysis)
            for s in store.iter_articles()
        ]
    finally:
        store.close()


def ingest(warc: Path, db: Path, processes: int) -> dict[str, int]:
    """Ingest through the pipeline's Python API with small batches; return the counts."""
    store = open_store(db)
    options = IngestOptions(batch_size=SMALL_BATCH, processes=processes)
    try:
        with Fetcher(fetch_settings(Config())) as fetcher:
            ingester = Ingester(store, fetcher, options)
            ingester.run([str(warc)])
            return ingester.counts.as_dict()
    finally:
        store.close()


def test_two_processes_store_what_one_stores(tmp_path: Path) -> None:
    warc = crawl(tmp_path)
    one = ingest(warc, tmp_path / "one.db", processes=1)
    two = ingest(warc, tmp_path / "two.db", processes=2)
    assert two == one
    assert one["new"] + one["duplicate"] + one["rewrite"] == 11 and one["updated"] == 1
    assert one["duplicate"] >= 1  # the copy of story 1
    reference = stored(tmp_path / "one.db")
    assert len(reference) == 11 and all(row[5] is not None for row in reference)
    assert any(row[1] == 2 for row in reference)  # story 0's update is its second version
    assert stored(tmp_path / "two.db") == reference

    # The command line's -p reaches the pipeline (default batch size: one batch of twelve).
    result = CliRunner().invoke(
        app,
        ["ingest", str(warc), "--db", str(tmp_path / "cli.db"), "-p", "2"],
        env={"WESTMINSTER_CONFIG": ""},
    )
    assert result.exit_code == 0, result.output
    assert "new" in result.stderr and "rejected 0" in result.stderr
    assert stored(tmp_path / "cli.db") == reference

    # So does watch's: one pass over the same archive, configured as a watched source.
    settings = tmp_path / "westminster.toml"
    settings.write_text(f'[[sources]]\nurl = "{warc}"\ninterval = "1h"\n')
    result = CliRunner().invoke(
        app,
        ["watch", "--once", "--db", str(tmp_path / "watch.db"), "-p", "2"],
        env={"WESTMINSTER_CONFIG": str(settings)},
    )
    assert result.exit_code == 0, result.output
    assert "run 1: " in result.stderr and "rejected 0" in result.stderr
    assert stored(tmp_path / "watch.db") == reference
