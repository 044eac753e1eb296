"""The ingest pipeline on both backends: idempotent reruns, rejections, duplicates, the filter."""

from __future__ import annotations

import time
from pathlib import Path

from tests.conftest import SHARED_DATA, needs_shared_data
from tests.local_http import Answer, Request, serve
from tests.warc_writer import Capture, article_html, news_captures, write_warc
from westminster.config import Config
from westminster.ingest.fetcher import Fetcher
from westminster.pipeline.ingest import Ingester, IngestOptions, fetch_settings
from westminster.store import Store, open_store

NO_ANALYSIS = IngestOptions(analyse=False)
WARC_SAMPLES = SHARED_DATA / "warc-samples" / "test" / "data"
MALFORMED_FEED = SHARED_DATA / "feeds" / "rss-parser" / "test" / "input" / "unrecognized.rss"


def quick_fetcher(**overrides: object) -> Fetcher:
    """A fetcher for a local test server: loopback allowed, no pacing, one try, short timeout."""
    config = Config(host_interval=0.0, fetch_attempts=1, fetch_timeout=0.5, **overrides)  # type: ignore[arg-type]
    return Fetcher(fetch_settings(config, allow_loopback=True))


def snapshot(store: Store) -> list[tuple[str, int, str | None, str | None, int]]:
    """What the store holds: each article's id, version, links and number of versions."""
    return [
        (s.id, s.version, s.duplicate_of, s.rewrite_of, len(store.article_versions(s.id)))
        for s in store.iter_articles()
    ]


def page_folder(root: Path) -> Path:
    """A folder of HTML pages: four reports and an exact copy of the first under another name."""
    folder = root / "pages"
    folder.mkdir()
    for n in range(4):
        (folder / f"report-{n}.html").write_bytes(_gazette_page(n, promo=False))
    (folder / "zz-copy-of-report-0.html").write_bytes((folder / "report-0.html").read_bytes())
    return folder


def test_ingesting_the_same_sources_twice_changes_nothing(store: Store, tmp_path: Path) -> None:
    captures = news_captures(6)
    captures.append(Capture("https://news.example.org/logo.png", b"\x89PNG", "image/png"))
    warc = write_warc(tmp_path / "crawl.warc", captures)
    sources = [str(page_folder(tmp_path)), str(warc)]
    with quick_fetcher() as fetcher:
        first = Ingester(store, fetcher, NO_ANALYSIS)
        run = first.run(sources)
        counts = first.counts
        assert (counts.updated, counts.unchanged, counts.rejected) == (0, 0, 1)  # the PNG
        assert counts.new + counts.duplicate + counts.rewrite == 11 and counts.duplicate >= 1
        assert dict(store.get_run(run).counts) == first.counts.as_dict()
        before = snapshot(store)
        assert len(before) == 11 and sum(1 for row in before if row[2] or row[3]) >= 1

        second = Ingester(store, fetcher, NO_ANALYSIS)  # a fresh process's view of the store
        second.run(sources)
        counts = second.counts.as_dict()
        # The folder is read again and found unchanged; the archive's stored records are skipped.
        assert counts == {**dict.fromkeys(counts, 0), "unchanged": 5, "rejected": 1}
        assert snapshot(store) == before


def test_bad_inputs_become_recorded_rejections_and_the_run_goes_on(tmp_path: Path) -> None:
    store = open_store(tmp_path / "store.db")

    def slow(_request: Request) -> Answer:
        time.sleep(1.5)
        return 200, {"Content-Type": "text/html"}, b"<html></html>"

    with serve() as server, quick_fetcher() as fetcher:
        server.route(
            "/news/ok",
            200,
            article_html("A fine story", ["It was fine. " * 8]),
            Content_Type="text/html; charset=utf-8",
        )
        server.route("/news/report.pdf", 200, b"%PDF-1.4", Content_Type="application/pdf")
        server.route("/news/broken", 503, b"down")
        server.route("/news/gone", 404, b"gone")
        server.routes["/news/slow"] = slow
        specs = [f"{server.base}/news/{name}" for name in ("report.pdf", "broken", "slow", "gone")]
        specs += [str(tmp_path / "missing.warc"), f"{server.base}/news/ok"]
        ingester = Ingester(store, fetcher, NO_ANALYSIS)
        run = ingester.run(specs)
    assert ingester.counts.new == 1 and ingester.counts.rejected == 5
    reasons = {
        r.rejection.input.rsplit("/", 1)[-1]: r.rejection.detail for r in store.rejections(run)
    }
    assert "application/pdf" in reasons["report.pdf"]
    assert "503" in reasons["broken"] and "retry later" in reasons["broken"]
    assert "timed out" in reasons["slow"]
    assert "404" in reasons["gone"]
    assert "no such file" in reasons["missing.warc"]
    assert store.get_run(run).finished_at is not None
    store.close()


