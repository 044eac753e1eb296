"""The polite fetcher against a real local HTTP server (no mocks of httpx)."""

from __future__ import annotations

import contextlib
import gzip
import shutil
import socket
import ssl
import subprocess
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.local_http import LocalServer, Request, serve
from westminster.config import Config
from westminster.ingest.fetcher import (
    Fetcher,
    FetchSettings,
    address_refusal,
    retry_after_seconds,
)
from westminster.models import RawPage, Rejection
from westminster.pipeline.ingest import fetch_settings

HTML = b"<html><head><title>Story</title></head><body><p>Text.</p></body></html>"
# Tests allow loopback explicitly (the server is on 127.0.0.1) and do not pace by default.
LOCAL = FetchSettings(allow_loopback=True, host_interval_s=0.0, respect_robots=False)


class FakeClock:
    """A monotonic clock that only moves when something sleeps; records every sleep."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


@pytest.fixture()
def server() -> Iterator[LocalServer]:
    with serve() as running:
        yield running


@pytest.fixture()
def clock() -> FakeClock:
    return FakeClock()


def fetcher(clock: FakeClock, settings: FetchSettings = LOCAL) -> Fetcher:
    return Fetcher(settings, sleep=clock.sleep, clock=clock)


def test_plain_fetch_keeps_bytes_charset_and_headers(server: LocalServer, clock: FakeClock) -> None:
    server.route("/a", 200, HTML, Content_Type="text/html; charset=ISO-8859-1", ETag='"v1"')
    with fetcher(clock) as f:
        page = f.fetch(server.base + "/a")
    assert isinstance(page, RawPage)
    assert page.content == HTML and page.content_type == "text/html"
    assert (
        (page.encoding or "").lower() == "iso-8859-1" and page.status == 200 and page.etag == '"v1"'
    )
    assert page.fetched_at is not None and page.source == server.base + "/a"
    assert server.requests[0].headers["user-agent"] == LOCAL.user_agent


def test_retries_with_growing_backoff_until_success(server: LocalServer, clock: FakeClock) -> None:
    answers = iter([(503, {}, b"busy"), (502, {}, b"bad gateway"), (200, {}, HTML)])
    server.routes["/flaky"] = lambda _r: next(answers)
    with fetcher(clock) as f:
        page = f.fetch(server.base + "/flaky")
    assert isinstance(page, RawPage) and page.content == HTML
    assert server.hits("/flaky") == 3
    first, second = clock.sleeps
    assert 1.0 <= first <= 1.5 and 2.0 <= second <= 3.0  # base 1 s doubling, up to +50% jitter


def test_gives_up_after_max_attempts_as_transient(server: LocalServer, clock: FakeClock) -> None:
    server.route("/down", 500)
    with fetcher(clock) as f:
        result = f.fetch(server.base + "/down")
    assert isinstance(result, Rejection) and result.stage == "fetch"
    assert "HTTP 500" in result.detail and "retry later" in result.detail and result.transient
    assert server.hits("/down") == LOCAL.max_attempts


def test_429_honours_retry_after(server: LocalServer, clock: FakeClock) -> None:
    answers = iter([(429, {"Retry-After": "7"}, b""), (200, {}, HTML)])
    server.routes["/limited"] = lambda _r: next(answers)
    with fetcher(clock) as f:
        page = f.fetch(server.base + "/limited")
    assert isinstance(page, RawPage)
    assert clock.sleeps == [7.0]


def test_429_with_a_long_retry_after_is_left_for_later(
    server: LocalServer, clock: FakeClock
) -> None:
    server.route("/later", 429, Retry_After="86400")
    with fetcher(clock) as f:
        result = f.fetch(server.base + "/later")
    assert isinstance(result, Rejection) and "HTTP 429" in result.detail
    assert result.transient and "retry later" in result.detail and clock.sleeps == []
    assert server.hits("/later") == 1


def test_retry_after_as_http_date() -> None:
    now = datetime(2024, 9, 13, 12, 0, 0, tzinfo=UTC)
    assert retry_after_seconds("Fri, 13 Sep 2024 12:00:30 GMT", now) == 30.0
    assert retry_after_seconds("120", now) == 120.0
    assert retry_after_seconds("soon", now) is None


@pytest.mark.parametrize("status", [404, 410])
def test_404_and_410_are_permanent(server: LocalServer, clock: FakeClock, status: int) -> None:
    server.route("/gone", status)
    with fetcher(clock) as f:
        result = f.fetch(server.base + "/gone")
    assert isinstance(result, Rejection) and f"HTTP {status}" in result.detail
    assert "retry" not in result.detail and not result.transient
    assert server.hits("/gone") == 1 and clock.sleeps == []


def test_conditional_get_reports_not_modified(server: LocalServer, clock: FakeClock) -> None:
    def page(request: Request) -> tuple[int, dict[str, str], bytes]:
        if request.headers.get("if-none-match") == '"abc"':
            return 304, {"ETag": '"abc"'}, b""
        return 200, {"ETag": '"abc"', "Last-Modified": "Fri, 13 Sep 2024 10:00:00 GMT"}, HTML

    server.routes["/story"] = page
    with fetcher(clock) as f:
        first = f.fetch(server.base + "/story")
        second = f.fetch(server.base + "/story")
        unconditional = f.fetch(server.base + "/story", conditional=False)
    assert isinstance(first, RawPage) and first.status == 200 and first.content == HTML
    assert isinstance(second, RawPage) and second.status == 304 and second.content == b""
    assert server.requests[1].headers["if-modified-since"] == "Fri, 13 Sep 2024 10:00:00 GMT"
    assert isinstance(unconditional, RawPage) and unconditional.status == 200


def test_robots_txt_disallow_is_honoured(server: LocalServer, clock: FakeClock) -> None:
    robots = b"User-agent: *\nDisallow: /private/\n"
    server.route("/robots.txt", 200, robots, Content_Type="text/plain")
    server.route("/private/x", 200, HTML)
    server.route("/public/y", 200, HTML)
    settings = FetchSettings(allow_loopback=True, host_interval_s=0.0)
    with fetcher(clock, settings) as f:
        refused = f.fetch(server.base + "/private/x")
        allowed = f.fetch(server.base + "/public/y")
    assert isinstance(refused, Rejection) and "robots.txt disallows" in refused.detail
    assert isinstance(allowed, RawPage)
    assert server.hits("/private/x") == 0 and server.hits("/robots.txt") == 1


def test_robots_txt_crawl_delay_paces_the_host(server: LocalServer, clock: FakeClock) -> None:
    server.route("/robots.txt", 200, b"User-agent: *\nCrawl-delay: 5\n")
    server.route("/a", 200, HTML)
    settings = FetchSettings(allow_loopback=True, host_interval_s=0.0)
    with fetcher(clock, settings) as f:
        f.fetch(server.base + "/a")
        f.fetch(server.base + "/a")
    assert clock.sleeps == [5.0]


def test_missing_robots_txt_allows_everything(server: LocalServer, clock: FakeClock) -> None:
    server.route("/a", 200, HTML)
    settings = FetchSettings(allow_loopback=True, host_interval_s=0.0)
    with fetcher(clock, settings) as f:
        assert isinstance(f.fetch(server.base + "/a"), RawPage)


def test_per_host_rate_limit(server: LocalServer, clock: FakeClock) -> None:
    server.route("/a", 200, HTML)
    settings = FetchSettings(allow_loopback=True, host_interval_s=2.0, respect_robots=False)
    with fetcher(clock, settings) as f:
        for _ in range(3):
            f.fetch(server.base + "/a")
    assert clock.sleeps == [2.0, 2.0]


def test_per_host_concurrency_limit(server: LocalServer) -> None:
    in_flight = 0
    peak = 0
    lock = threading.Lock()

    def slow(_request: Request) -> tuple[int, dict[str, str], bytes]:
        nonlocal in_flight, peak
        with lock:
            in_flight += 1
            peak = max(peak, in_flight)
        time.sleep(0.05)
        with lock:
            in_flight -= 1
        return 200, {}, HTML

    server.routes["/slow"] = slow
    settings = FetchSettings(
        allow_loopback=True, host_interval_s=0.0, respect_robots=False, host_concurrency=1
    )
    with Fetcher(settings) as f:
        pages = list(f.fetch_all([server.base + "/slow"] * 4, workers=4))
    assert all(isinstance(p, RawPage) for p in pages)
    assert peak == 1 and server.hits("/slow") == 4


def test_loopback_refused_unless_allowed(server: LocalServer, clock: FakeClock) -> None:
    server.route("/a", 200, HTML)
    strict = FetchSettings(host_interval_s=0.0, respect_robots=False)
    with fetcher(clock, strict) as f:
        result = f.fetch(server.base + "/a")
    assert isinstance(result, Rejection) and "loopback" in result.detail
    assert server.requests == []


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("http://10.0.0.1/admin", "private"),
        ("http://192.168.1.1/", "private"),
        ("http://169.254.169.254/latest/meta-data/", "link-local"),
        ("http://[::1]:8080/", "loopback"),
        ("http://[fe80::1]/", "link-local"),
    ],
)
def test_private_addresses_refused_without_connecting(url: str, kind: str) -> None:
    clock = FakeClock()
    started = time.monotonic()
    with fetcher(clock, FetchSettings(respect_robots=False)) as f:
        result = f.fetch(url)
    assert isinstance(result, Rejection) and kind in result.detail
    assert clock.sleeps == [] and time.monotonic() - started < 0.5  # refused, not retried


def test_host_names_are_resolved_before_connecting() -> None:
    def resolve(host: str, port: int, **_kw: object) -> list[tuple[object, ...]]:
        return [(2, 1, 6, "", ("10.1.2.3", port))]

    reason = address_refusal("http://intranet.example/x", FetchSettings(), resolve)
    assert reason is not None and "10.1.2.3" in reason
    allowed = address_refusal(
        "http://intranet.example/x", FetchSettings(allow_private=True), resolve
    )
    assert allowed is None
    assert "scheme" in (address_refusal("file:///etc/passwd", FetchSettings()) or "")


def test_every_redirect_hop_is_checked(server: LocalServer, clock: FakeClock) -> None:
    server.route("/jump", 302, Location="http://10.0.0.1/internal")
    with fetcher(clock) as f:
        result = f.fetch(server.base + "/jump")
    assert isinstance(result, Rejection) and "10.0.0.1" in result.detail


def test_redirects_are_followed_up_to_the_limit(server: LocalServer, clock: FakeClock) -> None:
    for n in range(10):
        server.route(f"/r{n}", 301, Location=f"/r{n + 1}")
    server.route("/r10", 200, HTML)
    server.route("/short", 302, Location="/r9")
    with fetcher(clock) as f:
        followed = f.fetch(server.base + "/short")
        looped = f.fetch(server.base + "/r0")
    assert isinstance(followed, RawPage) and followed.url == server.base + "/r10"
    assert followed.source == server.base + "/short"
    assert isinstance(looped, Rejection) and "more than 5 redirects" in looped.detail
    assert server.hits("/r5") == 1 and server.hits("/r6") == 0


def test_declared_size_over_the_limit_is_refused(server: LocalServer, clock: FakeClock) -> None:
    server.route("/big", 200, b"x" * 5000)
    with fetcher(
        clock, FetchSettings(allow_loopback=True, respect_robots=False, max_bytes=1000)
    ) as f:
        result = f.fetch(server.base + "/big")
    assert isinstance(result, Rejection) and "over the 1,000-byte limit" in result.detail


def test_undeclared_size_is_cut_off_while_streaming(server: LocalServer, clock: FakeClock) -> None:
    server.route("/stream", 200, b"<p>" * 100_000, Connection="close")
    with fetcher(
        clock, FetchSettings(allow_loopback=True, respect_robots=False, max_bytes=1000)
    ) as f:
        result = f.fetch(server.base + "/stream")
    assert isinstance(result, Rejection) and "limit" in result.detail


def test_gzip_bomb_is_refused_once_decoded_past_the_limit(
    server: LocalServer, clock: FakeClock
) -> None:
    bomb = gzip.compress(b"<div>" * 4_000_000)  # 20 MB of nesting that packs into ~20 KB
    assert len(bomb) < 100_000
    server.route("/bomb", 200, bomb, Content_Type="text/html", Content_Encoding="gzip")
    settings = FetchSettings(allow_loopback=True, respect_robots=False, max_bytes=1_000_000)
    with fetcher(clock, settings) as f:
        result = f.fetch(server.base + "/bomb")
    assert isinstance(result, Rejection)
    assert "once decoded from gzip" in result.detail and "too large" in result.detail


def test_timeout_is_transient_and_retried(server: LocalServer, clock: FakeClock) -> None:
    def stall(_request: Request) -> tuple[int, dict[str, str], bytes]:
        time.sleep(0.5)
        return 200, {}, HTML

    server.routes["/stall"] = stall
    settings = FetchSettings(
        allow_loopback=True, respect_robots=False, timeout_s=0.1, max_attempts=2
    )
    with fetcher(clock, settings) as f:
        result = f.fetch(server.base + "/stall")
    assert isinstance(result, Rejection) and "timed out" in result.detail
    assert "retry later" in result.detail and len(clock.sleeps) == 1


PUBLIC = "93.184.215.14"  # a public address (example.com's); nothing connects to it here


class ChangingResolver:
    """A resolver whose answers change from call to call (the last one repeats): DNS rebinding."""

    def __init__(self, *answers: str) -> None:
        self.answers = list(answers)
        self.calls: list[str] = []

    def __call__(self, host: str, port: int, **_kw: object) -> list[tuple[object, ...]]:
        self.calls.append(host)
        address = self.answers[min(len(self.calls), len(self.answers)) - 1]
        return [(2, 1, 6, "", (address, port))]


def test_a_name_rebound_to_loopback_after_the_check_is_not_connected_to(
    server: LocalServer, clock: FakeClock
) -> None:
    # "localhost" is what the system resolver would turn into 127.0.0.1 if the connection
    # resolved the name again on its own; the injected resolver says public first, then loopback.
    server.route("/a", 200, HTML)
    resolve = ChangingResolver(PUBLIC, "127.0.0.1")
    strict = FetchSettings(host_interval_s=0.0, respect_robots=False)
    with Fetcher(strict, sleep=clock.sleep, clock=clock, resolve=resolve) as f:
        result = f.fetch(server.base.replace("127.0.0.1", "localhost") + "/a")
    assert isinstance(result, Rejection) and "loopback address 127.0.0.1" in result.detail
    assert not result.transient and clock.sleeps == []
    assert len(resolve.calls) == 2  # the check, then the connection: each vetted its answer
    assert server.requests == []


def test_the_connection_uses_the_vetted_address_and_keeps_the_host_name(
    server: LocalServer, clock: FakeClock
) -> None:
    # news.example exists only in the injected resolver: a connection made through the system
    # resolver could not reach the server at all.
    server.route("/a", 200, HTML)
    resolve = ChangingResolver("127.0.0.1")
    port = server.base.rsplit(":", 1)[1]
    with Fetcher(LOCAL, sleep=clock.sleep, clock=clock, resolve=resolve) as f:
        page = f.fetch(f"http://news.example:{port}/a")
    assert isinstance(page, RawPage) and page.content == HTML
    assert page.url == f"http://news.example:{port}/a"
    assert server.requests[0].headers["host"] == f"news.example:{port}"


def test_tls_names_the_host_while_connecting_to_the_vetted_address(
    tmp_path: Path, clock: FakeClock
) -> None:
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("the openssl command is needed to make a throwaway certificate")
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=news.example", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    names: list[str | None] = []

    def note_name(_sock: object, name: str | None, _ctx: object) -> None:
        names.append(name)

    context.sni_callback = note_name
    listener = socket.create_server(("127.0.0.1", 0))

    def accept_one() -> None:
        conn, _ = listener.accept()
        with contextlib.suppress(OSError), context.wrap_socket(conn, server_side=True):
            pass  # the client refuses our self-signed certificate: the hello is what counts

    thread = threading.Thread(target=accept_one, daemon=True)
    thread.start()
    port = listener.getsockname()[1]
    settings = FetchSettings(allow_loopback=True, respect_robots=False, max_attempts=1)
    with Fetcher(
        settings, sleep=clock.sleep, clock=clock, resolve=ChangingResolver("127.0.0.1")
    ) as f:
        result = f.fetch(f"https://news.example:{port}/a")
    thread.join(timeout=5)
    listener.close()
    assert names == ["news.example"]  # SNI carries the name, not the address connected to
    assert isinstance(result, Rejection) and "certificate" in result.detail.lower()


def test_the_configured_user_agent_is_sent_and_robots_rules_for_it_apply(
    server: LocalServer, clock: FakeClock
) -> None:
    robots = b"User-agent: probe\nDisallow: /politics/\n\nUser-agent: *\nDisallow:\n"
    server.route("/robots.txt", 200, robots, Content_Type="text/plain")
    server.route("/politics/a", 200, HTML)
    agent = "probe/1.0 (+mailto:desk@example.org)"
    config = Config(user_agent=agent, host_interval=0.0)
    with Fetcher(fetch_settings(config, allow_loopback=True), sleep=clock.sleep, clock=clock) as f:
        refused = f.fetch(server.base + "/politics/a")
    with fetcher(clock, FetchSettings(allow_loopback=True, host_interval_s=0.0)) as f:
        allowed = f.fetch(server.base + "/politics/a")  # the default User-Agent is not "probe"
    assert isinstance(refused, Rejection) and "robots.txt disallows" in refused.detail
    assert isinstance(allowed, RawPage)
    assert server.requests[0].headers["user-agent"] == agent  # robots.txt asked as probe too
    assert [r.headers["user-agent"] for r in server.requests[1:]] == [
        LOCAL.user_agent,
        LOCAL.user_agent,
    ]


def test_unreachable_robots_txt_leaves_the_page_for_later(
    server: LocalServer, clock: FakeClock
) -> None:
    server.route("/robots.txt", 503, b"down")
    server.route("/a", 200, HTML)
    settings = FetchSettings(allow_loopback=True, host_interval_s=0.0, max_attempts=2)
    with fetcher(clock, settings) as f:
        result = f.fetch(server.base + "/a")
    assert isinstance(result, Rejection) and result.transient
    assert "robots.txt unreachable" in result.detail and "retry later" in result.detail
    assert server.hits("/a") == 0  # RFC 9309: an unreachable robots.txt means "disallow all"
