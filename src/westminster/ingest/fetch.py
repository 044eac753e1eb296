"""Fetch one URL with an injected httpx.Client (tests use a local server, not patches)."""

from __future__ import annotations

import httpx

from westminster.errors import FetchError, InputError
from westminster.models import RawPage

FETCH_TIMEOUT_S = 20.0  # generous for slow news sites; the ingestion issue adds retries
USER_AGENT = "westminster/0.1 (+https://example.invalid/westminster; political news monitor)"


def make_client() -> httpx.Client:
    """A client with the project's timeout, redirect limit and User-Agent."""
    return httpx.Client(
        timeout=FETCH_TIMEOUT_S,
        follow_redirects=True,
        max_redirects=5,
        headers={"User-Agent": USER_AGENT},
    )


def fetch_url(url: str, *, client: httpx.Client, max_bytes: int) -> RawPage:
    """GET a page, refusing errors, oversized bodies and non-text content with one clear line."""
    try:
        with client.stream("GET", url) as response:
            if response.status_code >= 400:
                raise FetchError(
                    f"HTTP {response.status_code} {response.reason_phrase}", subject=url
                )
            declared = response.headers.get("content-length")
            if declared and declared.isdigit() and int(declared) > max_bytes:
                raise InputError(
                    f"is {int(declared):,} bytes, over the {max_bytes:,}-byte limit", subject=url
                )
            chunks: list[bytes] = []
            total = 0
            for chunk in response.iter_bytes():
                total += len(chunk)
                if total > max_bytes:
                    raise InputError(f"is over the {max_bytes:,}-byte limit", subject=url)
                chunks.append(chunk)
            content_type = response.headers.get("content-type", "")
            return RawPage(
                content=b"".join(chunks),
                source=url,
                content_type=content_type.split(";")[0].strip().lower(),
                url=str(response.url),
                encoding=response.charset_encoding,
            )
    except httpx.TimeoutException as exc:
        raise FetchError(f"timed out after {FETCH_TIMEOUT_S:.0f} s", subject=url) from exc
    except httpx.ConnectError as exc:
        raise FetchError(
            f"unreachable ({exc})", subject=url, fix="check the address and your connection"
        ) from exc
    except httpx.HTTPError as exc:
        raise FetchError(f"fetch failed: {exc}", subject=url) from exc