def test_loopback_is_refused_unless_allowed(tmp_path: Path) -> None:
    store = open_store(tmp_path / "store.db")
    with serve() as server, Fetcher(fetch_settings(Config(fetch_attempts=1))) as fetcher:
        server.route("/a", 200, article_html("Title", ["Text. " * 10]), Content_Type="text/html")
        ingester = Ingester(store, fetcher, NO_ANALYSIS)
        run = ingester.run([server.base + "/a"])
    (rejected,) = store.rejections(run)
    assert "loopback" in rejected.rejection.detail and server.hits("/a") == 0
    store.close()


@needs_shared_data
def test_shared_malformed_feeds_and_warc_samples_are_recorded(store: Store) -> None:
    samples = sorted(str(p) for p in WARC_SAMPLES.iterdir() if p.is_file())
    with quick_fetcher() as fetcher:
        ingester = Ingester(store, fetcher, NO_ANALYSIS)
        run = ingester.run([str(MALFORMED_FEED), *samples])
    rejections = [r.rejection for r in store.rejections(run)]
    inputs = {r.input.split("#", 1)[0] for r in rejections}
    assert str(MALFORMED_FEED) in inputs
    assert {str(WARC_SAMPLES / n) for n in ("bad.arc", "example-bad.warc.gz.bad")} <= inputs
    assert all(r.detail for r in rejections)
    assert ingester.counts.rejected == len(rejections) >= 10
    # The same example.com capture sits in most samples: stored once, then found unchanged.
    assert ingester.counts.new >= 1 and ingester.counts.unchanged >= 5
    assert store.get_run(run).finished_at is not None


def _gazette_page(n: int, *, promo: bool = True) -> bytes:
    words = ["budget", "missiles", "hospitals", "railways", "schools", "housing"]
    topic = words[n % len(words)]
    return article_html(
        f"Report {n}: {topic} in the news",
        [
            f"Ministers argued about {topic} on day {n} of the session in Westminster.",
            f"Officials said case {n} about {topic} would be reviewed by a committee soon.",
            *(["Follow the Gazette on every platform for more from Westminster"] if promo else []),
        ],
        site="The Gazette",
    )


def test_learned_boilerplate_from_the_store_and_reclean(tmp_path: Path) -> None:
    from westminster.pipeline.reclean import reclean

    store = open_store(tmp_path / "store.db")
    first = tmp_path / "first"
    first.mkdir()
    for n in range(12):
        (first / f"report-{n:02}.html").write_bytes(_gazette_page(n))
    promo = "Follow the Gazette on every platform for more from Westminster"
    with quick_fetcher() as fetcher:
        Ingester(store, fetcher, NO_ANALYSIS).run([str(first)])
        texts = [s.article.text for s in store.iter_articles()]
        assert sum(promo in text for text in texts) == 10  # learned after ten articles
        later = tmp_path / "later"
        later.mkdir()
        (later / "report-99.html").write_bytes(_gazette_page(99))
        ingester = Ingester(store, fetcher, NO_ANALYSIS)  # learns from the store, not the run
        ingester.run([str(later)])
        newest = list(store.iter_articles())[-1]
        assert promo not in newest.article.text
        assert any(r.text == promo for r in newest.article.removed)
        assert reclean(store, ingester.outlet_filter) == 10
        assert not any(promo in s.article.text for s in store.iter_articles())
        assert reclean(store, ingester.outlet_filter) == 0  # again: nothing changes
        # Re-ingesting the original bytes does not undo the re-cleaning.
        again = Ingester(store, fetcher, NO_ANALYSIS)
        again.run([str(first)])
        assert again.counts.unchanged == 12 and again.counts.updated == 0
    store.close()


