"""The polite fetcher: robots.txt, per-host pacing, retries with backoff, conditional GET, limits.

One `Fetcher` serves a whole run. It never raises for a bad URL or a bad server: every failure
becomes a `Rejection` naming the URL and the reason, so a batch records it and goes on. Bytes
are handed on undecoded with the charset the server declared (westminster.clean decodes them,
reading <meta charset> when the header names none). Addresses are checked twice: before each
request (for a clear refusal before robots.txt or pacing) and again where the socket connects,
which uses the address it vetted (ingest/addresses.py: no DNS rebinding in between).
"""

from __future__ import annotations

import random
import socket
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Protocol
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import httpx

from westminster.errors import FetchError, InputError
from westminster.ingest.addresses import (
    AddressPolicy,
    AddressRefused,
    Resolver,
    VettedBackend,
    VettedTransport,
    vetted_addresses,
)
from westminster.ingest.fetch import USER_AGENT
from westminster.models import RawPage, Rejection

STAGE = "fetch"
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
PERMANENT_STATUSES = frozenset({404, 410})
# 408 (request timeout) and 425 (too early) say "try again" as plainly as 429 does.
TRANSIENT_4XX = frozenset({408, 425, 429})
# RFC 9309 asks crawlers to read at least 500 KiB of a robots.txt; more is ignored.
ROBOTS_MAX_BYTES = 500 * 1024
# A Crawl-delay above this is treated as this: one page a minute is as slow as a run can wait.
MAX_CRAWL_DELAY_S = 60.0
# Backoff jitter: each wait is stretched by up to half again, so hosts failing together do not
# see every client return in the same instant (AWS "exponential backoff and jitter").
JITTER_FRACTION = 0.5
ROBOTS_MISSING = "robots-4xx"  # internal marker: robots.txt answered 4xx, so all is allowed


@dataclass(frozen=True)
class FetchSettings:
    """How politely and how far the fetcher goes; every limit is a setting."""

    user_agent: str = USER_AGENT
    timeout_s: float = 20.0  # read/write/pool; generous for slow news sites
    connect_timeout_s: float = 10.0
    max_bytes: int = 10_000_000  # decoded body; news pages are well under 2 MB
    max_redirects: int = 5  # Chrome allows 20; news redirects rarely chain past 2
    max_attempts: int = 4  # first try plus three retries
    backoff_base_s: float = 1.0
    backoff_max_s: float = 60.0
    max_retry_after_s: float = 300.0  # a longer Retry-After is "retry later", not a wait now
    host_interval_s: float = 1.0  # at most one request a second per host (robots Crawl-delay wins)
    host_concurrency: int = 2  # requests in flight per host
    respect_robots: bool = True
    allow_private: bool = False  # 10/8, 172.16/12, 192.168/16, fc00::/7, link-local, reserved
    allow_loopback: bool = False  # 127/8 and ::1 (tests turn this on)


@dataclass(frozen=True)
class Validators:
    """What a conditional GET sends back: the ETag and Last-Modified of the last 200."""

    etag: str | None = None
    last_modified: str | None = None


class ValidatorCache(Protocol):
    """Where validators live between fetches (memory here; the store can persist them)."""

    def get(self, url: str) -> Validators | None:
        """The validators last seen for a URL."""
        ...

    def put(self, url: str, validators: Validators) -> None:
        """Remember the validators of a successful fetch."""
        ...

    def forget(self, url: str) -> None:
        """Drop a URL's validators, so its next fetch reads it whole."""
        ...


class MemoryValidatorCache:
    """A thread-safe in-memory ValidatorCache."""

    def __init__(self) -> None:
        self._items: dict[str, Validators] = {}
        self._lock = threading.Lock()

    def get(self, url: str) -> Validators | None:
        """The validators last seen for a URL."""
        with self._lock:
            return self._items.get(url)

    def put(self, url: str, validators: Validators) -> None:
        """Remember the validators of a successful fetch."""
        with self._lock:
            self._items[url] = validators

    def forget(self, url: str) -> None:
        """Drop a URL's validators, so its next fetch reads it whole."""
        with self._lock:
            self._items.pop(url, None)


