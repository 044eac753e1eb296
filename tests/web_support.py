"""Real parts for the web tests: a store ingested from examples/ plus hostile articles, a live
uvicorn server on loopback, settings for the loopback SMTP server, and HTML checks."""

from __future__ import annotations

import atexit
import json
import shutil
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import uvicorn

from tests.delivery_support import MAIL_FROM, SECRET, free_port
from westminster.config import Config
from westminster.ingest.fetcher import Fetcher
from westminster.pipeline.ingest import Ingester, IngestOptions, fetch_settings
from westminster.store import Store, open_store
from westminster.web import create_app

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
# The undated seed article is analysed as of this day (the example articles carry dates).
ANALYSIS_DAY = date(2024, 9, 13)

# Script and markup in scraped titles, bodies, outlets and URLs: each must render inert.
XSS_PAYLOADS = (
    "<script>alert('xss-title')</script>",
    '"><img src=x onerror=alert(1)>',
    "<svg/onload=alert(2)>",
    "</textarea><script>alert(3)</script>",
    "<iframe src=javascript:alert(4)></iframe>",
    "{{ 7*7 }} {% raw %}<b>jinja</b>",
    "]]><script>alert(5)</script><![CDATA[",
    '<a href="javascript:alert(6)">click</a>',
    "<style>body{display:none}</style>",
    "\u2028<script>alert(7)</script>\u2029",
    "<body onload=alert(8)>",
    "<math><mtext></p><script>alert(9)</script>",
)
XSS_OUTLET = "<b onmouseover=alert(10)>Evil Outlet</b>"
XSS_URL = "javascript:alert(11)//https://evil.example/"  # + the article's number (ids differ)
XSS_WORD = "zyxxss"  # a rare word in every hostile article, to find them by search


def xss_records() -> list[dict[str, Any]]:
    """JSON Lines records whose titles, texts, quotes and outlets carry the payloads."""
    records = []
    for n, payload in enumerate(XSS_PAYLOADS):
        text = (
            f"{payload} The {XSS_WORD} committee met in Westminster on Tuesday.\n"
            f'Keir Starmer said: "{payload} We will deliver for working people." '
            f"The plan costs £{n + 1} million.\n"
            f"Officials described the {XSS_WORD} plan as {payload} ambitious."
        )
        records.append(
            {
                "id": f"xss-{n}",
                "title": f"{payload} {XSS_WORD} headline {n}",
                "text": text,
                "published": "2024-09-12",
                "outlet": XSS_OUTLET if n % 2 else f"Outlet {payload}",
                "url": f"{XSS_URL}{n}" if n % 3 == 0 else f"https://evil.example/{n}?q={payload}",
            }
        )
    return records


_BUILT: dict[str, Path] = {}
_LOCK = threading.Lock()


def build_store(store: Store, analyzer: Any, *, xss: bool = True) -> None:
    """Ingest examples/ (and the hostile articles) into a store with the real pipeline."""
    folder = Path(tempfile.mkdtemp(prefix="westminster-web-src-"))
    try:
        sources = [str(EXAMPLES)]
        if xss:
            hostile = folder / "hostile.jsonl"
            hostile.write_text(
                "\n".join(json.dumps(r, ensure_ascii=False) for r in xss_records()),
                encoding="utf-8",
            )
            sources.append(str(hostile))
        with Fetcher(fetch_settings(Config())) as fetcher:
            ingester = Ingester(
                store,
                fetcher,
                IngestOptions(today=ANALYSIS_DAY),
                analyzer=lambda *_args, **_kw: analyzer,
            )
            ingester.run(sources)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def example_db(analyzer: Any, into: Path) -> Path:
    """A copy, in `into`, of a SQLite store built once per test process (examples + hostile)."""
    with _LOCK:
        built = _BUILT.get("db")
        if built is None:
            folder = Path(tempfile.mkdtemp(prefix="westminster-web-"))
            atexit.register(shutil.rmtree, folder, True)
            built = folder / "examples.db"
            store = open_store(built)
            try:
                build_store(store, analyzer)
            finally:
                store.close()  # checkpoints the WAL into the file, so one file is the store
            _BUILT["db"] = built
    copy = into / "store.db"
    shutil.copyfile(built, copy)
    return copy


def web_config(db: str | Path, *, smtp_port: int = 0, base_url: str = "", **values: Any) -> Config:
    """Settings for a test app: no settings file, loopback SMTP, a fixed secret."""
    config = Config(
        db=str(db),
        smtp_host="127.0.0.1",
        smtp_port=smtp_port or 25,
        smtp_security="none",
        mail_from=MAIL_FROM,
        secret_key=SECRET,
        base_url=base_url or "http://testserver",
    )
    return replace(config, **values)


@contextmanager
def live_server(config: Config, store: Store) -> Iterator[str]:
    """The app under a real uvicorn server on a free loopback port: yields its base URL."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    app = create_app(replace(config, base_url=base), store=store, base_url=base)
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    )
    thread = threading.Thread(target=server.run, name="uvicorn", daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    try:
        yield base
    finally:
        server.should_exit = True
        thread.join(timeout=10)


class TagCollector(HTMLParser):
    """Every start tag of a page with its attributes (what a browser would build)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


# Tags our templates never emit: any of them in a page came from scraped text.
FOREIGN_TAGS = frozenset({"script", "iframe", "img", "style", "math", "object", "embed", "b"})


def active_markup(html: str) -> list[str]:
    """What in a page could run or restyle: foreign tags, on* attributes, javascript: URLs."""
    parser = TagCollector()
    parser.feed(html)
    problems = []
    for tag, attrs in parser.tags:
        if tag in FOREIGN_TAGS:
            problems.append(f"<{tag}>")
        for name, value in attrs.items():
            if name.startswith("on"):
                problems.append(f"<{tag} {name}=...>")
            if name in ("href", "src", "action") and (value or "").strip().lower().startswith(
                ("javascript:", "data:", "vbscript:")
            ):
                problems.append(f"<{tag} {name}={value}>")
    return problems


def page_text(html: str) -> str:
    """The visible text of a page (entities decoded)."""
    parser = TagCollector()
    parser.feed(html)
    return " ".join(parser.text)