def test_analysis_is_stored_and_a_run_without_it_is_caught_up(
    tmp_path: Path, analyzer: object
) -> None:
    from westminster.nlp.analyzer import Analyzer

    assert isinstance(analyzer, Analyzer)
    store = open_store(tmp_path / "store.db")
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "starmer.html").write_bytes(
        article_html(
            "Starmer meets Biden",
            [
                "Sir Keir Starmer met Joe Biden in Washington on Friday.",
                '"We will stand with Ukraine," Sir Keir said, promising £600 million.',
            ],
        )
    )
    (folder / "reeves.html").write_bytes(
        article_html("Reeves sets out budget", ["Rachel Reeves said taxes would rise by £40bn."])
    )
    with quick_fetcher() as fetcher:
        Ingester(store, fetcher, NO_ANALYSIS).run([str(folder)])
        assert all(s.analysis is None for s in store.iter_articles())
        catch_up = Ingester(store, fetcher, IngestOptions(analyse=True), analyzer=lambda: analyzer)
        catch_up.run([str(folder)])
    assert catch_up.counts.unchanged == 2 and catch_up.counts.new == 0
    assert all(s.analysis is not None for s in store.iter_articles())
    hits = store.search("Ukraine", person="Keir Starmer")
    assert [h.title for h in hits] == ["Starmer meets Biden"]
    store.close()


# One sentence per way of naming a charset; each is wrong in the others' encodings.
KOI8 = "Москва заявила, что поставки ракет Storm Shadow означают войну с НАТО."
LATIN2 = "Posłowie z Łodzi i Gdańska spotkali się w Warszawie w sprawie budżetu."
CP1252 = "The chancellor pledged £5 million for Zoë’s café — “today”, aides said."


def encoded_page(title: str, sentence: str, encoding: str, meta: str = "") -> bytes:
    """A news page of one sentence repeated, in an encoding, with an optional <meta>."""
    html = article_html(title, [f"{sentence} ({n})" for n in range(3)]).decode()
    return html.replace("<head>", f"<head>{meta}").encode(encoding)


def test_fetched_pages_are_decoded_by_header_page_or_bytes(tmp_path: Path) -> None:
    store = open_store(tmp_path / "store.db")
    with serve() as server, quick_fetcher() as fetcher:
        server.route(
            "/header",
            200,
            encoded_page("Moscow warns", KOI8, "koi8-r"),
            Content_Type="text/html; charset=koi8-r",
        )
        server.route(
            "/meta",
            200,
            encoded_page("Budget talks", LATIN2, "iso-8859-2", '<meta charset="iso-8859-2">'),
            Content_Type="text/html",
        )
        server.route(
            "/bytes", 200, encoded_page("Cafe pledge", CP1252, "cp1252"), Content_Type="text/html"
        )
        ingester = Ingester(store, fetcher, NO_ANALYSIS)
        ingester.run([f"{server.base}/{name}" for name in ("header", "meta", "bytes")])
    assert ingester.counts.new == 3 and ingester.counts.rejected == 0
    texts = {s.article.title: s.article.text for s in store.iter_articles()}
    assert KOI8 in texts["Moscow warns"]  # the header's charset
    assert LATIN2 in texts["Budget talks"]  # <meta charset>, none in the header
    assert CP1252 in texts["Cafe pledge"]  # nothing declared: detected from the bytes
    store.close()


def test_an_html_bomb_is_a_recorded_rejection_and_the_run_goes_on(tmp_path: Path) -> None:
    folder = tmp_path / "pages"
    folder.mkdir()
    depth = 100_000  # nesting a parser would recurse into; about 1 MB, under the size limit
    (folder / "bomb.html").write_bytes(
        b"<html><head><title>Bomb</title></head><body>"
        + b"<div>" * depth
        + b"<p>deep</p>"
        + b"</div>" * depth
        + b"</body></html>"
    )
    (folder / "story.html").write_bytes(article_html("A fine story", ["It was fine. " * 8]))
    store = open_store(tmp_path / "store.db")
    with quick_fetcher() as fetcher:
        ingester = Ingester(store, fetcher, NO_ANALYSIS)
        run = ingester.run([str(folder)])
    assert ingester.counts.new == 1 and ingester.counts.rejected == 1
    (rejected,) = store.rejections(run)
    assert rejected.rejection.input.endswith("bomb.html") and rejected.rejection.detail
    store.close()