class _Refused(Exception):
    """One attempt failed; `transient` says whether trying again later may help."""

    def __init__(
        self, reason: str, *, code: str, transient: bool, retry_after: float | None = None
    ):
        super().__init__(reason)
        self.reason = reason
        self.code = code
        self.transient = transient
        self.retry_after = retry_after


class HostGate:
    """Per-host pacing (minimum interval between request starts) and a concurrency cap."""

    def __init__(
        self,
        interval_s: float,
        concurrency: int,
        *,
        clock: Callable[[], float],
        sleep: Callable[[float], None],
    ):
        self._interval = interval_s
        self._concurrency = concurrency
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._next: dict[str, float] = {}
        self._intervals: dict[str, float] = {}
        self._slots: dict[str, threading.BoundedSemaphore] = {}

    def slow_down(self, host: str, interval_s: float) -> None:
        """Raise one host's interval (robots.txt Crawl-delay); never lowers it."""
        with self._lock:
            self._intervals[host] = max(self._intervals.get(host, self._interval), interval_s)

    @contextmanager
    def slot(self, host: str) -> Iterator[None]:
        """Wait for a free slot and the host's next start time, then hold the slot."""
        with self._lock:
            semaphore = self._slots.setdefault(host, threading.BoundedSemaphore(self._concurrency))
        with semaphore:
            with self._lock:
                now = self._clock()
                start = max(now, self._next.get(host, now))
                self._next[host] = start + self._intervals.get(host, self._interval)
            if start > now:
                self._sleep(start - now)
            yield


