"""Stable article ids and content hashes: the same page always gets the same id."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from westminster.models import Article

# Query parameters that only track where a reader came from; the same article is reached with
# and without them (utm_* from Google Analytics, the rest from the big ad and social platforms).
TRACKING_PARAMS = frozenset(
    {"fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "at_medium"}
)
TRACKING_PREFIXES = ("utm_",)
DEFAULT_PORTS = {"http": 80, "https": 443}

_SPACES = re.compile(r"\s+")


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def canonical_url(url: str) -> str:
    """Lower-case scheme and host, drop fragment, default port, tracking parameters, end slash."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    port = parts.port
    netloc = host if port is None or DEFAULT_PORTS.get(scheme) == port else f"{host}:{port}"
    path = parts.path.rstrip("/") or "/"
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if k.lower() not in TRACKING_PARAMS and not k.lower().startswith(TRACKING_PREFIXES)
    ]
    return urlunsplit((scheme, netloc, path, urlencode(sorted(query)), ""))


def normalise_text(text: str) -> str:
    """NFKC, case-folded, whitespace collapsed: the form hashed when an article has no address."""
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", text).casefold()).strip()


def article_id(article: Article) -> str:
    """sha256 of the canonical URL, else of the path, else of the normalised title and text."""
    if article.url:
        return _sha256("url:" + canonical_url(article.url))
    if article.path:
        return _sha256("path:" + article.path)
    return _sha256("text:" + normalise_text(article.title + "\n" + article.text))


def content_sha256(article: Article) -> str:
    """Hash of the title and text exactly as stored: a change in either makes a new version."""
    return _sha256(article.title + "\n" + article.text)