def address_refusal(
    url: str, settings: FetchSettings, resolve: Resolver = socket.getaddrinfo
) -> str | None:
    """Why a URL may not be fetched (bad scheme, private or loopback address), or None."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return f"scheme {parts.scheme or '(none)'!r} is not fetched (only http and https)"
    host = parts.hostname
    if not host:
        return "the URL names no host"
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as exc:
        return f"the URL's port is not valid ({exc})"
    try:
        vetted_addresses(host, port, address_policy(settings), resolve)
    except AddressRefused as refused:
        return refused.reason
    return None


def address_policy(settings: FetchSettings) -> AddressPolicy:
    """The addresses the settings allow connecting to."""
    return AddressPolicy(
        allow_loopback=settings.allow_loopback, allow_private=settings.allow_private
    )


def retry_after_seconds(value: str | None, now: datetime) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())


class Fetcher:
    """Fetch URLs politely; `fetch` returns a RawPage (status 304 when unchanged) or a Rejection."""

    def __init__(
        self,
        settings: FetchSettings | None = None,
        *,
        client: httpx.Client | None = None,
        cache: ValidatorCache | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        resolve: Resolver = socket.getaddrinfo,
        rng: random.Random | None = None,
    ):
        self.settings = settings or FetchSettings()
        self.cache: ValidatorCache = cache if cache is not None else MemoryValidatorCache()
        s = self.settings
        self._own_client = client is None
        # An injected client is used as given; the fetcher's own connects only to vetted
        # addresses, resolved by the same resolver as the check before each request.
        self._client = client or httpx.Client(
            timeout=httpx.Timeout(s.timeout_s, connect=s.connect_timeout_s),
            transport=VettedTransport(VettedBackend(address_policy(s), resolve)),
        )
        self._sleep = sleep
        self._now = now
        self._resolve = resolve
        self._rng = rng or random.Random()
        self._gate = HostGate(s.host_interval_s, s.host_concurrency, clock=clock, sleep=sleep)
        self._robots: dict[str, RobotFileParser] = {}
        self._robots_lock = threading.Lock()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the HTTP client if this fetcher made it."""
        if self._own_client:
            self._client.close()

    def fetch(self, url: str, *, conditional: bool = True) -> RawPage | Rejection:
        """GET one URL with retries; never raises for network or HTTP trouble."""
        validators = self.cache.get(url) if conditional else None
        headers = {"User-Agent": self.settings.user_agent}
        if validators and validators.etag:
            headers["If-None-Match"] = validators.etag
        if validators and validators.last_modified:
            headers["If-Modified-Since"] = validators.last_modified
        attempts = self.settings.max_attempts
        for attempt in range(attempts):
            try:
                page = self._follow(url, headers)
            except _Refused as refused:
                if not refused.transient:
                    return Rejection(STAGE, refused.code, refused.reason, url)
                delay = self._backoff(attempt, refused.retry_after)
                if attempt + 1 >= attempts or delay > self.settings.max_retry_after_s:
                    tries = f"after {attempt + 1} attempt{'s' if attempt else ''}"
                    detail = f"{refused.reason} {tries}; will retry later"
                    return Rejection(STAGE, refused.code, detail, url, transient=True)
                self._sleep(delay)
                continue
            if page.status == 200 and (page.etag or page.last_modified):
                self.cache.put(url, Validators(page.etag, page.last_modified))
            return replace(page, source=url)
        raise AssertionError("unreachable: the loop returns on its last attempt")

    def read_whole_next_time(self, url: str) -> None:
        """Forget a URL's validators, so its next fetch reads it whole (never a 304)."""
        self.cache.forget(url)

    def fetch_all(self, urls: Iterable[str], *, workers: int = 4) -> Iterator[RawPage | Rejection]:
        """Fetch many URLs on a few threads (hosts still paced), in the order given."""
        with ThreadPoolExecutor(max_workers=workers) as pool:
            yield from pool.map(self.fetch, urls)

    def allowed_by_robots(self, url: str) -> bool:
        """Whether robots.txt lets the configured User-Agent fetch this URL."""
        try:
            self._check_robots(url)
        except _Refused:
            return False
        return True

    def _check_robots(self, url: str) -> None:
        if not self.settings.respect_robots:
            return
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        with self._robots_lock:
            parser = self._robots.get(origin)
        if parser is None:
            parser = self._load_robots(origin)
            with self._robots_lock:
                self._robots[origin] = parser
        if not parser.can_fetch(self.settings.user_agent, url):
            reason = f"robots.txt disallows {url} for our User-Agent"
            raise _Refused(reason, code=FetchError.code, transient=False)

    def _backoff(self, attempt: int, retry_after: float | None) -> float:
        if retry_after is not None:
            return retry_after
        s = self.settings
        delay: float = min(s.backoff_max_s, s.backoff_base_s * 2.0**attempt)
        return delay * (1 + JITTER_FRACTION * self._rng.random())

    def _load_robots(self, origin: str) -> RobotFileParser:
        parser = RobotFileParser(origin + "/robots.txt")
        headers = {"User-Agent": self.settings.user_agent}
        try:
            page = self._follow(origin + "/robots.txt", headers, robots=False)
        except _Refused as refused:
            if refused.code != ROBOTS_MISSING:
                # RFC 9309 2.3.1.4: an unreachable robots.txt (5xx, network) means "assume
                # complete disallow" until it can be read, so the page waits for a later run.
                reason = f"robots.txt unreachable ({refused.reason})"
                raise _Refused(reason, code=FetchError.code, transient=True) from refused
            parser.parse([])  # RFC 9309 2.3.1.3: a missing robots.txt (4xx) allows all
            return parser
        text = page.content[:ROBOTS_MAX_BYTES].decode("utf-8", errors="replace")
        parser.parse(text.splitlines())
        delay = parser.crawl_delay(self.settings.user_agent)
        if delay:
            self._gate.slow_down(urlsplit(origin).netloc, min(float(delay), MAX_CRAWL_DELAY_S))
        return parser

    def _follow(self, url: str, headers: dict[str, str], *, robots: bool = True) -> RawPage:
        current = url
        for _hop in range(self.settings.max_redirects + 1):
            refusal = address_refusal(current, self.settings, self._resolve)
            if refusal:
                raise _Refused(refusal, code=FetchError.code, transient=False)
            if robots:
                self._check_robots(current)
            location = self._get(current, headers, robots_file=not robots)
            if isinstance(location, RawPage):
                return location
            current = location
        raise _Refused(
            f"more than {self.settings.max_redirects} redirects",
            code=FetchError.code,
            transient=False,
        )

    def _get(self, url: str, headers: dict[str, str], *, robots_file: bool) -> RawPage | str:
        """One request: a page, or the next URL of a redirect; _Refused otherwise."""
        host = urlsplit(url).netloc
        try:
            with (
                self._gate.slot(host),
                self._client.stream("GET", url, headers=headers, follow_redirects=False) as resp,
            ):
                status = resp.status_code
                if status in REDIRECT_STATUSES and "location" in resp.headers:
                    return urljoin(url, resp.headers["location"])
                if status == 304:
                    return self._page(url, resp, b"")
                if status >= 400:
                    raise self._status_refusal(resp, robots_file=robots_file)
                limit = ROBOTS_MAX_BYTES if robots_file else self.settings.max_bytes
                return self._page(url, resp, self._read_body(resp, limit, truncate=robots_file))
        except AddressRefused as refused:  # the name resolved differently at connect time
            raise _Refused(refused.reason, code=FetchError.code, transient=False) from refused
        except httpx.TimeoutException as exc:
            reason = f"timed out ({type(exc).__name__})"
            raise _Refused(reason, code=FetchError.code, transient=True) from exc
        except (httpx.ConnectError, httpx.RemoteProtocolError, httpx.ReadError) as exc:
            reason = f"unreachable ({exc or type(exc).__name__})"
            raise _Refused(reason, code=FetchError.code, transient=True) from exc
        except httpx.DecodingError as exc:
            reason = f"the response body cannot be decoded ({exc})"
            raise _Refused(reason, code=InputError.code, transient=False) from exc
        except httpx.HTTPError as exc:
            reason = f"fetch failed ({exc or type(exc).__name__})"
            raise _Refused(reason, code=FetchError.code, transient=False) from exc

    def _status_refusal(self, resp: httpx.Response, *, robots_file: bool) -> _Refused:
        status = resp.status_code
        reason = f"HTTP {status} {resp.reason_phrase}".strip()
        if robots_file and status < 500:
            return _Refused(reason, code=ROBOTS_MISSING, transient=False)
        if status in PERMANENT_STATUSES:
            return _Refused(reason, code=FetchError.code, transient=False)
        if status in TRANSIENT_4XX or status >= 500:
            wait = retry_after_seconds(resp.headers.get("retry-after"), self._now())
            return _Refused(reason, code=FetchError.code, transient=True, retry_after=wait)
        return _Refused(reason, code=FetchError.code, transient=False)

    def _read_body(self, resp: httpx.Response, limit: int, *, truncate: bool) -> bytes:
        declared = resp.headers.get("content-length", "")
        if not truncate and declared.isdigit() and int(declared) > limit:
            reason = f"declares {int(declared):,} bytes, over the {limit:,}-byte limit"
            raise _Refused(reason, code=InputError.code, transient=False)
        chunks: list[bytes] = []
        total = 0
        # iter_bytes decodes gzip/deflate/br as it goes, so a compression bomb is stopped as
        # soon as its decoded size passes the limit, long before it is all in memory.
        for chunk in resp.iter_bytes():
            total += len(chunk)
            if total > limit:
                if truncate:
                    chunks.append(chunk)
                    break
                encoding = resp.headers.get("content-encoding")
                how = f" once decoded from {encoding}" if encoding else ""
                reason = f"is over the {limit:,}-byte limit{how}; refused as too large"
                raise _Refused(reason, code=InputError.code, transient=False)
            chunks.append(chunk)
        return b"".join(chunks)

    def _page(self, url: str, resp: httpx.Response, content: bytes) -> RawPage:
        content_type = resp.headers.get("content-type", "")
        return RawPage(
            content=content,
            source=url,
            content_type=content_type.split(";")[0].strip().lower(),
            url=str(resp.url),
            encoding=resp.charset_encoding,
            fetched_at=self._now(),
            status=resp.status_code,
            etag=resp.headers.get("etag"),
            last_modified=resp.headers.get("last-modified"),
        )
